"""manage.py seed_demo_surveys: a closed survey with results, an open one, reproducible, idempotent."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse

from conftest import shared_data
from hoshin.org.models import District
from hoshin.surveys.management.commands.seed_demo_surveys import (
    CLOSED_RESPONSES,
    CLOSED_TITLE,
    DISTRICTS,
    OPEN_RESPONSES,
    OPEN_TITLE,
)
from hoshin.surveys.models import (
    AnswerLimit,
    QuestionKind,
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyResponse,
)
from hoshin.surveys.selectors.public import surveys_open
from hoshin.surveys.selectors.results import survey_results

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_demo_surveys", stdout=out)
    return out.getvalue()


def fingerprint() -> list[tuple]:
    """Every answer value in a stable order (ids differ between runs; labels and values do not)."""
    return list(
        # Question positions count within a section, and responses may share a moment: the
        # section, then the row's own order break the ties (PostgreSQL returns ties in any order).
        SurveyAnswer.objects.order_by(
            "response__submitted_at",
            "response__pk",
            "question__section__position",
            "question__position",
            "choice__position",
            "pk",
        ).values_list(
            "response__survey__title",
            "response__age_band",
            "response__district__name",
            "question__text",
            "choice__label",
            "number",
            "text",
        )
    )


@shared_data
def seeded():
    """Both demo surveys, seeded once for the tests that use them."""
    output = seed()
    assert "作成しました" in output
    return Survey.objects.get(title=CLOSED_TITLE), Survey.objects.get(title=OPEN_TITLE)


def test_closed_survey_has_realistic_results(seeded):
    closed, _ = seeded
    assert closed.is_published and closed.phase() == "closed"
    assert closed.answer_limit == AnswerLimit.TOKEN
    assert closed.responses.count() == CLOSED_RESPONSES
    assert (
        SurveyInvitation.objects.filter(survey=closed, used_at__isnull=False).count()
        == CLOSED_RESPONSES
    )
    assert set(closed.questions.values_list("kind", flat=True)) == set(QuestionKind.values)
    assert [s.title for s in closed.sections.all()][:3] == [
        "市政への満足度",
        "行政サービス",
        "情報発信",
    ]
    assert all(closed.opens_at <= r.submitted_at < closed.closes_at for r in closed.responses.all())
    ages = dict(closed.responses.values_list("age_band").annotate(n=Count("id")))
    assert len([band for band in ages if band]) >= 7  # spread over the age bands
    districts = closed.responses.values("district").distinct().count()
    assert districts >= len(DISTRICTS)
    results = survey_results(survey=closed)
    overall = results.sections[0].questions[0]
    assert 2.5 < float(overall.mean) < 4.0
    assert all(row.count > 0 for row in overall.rows[:-1])  # every point of the scale is used
    texts = closed.questions.get(kind=QuestionKind.TEXT).answers.count()
    assert 30 < texts < CLOSED_RESPONSES


def test_open_survey_accepts_answers_per_browser(seeded):
    _, open_survey = seeded
    assert open_survey.phase() == "open"
    assert open_survey.answer_limit == AnswerLimit.BROWSER
    assert open_survey.responses.count() == OPEN_RESPONSES
    assert list(surveys_open()) == [open_survey]


def test_districts_are_created_when_missing_and_reused(seeded):
    assert set(DISTRICTS) <= set(District.objects.values_list("name", flat=True))


def test_running_again_changes_nothing(seeded):
    before = (Survey.objects.count(), SurveyResponse.objects.count(), SurveyAnswer.objects.count())
    output = seed()
    assert "既にあります" in output
    assert (
        Survey.objects.count(),
        SurveyResponse.objects.count(),
        SurveyAnswer.objects.count(),
    ) == before


def test_the_same_seed_gives_the_same_answers(seeded):
    first = [row for row in fingerprint() if row[0] == CLOSED_TITLE]
    SurveyAnswer.objects.all().delete()
    SurveyResponse.objects.all().delete()
    Survey.objects.all().delete()
    seed()
    assert [row for row in fingerprint() if row[0] == CLOSED_TITLE] == first


def test_existing_districts_are_kept():
    District.objects.create(name="中村", position=99)
    seed()
    assert District.objects.get(name="中村").position == 99
    assert District.objects.filter(name="中村").count() == 1


def test_citizens_see_the_closed_surveys_results_but_not_the_open_ones(client, seeded):
    closed, still_open = seeded
    assert closed.results_public
    listed = client.get(reverse("surveys:list")).content.decode()
    assert reverse("surveys:results", args=[closed.pk]) in listed
    assert client.get(reverse("surveys:results", args=[closed.pk])).status_code == 200
    assert client.get(reverse("surveys:results", args=[still_open.pk])).status_code == 404

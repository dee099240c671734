"""Building surveys: question rules, publishing, the freeze once answers exist, new versions."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from hoshin.audit.models import AuditEntry
from hoshin.surveys.models import (
    AnswerLimit,
    QuestionKind,
    Survey,
    SurveyChoice,
    SurveyInvitation,
    SurveyQuestion,
    SurveyStatus,
)
from hoshin.surveys.services import editing, invitations, questions
from hoshin.surveys.services.editing import SurveyFrozen
from hoshin.surveys.services.questions import QuestionSpec

from . import factories as f

pytestmark = pytest.mark.django_db


def test_new_survey_is_an_audited_draft(hearing):
    survey = editing.survey_create(title="  市民 満足度調査 ", by=hearing)
    assert survey.status == SurveyStatus.DRAFT
    assert survey.title == "市民 満足度調査"
    assert survey.version == 1 and survey.previous_version is None
    assert AuditEntry.objects.filter(verb="survey.create", actor=hearing).exists()


def test_closing_date_must_follow_opening_date():
    now = timezone.now()
    with pytest.raises(ValidationError) as caught:
        editing.survey_create(title="t", opens_at=now, closes_at=now)
    assert "終了日時は開始日時より後" in str(caught.value)


def test_database_refuses_dates_in_the_wrong_order_and_published_without_dates():
    survey = f.make_survey()
    with pytest.raises(IntegrityError), transaction.atomic():
        Survey.objects.filter(pk=survey.pk).update(closes_at=survey.opens_at)
    with pytest.raises(IntegrityError), transaction.atomic():
        Survey.objects.filter(pk=survey.pk).update(status=SurveyStatus.PUBLISHED)


@pytest.mark.parametrize(
    ("spec", "field", "message"),
    [
        (QuestionSpec(kind="single", text="問", choices=["一つだけ"]), "choices", "2つ以上"),
        (QuestionSpec(kind="multiple", text="問", choices=["A", "A", "B"]), "choices", "重複"),
        (QuestionSpec(kind="single", text="  ", choices=["A", "B"]), "text", "入力してください"),
        (
            QuestionSpec(kind="number", text="問", number_min=10, number_max=1),
            "number_max",
            "最小値以上",
        ),
        (QuestionSpec(kind="text", text="問", text_max_length=20_001), "text_max_length", "20,000"),
        (QuestionSpec(kind="date", text="問"), "kind", "種類"),
    ],
)
def test_question_specs_are_checked(spec, field, message):
    with pytest.raises(ValidationError) as caught:
        questions.question_spec_clean(spec)
    assert message in " ".join(caught.value.message_dict[field])


def test_settings_of_other_kinds_are_cleared_and_blank_choice_lines_dropped():
    survey = f.make_survey()
    question = f.add_question(
        survey,
        QuestionKind.SINGLE,
        choices=["", " 広報紙 ", "ホームページ", "   "],
        number_min=1,
        number_max=3,
        scale_min_label="不満",
    )
    assert list(question.choices.values_list("label", flat=True)) == ["広報紙", "ホームページ"]
    assert (question.number_min, question.number_max, question.scale_min_label) == (None, None, "")


def test_publishing_needs_dates_questions_and_choices():
    survey = f.make_survey()
    Survey.objects.filter(pk=survey.pk).update(closes_at=None)
    survey.refresh_from_db()
    problems = editing.survey_publish_problems(survey=survey)
    assert any("日時" in p for p in problems)
    assert any("設問がありません" in p for p in problems)
    with pytest.raises(ValidationError):
        editing.survey_publish(survey=survey)


def test_publishing_an_ended_survey_is_refused():
    past = timezone.now() - datetime.timedelta(days=10)
    survey = f.make_survey(opens_at=past, closes_at=past + datetime.timedelta(days=1))
    f.add_question(survey, QuestionKind.TEXT)
    with pytest.raises(ValidationError, match="過ぎています"):
        editing.survey_publish(survey=survey)


def test_publish_sets_the_time_and_is_audited(hearing):
    survey = f.make_survey()
    f.add_question(survey, QuestionKind.SCALE)
    survey = editing.survey_publish(survey=survey, by=hearing)
    assert survey.is_published and survey.published_at is not None
    assert survey.phase() == "open"
    assert AuditEntry.objects.filter(verb="survey.publish", target_id=str(survey.pk)).exists()


def test_positions_default_to_the_end():
    survey = f.make_survey()
    first = questions.section_create(survey=survey, title="一")
    second = questions.section_create(survey=survey, title="二")
    assert (first.position, second.position) == (0, 1)
    a = f.add_question(survey, QuestionKind.TEXT, section=first)
    b = f.add_question(survey, QuestionKind.TEXT, section=first)
    assert (a.position, b.position) == (0, 1)


# ---- no edits once answers exist ----------------------------------------------------------


@pytest.fixture
def answered(sample):
    sample.answer(single="広報紙", scale="4")
    return sample


@pytest.mark.parametrize(
    "edit",
    [
        lambda s: questions.question_update(
            question=s.single, spec=QuestionSpec(kind="single", text="変更", choices=["A", "B"])
        ),
        lambda s: questions.question_delete(question=s.text),
        lambda s: f.add_question(s.survey, QuestionKind.TEXT),
        lambda s: questions.section_create(survey=s.survey, title="新しい節"),
        lambda s: questions.section_update(section=s.single.section, title="改名", position=0),
        lambda s: questions.section_delete(section=s.text.section),
        lambda s: editing.survey_unpublish(survey=s.survey),
        lambda s: editing.survey_delete(survey=s.survey),
        lambda s: editing.survey_update(
            survey=s.survey,
            title=s.survey.title,
            description="",
            opens_at=s.survey.opens_at,
            closes_at=s.survey.closes_at,
            answer_limit=AnswerLimit.TOKEN,
            asks_age_band=True,
            asks_district=True,
        ),
    ],
    ids=[
        "question_update",
        "question_delete",
        "question_create",
        "section_create",
        "section_update",
        "section_delete",
        "unpublish",
        "delete",
        "answer_limit",
    ],
)
def test_questions_cannot_change_once_answers_exist(answered, edit):
    before = (
        list(SurveyQuestion.objects.values_list("id", "text", "section_id", "position")),
        list(SurveyChoice.objects.values_list("id", "label")),
    )
    with pytest.raises(SurveyFrozen, match="新しい版"):
        edit(answered)
    after = (
        list(SurveyQuestion.objects.values_list("id", "text", "section_id", "position")),
        list(SurveyChoice.objects.values_list("id", "label")),
    )
    assert before == after


def test_title_and_dates_may_still_change_after_answers(answered):
    later = answered.survey.closes_at + datetime.timedelta(days=14)
    survey = editing.survey_update(
        survey=answered.survey,
        title="市民満足度調査（延長）",
        description="期間を延長しました。",
        opens_at=answered.survey.opens_at,
        closes_at=later,
        answer_limit=answered.survey.answer_limit,
        asks_age_band=True,
        asks_district=True,
    )
    assert survey.closes_at == later and survey.title.endswith("（延長）")


def test_new_version_copies_everything_as_a_draft(answered, hearing):
    old = answered.survey
    copy = editing.survey_new_version(survey=old, by=hearing)
    assert copy.status == SurveyStatus.DRAFT
    assert (copy.version, copy.previous_version_id) == (2, old.pk)
    assert (copy.opens_at, copy.closes_at) == (None, None)
    assert copy.responses.count() == 0 and old.responses.count() == 1
    assert [s.title for s in copy.sections.all()] == [s.title for s in old.sections.all()]
    old_questions = list(old.questions.values_list("kind", "text", "required", "position"))
    assert list(copy.questions.values_list("kind", "text", "required", "position")) == old_questions
    assert list(
        SurveyChoice.objects.filter(question__survey=copy).values_list("label", flat=True)
    ) == list(SurveyChoice.objects.filter(question__survey=old).values_list("label", flat=True))
    assert all(q.section.survey_id == copy.pk for q in copy.questions.all())
    # The copy is editable; the original still is not.
    question = copy.questions.get(kind=QuestionKind.SINGLE)
    questions.question_update(
        question=question, spec=QuestionSpec(kind="single", text="変更後", choices=["A", "B"])
    )
    assert old.questions.get(kind=QuestionKind.SINGLE).text != "変更後"
    assert str(copy) == f"{old.title}（第2版）"


def test_a_version_has_at_most_one_next_version(answered):
    editing.survey_new_version(survey=answered.survey)
    with pytest.raises(ValidationError, match="第2版"):
        editing.survey_new_version(survey=answered.survey)


def test_database_keeps_versions_consistent(sample):
    with pytest.raises(IntegrityError), transaction.atomic():
        Survey.objects.create(title="x", version=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Survey.objects.create(title="x", version=1, previous_version=sample.survey)


def test_closing_now_keeps_answers(answered):
    survey = editing.survey_close(survey=answered.survey)
    assert survey.phase() == "closed"
    assert survey.responses.count() == 1


def test_draft_without_answers_can_be_deleted():
    survey = f.make_survey()
    f.add_question(survey, QuestionKind.SINGLE)
    editing.survey_delete(survey=survey)
    assert not Survey.objects.exists()


# ---- invitations --------------------------------------------------------------------------


def test_invitation_codes_are_unique_typable_and_only_for_per_code_surveys():
    survey = f.make_survey(answer_limit=AnswerLimit.TOKEN)
    codes = invitations.invitations_generate(survey=survey, count=300)
    tokens = {c.token for c in codes}
    assert len(tokens) == 300 == SurveyInvitation.objects.count()
    assert all(len(t) == 12 and set(t) <= set(invitations.TOKEN_ALPHABET) for t in tokens)
    assert codes[0].display_token.count("-") == 2
    with pytest.raises(ValidationError):
        invitations.invitations_generate(survey=f.make_survey(), count=1)
    with pytest.raises(ValidationError):
        invitations.invitations_generate(survey=survey, count=0)

"""Published results of closed surveys: aggregates only, and only when staff allowed it and
answering has ended (tried as an attacker guessing ids would)."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hoshin.surveys.models import Survey
from hoshin.surveys.services.editing import survey_update

from . import factories as f

pytestmark = pytest.mark.django_db

SECRET_TEXT = "中村三丁目の山田花子です。電話090-0000-1111"


def results_url(survey) -> str:
    return reverse("surveys:results", args=[survey.pk])


def answered(sample, districts):
    sample.answer(
        single="広報紙",
        multiple=["図書館", "窓口"],
        scale="4",
        number="15",
        text=SECRET_TEXT,
        age_band="40s",
        district=districts[0],
    )
    sample.answer(
        single="ホームページ",
        multiple=["図書館"],
        scale="2",
        number="45",
        age_band="70s",
        district=districts[1],
    )
    sample.answer(single="広報紙", scale="5", number="287", district=districts[2])


def set_public(survey: Survey, value: bool) -> Survey:
    return survey_update(
        survey=survey,
        title=survey.title,
        description=survey.description,
        opens_at=survey.opens_at,
        closes_at=survey.closes_at,
        answer_limit=survey.answer_limit,
        asks_age_band=survey.asks_age_band,
        asks_district=survey.asks_district,
        results_public=value,
    )


def close(survey: Survey) -> None:
    Survey.objects.filter(pk=survey.pk).update(closes_at=timezone.now())


def test_closed_survey_that_allows_it_shows_aggregates_only(sample, districts):
    answered(sample, districts)
    set_public(sample.survey, True)
    close(sample.survey)
    response = Client().get(results_url(sample.survey))
    assert response.status_code == 200
    html = response.content.decode()
    assert "回答者数" in html and "3人" in html
    # 広報紙 2 of 3 respondents, ホームページ 1 of 3.
    assert (
        '<th scope="row" lang="ja">広報紙</th><td class="number">2</td><td class="number">66.7%</td>'
        in html
    )
    assert "市政に満足していますか" in html and "平均" in html
    # Never: free texts, one person's extreme number, breakdowns by age band or district.
    assert "山田" not in html and "090-0000-1111" not in html and "中村三丁目" not in html
    assert "287" not in html and "最大" not in html and "最小" not in html
    assert "年代別の回答者数" not in html and "地区別の回答者数" not in html and "八幡" not in html
    assert "自由記述の回答は掲載していません。" in html


def test_the_list_links_the_results_of_closed_public_surveys_only(sample, districts):
    kept_internal = f.make_sample()
    close(kept_internal.survey)
    set_public(sample.survey, True)
    client = Client()
    listed = client.get(reverse("surveys:list")).content.decode()
    assert results_url(sample.survey) not in listed  # still open
    close(sample.survey)
    listed = client.get(reverse("surveys:list")).content.decode()
    assert "終了したアンケートの結果" in listed
    assert f'href="{results_url(sample.survey)}"' in listed
    assert results_url(kept_internal.survey) not in listed


def test_results_an_attacker_should_not_see_are_404(sample, districts):
    client = Client()
    answered(sample, districts)
    set_public(sample.survey, True)
    # Open: results would sway those still answering.
    assert client.get(results_url(sample.survey)).status_code == 404
    # Closed, but staff keep the results internal.
    internal = f.make_sample()
    close(internal.survey)
    assert client.get(results_url(internal.survey)).status_code == 404
    # Never published (a draft), even if it says results are public and its dates have passed.
    draft = f.make_sample(publish=False)
    Survey.objects.filter(pk=draft.survey.pk).update(results_public=True, closes_at=timezone.now())
    assert client.get(results_url(draft.survey)).status_code == 404
    # Upcoming.
    assert client.get(reverse("surveys:results", args=[999_999])).status_code == 404
    # Only GET/HEAD.
    close(sample.survey)
    assert client.get(results_url(sample.survey)).status_code == 200
    assert client.post(results_url(sample.survey)).status_code == 405


def test_staff_can_switch_results_public_after_answers_arrive(sample, districts, hearing_client):
    answered(sample, districts)
    survey = set_public(sample.survey, True)
    assert survey.results_public
    detail = hearing_client.get(reverse("surveys_staff:edit", args=[survey.pk]))
    assert 'name="results_public"' in detail.content.decode()
    survey = set_public(survey, False)
    close(survey)
    assert Client().get(results_url(survey)).status_code == 404

"""Public pages: the list, the answer page (no JavaScript needed), the limits, the thank-you page."""

import datetime
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hoshin.surveys.models import AnswerLimit, Survey, SurveyResponse
from hoshin.surveys.services.editing import survey_publish
from hoshin.surveys.services.invitations import invitations_generate
from hoshin.surveys.views.public import BROWSER_COOKIE

from . import factories as f

pytestmark = pytest.mark.django_db


def answer_url(survey) -> str:
    return reverse("surveys:answer", args=[survey.pk])


def form_data(sample, client: Client, **values) -> dict:
    """What the browser posts: the page's hidden fields plus the answers given."""
    page = client.get(answer_url(sample.survey))
    data = {"submission_key": page.context["submission_key"]}
    if page.context["token"]:
        data["token"] = page.context["token"]
    data.update(values)
    return data


def test_list_shows_open_and_upcoming_surveys_only(districts):
    now = timezone.now()
    open_one = f.make_sample(title="受付中の調査").survey
    later = f.make_survey(
        "これからの調査",
        opens_at=now + datetime.timedelta(days=3),
        closes_at=now + datetime.timedelta(days=10),
    )
    f.add_question(later, "text")
    survey_publish(survey=later)
    f.make_sample(title="作成中の調査", publish=False)
    closed = f.make_sample(title="終わった調査").survey
    Survey.objects.filter(pk=closed.pk).update(closes_at=now - datetime.timedelta(minutes=1))
    html = Client().get(reverse("surveys:list")).content.decode()
    assert "受付中の調査" in html and "これからの調査" in html
    assert "作成中の調査" not in html and "終わった調査" not in html
    assert f'href="{answer_url(open_one)}"' in html
    assert f'href="{answer_url(later)}"' not in html


def test_drafts_are_404(districts):
    draft = f.make_sample(publish=False).survey
    assert Client().get(answer_url(draft)).status_code == 404
    assert Client().post(answer_url(draft), {}).status_code == 404
    assert Client().get(reverse("surveys:thanks", args=[draft.pk])).status_code == 404


def test_before_and_after_the_dates_a_clear_page_not_404(sample):
    survey = sample.survey
    Survey.objects.filter(pk=survey.pk).update(opens_at=timezone.now() + datetime.timedelta(days=1))
    response = Client().get(answer_url(survey))
    assert response.status_code == 200
    assert "まだ回答を受け付けていません" in response.content.decode()
    assert "令和" in response.content.decode()  # the date with its era, for citizens
    Survey.objects.filter(pk=survey.pk).update(
        opens_at=timezone.now() - datetime.timedelta(days=9),
        closes_at=timezone.now() - datetime.timedelta(days=1),
    )
    response = Client().get(answer_url(survey))
    assert response.status_code == 200
    assert "回答受付は終了しました" in response.content.decode()
    assert "<form" not in response.content.decode().split('id="main"')[1]


def test_answer_page_renders_every_kind_without_javascript(sample):
    client = Client()
    response = client.get(answer_url(sample.survey))
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    assert BROWSER_COOKIE in response.cookies and response.cookies[BROWSER_COOKIE]["httponly"]
    assert "<script" not in html
    assert html.count('type="radio" name="q') == 3 + 5  # single (3 choices) + scale (1–5)
    assert html.count('type="checkbox"') == 3
    assert 'inputmode="numeric"' in html and "<textarea" in html
    assert "<legend>" in html and 'name="age_band"' in html and 'name="district"' in html
    assert 'name="website"' in html  # the honeypot


def test_answering_stores_once_and_shows_thanks(sample, districts):
    client = Client()
    data = form_data(
        sample,
        client,
        **{
            sample.single.field_name: sample.choice(sample.single, "SNS"),
            sample.multiple.field_name: [
                sample.choice(sample.multiple, "図書館"),
                sample.choice(sample.multiple, "窓口"),
            ],
            sample.scale.field_name: "4",
            sample.number.field_name: "２５",
            sample.text.field_name: "<script>alert(1)</script>",
            "age_band": "60s",
            "district": str(districts[2].pk),
        },
    )
    response = client.post(answer_url(sample.survey), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:thanks", args=[sample.survey.pk])
    stored = SurveyResponse.objects.get()
    assert (stored.age_band, stored.district) == ("60s", districts[2])
    assert stored.answers.count() == 6
    assert stored.answers.get(question=sample.text).text == "<script>alert(1)</script>"
    # Reload / double click: the same submission key stores nothing more and thanks again.
    again = client.post(answer_url(sample.survey), data)
    assert again.status_code == 302 and SurveyResponse.objects.count() == 1
    thanks = client.get(again["Location"])
    assert "回答ありがとうございました" in thanks.content.decode()


def test_nothing_identifying_is_stored(sample):
    client = Client(REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="TestBrowser/1.0")
    client.post(
        answer_url(sample.survey), form_data(sample, client, **{sample.scale.field_name: "3"})
    )
    stored = SurveyResponse.objects.values().get()
    flat = " ".join(str(value) for value in stored.values())
    assert "203.0.113.7" not in flat and "TestBrowser" not in flat
    assert client.cookies[BROWSER_COOKIE].value.split(":")[0] not in flat


def test_a_second_answer_from_the_same_browser_is_refused_clearly(sample):
    client = Client()
    client.post(
        answer_url(sample.survey), form_data(sample, client, **{sample.scale.field_name: "3"})
    )
    page = client.get(answer_url(sample.survey))
    assert "既に回答いただいています" in page.content.decode()
    assert 'name="submission_key"' not in page.content.decode()
    # Posting a fresh form anyway (another tab opened before the first answer).
    second = client.post(
        answer_url(sample.survey),
        {"submission_key": str(uuid.uuid4()), sample.scale.field_name: "1"},
    )
    assert second.status_code == 200 or second.status_code == 409
    assert "既に回答いただいています" in second.content.decode()
    assert SurveyResponse.objects.count() == 1
    # Another browser may answer.
    other = Client()
    other.post(
        answer_url(sample.survey), form_data(sample, other, **{sample.scale.field_name: "2"})
    )
    assert SurveyResponse.objects.count() == 2


def test_a_tampered_cookie_is_a_new_browser_and_post_without_cookie_is_refused(sample):
    client = Client()
    client.cookies[BROWSER_COOKIE] = "forged"
    data = {"submission_key": str(uuid.uuid4()), sample.scale.field_name: "3"}
    response = client.post(answer_url(sample.survey), data)
    assert response.status_code == 400
    assert "Cookie" in response.content.decode()
    assert not SurveyResponse.objects.exists()
    # The refusal set a proper cookie: the next submission goes through.
    assert client.post(answer_url(sample.survey), data).status_code == 302


def test_validation_messages_at_each_field_and_values_kept(districts):
    sample = f.make_sample(required=True)
    client = Client()
    data = form_data(
        sample,
        client,
        **{
            sample.multiple.field_name: ["999999"],
            sample.number.field_name: "500",
            sample.text.field_name: "あ" * 201,
            "age_band": "30s",
        },
    )
    response = client.post(answer_url(sample.survey), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert not SurveyResponse.objects.exists()
    for question, message in (
        (sample.single, "この設問は回答が必要です。"),
        (sample.multiple, "この設問の選択肢から選んでください。"),
        (sample.number, "0分～300分の範囲で入力してください。"),
        (sample.text, "201文字あります。200文字以内にしてください。"),
    ):
        assert f'<p class="survey-error" id="{question.field_name}-error">{message}</p>' in html
    assert 'role="alert"' in html and "入力内容を確認してください（4件）" in html
    assert f'href="#id_{sample.single.field_name}_0"' in html
    assert f'href="#id_{sample.number.field_name}"' in html
    assert 'value="500"' in html and 'value="30s" checked' in html
    assert html.count('aria-invalid="true"') >= 3
    assert f'value="{data["submission_key"]}"' in html  # the same key after fixing the errors


def test_honeypot_filled_stores_nothing_but_looks_like_success(sample):
    client = Client()
    data = form_data(
        sample, client, website="http://spam.example", **{sample.scale.field_name: "3"}
    )
    response = client.post(answer_url(sample.survey), data)
    assert response.status_code == 302
    assert not SurveyResponse.objects.exists()


def test_oversized_text_is_refused_at_the_field(sample):
    client = Client()
    data = form_data(sample, client, **{sample.text.field_name: "x" * 100_000})
    response = client.post(answer_url(sample.survey), data)
    assert response.status_code == 400
    assert "100,000文字あります" in response.content.decode()


def test_survey_closing_between_page_and_submit_shows_the_closed_page(sample):
    client = Client()
    data = form_data(sample, client, **{sample.scale.field_name: "3"})
    Survey.objects.filter(pk=sample.survey.pk).update(closes_at=timezone.now())
    response = client.post(answer_url(sample.survey), data)
    assert "回答受付は終了しました" in response.content.decode()
    assert not SurveyResponse.objects.exists()


# ---- invitation codes -----------------------------------------------------------------------


@pytest.fixture
def per_code(districts):
    sample = f.make_sample(answer_limit=AnswerLimit.TOKEN)
    sample.codes = invitations_generate(survey=sample.survey, count=2)
    return sample


def test_per_code_survey_asks_for_the_code(per_code):
    response = Client().get(answer_url(per_code.survey))
    html = response.content.decode()
    assert response.status_code == 200
    assert "招待コード" in html and 'name="token"' in html
    assert 'name="submission_key"' not in html
    wrong = Client().get(answer_url(per_code.survey), {"token": "NOPE-NOPE"})
    assert "招待コードが正しくありません" in wrong.content.decode()


def test_answering_with_a_code_then_the_code_is_used(per_code):
    code = per_code.codes[0]
    client = Client()
    page = client.get(answer_url(per_code.survey), {"token": code.display_token.lower()})
    html = page.content.decode()
    assert f'name="token" value="{code.token}"' in html
    data = {
        "submission_key": page.context["submission_key"],
        "token": code.token,
        per_code.scale.field_name: "5",
    }
    assert client.post(answer_url(per_code.survey), data).status_code == 302
    stored = SurveyResponse.objects.get()
    assert stored.invitation == code and stored.browser_key is None
    # The same code from any browser: refused with a clear message.
    elsewhere = Client()
    page = elsewhere.get(answer_url(per_code.survey), {"token": code.token})
    assert "既に回答いただいています" in page.content.decode()
    data["submission_key"] = str(uuid.uuid4())
    refused = elsewhere.post(answer_url(per_code.survey), data)
    assert refused.status_code == 200 or refused.status_code == 409
    assert "招待コード1つにつき1回" in refused.content.decode()
    assert SurveyResponse.objects.count() == 1


def test_per_code_survey_sets_no_browser_cookie(per_code):
    response = Client().get(answer_url(per_code.survey), {"token": per_code.codes[1].token})
    assert BROWSER_COOKIE not in response.cookies

"""Staff pages: the permission matrix, and building a survey through the pages from start to publish."""

import pytest
from django.test import Client
from django.urls import reverse

from hoshin.surveys.models import AnswerLimit, QuestionKind, Survey, SurveyInvitation, SurveyStatus

from . import factories as f
from .conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(districts):
    return f.make_sample(publish=False)


def get_urls(sample) -> list[str]:
    survey = sample.survey
    section = sample.single.section
    return [
        reverse("surveys_staff:list"),
        reverse("surveys_staff:create"),
        reverse("surveys_staff:detail", args=[survey.pk]),
        reverse("surveys_staff:edit", args=[survey.pk]),
        reverse("surveys_staff:section_create", args=[survey.pk]),
        reverse("surveys_staff:section_edit", args=[survey.pk, section.pk]),
        reverse("surveys_staff:question_create", args=[survey.pk]) + f"?section={section.pk}",
        reverse("surveys_staff:question_edit", args=[survey.pk, sample.single.pk]),
        reverse("surveys_staff:invitations", args=[survey.pk]),
        reverse("surveys_staff:invitations_csv", args=[survey.pk]),
        reverse("surveys_staff:results", args=[survey.pk]),
        reverse("surveys_staff:texts", args=[survey.pk, sample.text.pk]),
        reverse("surveys_staff:export", args=[survey.pk]) + "?format=xlsx",
    ]


def post_urls(sample) -> list[str]:
    survey = sample.survey
    actions = ["publish", "unpublish", "close", "new-version", "delete"]
    return [reverse("surveys_staff:action", args=[survey.pk, action]) for action in actions] + [
        reverse("surveys_staff:section_delete", args=[survey.pk, sample.text.section.pk]),
        reverse("surveys_staff:question_delete", args=[survey.pk, sample.text.pk]),
        reverse("surveys_staff:create"),
        reverse("surveys_staff:edit", args=[survey.pk]),
        reverse("surveys_staff:invitations", args=[survey.pk]),
    ]


@pytest.mark.parametrize("role", ["hearing", "sysadmin"])
def test_public_hearing_office_and_admin_may_open_every_page(role, request, draft):
    client = client_for(request.getfixturevalue(role))
    for url in get_urls(draft):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", ["planner", "viewer", "editor"])
def test_other_staff_get_403_everywhere_and_change_nothing(role, request, draft):
    client = client_for(request.getfixturevalue(role))
    for url in get_urls(draft):
        assert client.get(url).status_code == 403, url
    for url in post_urls(draft):
        assert client.post(url, {"title": "x", "count": "5"}).status_code == 403, url
    survey = Survey.objects.get()
    assert survey.status == SurveyStatus.DRAFT and survey.questions.count() == 5


def test_anonymous_visitors_go_to_the_login_page(draft):
    client = Client()
    login = reverse("backoffice:login")
    for url in get_urls(draft) + post_urls(draft):
        response = client.post(url) if url in post_urls(draft) else client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"{login}?next="), url
    assert Survey.objects.get().questions.count() == 5


def test_mutating_views_refuse_get(draft, hearing_client):
    for url in post_urls(draft)[:7]:
        assert hearing_client.get(url).status_code == 405, url


def test_csrf_is_required(draft, hearing):
    client = Client(enforce_csrf_checks=True)
    client.force_login(hearing)
    url = reverse("surveys_staff:action", args=[draft.survey.pk, "publish"])
    assert client.post(url).status_code == 403
    assert Survey.objects.get().status == SurveyStatus.DRAFT


# ---- building a survey through the pages ----------------------------------------------------


def test_build_publish_and_answer_a_survey_through_the_pages(hearing_client, districts):
    response = hearing_client.post(
        reverse("surveys_staff:create"),
        {
            "title": "公共交通に関するアンケート",
            "description": "バスの利用について伺います。",
            "opens_at": "2020-04-01T09:00",
            "closes_at": "2099-03-31T17:00",
            "answer_limit": AnswerLimit.BROWSER,
            "asks_age_band": "on",
        },
    )
    survey = Survey.objects.get()
    assert response["Location"] == reverse("surveys_staff:detail", args=[survey.pk])
    assert (survey.asks_age_band, survey.asks_district) == (True, False)
    hearing_client.post(
        reverse("surveys_staff:section_create", args=[survey.pk]), {"title": "バスの利用"}
    )
    section = survey.sections.get()
    add = reverse("surveys_staff:question_create", args=[survey.pk])
    for data in (
        {
            "kind": "single",
            "text": "バスを利用しますか",
            "choices": "よく使う\nときどき\n使わない",
            "required": "on",
        },
        {"kind": "multiple", "text": "行き先", "choices": "病院\n買い物\n市役所"},
        {
            "kind": "scale_1_5",
            "text": "満足度",
            "scale_min_label": "不満",
            "scale_max_label": "満足",
        },
        {
            "kind": "number",
            "text": "月に何回",
            "number_min": "0",
            "number_max": "100",
            "number_unit": "回",
        },
        {"kind": "text", "text": "ご意見", "text_max_length": "500"},
    ):
        response = hearing_client.post(add, {"section": section.pk, **data})
        assert response.status_code == 302, response.context["form"].errors
    assert [q.kind for q in survey.questions.all()] == [
        "single",
        "multiple",
        "scale_1_5",
        "number",
        "text",
    ]
    detail = hearing_client.get(reverse("surveys_staff:detail", args=[survey.pk])).content.decode()
    assert "問5" in detail and "よく使う、ときどき、使わない" in detail
    hearing_client.post(reverse("surveys_staff:action", args=[survey.pk, "publish"]))
    survey.refresh_from_db()
    assert survey.is_published and survey.phase() == "open"
    # A citizen answers it.
    citizen = Client()
    page = citizen.get(reverse("surveys:answer", args=[survey.pk]))
    first = survey.questions.get(kind="single")
    answer = citizen.post(
        reverse("surveys:answer", args=[survey.pk]),
        {
            "submission_key": page.context["submission_key"],
            first.field_name: str(first.choices.first().pk),
        },
    )
    assert answer.status_code == 302 and survey.responses.count() == 1
    # The structure is now frozen: edit pages send staff back with the reason.
    edit = hearing_client.get(
        reverse("surveys_staff:question_edit", args=[survey.pk, first.pk]), follow=True
    )
    assert "新しい版を作成してください" in edit.content.decode()
    refused = hearing_client.post(
        reverse("surveys_staff:question_edit", args=[survey.pk, first.pk]),
        {"section": section.pk, "kind": "single", "text": "変更", "choices": "A\nB"},
        follow=True,
    )
    assert "新しい版" in refused.content.decode()
    assert survey.questions.get(pk=first.pk).text == "バスを利用しますか"
    # A new version instead.
    response = hearing_client.post(reverse("surveys_staff:action", args=[survey.pk, "new-version"]))
    copy = Survey.objects.get(previous_version=survey)
    assert response["Location"] == reverse("surveys_staff:detail", args=[copy.pk])
    assert copy.questions.count() == 5 and copy.status == SurveyStatus.DRAFT


def test_form_errors_from_the_service_show_at_the_field(draft, hearing_client):
    url = reverse("surveys_staff:question_create", args=[draft.survey.pk])
    response = hearing_client.post(
        url, {"section": draft.single.section.pk, "kind": "single", "text": "問", "choices": "一つ"}
    )
    assert response.status_code == 200
    assert "選択肢を2つ以上" in response.context["form"].errors["choices"][0]
    response = hearing_client.post(
        reverse("surveys_staff:edit", args=[draft.survey.pk]),
        {
            "title": "t",
            "answer_limit": "browser",
            "opens_at": "2026-05-01T09:00",
            "closes_at": "2026-04-01T09:00",
        },
    )
    assert "終了日時は開始日時より後" in response.context["form"].errors["closes_at"][0]


def test_publish_problems_are_listed_and_refused(hearing_client, districts):
    survey = f.make_survey()
    detail = hearing_client.get(reverse("surveys_staff:detail", args=[survey.pk])).content.decode()
    assert "公開する前に必要なこと" in detail and "設問がありません" in detail
    response = hearing_client.post(
        reverse("surveys_staff:action", args=[survey.pk, "publish"]), follow=True
    )
    assert "設問がありません" in response.content.decode()
    assert Survey.objects.get().status == SurveyStatus.DRAFT


def test_generate_invitation_codes_through_the_page(hearing_client, districts):
    sample = f.make_sample(answer_limit=AnswerLimit.TOKEN)
    url = reverse("surveys_staff:invitations", args=[sample.survey.pk])
    response = hearing_client.post(url, {"count": "25"}, follow=True)
    assert "招待コードを25件発行しました" in response.content.decode()
    assert SurveyInvitation.objects.filter(survey=sample.survey).count() == 25
    assert hearing_client.post(url, {"count": "0"}).status_code == 200
    assert SurveyInvitation.objects.count() == 25


def test_close_and_delete_through_the_pages(hearing_client, districts):
    sample = f.make_sample()
    hearing_client.post(reverse("surveys_staff:action", args=[sample.survey.pk, "close"]))
    assert Survey.objects.get().phase() == "closed"
    draft = f.make_survey("下書き")
    f.add_question(draft, QuestionKind.TEXT)
    response = hearing_client.post(reverse("surveys_staff:action", args=[draft.pk, "delete"]))
    assert response["Location"] == reverse("surveys_staff:list")
    assert not Survey.objects.filter(pk=draft.pk).exists()


def test_list_shows_versions_phases_and_counts(hearing_client, districts):
    sample = f.make_sample()
    sample.answer(scale="3")
    html = hearing_client.get(reverse("surveys_staff:list")).content.decode()
    assert "回答受付中" in html and "ブラウザごとに1回" in html
    assert reverse("surveys_staff:results", args=[sample.survey.pk]) in html

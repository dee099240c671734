"""Surveys in a real browser: a citizen answers at phone width without JavaScript; axe-core finds
no WCAG 2.1 A/AA violation on the public pages and on the staff results page.

Needs /usr/bin/chromium and node_modules/axe-core (make setup); run with ``pytest -m browser``.
Screenshots go to artifacts/screenshots/surveys-*.png.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import browser_sign_in
from hoshin.org.models import Role
from hoshin.org.tests.factories import make_user
from hoshin.surveys.models import AnswerLimit, Survey, SurveyResponse
from hoshin.surveys.services.invitations import invitations_generate

from . import factories as f

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


def no_sideways_scroll(page) -> None:
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


def check(page, axe, screenshot, name: str, failures: list[str]) -> None:
    screenshot(page, f"surveys-{name}")
    failures += axe.findings(page, name)
    no_sideways_scroll(page)


def submit(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="回答を送信する").click()


def fill_answers(page) -> None:
    page.get_by_label("SNS", exact=True).check()
    page.get_by_label("図書館", exact=True).check()
    page.get_by_label("窓口", exact=True).check()
    page.get_by_role("group", name="市政に満足していますか").get_by_label("4", exact=True).check()
    page.get_by_label("窓口まで何分かかりますか").fill("２５")
    page.get_by_label("ご意見をどうぞ").fill("バスの本数を増やしてほしい。髙﨑𠮷")
    page.get_by_label("30代").check()
    page.get_by_label("お住まいの地区").select_option(label="大野")


def test_citizen_answers_at_phone_width_without_javascript(new_page, live_server, screenshot):
    """Issue 11's journey (c): each step is also kept at 390 and 1280 px
    (artifacts/screenshots/journey-survey-*)."""
    f.make_districts("中村", "大野", "八幡")
    sample = f.make_sample(required=True, title="市民満足度調査（テスト）")
    page = new_page(viewport="phone", javascript=False)

    page.goto(live_server.url + reverse("surveys:list"))
    no_sideways_scroll(page)
    screenshot.both(page, "journey-survey-1-list")
    with page.expect_navigation():
        page.get_by_role("link", name="市民満足度調査（テスト）").click()
    screenshot.both(page, "journey-survey-2-questions")
    no_sideways_scroll(page)

    # Sending nothing: a summary of the problems and a message at the required question.
    submit(page)
    assert page.get_by_role("alert").is_visible()
    assert (
        page.locator(f"#{sample.single.field_name}-error")
        .inner_text()
        .endswith("この設問は回答が必要です。")
    )
    screenshot.both(page, "journey-survey-3-errors")
    assert SurveyResponse.objects.count() == 0

    fill_answers(page)
    submit(page)
    assert page.get_by_role("heading", level=1).inner_text() == "回答ありがとうございました"
    screenshot.both(page, "journey-survey-4-thanks")
    response = SurveyResponse.objects.get()
    assert (response.age_band, response.district.name) == ("30s", "大野")
    assert response.answers.get(question=sample.number).number == 25
    assert response.answers.get(question=sample.text).text == "バスの本数を増やしてほしい。髙﨑𠮷"

    # The answer was posted, then redirected (POST/redirect/GET): reloading re-sends nothing.
    page.reload()
    assert page.get_by_role("heading", level=1).inner_text() == "回答ありがとうございました"
    page.goto(live_server.url + reverse("surveys:answer", args=[sample.survey.pk]))
    assert "既に回答いただいています" in page.locator("main").inner_text()
    assert SurveyResponse.objects.count() == 1


def test_public_survey_pages_pass_axe_at_phone_width(new_page, live_server, axe, screenshot):
    f.make_districts("中村", "大野", "八幡")
    sample = f.make_sample(required=True, title="市民満足度調査（テスト）")
    page = new_page(viewport="phone")  # axe runs in the page: it needs JavaScript
    failures: list[str] = []
    page.goto(live_server.url + reverse("surveys:list"))
    check(page, axe, screenshot, "list-phone", failures)
    page.goto(live_server.url + reverse("surveys:answer", args=[sample.survey.pk]))
    check(page, axe, screenshot, "answer-phone", failures)
    submit(page)
    check(page, axe, screenshot, "answer-errors-phone", failures)
    fill_answers(page)
    submit(page)
    check(page, axe, screenshot, "thanks-phone", failures)
    page.goto(live_server.url + reverse("surveys:answer", args=[sample.survey.pk]))
    check(page, axe, screenshot, "answered-phone", failures)
    assert not failures, axe.message(failures)


def test_double_click_stores_one_answer(new_page, live_server):
    f.make_districts("中村")
    sample = f.make_sample()
    page = new_page(viewport="phone")
    page.goto(live_server.url + reverse("surveys:answer", args=[sample.survey.pk]))
    page.get_by_label("広報紙", exact=True).check()
    page.get_by_role("button", name="回答を送信する").dblclick()
    # The second click may abort the first navigation (net::ERR_ABORTED), which makes
    # wait_for_url fail; expect() keeps polling until the page that finally loads is thanks/.
    from playwright.sync_api import expect

    expect(page).to_have_url(re.compile(r"/thanks/$"))
    assert SurveyResponse.objects.count() == 1


def test_other_public_pages_pass_axe(new_page, live_server, axe, screenshot):
    f.make_districts("中村")
    closed = f.make_sample(title="終わった調査").survey
    Survey.objects.filter(pk=closed.pk).update(
        opens_at=timezone.now() - datetime.timedelta(days=30),
        closes_at=timezone.now() - datetime.timedelta(days=1),
    )
    per_code = f.make_sample(title="郵送した調査", answer_limit=AnswerLimit.TOKEN).survey
    (code,) = invitations_generate(survey=per_code, count=1)
    failures: list[str] = []
    for viewport in ("desktop", "phone"):
        page = new_page(viewport=viewport)
        page.goto(live_server.url + reverse("surveys:answer", args=[closed.pk]))
        assert "回答受付は終了しました" in page.locator("main").inner_text()
        check(page, axe, screenshot, f"closed-{viewport}", failures)
        page.goto(live_server.url + reverse("surveys:answer", args=[per_code.pk]))
        check(page, axe, screenshot, f"token-{viewport}", failures)
        page.get_by_label("招待コード").fill("WRONG")
        with page.expect_navigation():
            page.get_by_role("button", name="回答を始める").click()
        assert page.get_by_role("alert").is_visible()
        check(page, axe, screenshot, f"token-wrong-{viewport}", failures)
        page.get_by_label("招待コード").fill(code.display_token.lower())
        with page.expect_navigation():
            page.get_by_role("button", name="回答を始める").click()
        assert page.get_by_role("button", name="回答を送信する").is_visible()
        page.context.close()
    assert not failures, axe.message(failures)


def test_results_page_passes_axe(new_page, live_server, axe, screenshot):
    districts = f.make_districts("中村", "大野", "八幡")
    sample = f.make_sample(title="集計の確認")
    for index in range(12):
        sample.answer(
            single=["広報紙", "ホームページ", "SNS"][index % 3],
            multiple=["図書館", "公民館", "窓口"][: index % 3 + 1],
            scale=str(index % 5 + 1),
            number=str(index * 5),
            text=f"<b>意見</b>{index}\n二行目",
            age_band=["20s", "40s", "70s", ""][index % 4],
            district=districts[index % 3] if index % 4 else None,
        )
    make_user("hearing", role=Role.PUBLIC_HEARING)
    failures: list[str] = []
    for viewport in ("desktop", "phone"):
        page = new_page(viewport=viewport)
        browser_sign_in(page, live_server.url, "hearing")  # with its second step
        url = reverse("surveys_staff:results", args=[sample.survey.pk])
        page.goto(f"{live_server.url}{url}?crosstab={sample.multiple.pk}&by=district")
        assert page.get_by_role("img", name="問1 市の情報を主に何から得ていますか").count() == 1
        assert page.get_by_role("table", name="問2 利用した施設").count() == 1
        screenshot(page, f"surveys-results-{viewport}")
        no_sideways_scroll(page)
        failures += axe.findings(page, f"results ({viewport})")
        for name, path in (
            ("detail", reverse("surveys_staff:detail", args=[sample.survey.pk])),
            ("list", reverse("surveys_staff:list")),
            ("create", reverse("surveys_staff:create")),
            ("texts", reverse("surveys_staff:texts", args=[sample.survey.pk, sample.text.pk])),
        ):
            page.goto(live_server.url + path)
            failures += axe.findings(page, f"{name} ({viewport})")
        draft = f.make_sample(title="下書き", publish=False)
        path = reverse("surveys_staff:question_edit", args=[draft.survey.pk, draft.number.pk])
        page.goto(live_server.url + path)
        failures += axe.findings(page, f"question form ({viewport})")
        page.context.close()
    assert not failures, axe.message(failures)

"""Handling and publication pages in a real browser: axe-core (WCAG 2.1 A/AA), phone width,
and a journey from the department's draft to the citizen finding the published reply.

Run only these with ``pytest -m browser``.
"""

import pytest
from django.urls import reverse

from conftest import browser_sign_in
from hoshin.voices.models import ReplyStage, VoicePublication
from hoshin.voices.services import publication as publication_service
from hoshin.voices.services import routing
from hoshin.voices.tests.handling_helpers import (
    PERSONAL_MARKERS,
    assigned,
    make_action,
    make_staff,
    sent,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


def log_in(page, base_url: str, username: str) -> None:
    browser_sign_in(page, base_url, username)  # the public-hearing office has a second step
    logout = page.get_by_role("button", name="ログアウト")
    if not logout.is_visible():  # a phone: the menu is folded behind メニュー
        page.locator(".staff-menu > summary").click()
    assert logout.is_visible()


def published_sample(staff):
    action = make_action(staff.road)
    reply = sent(staff)
    proposal = publication_service.publication_propose(voice=reply.voice, by=staff.office)
    publication = publication_service.publication_publish(
        publication=proposal.publication, by=staff.office
    )
    routing.voice_link_action(voice=reply.voice, by=staff.office, action=action)
    return publication, action


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_public_voice_pages_pass_axe(new_page, live_server, width, axe, screenshot):
    staff = make_staff()
    publication, action = published_sample(staff)
    page = new_page(viewport=width)
    failures = []
    for name, path in {
        "voices-list": reverse("voices:published_list"),
        "voices-list-filtered": reverse("voices:published_list") + "?q=該当なし",
        "voices-detail": reverse("voices:published_detail", args=[publication.pk]),
        "action-with-voices": action.get_absolute_url(),
    }.items():
        response = page.goto(live_server.url + path)
        assert response.status == 200, name
        html = page.content()
        for marker in PERSONAL_MARKERS:
            assert marker not in html, (name, marker)
        screenshot(page, f"{name}-{width}")
        failures += axe.findings(page, f"{name} ({width})")
        if width == "phone":
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{name}: page scrolls sideways by {overflow}px at 390px"
    page.context.close()
    assert not failures, axe.message(failures)


def test_staff_handling_pages_pass_axe(new_page, live_server, axe, screenshot):
    staff = make_staff()
    routed = assigned(staff)
    answered = sent(staff)
    publication_service.publication_propose(voice=answered.voice, by=staff.office)
    page = new_page()
    failures = []
    log_in(page, live_server.url, "office")
    for name, path in {
        "staff-voices": reverse("voices_staff:list"),
        "staff-overdue": reverse("voices_staff:overdue"),
        "staff-voice": reverse("voices_staff:detail", args=[routed.pk]),
        "staff-actions": reverse("voices_staff:actions", args=[routed.pk]) + "?q=通学路",
        "staff-writer": reverse("voices_staff:writer", args=[routed.pk]),
        "staff-publication": reverse("voices_staff:publication", args=[answered.voice.pk]),
    }.items():
        response = page.goto(live_server.url + path)
        assert response.status == 200, name
        screenshot(page, name)
        failures += axe.findings(page, name)
    page.context.close()
    page = new_page()
    log_in(page, live_server.url, "editor")
    page.goto(live_server.url + reverse("voices_staff:detail", args=[routed.pk]))
    screenshot(page, "staff-voice-editor")
    failures += axe.findings(page, "staff-voice (editor)")
    page.context.close()
    assert not failures, axe.message(failures)


def test_department_drafts_office_sends_and_publishes_citizen_finds_it(new_page, live_server):
    staff = make_staff()
    voice = assigned(staff)
    url = live_server.url + reverse("voices_staff:detail", args=[voice.pk])

    page = new_page()
    log_in(page, live_server.url, "editor")
    page.goto(url)
    page.get_by_role("textbox", name="回答").fill(
        "ご意見ありがとうございます。来年度に歩道を整備します。"
    )
    with page.expect_navigation():
        page.get_by_role("button", name="回答案を保存する").click()
    assert "回答案を保存しました" in page.content()
    with page.expect_navigation():
        page.locator("#transition-submit").get_by_role("button").click()
    page.context.close()

    for username, transition in (("head", "approve_department"), ("office", "approve_office")):
        page = new_page()
        log_in(page, live_server.url, username)
        page.goto(url)
        with page.expect_navigation():
            page.locator(f"#transition-{transition}").get_by_role("button").click()
        page.context.close()
    voice.reply.refresh_from_db()
    assert voice.reply.stage == ReplyStage.APPROVED

    page = new_page()
    log_in(page, live_server.url, "office")
    page.goto(url)
    page.get_by_label("電子メール").check()
    with page.expect_navigation():
        page.get_by_role("button", name="送付する（送付済みにする）").click()
    assert "回答を送付済みにしました" in page.content()
    page.get_by_role("link", name="公表案を作る（個人情報を自動で伏せます）").click()
    with page.expect_navigation():
        page.get_by_role("button", name="公表案を作る").click()
    assert page.locator("mark.masked").count() >= 2
    with page.expect_navigation():
        page.get_by_role("button", name="公表する", exact=True).click()
    assert "公表しました" in page.content()
    page.context.close()

    publication = VoicePublication.objects.get(voice=voice)
    citizen = new_page(viewport="phone")
    citizen.goto(live_server.url + reverse("voices:published_list"))
    citizen.get_by_role("link", name=publication.title).click()
    citizen.wait_for_url(f"**{reverse('voices:published_detail', args=[publication.pk])}")
    text = citizen.content()
    assert "来年度に歩道を整備します" in text
    for marker in PERSONAL_MARKERS:
        assert marker not in text
    citizen.context.close()

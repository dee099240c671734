"""The inbox and the staff header in a real browser: the phone header's height, the folding
menu with and without JavaScript, axe-core, and the page loads from the inbox to a submitted
sheet and to an approved reply. Run with ``pytest -m browser``."""

import pytest
from django.urls import reverse

from conftest import browser_sign_in
from hoshin.evaluations.models import EvaluationCycle, Stage
from hoshin.evaluations.services.sheets import sheet_update
from hoshin.evaluations.tests.factories import COMPLETE_VALUES, make_world, open_year, sheet_of
from hoshin.voices.models import ReplyStage
from hoshin.voices.services import replies
from hoshin.voices.tests import handling_helpers as h

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

PHONE_HEADER_MAX = 120  # px at 390 px wide (issue 11)
MAX_LOADS = 3


def header_height(page) -> float:
    return page.locator("header.site-header").bounding_box()["height"]


def test_the_phone_header_stays_under_120px_for_the_longest_menu(
    new_page, live_server, axe, screenshot
):
    staff = h.make_staff()
    h.receive(staff, subject="公園のベンチについて")  # something in the inbox
    page = new_page(viewport="phone")
    browser_sign_in(page, live_server.url, "admin")  # administrators get every menu entry
    assert page.url.endswith(reverse("backoffice:tasks"))
    height = header_height(page)
    print(f"staff header at 390px: {height:.0f}px (menu folded)")
    assert height < PHONE_HEADER_MAX, f"the staff header is {height:.0f}px tall at 390px"
    menu = page.get_by_role("navigation", name="職員用メニュー")
    assert not menu.is_visible() and not page.get_by_role("search").is_visible()
    screenshot(page, "staff-inbox-phone")
    failures = axe.findings(page, "inbox (phone, menu folded)")

    page.locator(".staff-menu > summary").click()
    for name in ("マイタスク", "計画の取込", "アンケート", "操作記録", "ログインの停止と解除"):
        assert menu.get_by_role("link", name=name).is_visible(), name
    assert page.get_by_role("search").is_visible()  # the search box moved into the menu
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the open menu scrolls sideways by {overflow}px"
    screenshot(page, "staff-inbox-phone-menu-open")
    failures += axe.findings(page, "inbox (phone, menu open)")
    page.context.close()

    desktop = new_page()
    browser_sign_in(desktop, live_server.url, "admin")
    # Wide screens: the menu is simply there, with no toggle.
    assert desktop.locator(".staff-menu > summary").is_hidden()
    nav = desktop.get_by_role("navigation", name="職員用メニュー")
    assert nav.get_by_role("link", name="マイタスク").is_visible()
    assert nav.get_by_role("link", name="マイタスク").get_attribute("aria-current") == "page"
    screenshot(desktop, "staff-inbox-desktop")
    failures += axe.findings(desktop, "inbox (desktop)")
    assert not failures, axe.message(failures)


def test_without_javascript_the_menu_opens_on_a_phone(new_page, live_server):
    h.make_staff()
    page = new_page(viewport="phone", javascript=False)
    page.goto(live_server.url + reverse("backoffice:login"))
    page.locator("input[name=username]").fill("editor")
    page.locator("input[name=password]").fill("pw")
    with page.expect_navigation():
        page.get_by_role("button", name="ログイン").click()
    assert header_height(page) < PHONE_HEADER_MAX
    link = page.get_by_role("navigation", name="職員用メニュー").get_by_role(
        "link", name="市民の声"
    )
    assert not link.is_visible()
    page.get_by_text("メニュー", exact=True).click()
    assert link.is_visible()
    with page.expect_navigation():
        link.click()
    assert page.url.endswith(reverse("voices_staff:list"))
    page.context.close()


def count_loads(page) -> list[str]:
    """Every page load of the main frame from now on (a POST answered by a redirect is one)."""
    loads: list[str] = []
    page.on("load", lambda loaded: loads.append(loaded.url))
    return loads


def test_from_the_inbox_to_a_submitted_sheet_in_three_page_loads(new_page, live_server):
    world = make_world()
    cycle = open_year(world)
    EvaluationCycle.objects.filter(pk=cycle.pk).update(submit_due="2099-06-30")
    hazard = sheet_of(cycle, world.bousai_action)
    sheet_update(sheet=hazard, by=world.editor, raw=COMPLETE_VALUES, expected_version=1)
    page = new_page()
    loads = count_loads(page)
    browser_sign_in(page, live_server.url, "editor")  # lands on the inbox: load 1 counted
    loads[:] = [url for url in loads if url.endswith(reverse("backoffice:tasks"))]
    assert len(loads) == 1
    item = page.locator(".inbox-item", has_text="ハザードマップを周知する。")
    assert "担当者として入力し、提出してください" in item.inner_text()
    with page.expect_navigation():
        item.get_by_role("link").click()
    with page.expect_navigation():
        page.locator("#transition-submit").get_by_role("button").click()
    assert "提出しました" in page.locator(".messages").inner_text()
    hazard.refresh_from_db()
    assert hazard.stage == Stage.SUBMITTED
    print(f"inbox → submitted sheet: {len(loads)} page loads: {loads}")
    assert len(loads) <= MAX_LOADS, loads
    page.context.close()


@pytest.mark.parametrize(
    "approver, stage, after",
    [
        ("head", ReplyStage.SUBMITTED, ReplyStage.DEPARTMENT_APPROVED),
        ("mayor", ReplyStage.OFFICE_APPROVED, ReplyStage.APPROVED),
    ],
)
def test_from_the_inbox_to_an_approved_reply_in_three_page_loads(
    new_page, live_server, approver, stage, after
):
    staff = h.make_staff()
    reply = h.drafted(staff, mayor_flag=True)
    reply = replies.reply_transition(reply=reply, by=staff.editor, name="submit")
    reply = h.at_stage(reply, stage)
    page = new_page()
    loads = count_loads(page)
    browser_sign_in(page, live_server.url, approver)
    loads[:] = [url for url in loads if url.endswith(reverse("backoffice:tasks"))]
    assert len(loads) == 1
    item = page.locator(".inbox-item", has_text=reply.voice.receipt_number)
    with page.expect_navigation():
        item.get_by_role("link").click()
    form = page.locator("#reply form.transition").first
    with page.expect_navigation():
        form.get_by_role("button").click()
    reply.refresh_from_db()
    assert reply.stage == after
    print(f"inbox → approved reply ({approver}): {len(loads)} page loads: {loads}")
    assert len(loads) <= MAX_LOADS, loads
    page.context.close()

"""関係課 on the routing form: a searchable check-box list, with and without JavaScript.

Run only these with ``pytest -m browser``.
"""

import pytest
from django.urls import reverse

from conftest import browser_sign_in
from hoshin.org.models import Department
from hoshin.voices.tests.handling_helpers import make_staff, receive

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


def open_routing(page, base_url: str, voice) -> None:
    browser_sign_in(page, base_url, "office")
    page.goto(base_url + reverse("voices_staff:detail", args=[voice.pk]) + "#routing")
    page.locator("select[name=route-lead_department]").select_option(label="道路課")


def save(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="振り分けを保存する").click()


def test_filter_pick_two_remove_one_and_save(new_page, live_server, axe, screenshot):
    staff = make_staff()
    Department.objects.create(name="下水道課", kind="ka", reading="げすいどうか")
    voice = receive(staff)
    page = new_page()
    open_routing(page, live_server.url, voice)
    routing = page.locator("#routing")
    assert routing.locator("select[multiple]").count() == 0
    chips = routing.locator(".department-picker__chip")
    assert chips.all_inner_texts() == []

    search = routing.get_by_label("部署名・よみがなで絞り込む")
    search.fill("公園")
    assert routing.get_by_label("公園緑地課", exact=True).is_visible()
    assert not routing.get_by_label("税務課", exact=True).is_visible()
    routing.get_by_label("公園緑地課", exact=True).check()
    search.fill("ゲスイ")  # katakana finds the hiragana reading
    assert not routing.get_by_label("公園緑地課", exact=True).is_visible()
    routing.get_by_label("下水道課", exact=True).check()
    search.fill("ぜいむ")  # no reading: nothing matches, and the page says so
    assert routing.get_by_text("一致する部署はありません。").is_visible()
    search.fill("税務")
    routing.get_by_label("税務課", exact=True).check()

    assert chips.all_inner_texts() == ["公園緑地課", "下水道課", "税務課"]  # in list order
    screenshot(page, "department-picker-chosen")
    assert not axe.findings(page, "department picker")
    routing.get_by_role("button", name="税務課を外す").click()
    assert not routing.get_by_label("税務課", exact=True).is_checked()
    assert chips.count() == 2
    search.press("Enter")  # Enter in the filter box does not submit the form
    assert voice.co_departments.count() == 0

    save(page)
    assert {d.name for d in voice.co_departments.all()} == {"公園緑地課", "下水道課"}
    page.context.close()


def test_without_javascript_the_check_boxes_still_work(new_page, live_server):
    staff = make_staff()
    voice = receive(staff)
    page = new_page(javascript=False)
    open_routing(page, live_server.url, voice)
    routing = page.locator("#routing")
    assert routing.get_by_label("部署名・よみがなで絞り込む").count() == 0
    routing.get_by_label("公園緑地課", exact=True).check()
    routing.get_by_label("税務課", exact=True).check()
    save(page)
    assert {d.name for d in voice.co_departments.all()} == {"公園緑地課", "税務課"}
    page.context.close()

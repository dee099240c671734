"""The citizen-facing pages of issue 11 in a real browser, at phone and desktop width: the feeds
page, a department's contact block, a letter's status timeline and a closed survey's results.
Each passes axe-core (WCAG 2.1 A/AA), scrolls no page sideways and breaks no CSP rule (the
``new_page`` fixture fails on any violation).

Needs /usr/bin/chromium and node_modules/axe-core (make setup); run with ``pytest -m browser``.
Screenshots go to artifacts/screenshots/citizens-*.png.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from hoshin.org.tests.factories import make_action, make_department, make_plan
from hoshin.surveys.models import Survey
from hoshin.surveys.tests import factories as survey_factories
from hoshin.voices.services import routing
from hoshin.voices.services.intake import voice_receive
from hoshin.voices.tests.handling_helpers import make_staff

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

CONTACT = {
    "phone": "0000-00-1234",
    "email": "a-very-long-mailbox-name.for-the-disaster-office@city.example.jp",
    "address": "〒000-0000 ほしの市中央一丁目1番1号 本庁舎3階",
    "opening_hours": "平日 8時30分〜17時15分（土日祝日・年末年始を除く）",
}


def world():
    department = make_department("地域防災対策室", **CONTACT)
    plan = make_plan("第6次行財政改革大綱に基づく実施計画", is_published=True)
    make_action(plan, department, text="ハザードマップを周知する。")
    staff = make_staff()
    for unit in (staff.road, staff.park):
        for field, value in CONTACT.items():
            setattr(unit, field, value)
        unit.save()
    receipt = voice_receive(
        channel="web",
        kind="mayor_letter",
        subject="通学路の歩道について",
        body="歩道を整備してください。",
        received_on=datetime.date(2026, 4, 6),
    )
    voice = receipt.voice
    for lead in (staff.park, staff.road):
        routing.voice_route(
            voice=voice, by=staff.office, category=staff.category, lead_department=lead
        )
    survey_factories.make_districts("中村")
    sample = survey_factories.make_sample(title="市民満足度調査")
    sample.answer(single="広報紙", scale="4", number="10")
    Survey.objects.filter(pk=sample.survey.pk).update(results_public=True, closes_at=timezone.now())
    return department, receipt, sample.survey


def no_sideways_scroll(page) -> None:
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_citizen_pages_pass_axe_and_fit(new_page, live_server, axe, screenshot, viewport):
    department, receipt, survey = world()
    page = new_page(viewport=viewport)
    failures: list[str] = []

    def check(name: str) -> None:
        screenshot(page, f"citizens-{name}-{viewport}")
        failures.extend(axe.findings(page, name))
        no_sideways_scroll(page)

    page.goto(live_server.url + reverse("portal:feeds"))
    url_field = page.get_by_label("地域防災対策室のフィードのURL")
    assert url_field.input_value().endswith(reverse("portal:department_feed", args=[department.pk]))
    check("feeds")
    page.goto(live_server.url + department.get_absolute_url())
    assert page.get_by_role("link", name="0000-00-1234").get_attribute("href") == "tel:0000001234"
    check("department")
    page.goto(live_server.url + reverse("voices:status"))
    page.get_by_label("受付番号").fill(receipt.voice.receipt_number)
    page.get_by_label("照会キー").fill(receipt.secret.lower())
    with page.expect_navigation():
        page.get_by_role("button", name="確認する").click()
    timeline = page.locator("ol.timeline").inner_text()
    assert timeline.count("担当課決定") == 1 and "担当課を変更しました" in timeline
    check("status")
    page.goto(live_server.url + reverse("surveys:results", args=[survey.pk]))
    check("survey-results")
    assert not failures, axe.message(failures)

"""Published evaluation results in a real browser: axe-core (WCAG 2.1 A/AA), phone width, no
JavaScript, the SVG charts' accessible names; and the planning office's template page.

The harness is the root conftest.py's (one Debian chromium, axe-core from node_modules, no
request may leave the test server). Screenshots go to artifacts/screenshots/results-*.png.
"""

import pytest
from django.urls import reverse

from hoshin.evaluations.models import StaffUnitCost
from hoshin.evaluations.services.cycle import fiscal_year_start
from hoshin.evaluations.services.sheets import indicator_add, sheet_update
from hoshin.evaluations.services.workflow import sheet_transition, sheets_publish
from hoshin.evaluations.tests.factories import COMPLETE_VALUES, TODAY, make_user, sheet_of
from hoshin.org.models import Role
from hoshin.portal.tests import factories as f

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


def publish_year(sample, people, fy: int, values: dict) -> None:
    """Open ``fy``, fill the hazard-map sheet (indicators by name) and publish it."""
    editor, head, planner = people
    cycle = fiscal_year_start(plan=sample.plan, fy=fy, by=planner, today=TODAY).cycle
    sheet = sheet_of(cycle, sample.hazard_map)
    existing = {indicator.name: indicator for indicator in sheet.indicators.all()}
    for name, unit in (("説明会の開催回数", "回"), ("避難場所を確認している市民の割合", "%")):
        if name not in existing:
            existing[name] = indicator_add(
                sheet=sheet, by=editor, name=name, unit=unit, expected_version=sheet.version
            )
            sheet.refresh_from_db()
    raw = {**COMPLETE_VALUES}
    for (name, field), value in values.items():
        raw[f"indicator.{existing[name].pk}.{field}"] = value
    raw.update(
        {
            "cost.actual.prefectural": "600",
            "cost.actual.general": "1,450",
            "cost.actual.person_years": "0.4",
            "cost.next_budget.general": "2,000",
            "activities": "出前講座を開き、防災メールでハザードマップを周知した。",
            "department_comment": "概ね計画どおりに進んでいる。",
            "improvement_plan": "転入者への周知を強化する。",
            "effect_savings": "△50",
        }
    )
    sheet_update(sheet=sheet, by=editor, raw=raw, expected_version=sheet.version, today=TODAY)
    for name, user in (("submit", editor), ("approve", head)):
        sheet = sheet_transition(sheet=sheet, by=user, name=name)
    sheet_transition(sheet=sheet, by=planner, name="finalize", review_comment="一次評価のとおり。")
    sheets_publish(cycle=cycle, by=planner)


def results_sample():
    sample = f.reform_sample()
    people = (
        make_user("editor", role=Role.DEPARTMENT_EDITOR, department=sample.disaster),
        make_user("head", role=Role.DEPARTMENT_HEAD, department=sample.disaster),
        make_user("planner", role=Role.PLANNING_OFFICE),
    )
    StaffUnitCost.objects.create(fy=2024, amount=7900)
    StaffUnitCost.objects.create(fy=2025, amount=8000)
    count, share = "説明会の開催回数", "避難場所を確認している市民の割合"
    publish_year(
        sample,
        people,
        2024,
        {
            (count, "baseline"): "4",
            (count, "target"): "10",
            (count, "actual"): "9",
            (share, "baseline"): "45",
            (share, "target"): "55",
            (share, "actual"): "51.2",
        },
    )
    publish_year(
        sample,
        people,
        2025,
        {(count, "target"): "12", (count, "actual"): "14", (share, "target"): "60"},
    )
    return sample, people


def result_pages(sample) -> dict[str, str]:
    return {
        "action": sample.hazard_map.get_absolute_url(),
        "plan": sample.plan.get_absolute_url(),
        "department": sample.disaster.get_absolute_url(),
    }


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_result_pages_pass_axe_wcag21_aa(new_page, live_server, width, axe, screenshot):
    sample, _ = results_sample()
    page = new_page(viewport=width)
    failures = []
    for name, url in result_pages(sample).items():
        page.goto(live_server.url + url)
        assert page.locator("h1").count() == 1, name
        failures += axe.findings(page, f"{name} ({width})")
        screenshot(page, f"results-{name}-{width}")
        if width == "phone":
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{name}: page scrolls sideways by {overflow}px at 390px"
    page.context.close()
    assert not failures, axe.message(failures)


def test_charts_have_accessible_names_and_tables_without_javascript(new_page, live_server):
    sample, _ = results_sample()
    page = new_page(javascript=False)
    page.goto(live_server.url + sample.hazard_map.get_absolute_url())
    chart = page.get_by_role("img", name="説明会の開催回数の目標値と実績値の推移（単位：回）")
    assert chart.is_visible()
    description = chart.evaluate(
        "svg => document.getElementById(svg.getAttribute('aria-labelledby').split(' ')[1])"
        ".textContent"
    )
    assert "令和7年度（2025年度）は目標値12回、実績値14回" in description
    table = page.get_by_role("table", name="説明会の開催回数の目標値と実績値（単位：回）")
    assert table.is_visible()
    assert "116.7%" in table.inner_text()  # 14 ÷ 12
    # Both years are there, newest first, reachable from the year links.
    page.get_by_role("navigation", name="評価結果の年度").get_by_role(
        "link", name="令和6年度（2024年度）"
    ).click()
    assert page.evaluate("location.hash") == "#result-2024"
    heading = page.get_by_role("heading", name="令和6年度（2024年度）の評価結果", exact=True)
    assert heading.is_visible()
    page.context.close()


def test_wide_result_tables_scroll_inside_a_keyboard_reachable_region(new_page, live_server):
    sample, _ = results_sample()
    page = new_page(viewport="phone")
    page.goto(live_server.url + sample.hazard_map.get_absolute_url())
    region = page.get_by_role("region", name="令和7年度（2025年度）の指標")
    assert region.get_attribute("tabindex") == "0"
    assert region.evaluate("el => el.scrollWidth > el.clientWidth"), "scrolls within its region"
    region.focus()
    page.keyboard.press("ArrowRight")
    # Scrolling may be smooth: wait for it rather than read it at once.
    page.wait_for_function("el => el.scrollLeft > 0", arg=region.element_handle())
    page.context.close()


def test_template_page_for_the_planning_office_passes_axe(new_page, live_server, axe, screenshot):
    sample, _ = results_sample()
    page = new_page()
    page.goto(live_server.url + reverse("backoffice:login"))
    page.get_by_label("ユーザー名").fill("planner")
    page.get_by_label("パスワード").fill("pw")
    page.get_by_role("button", name="ログイン").click()
    page.goto(live_server.url + reverse("evaluations:template_config", args=[sample.plan.pk]))
    assert page.get_by_role("heading", level=1).inner_text() == "評価シートの様式"
    axe.assert_clean(page, "template")
    screenshot(page, "results-template-config-desktop")
    # A duplicated code is reported at its field, and the page still passes.
    page.get_by_label("総合評価の区分").fill("A|優\nA|良")
    page.get_by_role("button", name="様式を保存する").click()
    assert page.get_by_text("2件目: コード「A」が1件目と重複しています。").first.is_visible()
    assert page.get_by_label("総合評価の区分").get_attribute("aria-invalid") == "true"
    axe.assert_clean(page, "template with an error")
    screenshot(page, "results-template-config-error-desktop")
    page.goto(live_server.url + reverse("evaluations:unit_costs"))
    axe.assert_clean(page, "unit costs")
    page.context.close()

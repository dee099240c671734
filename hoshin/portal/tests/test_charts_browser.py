"""The plan page's charts in a real browser: axe-core (WCAG 2.1 A/AA) at desktop and phone
width, accessible names with JavaScript off, no sideways scrolling on a phone.

Screenshots go to artifacts/screenshots/charts-plan-*.png.
"""

from pathlib import Path

import pytest

from hoshin.portal.tests.test_charts import published  # noqa: F401  (the shared data set)

SHOTS = Path(__file__).resolve().parents[3] / "artifacts" / "screenshots"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_plan_page_with_charts_passes_axe(new_page, live_server, published, width, axe, screenshot):  # noqa: F811
    page = new_page(viewport=width)
    page.goto(live_server.url + published.plan.get_absolute_url())
    assert page.locator("svg[role=img]").count() == 2  # the plan's distribution and progress
    screenshot(page, f"charts-plan-{width}")
    # The summary alone, to look at the charts without scrolling a long page.
    page.locator(".plan-results").screenshot(path=str(SHOTS / f"charts-plan-summary-{width}.png"))
    failures = axe.findings(page, f"plan with charts ({width})")
    if width == "phone":
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"page scrolls sideways by {overflow}px at 390px"
    page.context.close()
    assert not failures, axe.message(failures)


def test_charts_have_names_descriptions_and_tables_without_javascript(
    new_page,
    live_server,
    published,  # noqa: F811
):
    page = new_page(javascript=False)
    page.goto(live_server.url + published.plan.get_absolute_url())
    name = f"{published.plan.name}の評価結果の内訳（令和7年度（2025年度））"
    chart = page.get_by_role("img", name=name)
    assert chart.is_visible()
    description = chart.evaluate(
        "svg => document.getElementById(svg.getAttribute('aria-labelledby').split(' ')[1])"
        ".textContent"
    )
    assert "今後の方向性：拡充 1件、継続 4件" in description
    table = page.get_by_role("table", name=name)
    assert not table.is_visible()  # the figures' table opens on demand …
    page.get_by_text("グラフの数値を表で見る").first.click()  # … without JavaScript too
    assert table.is_visible()
    assert "休止・廃止" in table.inner_text()
    progress = page.get_by_role(
        "img", name=f"{published.plan.name}の平均進捗率（令和7年度（2025年度））"
    )
    assert progress.is_visible()
    page.context.close()


def test_print_shows_the_tables_of_the_charts(new_page, live_server, published):  # noqa: F811
    page = new_page()
    page.goto(live_server.url + published.plan.get_absolute_url())
    table = page.get_by_role("table", name=f"{published.plan.name}の平均進捗率", exact=False)
    assert not table.is_visible()
    page.emulate_media(media="print")
    assert table.is_visible(), "print.css expands the closed tables"
    page.context.close()

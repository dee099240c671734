"""Search in a real browser: from the header box on any page, by keyboard, axe-clean at both widths."""

import pytest
from django.urls import reverse

from hoshin.portal.tests import factories as f
from hoshin.search.services import search_rebuild

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_search_from_the_header_by_keyboard(new_page, live_server, width, axe, screenshot):
    sample = f.reform_sample()
    search_rebuild()
    page = new_page(viewport=width)
    page.goto(live_server.url + sample.plan.get_absolute_url())
    # Keyboard only: Tab from the top reaches the header box before the page content.
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "header-search-q":
            break
    assert page.evaluate("document.activeElement.id") == "header-search-q"
    page.keyboard.type("ﾊｻﾞｰﾄﾞ")  # half-width kana typed by the citizen
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=*")
    first = page.locator(".search-hit").first
    assert "ハザード" in first.locator("mark").first.inner_text()
    screenshot(page, f"search-results-{width}")
    axe.assert_clean(page, f"search results ({width})")
    if width == "phone":
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
    # The first result's link leads to the action page.
    first.locator("a").first.click()
    assert page.url.endswith(sample.hazard_map.get_absolute_url())


def test_bad_query_and_filters_page_is_accessible(new_page, live_server, axe, screenshot):
    f.reform_sample()
    search_rebuild()
    page = new_page()
    response = page.goto(live_server.url + reverse("search:public") + "?q=%21%21%21&fy=abc")
    assert response.status == 400
    assert page.locator(".field-error").count() == 2
    screenshot(page, "search-bad-input")
    axe.assert_clean(page, "search bad input")
    # Without JavaScript the filters still open and submit.
    page = new_page(javascript=False)
    page.goto(live_server.url + reverse("search:public") + "?q=防災")
    page.locator(".search-form__filters summary").click()
    page.select_option("#id_kind", "action")
    page.locator(".search-form__main button").click()
    assert "kind=action" in page.url

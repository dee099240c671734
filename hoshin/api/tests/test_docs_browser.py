"""/api/docs in a real browser: axe-core (WCAG 2.1 A/AA) at desktop and phone width, nothing
fetched from outside the site, usable without JavaScript; the token page likewise."""

import pytest

from hoshin.evaluations.tests.factories import make_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_api_docs_pass_axe(new_page, live_server, width, axe, screenshot):
    page = new_page(viewport=width)
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(live_server.url + "/api/docs")
    assert page.locator("h1").inner_text() == "公開API（開発者向け）"
    screenshot(page, f"api-docs-{width}")
    axe.assert_clean(page, f"api docs ({width})")
    outside = [url for url in requests if not url.startswith(live_server.url)]
    assert not outside
    # The page is no wider than the screen: code samples scroll inside themselves.
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORT_WIDTH[width]


VIEWPORT_WIDTH = {"desktop": 1280, "phone": 390}


def test_api_docs_work_without_javascript(new_page, live_server):
    page = new_page(javascript=False)
    page.goto(live_server.url + "/api/docs")
    assert page.get_by_role("heading", name="GET /api/v1/plans", exact=False).count() >= 1
    page.get_by_role("link", name="/api/v1/openapi.json").click()
    assert '"openapi"' in page.content()


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_token_page_passes_axe(new_page, live_server, width, axe, screenshot, settings):
    world = make_world()
    page = new_page(viewport=width)
    page.goto(live_server.url + "/staff/login/")
    page.fill("input[name=username]", world.editor.username)
    page.fill("input[name=password]", "pw")
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.goto(live_server.url + "/staff/api-tokens/")
    page.fill("#id_name", "集計スクリプト")
    page.get_by_role("button", name="作成する").click()
    assert page.locator("#new-token-secret").input_value().startswith("hsn_")
    screenshot(page, f"api-tokens-{width}")
    axe.assert_clean(page, f"api tokens ({width})")

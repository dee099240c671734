"""The one browser the portal's browser tests share (test_browser.py, test_results_browser.py).

Playwright's sync API allows one running instance per thread, so the session's chromium must be
a single fixture here rather than one per test module.
"""

import pytest


@pytest.fixture(scope="session")
def browser():
    from hoshin.portal.tests.test_browser import AXE_JS, CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium fonts-noto-cjk (make setup)")
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `npm ci` in the project root (make setup)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()

"""The catalogue and the data dictionary in a real browser: axe-core (WCAG 2.1 AA) at desktop
and phone width, no sideways scrolling on a phone, keyboard access to the downloads, and a
download that works without JavaScript."""

from pathlib import Path

import pytest
from django.urls import reverse

from hoshin.opendata.tests.builders import published_results

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

PAGES = {"opendata-catalogue": "opendata:catalogue", "opendata-dictionary": "opendata:dictionary"}


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_catalogue_and_dictionary_pass_axe(new_page, live_server, width, axe, screenshot):
    published_results()
    page = new_page(viewport=width)
    failures = []
    for name, url_name in PAGES.items():
        response = page.goto(live_server.url + reverse(url_name))
        assert response.status == 200, name
        assert page.evaluate("document.documentElement.lang") == "ja"
        screenshot(page, f"{name}-{width}")
        failures += axe.findings(page, f"{name} ({width})")
        if width == "phone":
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{name} scrolls sideways on a phone"
    assert not failures, axe.message(failures)


def test_keyboard_reaches_a_download_and_it_works_without_javascript(new_page, live_server):
    published_results()
    page = new_page(javascript=False)
    page.goto(live_server.url + reverse("opendata:catalogue"))
    link = page.locator('#dataset-sheets ~ dl a[href$="sheets.csv"]')
    link.focus()
    assert page.evaluate("document.activeElement.getAttribute('href')").endswith("sheets.csv")
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    download = download_info.value
    assert download.suggested_filename.endswith("_sheets.csv")
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and "ハザードマップ".encode() in data

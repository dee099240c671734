"""The English portal in a real browser: the switch without JavaScript keeps the page, and the
main public pages pass axe-core (WCAG 2.1 A/AA) in English at 1280 and 390 px."""

import pytest
from django.urls import reverse

from hoshin.portal.tests import factories as f

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


def english_pages(sample) -> dict[str, str]:
    return {
        "home": reverse("portal:home"),
        "plan": sample.plan.get_absolute_url(),
        "action": sample.hazard_map.get_absolute_url(),
        "departments": reverse("portal:departments"),
        "department": sample.disaster.get_absolute_url(),
        "voices": reverse("voices:published_list"),
        "voice-form": reverse("voices:new"),
        "voice-status": reverse("voices:status"),
        "surveys": reverse("surveys:list"),
        "search": reverse("search:public") + "?q=%E9%98%B2%E7%81%BD",
        "opendata": reverse("opendata:catalogue"),
    }


def test_the_switch_works_without_javascript_and_keeps_the_page(new_page, live_server):
    sample = f.reform_sample()
    page = new_page(javascript=False)
    path = sample.hazard_map.get_absolute_url()
    page.goto(live_server.url + path)
    assert page.evaluate("document.documentElement.lang") == "ja"
    page.get_by_role("button", name="English").click()
    assert page.url == live_server.url + path
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.get_by_role("link", name="Skip to main content").count() == 1
    page.get_by_role("button", name="日本語").click()
    assert page.url == live_server.url + path
    assert page.evaluate("document.documentElement.lang") == "ja"


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_main_pages_in_english_pass_axe(new_page, live_server, width, axe, screenshot):
    sample = f.reform_sample()
    page = new_page(viewport=width)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    failures = []
    for name, path in english_pages(sample).items():
        response = page.goto(live_server.url + path)
        assert response.status == 200, name
        assert page.evaluate("document.documentElement.lang") == "en", name
        screenshot(page, f"en-{name}-{width}")
        failures += axe.findings(page, f"{name} in English ({width})")
        if width == "phone":
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{name}: page scrolls sideways by {overflow}px at 390px"
    assert not failures, axe.message(failures)

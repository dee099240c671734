"""The portal in a real browser: axe-core (WCAG 2.1 A/AA), phone width, keyboard, a citizen's journey.

Needs Debian's chromium (/usr/bin/chromium) and axe-core from npm (node_modules/axe-core); both
are installed by the Makefile's setup. Run only these with ``pytest -m browser``; leave them out
with ``-m "not browser"``. Full-page screenshots go to artifacts/screenshots/ (git-ignored).
"""

import importlib

import pytest
from django.urls import reverse

from hoshin.plans.formats.base import PlanFormat
from hoshin.plans.models import Action
from hoshin.portal.tests import factories as f

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

REFORM_PLAN_NAME = "第6次行財政改革大綱に基づく実施計画"
REFORM_SEED_NAME = "001_93b4eaf820d612a8.txt"


@pytest.fixture
def page(new_page):
    return new_page()


def sample_pages(sample) -> dict[str, str]:
    return {
        "home": reverse("portal:home"),
        "plan": sample.plan.get_absolute_url(),
        "node": reverse("portal:node", args=[sample.plan.pk, sample.hazard_map.node_id]),
        "action": sample.hazard_map.get_absolute_url(),
        "departments": reverse("portal:departments"),
        "department": sample.disaster.get_absolute_url(),
        "department-closed": sample.former_disaster.get_absolute_url(),
    }


# ---- accessibility ---------------------------------------------------------------------


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_every_page_passes_axe_wcag21_aa(new_page, live_server, width, axe, screenshot):
    sample = f.reform_sample()
    f.draft_sample(shared_department=sample.disaster)
    page = new_page(viewport=width)
    failures = []
    for name, path in sample_pages(sample).items():
        response = page.goto(live_server.url + path)
        assert response.status == 200, name
        assert page.evaluate("document.documentElement.lang") == "ja"
        screenshot(page, f"{name}-{width}")
        failures += axe.findings(page, f"{name} ({width})")
        if width == "phone":
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{name}: page scrolls sideways by {overflow}px at 390px"
    page.context.close()
    assert not failures, axe.message(failures)


def test_plan_page_with_javascript_off_is_complete(new_page, live_server):
    sample = f.reform_sample()
    page = new_page(javascript=False)
    page.goto(live_server.url + sample.plan.get_absolute_url())
    assert page.locator("main").get_by_role("button").count() == 0  # the header has search
    assert page.locator("details:not([open])").count() == 0
    # Every node is visible, and its page lists its actions.
    node = page.locator(f"#node-{sample.hazard_map.node_id} > a.outline__title")
    assert node.is_visible()
    node.click()
    assert page.get_by_role("link", name=f.HAZARD_MAP_TEXT).is_visible()
    page.context.close()


# ---- keyboard, JavaScript enhancement, print ----------------------------------------------


def test_tab_reaches_skip_link_first_and_it_moves_to_main(page, live_server):
    f.reform_sample()
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "({cls: document.activeElement.className, text: document.activeElement.textContent})"
    )
    assert focused == {"cls": "skip-link", "text": "本文へ移動"}
    box = page.locator(".skip-link").bounding_box()
    assert box and box["y"] >= 0 and box["height"] > 0, "the skip link is visible when focused"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    assert page.evaluate("document.activeElement.id") == "main"


def test_the_keyboard_reaches_a_node_of_the_outline_and_opens_its_page(page, live_server):
    sample = f.reform_sample()
    page.goto(live_server.url + sample.plan.get_absolute_url())
    for _ in range(40):  # tab through the header and breadcrumbs
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.className") == "outline__title":
            break
    else:
        pytest.fail("Tab never reached the plan's outline")
    page.keyboard.press("Enter")
    page.wait_for_url("**/nodes/*/")
    assert page.locator("h1 .node__level").is_visible()


def test_a_link_to_a_node_of_the_plan_page_lands_on_its_line(page, live_server):
    """Search results, open data and feeds link to plan#node-<id>: the line is there."""
    sample = f.reform_sample()
    node_id = sample.hazard_map.node_id
    page.goto(f"{live_server.url}{sample.plan.get_absolute_url()}#node-{node_id}")
    line = page.locator(f"#node-{node_id}")
    assert line.is_visible()
    assert line.evaluate("li => li.getBoundingClientRect().top") < 844


def test_axe_harness_reports_a_planted_violation(page, live_server, axe):
    """Guards the checks above: a page with a missing alt text must not pass."""
    f.reform_sample()
    page.goto(live_server.url + "/")
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"x.png\">')"
    )
    assert "image-alt" in [violation["id"] for violation in axe.violations(page)]


# ---- a citizen's journey -----------------------------------------------------------------


def walk_journey(page, base_url: str, *, plan_name: str, own: list[str], others: list[str]):
    """Home → plan → the node holding ハザードマップ (the plan page outlines nodes; each node's
    page lists its actions) → its department → that department's actions only."""
    page.goto(base_url + "/")
    page.get_by_role("link", name=plan_name, exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == plan_name
    node = Action.objects.get(plan__name=plan_name, text__contains="ハザードマップ").node
    page.locator("a.outline__title", has_text=node.title).first.click()
    assert node.title in page.get_by_role("heading", level=1).inner_text()
    hazard = page.locator("li.action", has_text="ハザードマップ")
    assert hazard.count() == 1
    assert hazard.is_visible()
    hazard.get_by_role("link", name=f.DISASTER_DEPARTMENT, exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == f.DISASTER_DEPARTMENT
    actions = page.locator("li.action")
    assert actions.count() == len(own)
    listed = "\n".join(actions.all_inner_texts())
    for text in own:
        assert text in listed
    for text in others:
        assert text not in page.content()
    return page


def test_new_user_journey_finds_the_departments_actions(page, live_server, screenshot):
    sample = f.reform_sample()
    f.draft_sample(shared_department=sample.disaster)
    walk_journey(
        page,
        live_server.url,
        plan_name=sample.plan.name,
        own=[f.HAZARD_MAP_TEXT, f.DRILL_TEXT, f.LIFESAVING_TEXT],
        others=[f.SECRETARY_TEXT, f.TRAFFIC_TEXT, f.DRAFT_ACTION_TEXT],
    )
    screenshot(page, "journey-department-desktop")


def reform_format_registered() -> bool:
    """True once hoshin.plans.formats.reform_text defines its PlanFormat subclass."""
    module = importlib.import_module("hoshin.plans.formats.reform_text")
    return any(
        isinstance(obj, type)
        and issubclass(obj, PlanFormat)
        and obj is not PlanFormat
        and obj.__module__ == module.__name__
        for obj in vars(module).values()
    )


def test_new_user_journey_on_the_imported_reform_seed(
    page, live_server, reform_seed_bytes, axe, screenshot
):
    if not reform_format_registered():
        pytest.skip(
            "the reform-text import format (hoshin.plans.formats.reform_text) is not written yet"
        )
    from hoshin.plans.formats.detect import parse_plan_file
    from hoshin.plans.services import plan_import

    parsed = parse_plan_file(reform_seed_bytes, REFORM_SEED_NAME)
    plan_import(parsed=parsed, name=REFORM_PLAN_NAME, create_departments=True, publish=True)
    walk_journey(
        page,
        live_server.url,
        plan_name=REFORM_PLAN_NAME,
        own=[f.HAZARD_MAP_TEXT, f.DRILL_TEXT, f.LIFESAVING_TEXT],
        others=[f.SECRETARY_TEXT, f.TRAFFIC_TEXT],
    )
    screenshot(page, "journey-seed-department-desktop")
    axe.assert_clean(page)

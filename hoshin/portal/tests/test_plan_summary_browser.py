"""Issue 11: the demo's plan page summarises first and stays short, in a real browser.

The demo is built as ``make demo-data`` builds it (the reform seed imported and published, the
demo users, ``seed_demo_evaluations``). At 390 px the plan page must be at most 8,000 px tall
(it was 53,000 px when every node repeated three charts and a table); at both widths it, and the
page of the node with the most actions, pass axe-core with no violation. Screenshots go to
artifacts/screenshots/plan-summary-*.png. The size at 5,000 actions is ``bench/plan_page.py``'s.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.test import override_settings
from django.urls import reverse

from conftest import REFORM_SEED
from hoshin.plans.formats.detect import parse_plan_file
from hoshin.plans.models import Plan, PlanNode
from hoshin.plans.services import plan_import

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

REFORM_PLAN = "第6次行財政改革大綱に基づく実施計画"
PHONE_HEIGHT_LIMIT = 8000


def build_demo() -> Plan:
    parsed = parse_plan_file(REFORM_SEED.read_bytes(), REFORM_SEED.name)
    plan_import(parsed=parsed, name=REFORM_PLAN, create_departments=True, publish=True)
    with override_settings(DEBUG=True):  # create_demo_users refuses to run on a production server
        call_command("create_demo_users", stdout=StringIO())
    call_command("seed_demo_evaluations", "--plan", REFORM_PLAN, stdout=StringIO())
    return Plan.objects.get(name=REFORM_PLAN)


def test_the_demo_plan_page_summarises_first_and_is_short(new_page, live_server, axe, screenshot):
    plan = build_demo()
    busiest = (
        PlanNode.objects.filter(plan=plan).annotate(n=Count("actions")).order_by("-n", "pk").first()
    )
    node_url = live_server.url + reverse("portal:node", args=[plan.pk, busiest.pk])
    failures, heights = [], {}
    for width in ("phone", "desktop"):
        page = new_page(viewport=width)
        page.goto(live_server.url + plan.get_absolute_url())
        heights[width] = page.evaluate("document.documentElement.scrollHeight")
        # Summary first: the results' summary comes before the outline, and both are there.
        summary = page.locator(".plan-results").bounding_box()
        outline = page.locator(".plan-outline").bounding_box()
        assert summary and outline and summary["y"] < outline["y"]
        assert (
            page.get_by_role("img", name=f"{plan.name}の評価結果の内訳", exact=False).count() == 1
        )
        assert page.locator(".outline__node").count() == PlanNode.objects.filter(plan=plan).count()
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"the plan page scrolls sideways by {overflow}px ({width})"
        screenshot(page, f"plan-summary-{width}")
        failures += axe.findings(page, f"plan page ({width})")
        # Every action is one click away: the outline links to the node page listing them.
        page.locator(f"#node-{busiest.pk} > a.outline__title").click()
        page.wait_for_url(node_url)
        assert page.locator("li.action").count() == busiest.n
        screenshot(page, f"plan-summary-node-{width}")
        failures += axe.findings(page, f"node page ({width})")
        page.context.close()
    print(
        f"demo plan page height: {heights['phone']:,} px at 390 px, {heights['desktop']:,} px at 1280 px"
    )
    assert heights["phone"] <= PHONE_HEIGHT_LIMIT, heights
    assert not failures, axe.message(failures)

"""Issue 11, item 4: every public page at phone width (390 px) on the seeded demo, measured.

For every visible table cell: its width is at least the longest word of its label (its column
header, the data-label of a stacked row, and for a header cell its own text) — the measure and
its reasons are in table_widths.js next to this file. The page itself never scrolls sideways;
what does scroll sideways is a labelled region a keyboard reaches. axe-core (WCAG 2.1 A/AA)
runs on every page too.

Every public page: a fixed list of the portal's entrances plus the pages they link to — one
page per URL pattern, so a page added later (a feeds page, a survey's results) is measured as
soon as something links to it — and the deep pages that hold the widest tables (the action with
the most published results, its department, a letter's status). Built on the data of
``make demo-data`` (seeded in the test: a live-server test cannot share data).
"""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.urls import Resolver404, resolve

from conftest import COMPREHENSIVE_SEED, REFORM_SEED
from hoshin.evaluations.models import EvaluationSheet
from hoshin.voices.models import CitizenVoice, VoiceStatus
from hoshin.voices.services.intake import secret_hash

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

MEASURE = (Path(__file__).parent / "table_widths.js").read_text()
REFORM_PLAN = "第6次行財政改革大綱に基づく実施計画"
COMPREHENSIVE_PLAN = "総合計画 自立できる自治体経営の推進"
ENTRANCES = [
    "/",
    "/departments/",
    "/voices/",
    "/voices/new/",
    "/voices/status/",
    "/surveys/",
    "/opendata/",
    "/opendata/dictionary/",
    "/search/?q=防災",
    "/api/docs/",
]
# Not pages: files, feeds, the API's data, and everything behind a sign-in.
NOT_PAGES = ("/staff/", "/admin/", "/api/v1/", "/static/", "/media/")
DEPARTMENT_PAGE = re.compile(r"^/departments/\d+/$")
STATUS_KEY = "TABLESKEY42"
# The rules of the portal before issue 11: labels could shrink to one character per line.
SQUEEZING_CSS = (
    ".data-table th { overflow-wrap: anywhere !important; word-break: normal !important; }",
    ".data-table.data-table--stack { display: table !important; }",
)


def seed_demo(settings) -> None:
    """The steps of ``make demo-data`` (Makefile), quietly."""
    settings.DEBUG = True  # create_demo_users refuses to run on a production server
    quiet = {"verbosity": 0, "stdout": open("/dev/null", "w")}  # noqa: SIM115
    for seed, plan in ((REFORM_SEED, REFORM_PLAN), (COMPREHENSIVE_SEED, COMPREHENSIVE_PLAN)):
        call_command(
            "import_plan", str(seed), plan=plan, create_departments=True, publish=True, **quiet
        )
    call_command("create_demo_users", **quiet)
    call_command("seed_demo_evaluations", plan=REFORM_PLAN, **quiet)
    call_command("seed_demo_voices", plan=REFORM_PLAN, **quiet)
    call_command("seed_demo_surveys", **quiet)
    call_command("search_rebuild", **quiet)


def route_of(href: str) -> str | None:
    """The URL pattern of a same-site page link, or None for anything that is not a page."""
    parts = urlsplit(href)
    if parts.netloc or not parts.path.startswith("/") or parts.path.startswith(NOT_PAGES):
        return None
    if "." in parts.path.rsplit("/", 1)[-1]:  # results.atom, sheets.csv, 2025.pdf …
        return None
    try:
        return resolve(parts.path).route
    except Resolver404:
        return None


def measure(page) -> list[str]:
    result = page.evaluate(MEASURE)
    problems = list(result["problems"])
    if result["overflow"] > 0:
        problems.append(f"the page scrolls sideways by {result['overflow']}px")
    return problems


def test_every_public_page_at_390px_has_no_squeezed_column(
    new_page, live_server, settings, axe, screenshot
):
    seed_demo(settings)
    action = (
        EvaluationSheet.objects.published()
        .filter(action__isnull=False)
        .values("action")
        .annotate(years=Count("pk"))
        .order_by("-years", "action")[0]["action"]
    )
    voice = CitizenVoice.objects.filter(status=VoiceStatus.ANSWERED).order_by("pk").first()
    CitizenVoice.objects.filter(pk=voice.pk).update(secret_hash=secret_hash(STATUS_KEY))

    page = new_page(viewport="phone")
    queue = [f"/actions/{action}/", *ENTRANCES]
    seen_routes: set[str] = set()
    visited: list[str] = []
    failures: list[str] = []
    axe_failures: list[str] = []
    while queue:
        path = queue.pop(0)
        route = route_of(path)
        if route is None or path in visited or (route in seen_routes and path not in ENTRANCES):
            continue
        seen_routes.add(route)
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        visited.append(path)
        failures += [f"{path}: {problem}" for problem in measure(page)]
        axe_failures += axe.findings(page, f"{path} (390px)")
        links = page.eval_on_selector_all(
            "a[href]", "links => links.map(a => a.getAttribute('href'))"
        )
        # The deep pages first: an action's department holds its results table.
        department = next((href for href in links if DEPARTMENT_PAGE.match(href)), None)
        if path == f"/actions/{action}/" and department:
            queue.insert(0, department)
        queue += links

    # A letter's status page (a form's answer, not a link).
    page.goto(live_server.url + "/voices/status/")
    page.get_by_label("受付番号").fill(voice.receipt_number)
    page.get_by_label("照会キー").fill(STATUS_KEY)
    with page.expect_navigation():
        page.get_by_role("button", name="確認する").click()
    assert page.locator("#voice-status").is_visible()
    visited.append("/voices/status/ (answered)")
    failures += [f"voice status: {problem}" for problem in measure(page)]
    axe_failures += axe.findings(page, "voice status (390px)")

    wanted = {
        "actions/<int:action_id>/",
        "departments/<int:department_id>/",
        "plans/<int:plan_id>/",
    }
    wanted |= {"voices/<int:publication_id>/", "surveys/<int:survey_id>/"}
    assert wanted <= seen_routes, f"not reached: {wanted - seen_routes}"
    assert len(visited) >= 16, visited
    assert not failures, "Squeezed tables at 390px:\n" + "\n".join(failures)
    assert not axe_failures, axe.message(axe_failures)

    # The check itself: the action page under the old rules (labels shrinking to one character)
    # is reported. (The stylesheet is changed through the CSSOM, which the page's
    # Content-Security-Policy does not govern, unlike a <style> element.)
    page.goto(live_server.url + f"/actions/{action}/")
    assert measure(page) == []
    for rule in SQUEEZING_CSS:
        page.evaluate("rule => document.styleSheets[0].insertRule(rule, 0)", rule)
    planted = measure(page)
    assert any("国庫" in problem or "単位" in problem for problem in planted), planted
    screenshot(page, "tables-action-squeezed-phone")
    page.context.close()

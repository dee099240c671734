"""Benchmark: the size of the public plan page (issue 11: at most 500 KB at 5,000 actions).

Run with ``.venv/bin/python bench/plan_page.py`` (``make bench`` runs it). It uses a throw-away
SQLite database (or DATABASE_URL if set), prints its figures and writes nothing else.

What it builds:
- the plan of ``bench/evaluations.py`` (10 pillars × 10 sections × 50 actions, 40
  departments) with two **published** fiscal years, so that the page's "what changed since
  last year" has something to compare (rows written with that bench's set-based helpers);
- the demo: the reform seed imported and published, the demo users and
  ``seed_demo_evaluations`` (what ``make demo-data`` does).

Figures, for each plan: the plan page's HTML size (the targets: ≤ 500 KB at 5,000 actions), its
render time (Django test Client, cold and warm page cache) and SQL query count; and the same
for the largest node page of the big plan (the actions of one section). The demo page's height
at 390 px is measured by the browser test ``hoshin/portal/tests/test_plan_summary_browser.py``
(≤ 8,000 px): a height needs a browser, and this bench needs none.
"""

import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
_tmp = tempfile.TemporaryDirectory(prefix="hoshin-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_tmp.name}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoshin.settings")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("MEDIA_ROOT", f"{_tmp.name}/media")

import evaluations as evaluation_bench  # noqa: E402  (django.setup() runs on import)
from django.core.cache import caches  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from hoshin.evaluations.models import StaffUnitCost  # noqa: E402
from hoshin.evaluations.services.cycle import fiscal_year_start  # noqa: E402
from hoshin.lib.fiscal import fiscal_year_of  # noqa: E402
from hoshin.org.models import Role, RoleAssignment, User  # noqa: E402
from hoshin.plans.formats.detect import parse_plan_file  # noqa: E402
from hoshin.plans.models import Plan, PlanNode  # noqa: E402
from hoshin.plans.services import plan_import  # noqa: E402

ACTIONS = 5000
LIMIT = 500 * 1024  # the target for the plan page at 5,000 actions
REFORM_SEED = ROOT.parent / "shared" / "seeds" / "001_93b4eaf820d612a8.txt"  # the Makefile's SEEDS
REFORM_PLAN = "第6次行財政改革大綱に基づく実施計画"


def build_big() -> Plan:
    """5,000 actions with two published years (the last two closed fiscal years)."""
    current = fiscal_year_of(timezone.localdate())
    fys = [current - 2, current - 1]
    for fy in fys:
        StaffUnitCost.objects.get_or_create(fy=fy, defaults={"amount": 8000})
    departments = evaluation_bench.make_departments()
    planner = User.objects.create_user("bench-planner", password="x")
    RoleAssignment.objects.create(user=planner, role=Role.PLANNING_OFFICE)
    plan = evaluation_bench.make_plan("ベンチ行財政改革実施計画", ACTIONS, departments, fys)
    for index, fy in enumerate(fys):
        opened = fiscal_year_start(plan=plan, fy=fy, by=planner)
        assert opened.sheets == ACTIONS, (opened.sheets, ACTIONS)
        evaluation_bench.fill_year(plan, fy, index, False, departments[0])
    return plan


def build_demo() -> Plan | None:
    """The demo's reform plan, as ``make demo-data`` builds it; None without the seed file."""
    if not REFORM_SEED.exists():
        return None
    parsed = parse_plan_file(REFORM_SEED.read_bytes(), REFORM_SEED.name)
    plan_import(parsed=parsed, name=REFORM_PLAN, create_departments=True, publish=True)
    call_command("create_demo_users", stdout=io.StringIO())
    call_command("seed_demo_evaluations", "--plan", REFORM_PLAN, stdout=io.StringIO())
    return Plan.objects.get(name=REFORM_PLAN)


def measure(client: Client, url: str) -> tuple[int, float, float, int] | None:
    """(bytes, cold ms, warm ms, SQL queries of the cold render) of one public page; None on 404."""
    for cache in caches.all():
        cache.clear()
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    # A wrapper, not CaptureQueriesContext: the request_started signal empties that log.
    with connection.execute_wrapper(count):
        started = time.perf_counter()
        response = client.get(url)
        cold = time.perf_counter() - started
    if response.status_code == 404:
        return None
    assert response.status_code == 200, (url, response.status_code)
    started = time.perf_counter()
    client.get(url)
    warm = time.perf_counter() - started
    return len(response.content), cold * 1000, warm * 1000, len(queries)


def main() -> int:
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")
    started = time.perf_counter()
    big = build_big()
    demo = build_demo()
    print(f"built in {time.perf_counter() - started:.1f} s")
    client = Client()
    rows = [("plan page, 5,000 actions", big.get_absolute_url())]
    section = PlanNode.objects.filter(plan=big, depth=1).order_by("position").first()
    rows.append(("node page, 50 actions", f"{big.get_absolute_url()}nodes/{section.pk}/"))
    if demo is not None:
        rows.append(("demo plan page", demo.get_absolute_url()))
    failed = False
    print(f"{'page':<26} {'HTML':>10} {'cold':>9} {'warm':>8} {'queries':>8}")
    for name, url in rows:
        figures = measure(client, url)
        if figures is None:
            print(f"{name:<26} {'n/a (404)':>10}")
            continue
        size, cold, warm, queries = figures
        print(f"{name:<26} {size / 1024:>7,.0f} KB {cold:>6,.0f} ms {warm:>5,.0f} ms {queries:>8}")
        if name.startswith("plan page") and size > LIMIT:
            failed = True
    print(
        f"target: the plan page at 5,000 actions ≤ {LIMIT // 1024} KB: {'FAIL' if failed else 'ok'}"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

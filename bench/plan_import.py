"""Benchmark: import time of generated reform plans and SQL queries of the plan page.

Run with ``make bench`` (or ``.venv/bin/python bench/plan_import.py``). It uses a throw-away
SQLite database (or DATABASE_URL if set), prints its figures and writes nothing else.

Figures:
- import time (parse + write + commit) for 1,000 and 10,000 actions in the reform-plan text
  format, and the ratio of the two (10.0 means perfectly linear growth); the search index of a
  plan this large is rebuilt by a queued job (hoshin.search.tasks), timed separately by running
  the worker once (``run_worker --batch``) — the index is correct when that job has run;
- SQL queries to render the public plan page at 50 and 5,000 actions (must be equal).
"""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_tmp = tempfile.TemporaryDirectory(prefix="hoshin-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_tmp.name}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoshin.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from hoshin.jobs.worker import run_queued  # noqa: E402
from hoshin.plans.formats.detect import parse_plan_file  # noqa: E402
from hoshin.plans.services import plan_import  # noqa: E402

DEPARTMENTS = [f"第{i}課" for i in range(1, 41)]


def reform_plan_text(actions: int) -> bytes:
    """A plan in the format of the reform-plan seed: 10 pillars, 5 sections each, 4 actions a measure."""
    lines = ["ベンチマーク用 行財政改革大綱に基づく実施計画", ""]
    written, pillar = 0, 0
    while written < actions:
        pillar += 1
        lines += [f"{pillar} 大項目その{pillar}", ""]
        for section in range(1, 6):
            lines += [f"({section})中項目 {pillar}-{section}", ""]
            for measure in range(1, 5):
                if written >= actions:
                    break
                lines += [f"取組 {pillar}-{section}-{measure}", "実施内容 担当課"]
                for _ in range(4):
                    if written >= actions:
                        break
                    department = DEPARTMENTS[written % len(DEPARTMENTS)]
                    lines.append(
                        f"取組番号{written}の実施内容として、市民サービスの向上と事務の効率化を図る。 {department}"
                    )
                    if written % 7 == 0:
                        lines.append(DEPARTMENTS[(written + 1) % len(DEPARTMENTS)])
                    written += 1
            lines.append("")
    return "\n".join(lines).encode("utf-8")


CPU: dict[str, float] = {}  # this process's CPU seconds per import: what a busy machine hides


def time_import(actions: int, name: str) -> float:
    data = reform_plan_text(actions)
    started, cpu = time.perf_counter(), time.process_time()
    parsed = parse_plan_file(data, f"{name}.txt")
    summary = plan_import(parsed=parsed, name=name, create_departments=True, publish=True)
    elapsed = time.perf_counter() - started
    CPU[name] = time.process_time() - cpu
    assert summary.actions == actions, (summary.actions, actions)
    return elapsed


def time_queued_jobs() -> float:
    """Run what the imports queued (the search re-index) as the worker would, timed."""
    started = time.perf_counter()
    run_queued()
    return time.perf_counter() - started


def plan_page_queries(plan_name: str) -> tuple[int, int]:
    from hoshin.plans.models import Plan

    plan = Plan.objects.get(name=plan_name)
    client = Client()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(plan.get_absolute_url())
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries), len(response.content)


def main() -> None:
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")
    bytecode = "set" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "unset"
    print(f"PYTHONDONTWRITEBYTECODE: {bytecode}")
    # Warm-up: the first import pays for imports of code and the SQLite file's growth.
    time_import(200, "warm-up")
    time_queued_jobs()

    small = time_import(1_000, "plan-1000")
    large = time_import(10_000, "plan-10000")
    print(
        f"import 1,000 actions:  {small:7.2f} s  ({1000 / small:,.0f} actions/s, "
        f"CPU {CPU['plan-1000']:.2f} s)"
    )
    print(
        f"import 10,000 actions: {large:7.2f} s  ({10000 / large:,.0f} actions/s, "
        f"CPU {CPU['plan-10000']:.2f} s)"
    )
    print(f"growth 1,000 → 10,000: ×{large / small:.1f} (×10 would be exactly linear)")
    print(f"queued search re-index of both plans (worker): {time_queued_jobs():7.2f} s")

    time_import(50, "plan-50")
    time_import(5_000, "plan-5000")
    for name in ("plan-50", "plan-5000"):
        queries, size = plan_page_queries(name)
        print(
            f"plan page {name[5:]:>5} actions: {queries} SQL queries, {size / 1024:,.0f} KiB HTML"
        )


if __name__ == "__main__":
    main()

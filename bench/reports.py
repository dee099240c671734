"""Benchmark: report generation — the annual-report PDF, the sheet PDF, and a crowd after a
publication (issue 10, finding 4).

Run with ``make bench`` (or ``.venv/bin/python bench/reports.py``). It uses a throw-away SQLite
database and download folder (or DATABASE_URL if set), loads the reform-plan seed with the demo
evaluations, prints its figures and writes nothing else.

Figures:
- the annual report of the plan's most recent published year: build time, pages, ms per page;
- the sheet PDF of one action and year: median and p95 over 30 sheets;
- 4 requests at the same instant for the annual report right after a publication (4 threads,
  each its own connection, like 4 web workers): their statuses and times, how many builds they
  queued (must be 1), and the worker's time to build it; then the same 4 requests again, served
  from the kept file.
"""

import datetime
import io
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_tmp = tempfile.TemporaryDirectory(prefix="hoshin-bench-reports-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_tmp.name}/bench.sqlite3")
os.environ["HOSHIN_DOWNLOAD_CACHE_DIR"] = f"{_tmp.name}/downloads"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoshin.settings")
os.environ.setdefault("DEBUG", "true")
os.environ["HOSHIN_TASK_BACKEND"] = "database"  # builds go on the queue, as in production

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from hoshin.changes.channel import announce  # noqa: E402
from hoshin.evaluations.models import EvaluationSheet  # noqa: E402
from hoshin.jobs.worker import run_queued  # noqa: E402
from hoshin.reports import selectors  # noqa: E402
from hoshin.reports.annual_pdf import annual_report_pdf  # noqa: E402
from hoshin.reports.sheet_pdf import sheet_pdf  # noqa: E402

SEED = ROOT.parent / "shared" / "seeds" / "001_93b4eaf820d612a8.txt"
BUILD = "hoshin.reports.tasks.build_annual_report"


def load() -> tuple[int, int]:
    """The reform plan with the demo's evaluated years; returns (plan id, newest published fy)."""
    quiet = {"stdout": io.StringIO()}
    call_command("migrate", verbosity=0, interactive=False)
    plan = "第6次行財政改革大綱に基づく実施計画"
    call_command(
        "import_plan", str(SEED), plan=plan, create_departments=True, publish=True, **quiet
    )
    call_command("create_demo_users", **quiet)
    call_command("seed_demo_evaluations", plan=plan, **quiet)
    run_queued()  # what loading queued (search index, PDFs of the demo's publications)
    newest = EvaluationSheet.objects.published().order_by("-cycle__fy").first()
    return newest.cycle.plan_id, newest.cycle.fy


def annual(plan_id: int, fy: int) -> None:
    started = time.perf_counter()
    report = selectors.annual_plan_public(plan_id=plan_id, fy=fy)
    target = annual_report_pdf(report, today=datetime.date.today())
    seconds = time.perf_counter() - started
    data = target.read()  # a temporary file, positioned at its start
    target.close()
    pages = len(PdfReader(io.BytesIO(data)).pages)
    print(
        f"annual report {fy}: {seconds:.2f} s, {pages} pages, {seconds / pages * 1000:.0f} ms/page,"
        f" {len(data) / 1024:.0f} KiB"
    )


def sheets(plan_id: int, fy: int, count: int = 30) -> None:
    action_ids = list(
        EvaluationSheet.objects.published()
        .filter(cycle__plan_id=plan_id, cycle__fy=fy, action__isnull=False)
        .values_list("action_id", flat=True)[:count]
    )
    times = []
    for action_id in action_ids:
        started = time.perf_counter()
        sheet_pdf(selectors.sheet_report_public(action_id=action_id, fy=fy))
        times.append(time.perf_counter() - started)
    times.sort()
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    print(
        f"sheet PDF: median {statistics.median(times) * 1000:.0f} ms,"
        f" p95 {p95 * 1000:.0f} ms over {len(times)} sheets"
    )


def four_at_once(url: str) -> list[tuple[int, float]]:
    barrier, out = threading.Barrier(4), [None] * 4

    def fetch(i: int) -> None:
        try:
            barrier.wait(timeout=60)
            started = time.perf_counter()
            response = Client(HTTP_HOST="127.0.0.1").get(url)
            if response.streaming:
                b"".join(response.streaming_content)
            out[i] = (response.status_code, time.perf_counter() - started)
        finally:
            connection.close()

    threads = [threading.Thread(target=fetch, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return out


def crowd(plan_id: int, fy: int) -> None:
    url = f"/plans/{plan_id}/reports/{fy}.pdf"
    run_queued()
    DBTaskResult.objects.filter(task_path=BUILD).delete()
    announce(plan_ids=[plan_id])  # a publication: a new version of the public data
    queued_by_publication = DBTaskResult.objects.filter(task_path=BUILD).count()
    first = four_at_once(url)
    builds = DBTaskResult.objects.filter(task_path=BUILD).count()
    started = time.perf_counter()
    run_queued()
    built = time.perf_counter() - started
    second = four_at_once(url)
    shown = lambda results: ", ".join(f"{s} in {t * 1000:.0f} ms" for s, t in results)  # noqa: E731
    print(f"4 requests at once after a publication: {shown(first)}")
    print(
        f"  builds queued: {builds} ({queued_by_publication} by the publication itself);"
        f" the worker built it in {built:.2f} s"
    )
    print(f"the same 4 requests afterwards: {shown(second)}")


def main() -> None:
    import logging

    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # the 503s are the point
    started = time.perf_counter()
    plan_id, fy = load()
    print(
        f"loaded the reform plan with the demo evaluations in {time.perf_counter() - started:.1f} s"
    )
    annual(plan_id, fy)
    sheets(plan_id, fy)
    crowd(plan_id, fy)


if __name__ == "__main__":
    main()

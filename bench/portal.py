"""Benchmark: the public portal under load, served by gunicorn and measured with wrk.

Run with ``.venv/bin/python bench/portal.py`` (or ``make bench-portal``). Options:
``--actions 5000``, ``--years 5``, ``--duration 15`` (seconds per URL), ``--threads 2`` and
``--connections 16`` (wrk's), ``--workers`` (gunicorn's; default 2 × CPU cores).

What it does:
1. builds a fresh database — SQLite in a temporary folder, or DATABASE_URL if set (its data
   stays there) — with a published reform plan of 5,000 actions (10 pillars × 10 sections ×
   50 actions, 40 departments) and 5 fiscal years of **published** evaluation sheets
   (2 indicators and 3 cost lines each; opened with the ``fiscal_year_start`` service, values
   written with set-based UPDATEs: the helpers of ``bench/evaluations.py``); every 10th action
   is about 防災; the search index is rebuilt when the search app offers ``search_rebuild``;
2. runs ``collectstatic`` and saves the plan page's bytes (rendered by Django in-process) as
   ``var/static/bench-portal/plan.html``, so the same server can serve them as a static file;
3. starts gunicorn on 127.0.0.1 with DEBUG=false::

       gunicorn hoshin.wsgi -b 127.0.0.1:<port> -w <2 × cores> --timeout 120 --log-level warning

   (sync workers; ``--timeout 120`` because rendering the 5,000-action plan page cold takes
   seconds and several workers render it at once; the page cache is the default per-process
   one, HOSHIN_CACHE_DIR unset, so each worker renders each page once);
4. for each URL — the plan page, an action page, a search (``/search/?q=防災``), the actions
   CSV (``/opendata/actions.csv``) and the static copy of the plan page — times the first
   request (cold: nothing cached), warms every worker with a short unmeasured wrk run
   (``--warmup 3`` seconds), then runs
   ``wrk -t2 -c16 -d15s --latency <url>`` and reads requests/s and the p50/p75/p90/p99
   latencies from its output. A URL answering 404 (a feature not built yet) is reported as
   unavailable, not as a failure;
5. prints a table and the ratio of the plan page's requests/s to the static file's (the
   ceiling of this server on this machine), then stops gunicorn and deletes what it made.

It needs ``/usr/bin/wrk`` (Debian package ``wrk``; ``scripts/setup.sh`` installs it; this
script installs it with apt-get when it can). Nothing leaves 127.0.0.1.
"""

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
WRK = "/usr/bin/wrk"
STATIC_COPY = ROOT / "var" / "static" / "bench-portal"


@dataclass
class Figures:
    name: str
    url: str
    status: str = ""
    cold_ms: float | None = None
    size: int = 0
    rps: float | None = None
    p50: float | None = None
    p75: float | None = None
    p90: float | None = None
    p99: float | None = None
    requests: int = 0
    errors: str = ""


def ensure_wrk() -> None:
    if Path(WRK).exists():
        return
    print("bench: wrk is missing; installing the Debian package 'wrk' with apt-get …")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "wrk"], check=True, env=env)
    except (subprocess.CalledProcessError, FileNotFoundError) as error:
        raise SystemExit(
            f"bench: could not install wrk ({error}). Install it with "
            "'sudo apt-get install wrk' (or run scripts/setup.sh) and try again."
        ) from None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def configure(tmp: Path) -> dict:
    """Environment of this process (which builds the data) and of gunicorn."""
    env = {
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite3",
        "DJANGO_SETTINGS_MODULE": "hoshin.settings",
        "DEBUG": "false",
        "SECRET_KEY": f"bench-{uuid.uuid4().hex}",
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "MEDIA_ROOT": str(tmp / "media"),
        "LOG_LEVEL": "ERROR",
        # Production setting: a new PostgreSQL connection per request would dominate the figures.
        "DB_CONN_MAX_AGE": os.environ.get("DB_CONN_MAX_AGE", "60"),
    }
    os.environ.update(env)
    return {**os.environ, **env}


def build(actions: int, years: int) -> dict:
    """The data set; returns the URLs to measure and how long building took."""
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    import django

    django.setup()
    # The bulk builders of the evaluation benchmark (importing it does not run it).
    import evaluations as evaluation_bench
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import F, Value
    from django.db.models.functions import Concat, Mod
    from django.utils import timezone

    from hoshin.evaluations.models import EvaluationSheet, StaffUnitCost
    from hoshin.evaluations.services.cycle import fiscal_year_start
    from hoshin.lib.fiscal import fiscal_year_of
    from hoshin.org.models import Role, RoleAssignment, User
    from hoshin.plans.models import Action

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    current = fiscal_year_of(timezone.localdate())
    fys = list(range(current - years, current))  # the last `years` closed years: all published
    StaffUnitCost.objects.bulk_create(
        StaffUnitCost(fy=fy, amount=6800 + 200 * index) for index, fy in enumerate(fys)
    )
    departments = evaluation_bench.make_departments()
    planner = User.objects.create_user("bench-planner", password=uuid.uuid4().hex)
    RoleAssignment.objects.create(user=planner, role=Role.PLANNING_OFFICE)
    plan = evaluation_bench.make_plan("ベンチ行財政改革実施計画", actions, departments, fys)
    # Every 10th action is about disaster prevention, for the search.
    Action.objects.filter(plan=plan, position__in=range(0, actions, 10)).update(
        text=Concat(Value("防災"), F("text"))
    )
    for index, fy in enumerate(fys):
        opened = fiscal_year_start(plan=plan, fy=fy, by=planner)
        assert opened.sheets == actions, (opened.sheets, actions)
        if index == 0:
            evaluation_bench.Indicator.objects.bulk_create(
                (
                    evaluation_bench.Indicator(
                        sheet_id=pk,
                        position=position,
                        kind=kind,
                        name=name,
                        unit=unit,
                        baseline=100 * position,
                    )
                    for pk in EvaluationSheet.objects.filter(cycle=opened.cycle).values_list(
                        "pk", flat=True
                    )
                    for position, (kind, name, unit) in enumerate(
                        [
                            (evaluation_bench.IndicatorKind.ACTIVITY, "説明会の開催回数", "回"),
                            (evaluation_bench.IndicatorKind.OUTCOME, "申請件数", "件"),
                        ]
                    )
                ),
                batch_size=2000,
            )
        evaluation_bench.fill_year(plan, fy, index, False, departments[0])
    # Stages and grades vary by row in fill_year; this bench publishes every year's sheets.
    published = EvaluationSheet.objects.filter(cycle__plan=plan, stage="published").count()
    try:
        from hoshin.search.services import search_rebuild

        indexed = search_rebuild()
    except ImportError:
        indexed = None
    action = (
        Action.objects.filter(plan=plan)
        .annotate(slot=Mod(F("position"), 10))
        .filter(slot=0)
        .order_by("position")[actions // 20]
    )
    seconds = time.perf_counter() - started
    print(
        f"data: {connection.vendor}, {actions:,} actions × {years} years = {published:,} "
        f"published sheets; search index {indexed if indexed is not None else 'n/a'} "
        f"documents; built in {seconds:.1f} s"
    )
    return {"plan": plan.get_absolute_url(), "action": action.get_absolute_url()}


def render_static_copy(plan_url: str) -> int:
    """collectstatic, then the plan page's bytes as a static file; returns their size."""
    from django.core.management import call_command
    from django.test import Client

    call_command("collectstatic", interactive=False, verbosity=0)
    response = Client().get(plan_url)
    assert response.status_code == 200, response.status_code
    STATIC_COPY.mkdir(parents=True, exist_ok=True)
    (STATIC_COPY / "plan.html").write_bytes(response.content)
    return len(response.content)


def wait_until_up(base_url: str, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"{base_url}/static/bench-portal/plan.html", timeout=5):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise SystemExit("gunicorn did not answer in time")


def first_request(figures: Figures) -> None:
    """The cold request: status, size and time (nothing is cached yet for this URL)."""
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(figures.url, timeout=120) as response:
            body = response.read()
            figures.status = str(response.status)
            figures.size = len(body)
    except urllib.error.HTTPError as error:
        figures.status = str(error.code)
    figures.cold_ms = (time.perf_counter() - started) * 1000


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


def parse_wrk(output: str, figures: Figures) -> None:
    """Requests/s and latency percentiles from wrk's ``--latency`` report."""
    for percent, name in (("50", "p50"), ("75", "p75"), ("90", "p90"), ("99", "p99")):
        found = re.search(rf"^\s+{percent}(?:\.000)?%\s+([\d.]+(?:us|ms|s|m))\s*$", output, re.M)
        if found:
            setattr(figures, name, _ms(found.group(1)))
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    figures.rps = float(rps.group(1)) if rps else None
    total = re.search(r"^\s+(\d+) requests in", output, re.M)
    figures.requests = int(total.group(1)) if total else 0
    problems = re.findall(r"^\s+(Non-2xx or 3xx responses: \d+|Socket errors: .*)$", output, re.M)
    figures.errors = "; ".join(problems)


def run_wrk(figures: Figures, args, *, seconds: int | None = None) -> None:
    """wrk on one URL; ``seconds`` for an unmeasured warm-up run."""
    command = [
        WRK,
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{seconds or args.duration}s",
        "--timeout",
        "30s",
        "--latency",
        figures.url,
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if seconds:
        return
    if result.returncode != 0:
        figures.errors = result.stderr.strip() or f"wrk exited with {result.returncode}"
        return
    parse_wrk(result.stdout, figures)


def _cell(value: float | None, pattern: str = "{:,.1f}") -> str:
    return "—" if value is None else pattern.format(value)


def report(rows: list[Figures]) -> None:
    header = (
        f"{'URL':<28} {'status':>6} {'size':>10} {'cold ms':>9} {'req/s':>9} "
        f"{'p50 ms':>8} {'p75 ms':>8} {'p90 ms':>8} {'p99 ms':>8}"
    )
    print("\n" + header + "\n" + "-" * len(header))
    for row in rows:
        print(
            f"{row.name:<28} {row.status:>6} {row.size:>10,} {_cell(row.cold_ms):>9} "
            f"{_cell(row.rps):>9} {_cell(row.p50):>8} {_cell(row.p75):>8} "
            f"{_cell(row.p90):>8} {_cell(row.p99):>8}"
        )
    for row in rows:
        if row.errors:
            print(f"  {row.name}: {row.errors}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--actions", type=int, default=5000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--duration", type=int, default=15, help="seconds of wrk per URL")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--warmup", type=int, default=3, help="unmeasured seconds per URL")
    args = parser.parse_args()
    ensure_wrk()

    overall = time.perf_counter()
    tmp_dir = tempfile.TemporaryDirectory(prefix="hoshin-bench-portal-")
    env = configure(Path(tmp_dir.name))
    server = None
    try:
        paths = build(args.actions, args.years)
        static_size = render_static_copy(paths["plan"])
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        command = [
            str(VENV_BIN / "gunicorn"),
            "hoshin.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(args.workers),
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ]
        print(f"server: {' '.join(['gunicorn', *command[1:]])}")
        server = subprocess.Popen(command, cwd=ROOT, env=env)
        wait_until_up(base, server)
        rows = [
            Figures("plan page", base + paths["plan"]),
            Figures("action page", base + paths["action"]),
            Figures("search ?q=防災", base + "/search/?q=%E9%98%B2%E7%81%BD"),
            Figures("CSV /opendata/actions.csv", base + "/opendata/actions.csv"),
            Figures("plan page as static file", base + "/static/bench-portal/plan.html"),
        ]
        print(
            f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s --latency <url>, "
            f"one URL after another, each after a {args.warmup} s warm-up; "
            f"plan page {static_size:,} bytes"
        )
        for row in rows:
            first_request(row)
            if row.status == "404":
                row.errors = "unavailable (404): not built yet"
                continue
            if row.status != "200":
                row.errors = f"first request answered {row.status}"
                continue
            if args.warmup:
                run_wrk(row, args, seconds=args.warmup)
            run_wrk(row, args)
        report(rows)
        plan, static = rows[0], rows[-1]
        if plan.rps and static.rps:
            print(
                f"\nplan page ÷ static file: {plan.rps:,.1f} ÷ {static.rps:,.1f} req/s = "
                f"{plan.rps / static.rps:.1%} of this server's ceiling for the same bytes"
            )
        print(f"total time {time.perf_counter() - overall:.0f} s")
        failed = [row for row in rows if row.errors and not row.errors.startswith("unavailable")]
        return 1 if failed else 0
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        shutil.rmtree(STATIC_COPY, ignore_errors=True)
        tmp_dir.cleanup()


if __name__ == "__main__":
    raise SystemExit(main())

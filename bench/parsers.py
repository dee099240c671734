"""Benchmark: time and peak memory to refuse each upload bomb and to read normal large files.

Run with ``make bench`` (or ``.venv/bin/python bench/parsers.py``). Each case runs in a fresh
subprocess, so that one case's memory cannot hide another's: the figures are the wall time of
the parse, the peak of Python allocations (tracemalloc) and the growth of the process's peak
resident size during the parse (VmHWM reset before it; getrusage's maxrss elsewhere). Writes nothing but a temporary directory.

Cases (issue 10, finding 2 and the nested-JSON RecursionError): the bombs of
``hoshin/lib/tests/bombs.py`` through the sheet workbook reader (what /staff/sheets/bulk/upload/
and ``import_sheets`` call) and the plan import (back office, ``import_plan``), then files within
the limits: plan CSV and XLSX of 10,000 actions, and a workbook at the cell limit.
``--quick`` leaves out the normal files (the slow part).
"""

import contextlib
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoshin.settings")

HEADER = ["大項目", "取組名", "実施内容", "担当課"]


def plan_rows(actions: int) -> list[list[str]]:
    return [
        [f"{1 + index // 100} 大項目", f"取組{index}", f"実施内容その{index}を進める。", "総務課"]
        for index in range(actions)
    ]


def files() -> dict[str, tuple[str, str, bytes]]:
    """name → (reader, filename, bytes): built here, once, outside the measured subprocesses."""
    import openpyxl

    from hoshin.lib.tests import bombs

    cases = {}
    for name, build in bombs.BOMBS.items():
        cases[f"sheet workbook: {name}"] = ("sheets", "sheets.xlsx", build())
        cases[f"plan import: {name}"] = ("plan", "plan.xlsx", build())
    cases["sheet workbook: 100,000 nested brackets"] = ("sheets", "s.json", bombs.nested_json())
    cases["plan import: 100,000 nested brackets"] = (
        "plan",
        "plan.json",
        b'{"nodes": ' + bombs.nested_json()[11:],
    )
    rows = plan_rows(10_000)
    csv = "\r\n".join(",".join(row) for row in [HEADER, *rows]).encode("utf-8-sig")
    cases["normal: plan CSV, 10,000 actions"] = ("plan", "plan.csv", csv)
    workbook = openpyxl.Workbook()
    for row in [HEADER, *rows]:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    cases["normal: plan XLSX, 10,000 actions"] = ("plan", "plan.xlsx", buffer.getvalue())
    workbook = openpyxl.Workbook()
    for row in range(19_999):
        workbook.active.append([row * 10 + column for column in range(10)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    cases["normal: XLSX of 199,990 cells (at the limit)"] = ("xlsx", "big.xlsx", buffer.getvalue())
    return cases


def _peak_rss() -> int:
    """The process's peak resident size in KB since the last reset (VmHWM), else ru_maxrss."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _reset_peak_rss() -> int:
    """Reset the peak to the current size (Linux: clear_refs 5), so growth is the parse's."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
    return _peak_rss()


def measure(reader: str, filename: str, path: str) -> dict:
    """In the subprocess: parse once, return seconds, Python peak and resident growth (MB)."""
    import django

    django.setup()
    from hoshin.evaluations.bulk import BulkFormatError
    from hoshin.evaluations.bulk.readers import read_file
    from hoshin.lib.spreadsheets import SpreadsheetReadError, xlsx_open
    from hoshin.plans.formats.base import PlanFormatError
    from hoshin.plans.formats.detect import parse_plan_file

    data = Path(path).read_bytes()
    parse = {
        "sheets": lambda: read_file(data, filename),
        "plan": lambda: parse_plan_file(data, filename),
        "xlsx": lambda: xlsx_open(data),
    }[reader]
    # Warm up imports and translation catalogues (a running server has them), not counted.
    import openpyxl  # noqa: F401

    with contextlib.suppress(BulkFormatError):
        read_file(b"{" * 100 + b"}" * 100, "w.json")

    def run() -> str:
        try:
            parse()
        except (BulkFormatError, PlanFormatError, SpreadsheetReadError) as exc:
            return str(exc).split(": ", 1)[-1][:60]
        return "read"

    # Time and resident growth of a plain run; then the Python peak of a traced one (tracing
    # slows every allocation down, so it is not timed).
    rss_before = _reset_peak_rss()
    started = time.perf_counter()
    outcome = run()
    seconds = time.perf_counter() - started
    rss_after = _peak_rss()
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "seconds": seconds,
        "python_peak_mb": peak / 2**20,
        "rss_growth_mb": (rss_after - rss_before) / 1024 if rss_after else float("nan"),
        "outcome": outcome,
    }


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] != "--quick":
        print(json.dumps(measure(*sys.argv[1:])))
        return
    import django

    django.setup()
    print(f"{'case':<52} {'bytes':>10} {'s':>6} {'py MB':>7} {'RSS+MB':>7}  outcome")
    with tempfile.TemporaryDirectory(prefix="hoshin-bench-") as tmp:
        for name, (reader, filename, data) in files().items():
            if "--quick" in sys.argv and name.startswith("normal"):
                continue
            path = Path(tmp) / "upload.bin"
            path.write_bytes(data)
            result = subprocess.run(
                [sys.executable, __file__, reader, filename, str(path)],
                capture_output=True,
                text=True,
                check=True,
            )
            figures = json.loads(result.stdout.strip().splitlines()[-1])
            print(
                f"{name:<52} {len(data):>10,} {figures['seconds']:>6.2f}"
                f" {figures['python_peak_mb']:>7.1f} {figures['rss_growth_mb']:>7.1f}"
                f"  {figures['outcome']}"
            )


if __name__ == "__main__":
    main()

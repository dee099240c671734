"""Benchmark: appending to the audit trail's hash chain, and verifying it.

Run with ``.venv/bin/python bench/audit_log.py``. It uses a throw-away SQLite database (or
DATABASE_URL if set), prints its figures and writes nothing else.

Figures:
- 10,000 ``audit_record`` calls, each in its own transaction as services make them: total
  time and time per entry, against the same number of plain inserts (the trail without the
  chain), so the cost of the chain (locking the head, hashing, updating the head) is visible;
- the same 10,000 appends inside one transaction (the chain's CPU and query cost alone);
- ``audit_verify`` over the 20,000 entries.
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
os.environ.setdefault("HOSHIN_AUDIT_HMAC_KEY", "bench-key")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from hoshin.audit.models import AuditEntry  # noqa: E402
from hoshin.audit.selectors import chain_verify  # noqa: E402
from hoshin.audit.services import audit_record  # noqa: E402
from hoshin.org.models import User  # noqa: E402

COUNT = 10_000


def main() -> None:
    call_command("migrate", verbosity=0)
    user = User.objects.create(username="bench-admin")
    data = {"fields": ["overall_grade", "direction"], "count": 12, "comment": "ベンチマーク"}

    started = time.perf_counter()
    for index in range(COUNT):
        with transaction.atomic():
            AuditEntry.objects.create(
                sequence=10_000_000 + index,
                actor=user,
                verb="bench.plain",
                target_type="plans.plan",
                target_id=str(index),
                summary=f"ベンチマークの記録 {index}",
                data=data,
            )
    plain = time.perf_counter() - started
    AuditEntry.objects.filter(verb="bench.plain").delete()

    started = time.perf_counter()
    for index in range(COUNT):
        with transaction.atomic():
            audit_record(
                actor=user,
                verb="bench.chain",
                summary=f"ベンチマークの記録 {index}",
                data=data,
            )
    chained = time.perf_counter() - started

    started = time.perf_counter()
    with transaction.atomic():  # CPU and query cost alone, without a commit per entry
        for index in range(COUNT):
            audit_record(actor=user, verb="bench.batch", summary=f"一括 {index}", data=data)
    batched = time.perf_counter() - started

    started = time.perf_counter()
    report = chain_verify()
    verified = time.perf_counter() - started
    assert report.ok and report.checked >= 2 * COUNT, report

    print(f"database: {django.db.connection.vendor}", flush=True)
    print(f"plain insert   {COUNT:,}: {plain:.2f} s ({plain / COUNT * 1000:.3f} ms each)")
    print(f"chained append {COUNT:,}: {chained:.2f} s ({chained / COUNT * 1000:.3f} ms each)")
    print(f"chained append {COUNT:,} in one transaction: {batched:.2f} s")
    print(f"audit_verify   {2 * COUNT:,}: {verified:.2f} s")


if __name__ == "__main__":
    main()

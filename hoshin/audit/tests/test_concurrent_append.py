"""Concurrent writers (several workers, several app servers) append to one gapless chain.

Each thread has its own database connection, as each gunicorn worker on each server has. On
PostgreSQL they are the test database's connections; with the default in-memory SQLite test
database the migrated database is copied to a file first (an in-memory database exists only
inside one connection), as ``voices/tests/test_concurrent_submissions.py`` does.
"""

import shutil
import sqlite3
import tempfile
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection, connections
from django.db.utils import load_backend

from hoshin.audit.models import AuditEntry
from hoshin.audit.selectors import chain_verify
from hoshin.audit.services import audit_record

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8
EACH = 25


@contextmanager
def own_connections():
    """Yield a function that gives the calling thread its own connection to the test database."""
    if not (connection.vendor == "sqlite" and connection.is_in_memory_db()):
        yield lambda: None  # Django already opens one connection per thread
        return
    folder = Path(tempfile.mkdtemp(prefix="hoshin-audit-"))
    path = folder / "db.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    db_settings = {**connection.settings_dict, "NAME": str(path)}

    def connect():
        wrapper = load_backend(db_settings["ENGINE"]).DatabaseWrapper(dict(db_settings), "default")
        connections["default"] = wrapper
        return wrapper

    memory = connections["default"]
    try:
        mine = connect()  # this thread reads the file afterwards
        yield connect
    finally:
        mine.close()
        connections["default"] = memory
        shutil.rmtree(folder, ignore_errors=True)


def test_parallel_appends_never_share_a_predecessor():
    with own_connections() as connect:

        def worker(index: int) -> None:
            connect()
            try:
                for n in range(EACH):
                    audit_record(actor=None, verb="test.parallel", summary=f"並行 {index}-{n}")
            finally:
                connections["default"].close()

        with ThreadPoolExecutor(max_workers=THREADS) as pool:
            list(pool.map(worker, range(THREADS)))

        sequences = list(
            AuditEntry.objects.order_by("sequence").values_list("sequence", "prev_hash")
        )
        assert [s for s, _ in sequences] == list(range(1, THREADS * EACH + 1))
        assert len({prev for _, prev in sequences}) == THREADS * EACH
        report = chain_verify()
        assert report.ok, report.broken and report.broken.message()
        assert report.checked == THREADS * EACH

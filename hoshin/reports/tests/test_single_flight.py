"""Issue 10, finding 4: after a publication, 4 concurrent requests for the annual report each
built the 9 s PDF and held 4 web workers. Now the report is queued when the data changes, built
once by the worker, and requests meanwhile answer a short 503 "作成中" at once.

Real concurrency: the published data is copied into a SQLite file (the test database lives in
memory, where concurrent connections lock whole tables), a separate process sends 4 requests
at the same instant from 4 threads (each with its own connection, like 4 web workers), and
``manage.py run_worker --batch`` builds. The kept files are the real file store. Before the fix
each of the 4 requests built the PDF itself (4 builds instead of 1).
"""

import json
import sqlite3

import pytest
from django.db import connection
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from hoshin.changes.channel import announce
from hoshin.queue.models import Claim
from hoshin.queue.tests.conftest import manage
from hoshin.reports.tests import conftest as report_data

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # The processes share a SQLite file copied from the test database; on the PostgreSQL run
    # the claim that makes builds single (queue.Claim) is tested by hoshin/queue/tests.
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="copies the SQLite test database into a file"
    ),
]

BUILD = "hoshin.reports.tasks.build_annual_report"

# Run by `manage.py shell -c` in a process of its own: 4 threads, one GET each, all at once.
GET_TOGETHER = """
import hashlib, json, threading
from django.db import connection
from django.test import Client
from hoshin.changes.page_cache import public_version_bump
if {bump}:
    public_version_bump()  # a new version of the data nobody queued a report for
barrier, out = threading.Barrier(4), [None] * 4
def fetch(i):
    try:
        barrier.wait(timeout=60)
        r = Client(HTTP_HOST="127.0.0.1").get({url!r})
        body = b"".join(r.streaming_content) if r.streaming else r.content
        out[i] = [r.status_code, r.get("Retry-After"), hashlib.sha256(body).hexdigest(),
                  body[:4].decode("latin-1"), "作成中" in body.decode("utf-8", "replace")]
    finally:
        connection.close()
threads = [threading.Thread(target=fetch, args=(i,)) for i in range(4)]
[t.start() for t in threads]
[t.join() for t in threads]
print("RESULT" + json.dumps(out))
"""


def get_together(db_file, downloads, url, *, bump=False) -> list:
    done = manage(
        db_file,
        "shell",
        "-c",
        GET_TOGETHER.format(url=url, bump=bump),
        env_extra={"HOSHIN_DOWNLOAD_CACHE_DIR": downloads},
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.split("RESULT", 1)[1])


def build_jobs(db_file) -> list[tuple[str, str]]:
    with sqlite3.connect(db_file) as db:
        return db.execute(
            "SELECT status, return_value FROM django_tasks_database_dbtaskresult "
            "WHERE task_path = ?",
            [BUILD],
        ).fetchall()


def test_a_published_report_is_built_once_for_4_concurrent_requests(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    data = report_data.reports.shared_builder()
    DBTaskResult.objects.all().delete()  # what building the data queued
    Claim.objects.all().delete()
    announce(plan_ids=[data.plan.pk])  # a publication, committed (autocommit)
    assert DBTaskResult.objects.filter(task_path=BUILD).count() == 1  # queued ahead of requests
    db_file = tmp_path / "copy.sqlite3"
    with sqlite3.connect(db_file) as copy:
        connection.ensure_connection()
        connection.connection.backup(copy)
    downloads = settings.HOSHIN_DOWNLOAD_CACHE_DIR
    url = reverse("reports:annual_pdf", args=[data.plan.pk, 2025])

    waiting = get_together(db_file, downloads, url)
    assert [status for status, *_ in waiting] == [503] * 4  # at once, none building
    assert all(int(retry) > 0 and building for _, retry, _, _, building in waiting)
    assert build_jobs(db_file) == [("READY", None)]  # still the one queued job

    worker = manage(
        db_file,
        "run_worker",
        "--batch",
        "--no-reload",
        "--no-startup-delay",
        env_extra={"HOSHIN_DOWNLOAD_CACHE_DIR": downloads},
    )
    assert worker.returncode == 0, worker.stderr
    assert build_jobs(db_file) == [("SUCCESSFUL", '"built"')]
    served = get_together(db_file, downloads, url)
    assert [status for status, *_ in served] == [200] * 4
    assert len({digest for _, _, digest, _, _ in served}) == 1 and served[0][3] == "%PDF"

    # A version nobody queued a report for: 4 requests at the same instant queue ONE build.
    waiting = get_together(db_file, downloads, url, bump=True)
    assert [status for status, *_ in waiting] == [503] * 4
    assert sorted(build_jobs(db_file)) == [("READY", None), ("SUCCESSFUL", '"built"')]

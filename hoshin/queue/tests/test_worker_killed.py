"""A worker killed in the middle of a job (issue 10, "Bad input"): the job runs again on
another worker and its effect happens exactly once.

Real processes: worker A (``manage.py run_worker``) takes a test job that blocks on a file lock
held by this test, is killed with SIGKILL, and worker B (``run_worker --batch``) recovers the
job. django-tasks-db alone leaves such a job RUNNING forever: without ``requeue_stale`` B finds
nothing to do and the job never finishes (the assertions on ``starts`` and the status fail).
"""

import fcntl
import json
import os
import select
import signal
import sqlite3
import subprocess
import sys

import pytest

from hoshin.queue.tests.conftest import ROOT, manage, queue_env

ENQUEUE_AND_WORK = (
    "from django.core.management import call_command;"
    "from hoshin.queue.tests.tasks import gated_effect;"
    "gated_effect.enqueue('job-1', '{folder}');"
    "call_command('run_worker', '--no-reload', '--no-startup-delay', '--interval', '0.1')"
)


def read_signal(fd: int, expected: str, timeout: float = 120) -> None:
    """Wait for the worker to report ``expected`` through the pipe (select: no polling)."""
    buffer = b""
    while expected.encode() not in buffer:
        ready, _, _ = select.select([fd], [], [], timeout)
        assert ready, f"the worker never reported {expected!r} (got {buffer!r})"
        chunk = os.read(fd, 1024)
        assert chunk, f"the worker closed the pipe before {expected!r} (got {buffer!r})"
        buffer += chunk


def job_row(db_file):
    with sqlite3.connect(db_file) as db:
        return db.execute(
            "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult "
            "WHERE task_path LIKE '%gated_effect'"
        ).fetchall()


def as_if_long_ago(db_file) -> None:
    """What HOSHIN_TASK_STALE_SECONDS of silence looks like, without waiting for it."""
    with sqlite3.connect(db_file) as db:
        db.execute("UPDATE queue_workerbeat SET beat_at = '2000-01-01 00:00:00'")
        db.execute(
            "UPDATE django_tasks_database_dbtaskresult SET started_at = '2000-01-01 00:00:00' "
            "WHERE status = 'RUNNING'"
        )


@pytest.mark.parametrize("killed", ["before the effect", "after the effect"])
def test_a_killed_workers_job_runs_again_and_its_effect_happens_once(queue_db, tmp_path, killed):
    folder = tmp_path / "job"
    folder.mkdir()
    gates = {}
    for name in ("before", "after"):
        gates[name] = (folder / name).open("a")
        fcntl.flock(gates[name], fcntl.LOCK_EX)  # the job waits at both gates
    if killed == "after the effect":
        gates.pop("before").close()  # let worker A do the effect, then stop it at "after"
    read_end, write_end = os.pipe()
    worker_a = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "shell",
            "-c",
            ENQUEUE_AND_WORK.format(folder=folder),
        ],
        env=queue_env(queue_db, HOSHIN_TEST_SIGNAL_FD=str(write_end)),
        cwd=ROOT,
        pass_fds=[write_end],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        read_signal(read_end, "started" if killed == "before the effect" else "effected")
        worker_a.send_signal(signal.SIGKILL)
        worker_a.wait(timeout=60)
    finally:
        if worker_a.poll() is None:
            worker_a.kill()
        os.close(read_end)
        os.close(write_end)
    [(status, worker_ids)] = job_row(queue_db)
    assert status == "RUNNING"  # what django-tasks-db leaves behind on its own

    for gate in gates.values():
        gate.close()  # worker B may pass
    # A worker that finds the dead worker's job still fresh leaves it alone...
    done = manage(queue_db, "run_worker", "--batch", "--no-reload", "--no-startup-delay")
    assert done.returncode == 0, done.stderr
    assert job_row(queue_db)[0][0] == "RUNNING"
    # ...and takes it back once the dead worker has been silent for HOSHIN_TASK_STALE_SECONDS.
    as_if_long_ago(queue_db)
    done = manage(queue_db, "run_worker", "--batch", "--no-reload", "--no-startup-delay")
    assert done.returncode == 0, done.stderr

    [(status, worker_ids)] = job_row(queue_db)
    assert status == "SUCCESSFUL"
    assert len(json.loads(worker_ids)) == 2  # worker A, then worker B
    assert len((folder / "starts").read_text().split()) == 2  # it ran again...
    assert len((folder / "effects").read_text().split()) == 1  # ...and did its work once

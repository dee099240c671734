"""Test-only jobs for the queue's tests: they block on a file lock held by the test (never on
a sleep) and report through a pipe the test passes to the worker process."""

import fcntl
import os
from pathlib import Path

from django.db import transaction
from django_tasks import task

from hoshin.queue.services import mark_once


def _signal(what: str) -> None:
    fd = os.environ.get("HOSHIN_TEST_SIGNAL_FD")
    if fd:
        os.write(int(fd), f"{what} {os.getpid()}\n".encode())


def _pass(gate: Path) -> None:
    """Wait until the test lets go of ``gate`` (an flock: blocks in the kernel, no polling)."""
    with gate.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        fcntl.flock(handle, fcntl.LOCK_UN)


@task()
def gated_effect(key: str, folder: str) -> str:
    """Start, wait at gate "before", do the effect once (marked in its transaction), signal,
    wait at gate "after", finish. The effect is a line appended to ``effects``."""
    folder = Path(folder)
    with (folder / "starts").open("a") as log:
        log.write(f"{os.getpid()}\n")
    _signal("started")
    _pass(folder / "before")
    with transaction.atomic():
        if mark_once(f"test|{key}"):
            with (folder / "effects").open("a") as log:
                log.write(f"{os.getpid()}\n")
    _signal("effected")
    _pass(folder / "after")
    return "done"

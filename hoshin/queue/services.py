"""Enqueue jobs and make them safe to run more than once (at-least-once delivery).

django-tasks-db marks a job RUNNING when a worker takes it and leaves it so if that worker dies:
:func:`requeue_stale` puts such jobs back (their worker stopped heart-beating, :func:`beat`).
A job that runs again must not do its work twice: :func:`mark_once` records an effect in the
transaction that makes it, :func:`claim` lets one process of many build a file.
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from hoshin.queue.models import Claim, Mark, WorkerBeat

logger = logging.getLogger(__name__)

RUNNING, READY, FAILED = "RUNNING", "READY", "FAILED"


def enqueue(task, *args, **kwargs) -> None:
    """Queue ``task`` so that it runs only if the caller's transaction commits.

    On the database backend the job's row is written inside the caller's transaction: it
    becomes visible to workers with the data it is about, and disappears with it on a rollback
    (no job can be lost between a commit and an enqueue). Other backends (immediate, in
    development and tests) enqueue after the commit, as ``transaction.on_commit`` does.
    """
    if isinstance(task.get_backend(), DatabaseBackend):
        task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(partial(task.enqueue, *args, **kwargs), robust=True)


def mark_once(key: str) -> bool:
    """Record that ``key`` is done, inside the caller's transaction; False if it already was.

    Call it in the same ``transaction.atomic()`` block as the effect (an e-mail sent last, a
    row written): if the effect fails, the mark rolls back and a retry does it; if the mark is
    there, the effect was committed and a re-run skips it. The one gap: a process killed after
    an e-mail left the mail server but before the commit sends it again on the re-run (at
    least once, never lost).
    """
    try:
        with transaction.atomic():
            Mark.objects.create(key=key[:255])
    except IntegrityError:
        return False
    return True


def claim(key: str, *, stale_after: float) -> bool:
    """Take the right to build ``key`` (one winner across processes and servers).

    True for the first caller, and for a caller that finds the claim older than ``stale_after``
    seconds (its builder died); False while another one holds it.
    """
    now = timezone.now()
    try:
        with transaction.atomic():
            Claim.objects.create(key=key[:255], claimed_at=now)
        return True
    except IntegrityError:
        cutoff = now - datetime.timedelta(seconds=stale_after)
        # A conditional update: of two callers that find the same stale claim, one updates it.
        return bool(
            Claim.objects.filter(key=key[:255], claimed_at__lt=cutoff).update(claimed_at=now)
        )


def release(key: str) -> None:
    """Give a claim up (the build failed: the next request may try again at once)."""
    Claim.objects.filter(key=key[:255]).delete()


def beat(worker_id: str) -> None:
    """Record that this worker process is alive (called every third of the stale time)."""
    WorkerBeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
            "beat_at": timezone.now(),
        },
    )


def requeue_stale(
    *, now: datetime.datetime | None = None, stale_seconds: int | None = None
) -> tuple[list[str], list[str]]:
    """Put jobs of dead workers back on the queue; returns (requeued ids, failed ids).

    A job is stale when it has been RUNNING for more than ``HOSHIN_TASK_STALE_SECONDS`` and
    the worker running it has not beaten for as long (a worker without heartbeats, such as a
    plain ``db_worker``, counts as dead after that time). A job already started
    ``HOSHIN_TASK_MAX_ATTEMPTS`` times is marked FAILED instead: it may be what kills workers.
    """
    now = now or timezone.now()
    stale = settings.HOSHIN_TASK_STALE_SECONDS if stale_seconds is None else stale_seconds
    cutoff = now - datetime.timedelta(seconds=stale)
    alive = set(WorkerBeat.objects.filter(beat_at__gte=cutoff).values_list("worker_id", flat=True))
    requeued, failed = [], []
    candidates = DBTaskResult.objects.filter(status=RUNNING, started_at__lt=cutoff)
    for job in candidates.only("id", "worker_ids", "started_at"):
        if job.worker_ids and job.worker_ids[-1] in alive:
            continue
        # Conditional on the row being unchanged, so two workers recovering at once (or the
        # job finishing meanwhile) never requeue it twice.
        same = DBTaskResult.objects.filter(pk=job.pk, status=RUNNING, started_at=job.started_at)
        if len(job.worker_ids) >= settings.HOSHIN_TASK_MAX_ATTEMPTS:
            if same.update(
                status=FAILED,
                finished_at=now,
                exception_class_path="hoshin.queue.services.WorkerLost",
                traceback=f"worker {job.worker_ids[-1]} stopped during attempt "
                f"{len(job.worker_ids)} of {settings.HOSHIN_TASK_MAX_ATTEMPTS}",
            ):
                failed.append(str(job.pk))
        elif same.update(status=READY, started_at=None):
            requeued.append(str(job.pk))
    for ids, what in ((requeued, "requeued"), (failed, "failed after too many attempts")):
        if ids:
            logger.warning("jobs of stopped workers %s: %s", what, ", ".join(ids))
    return requeued, failed


def queue_prune(*, now: datetime.datetime | None = None, days: int = 30) -> int:
    """Delete what no job can need any more: finished jobs, and the marks, claims and
    heartbeats older than ``days`` (a mark only guards re-runs of a job still in the table).
    Returns the number of rows deleted."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    deleted = DBTaskResult.objects.filter(
        status__in=["SUCCESSFUL", "FAILED"], finished_at__lt=cutoff
    ).delete()[0]
    running_since = DBTaskResult.objects.exclude(status__in=["SUCCESSFUL", "FAILED"])
    oldest = running_since.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    marks_before = min(cutoff, oldest) if oldest else cutoff  # never a mark a queued job needs
    deleted += Mark.objects.filter(done_at__lt=marks_before).delete()[0]
    deleted += Claim.objects.filter(claimed_at__lt=cutoff).delete()[0]
    deleted += WorkerBeat.objects.filter(beat_at__lt=cutoff).delete()[0]
    return deleted

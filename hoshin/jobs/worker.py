"""The queue's worker: django-tasks-db's worker loop plus heartbeats and recovery.

django-tasks-db leaves a job RUNNING forever when the worker running it dies (kill -9, out of
memory, a lost machine). This worker records a heartbeat (``hoshin.queue.models.WorkerBeat``)
every third of ``HOSHIN_TASK_STALE_SECONDS`` from a thread, and, when it starts and at every
beat, puts back on the queue the jobs of workers that stopped beating
(``hoshin.queue.services.requeue_stale``). Jobs are written to be run twice safely.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import OperationalError, connection
from django_tasks_db.management.commands.db_worker import Worker

from hoshin.queue.services import beat, requeue_stale

logger = logging.getLogger(__name__)


class HoshinWorker(Worker):
    """A ``db_worker`` that beats and recovers the jobs of dead workers."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._stop_beating = threading.Event()

    def _beat_and_recover(self) -> None:
        try:
            beat(self.worker_id)
            requeue_stale()
        except OperationalError as exc:  # a locked SQLite file: the next beat will do
            logger.warning("worker heartbeat skipped: %s", exc)

    def _beat_forever(self) -> None:
        interval = max(settings.HOSHIN_TASK_STALE_SECONDS / 3, 0.5)
        try:
            while not self._stop_beating.wait(interval):
                self._beat_and_recover()
        finally:
            connection.close()  # this thread's own connection

    def run(self) -> None:
        self._beat_and_recover()  # before the first job: a batch run recovers too
        beating = threading.Thread(target=self._beat_forever, name="heartbeat", daemon=True)
        beating.start()
        try:
            super().run()
        finally:
            self._stop_beating.set()


def run_queued(*, worker_id: str = "in-process") -> None:
    """Run every job queued now in this process, then return (tests and benchmarks).

    Call it in autocommit mode (not inside a transaction, e.g. a transactional test): the worker
    loop closes connections it finds in a transaction, as after a request.
    """
    HoshinWorker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    ).run()

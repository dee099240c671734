"""The one list of hoshin's periodic jobs, and how a scheduler puts them on the queue.

``manage.py run_scheduler`` decides *when* (once a day at ``HOSHIN_REMINDER_HOUR``); the queue's
workers (``manage.py run_worker``) do the work. Each periodic run is enqueued once per job and
day, even with a scheduler running on every server: a ``hoshin.queue.models.Mark`` row keyed
``schedule|<job>|<day>`` is written in the transaction that enqueues it.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from hoshin.audit.selectors import chain_verify
from hoshin.evaluations.services.reminders import reminders_send
from hoshin.jobs.tasks import run_periodic_job
from hoshin.queue.services import mark_once, queue_prune
from hoshin.throttle import counters
from hoshin.voices.services.loop import voices_notify_results
from hoshin.voices.services.reminders import voice_reminders_send
from hoshin.voices.services.retention import personal_data_purge

logger = logging.getLogger(__name__)


@dataclass
class Job:
    """A job run once a day at ``hour``; ``run(day)`` returns False when it should be retried."""

    name: str
    hour: int
    run: Callable[[datetime.date], bool]


def send_reminders_work(day: datetime.date) -> bool:
    report = reminders_send(today=day)
    logger.info(
        "send_reminders %s: sent %d, already %d, no e-mail %d, failed %d",
        day,
        len(report.sent),
        len(report.already_sent),
        len(report.no_email),
        len(report.failed),
    )
    return not report.failed


def _voice_reminders(day: datetime.date) -> bool:
    return not voice_reminders_send(today=day).failed


def _notify(day: datetime.date) -> bool:
    return not voices_notify_results().failed


def _purge(day: datetime.date) -> bool:
    personal_data_purge(today=day)
    return True


def _prune_queue(day: datetime.date) -> bool:
    queue_prune()
    return True


def _throttle_cleanup(day: datetime.date) -> bool:
    # Ended windows count as zero anyway; this only keeps the counters' table small.
    logger.info("throttle_cleanup %s: deleted %d", day, counters.cleanup())
    return True


def _verify_audit_log(day: datetime.date) -> bool:
    # The newest sequence and hash go to the log, i.e. outside the database: that is what lets
    # rows removed at the end (with a rolled-back chain head) be noticed later
    # (docs/audit-log.md). A broken chain is an error for the operators, not a job to retry.
    report = chain_verify()
    if report.ok:
        logger.info(
            "audit_verify %s: %d entries intact, newest %s %s",
            day,
            report.checked,
            report.last_sequence,
            report.last_hash,
        )
    else:
        logger.error("audit_verify %s: BROKEN at %s", day, report.broken.message())
    return True


# What each periodic job does, by name; every one is safe to run twice on a day (see
# docs/scheduled-jobs.md, "safe to repeat?"), as a re-run after a lost worker requires.
WORK: dict[str, Callable[[datetime.date], bool]] = {
    "send_reminders": send_reminders_work,
    "send_voice_reminders": _voice_reminders,
    "notify_voice_writers": _notify,
    "purge_personal_data": _purge,
    "prune_queue": _prune_queue,
    "audit_verify": _verify_audit_log,
    "throttle_cleanup": _throttle_cleanup,
}


class JobFailed(Exception):
    """A periodic job reported failures (e.g. the mail server refused some e-mails)."""


def enqueue_periodic(name: str, day: datetime.date) -> bool:
    """Put today's run of job ``name`` on the queue unless any scheduler already did.

    Returns False when the run failed at once (the immediate backend runs it here): the mark
    rolls back with it and the scheduler tries again later.
    """
    try:
        with transaction.atomic():
            if not mark_once(f"schedule|{name}|{day.isoformat()}"):
                return True  # another scheduler (another server) enqueued it
            result = run_periodic_job.enqueue(name, day.isoformat())
            if result.status == "FAILED":
                raise JobFailed(name)
    except JobFailed:
        return False
    return True


def scheduled_jobs(*, hour: int | None = None) -> list[Job]:
    """Every scheduled job of hoshin. Add a job to WORK and docs/scheduled-jobs.md."""
    hour = settings.HOSHIN_REMINDER_HOUR if hour is None else hour
    return [Job(name, hour, lambda day, name=name: enqueue_periodic(name, day)) for name in WORK]

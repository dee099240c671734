"""The queue's task for periodic jobs (the list is ``hoshin.jobs.schedule.WORK``)."""

import datetime
import logging

from django.utils import timezone
from django_tasks import task
from django_tasks_db import DatabaseBackend

logger = logging.getLogger(__name__)

RETRY_SECONDS = 15 * 60


@task()
def run_periodic_job(name: str, day: str) -> bool:
    """Run the periodic job ``name`` for ``day``; on failure try again in 15 minutes that day.

    Each job is safe to run twice on a day (its own log rows), so a re-run after a lost worker
    or a retry sends nobody a second e-mail.
    """
    from hoshin.jobs.schedule import WORK, JobFailed

    when = datetime.date.fromisoformat(day)
    if WORK[name](when):
        return True
    retry_at = timezone.now() + datetime.timedelta(seconds=RETRY_SECONDS)
    if isinstance(run_periodic_job.get_backend(), DatabaseBackend) and (
        timezone.localdate(retry_at) == when
    ):
        run_periodic_job.using(run_after=retry_at).enqueue(name, day)
        logger.warning("periodic job %s of %s failed; retrying at %s", name, day, retry_at)
    raise JobFailed(f"{name} {day}")

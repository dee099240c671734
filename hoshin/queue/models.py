"""What makes queued jobs safe to run twice: once-markers, build claims, worker heartbeats.

The queue (django-tasks-db) delivers a job at least once: a worker killed after the job's effect
but before it marked the job done makes the job run again. Every job therefore checks a marker
written in the same transaction as its effect (see ``hoshin.queue.services``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Mark(models.Model):
    """A thing done once: an e-mail to one recipient, one scheduled run of a job in a period.

    Inserted in the same transaction as the effect it records, so the unique key both records
    and excludes: a second attempt's insert fails and it does nothing.
    """

    key = models.CharField(_("キー"), max_length=255, unique=True)
    done_at = models.DateTimeField(_("実行日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("実行済みの記録")
        verbose_name_plural = _("実行済みの記録")

    def __str__(self) -> str:
        return self.key


class Claim(models.Model):
    """Who builds a file (single flight across processes and servers): one row per file key.

    A claim older than its staleness limit may be taken over (its builder died).
    """

    key = models.CharField(_("キー"), max_length=255, unique=True)
    claimed_at = models.DateTimeField(_("取得日時"))

    class Meta:
        verbose_name = _("作成の担当")
        verbose_name_plural = _("作成の担当")

    def __str__(self) -> str:
        return self.key


class WorkerBeat(models.Model):
    """The last sign of life of a worker process (``manage.py run_worker``)."""

    worker_id = models.CharField(_("ワーカーID"), max_length=64, primary_key=True)
    host = models.CharField(_("ホスト"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("プロセスID"), default=0)
    beat_at = models.DateTimeField(_("最終応答日時"))

    class Meta:
        verbose_name = _("ワーカーの応答")
        verbose_name_plural = _("ワーカーの応答")

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.host}:{self.pid})"

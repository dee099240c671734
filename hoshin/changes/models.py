"""The version of everything citizens can see, replaced by every announced change."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoshin.changes.channel import public_data_changing


class PublicState(models.Model):
    """One row: the version of everything citizens can see, replaced by every change to it.

    The page cache keys its pages and ETags on ``version``. A fresh random value (rather than a
    counter) means a rolled-back transaction can never make two different states share one
    version: the row itself rolls back with the data it described.
    """

    SINGLETON = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON)
    version = models.UUIDField(_("版"), default=uuid.uuid4)
    changed_at = models.DateTimeField(_("最終更新日時"))

    class Meta:
        # The table was created by the portal app, where this model lived first.
        db_table = "portal_publicstate"
        verbose_name = _("公開データの版")
        verbose_name_plural = _("公開データの版")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="public_state_single_row")]

    def __str__(self) -> str:
        return f"{self.version} ({self.changed_at:%Y-%m-%d %H:%M:%S})"

    @classmethod
    def current(cls) -> "PublicState | None":
        """The row, or None before public data has ever changed (then nothing is cached)."""
        return cls.objects.filter(pk=cls.SINGLETON).first()

    @classmethod
    def bump(cls) -> None:
        """Give the public data a new version, inside the caller's transaction."""
        values = {"version": uuid.uuid4(), "changed_at": timezone.now()}
        if cls.objects.filter(pk=cls.SINGLETON).update(**values):
            return
        # First change ever. Two transactions may get here at once: the loser's insert is
        # ignored (it waits for the winner's row on PostgreSQL) and its update then wins.
        cls.objects.bulk_create([cls(pk=cls.SINGLETON, **values)], ignore_conflicts=True)
        cls.objects.filter(pk=cls.SINGLETON).update(**values)


def _public_data_changing(sender, **kwargs) -> None:
    PublicState.bump()


# Connected here rather than in a view module so that every process that writes (web workers,
# management commands, the scheduler) bumps the version: models are always loaded.
public_data_changing.connect(_public_data_changing, dispatch_uid="changes-public-state")

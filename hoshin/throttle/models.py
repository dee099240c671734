"""One counter per name (a rate limit's scope and subject), shared by every server process."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Counter(models.Model):
    """Hits of one name in its current window; written only by ``hoshin.throttle.counters``.

    ``expires_at`` is a Unix time (seconds, float) rather than a DateTimeField so that the
    atomic upsert in ``counters`` compares numbers with one SQL text on SQLite and PostgreSQL.
    """

    name = models.CharField(_("名前"), max_length=255, unique=True)
    hits = models.PositiveIntegerField(_("回数"), default=0)
    expires_at = models.FloatField(_("期限（UNIX時刻）"), db_index=True)

    class Meta:
        verbose_name = _("回数カウンター")
        verbose_name_plural = _("回数カウンター")

    def __str__(self) -> str:
        return f"{self.name}: {self.hits}"

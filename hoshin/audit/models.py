"""The audit trail: one row per security-relevant event or change made through a service.

Rows form a hash chain (``chain.py``): ``sequence`` is gapless, ``prev_hash`` is the hash of
the row before, ``entry_hash`` covers this row and ``prev_hash``. ``AuditChainHead`` is a single
row holding the newest sequence and hash: appends lock it (one writer at a time, on every app
server), and ``audit_verify`` compares the last row with it to notice rows removed at the end.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    sequence = models.PositiveBigIntegerField(_("通番"), unique=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作者"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The actor as recorded (id and username at the time): the chain covers these, not the
    # foreign key, which becomes empty when the user is deleted.
    actor_key = models.BigIntegerField(_("操作者ID"), null=True, blank=True)
    actor_name = models.CharField(_("操作者名"), max_length=150, blank=True)
    verb = models.CharField(_("操作"), max_length=60)
    target_type = models.CharField(_("対象の種類"), max_length=60)
    target_id = models.CharField(_("対象ID"), max_length=40, blank=True)
    summary = models.CharField(_("概要"), max_length=300)
    data = models.JSONField(_("詳細"), default=dict, blank=True)
    at = models.DateTimeField(_("日時"), default=timezone.now, db_index=True)
    prev_hash = models.CharField(_("直前の記録のハッシュ"), max_length=64)
    entry_hash = models.CharField(_("ハッシュ"), max_length=64)

    class Meta:
        verbose_name = _("操作記録")
        verbose_name_plural = _("操作記録")
        ordering = ["-sequence"]
        indexes = [
            models.Index(fields=["target_type", "target_id"]),
            models.Index(fields=["verb"]),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.at:%Y-%m-%d %H:%M} {self.verb} {self.summary}"


class AuditChainHead(models.Model):
    """The newest entry of the chain (one row, pk 1); written with every append."""

    sequence = models.PositiveBigIntegerField(_("最新の通番"), default=0)
    entry_hash = models.CharField(_("最新のハッシュ"), max_length=64, blank=True)
    seal = models.CharField(_("検証値"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("操作記録の末尾")
        verbose_name_plural = _("操作記録の末尾")

    def __str__(self) -> str:
        return f"#{self.sequence} {self.entry_hash[:12]}"

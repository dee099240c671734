"""The audit trail: one row per change made through a service."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作者"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verb = models.CharField(_("操作"), max_length=60)
    target_type = models.CharField(_("対象の種類"), max_length=60)
    target_id = models.CharField(_("対象ID"), max_length=40, blank=True)
    summary = models.CharField(_("概要"), max_length=300)
    data = models.JSONField(_("詳細"), default=dict, blank=True)
    at = models.DateTimeField(_("日時"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("操作記録")
        verbose_name_plural = _("操作記録")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.verb} {self.summary}"

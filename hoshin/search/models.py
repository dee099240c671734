"""The search index: one row per searchable thing, plus an engine-specific full-text table.

``SearchEntry`` keeps what a result needs to be shown (title, the text for the snippet, the
URL and where it belongs) without touching the source tables. The full-text part lives in a
table the search backend owns (an FTS5 virtual table on SQLite, a GIN-indexed tsvector on
PostgreSQL — see backends.py), keyed by ``SearchEntry.id``. Both are written only by
services.py, in the same transaction.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryKind(models.TextChoices):
    PLAN = "plan", _("計画")
    NODE = "node", _("施策")
    ACTION = "action", _("取組")
    SHEET = "sheet", _("評価結果")
    VOICE = "voice", _("市民の声")


class Scope(models.TextChoices):
    """Who may find the entry. Only PUBLIC entries ever reach the public search."""

    PUBLIC = "public", _("公開")
    STAFF = "staff", _("職員（公開前の計画）")
    DRAFT_SHEET = "draft", _("職員（公表前の評価シート）")


class SearchEntry(models.Model):
    kind = models.CharField(_("種類"), max_length=10, choices=EntryKind.choices)
    object_id = models.PositiveIntegerField(_("対象のID"))
    scope = models.CharField(_("公開範囲"), max_length=10, choices=Scope.choices)
    plan_id = models.PositiveIntegerField(_("計画のID"), null=True, blank=True, db_index=True)
    fy = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    grade = models.CharField(_("総合評価"), max_length=10, blank=True)
    direction = models.CharField(_("今後の方向性"), max_length=30, blank=True)
    department_ids = models.JSONField(_("担当課"), default=list, blank=True)
    title = models.CharField(_("表題"), max_length=600)
    context = models.CharField(_("所在"), max_length=600, blank=True)
    body = models.TextField(_("本文"), blank=True)
    url = models.CharField(_("URL"), max_length=300)
    updated_at = models.DateTimeField(_("索引の更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("検索索引")
        verbose_name_plural = _("検索索引")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

"""What happens around a sheet: its stage changes, revisions, staff comments, reminder mails
and the workbooks uploaded to fill many sheets at once."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hoshin.evaluations.models.sheets import EvaluationCycle, EvaluationSheet, Stage
from hoshin.org.models import Department


class SheetTransition(models.Model):
    """One move of a sheet through the workflow: who, when, from, to and why."""

    sheet = models.ForeignKey(
        EvaluationSheet,
        verbose_name=_("評価シート"),
        on_delete=models.CASCADE,
        related_name="transitions",
    )
    from_stage = models.CharField(_("変更前"), max_length=20, choices=Stage.choices)
    to_stage = models.CharField(_("変更後"), max_length=20, choices=Stage.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作者"), null=True, on_delete=models.SET_NULL
    )
    at = models.DateTimeField(_("日時"), auto_now_add=True)
    comment = models.TextField(_("コメント"), blank=True)

    class Meta:
        verbose_name = _("段階の変更")
        verbose_name_plural = _("段階の変更")
        ordering = ["sheet", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_from_stage_display()} → {self.get_to_stage_display()}"


class SheetRevision(models.Model):
    """The field changes of one save: ``changes`` maps a field path to ``[old, new]``."""

    sheet = models.ForeignKey(
        EvaluationSheet,
        verbose_name=_("評価シート"),
        on_delete=models.CASCADE,
        related_name="revisions",
    )
    version = models.PositiveIntegerField(_("版"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("更新者"), null=True, on_delete=models.SET_NULL
    )
    at = models.DateTimeField(_("日時"), auto_now_add=True)
    source = models.CharField(_("経路"), max_length=30, default="form")
    changes = models.JSONField(_("変更内容"), default=dict)

    class Meta:
        verbose_name = _("変更履歴")
        verbose_name_plural = _("変更履歴")
        ordering = ["sheet", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "version"], name="revision_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.sheet} 第{self.version}版"


class SheetComment(models.Model):
    """A comment between staff on a sheet (never public)."""

    sheet = models.ForeignKey(
        EvaluationSheet,
        verbose_name=_("評価シート"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("投稿者"), null=True, on_delete=models.SET_NULL
    )
    department = models.ForeignKey(
        Department, verbose_name=_("部署"), null=True, blank=True, on_delete=models.SET_NULL
    )
    body = models.TextField(_("コメント"), max_length=4000)
    at = models.DateTimeField(_("日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("職員コメント")
        verbose_name_plural = _("職員コメント")
        ordering = ["sheet", "at", "id"]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:30]}"


class ReminderLog(models.Model):
    """One reminder digest sent to one person on one day (there is never a second)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("宛先"), on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("日付"))
    sheet_count = models.PositiveIntegerField(_("件数"))
    sent_at = models.DateTimeField(_("送信日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("督促メール")
        verbose_name_plural = _("督促メール")
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="reminder_once_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.day}"


# ---------------------------------------------------------------------------------------------
# The bulk round trip (hoshin.evaluations.bulk): an uploaded workbook waiting to be applied.


class SheetUpload(models.Model):
    """A department's filled-in sheet workbook (XLSX or JSON), kept between preview and apply."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("確認待ち")
        APPLIED = "applied", _("反映済み")
        DISCARDED = "discarded", _("取消")

    file = models.FileField(_("ファイル"), upload_to="sheet-uploads/%Y/%m/")
    original_name = models.CharField(_("元のファイル名"), max_length=300)
    cycle = models.ForeignKey(
        EvaluationCycle,
        verbose_name=_("評価年度"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("アップロードの画面で選んだ計画と年度（ファイルの内容と照合します）"),
    )
    status = models.CharField(
        _("状態"), max_length=20, choices=Status.choices, default=Status.PREVIEWED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登録者"),
        on_delete=models.CASCADE,
        related_name="sheet_uploads",
    )
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    applied_at = models.DateTimeField(_("反映日時"), null=True, blank=True)
    applied_sheets = models.PositiveIntegerField(_("反映したシート数"), default=0)
    applied_fields = models.PositiveIntegerField(_("反映した項目数"), default=0)

    class Meta:
        verbose_name = _("評価シートの一括取込")
        verbose_name_plural = _("評価シートの一括取込")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.original_name

"""Minutes (会議録) of the committee's meetings: attendance, agenda and text; drafted by the
secretariat, commented on by members, then published."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hoshin.committees.models.hearings import HearingSession
from hoshin.committees.models.register import Committee, CommitteeMember


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("作成中")
    COMMENTING = "commenting", _("委員の確認中")
    PUBLISHED = "published", _("公表済み")


class Minutes(models.Model):
    """The minutes of one meeting (a hearing session or any other meeting of the committee).
    Members absent are the members in term that day who are not in ``present``."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("委員会"), on_delete=models.CASCADE, related_name="minutes"
    )
    session = models.OneToOneField(
        HearingSession,
        verbose_name=_("ヒアリング"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="minutes",
    )
    title = models.CharField(_("会議名"), max_length=200)
    held_on = models.DateField(_("開催日"))
    place = models.CharField(_("会場"), max_length=200, blank=True)
    present = models.ManyToManyField(
        CommitteeMember, verbose_name=_("出席委員"), blank=True, related_name="minutes_present"
    )
    secretariat_attendees = models.TextField(_("事務局の出席者"), blank=True)
    observers = models.TextField(_("傍聴者・説明員"), blank=True)
    agenda = models.TextField(_("議題"), blank=True)
    body = models.TextField(_("議事の概要"), blank=True)
    status = models.CharField(
        _("状態"), max_length=20, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    version = models.PositiveIntegerField(_("版"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("更新した職員"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("公表日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("会議録")
        verbose_name_plural = _("会議録")
        ordering = ["committee", "held_on", "id"]

    def __str__(self) -> str:
        return f"{self.committee} {self.title}"


class MinutesComment(models.Model):
    """A member's comment on draft minutes (never public)."""

    minutes = models.ForeignKey(
        Minutes, verbose_name=_("会議録"), on_delete=models.CASCADE, related_name="comments"
    )
    member = models.ForeignKey(
        CommitteeMember, verbose_name=_("委員"), on_delete=models.CASCADE, related_name="+"
    )
    body = models.TextField(_("コメント"))
    created_at = models.DateTimeField(_("日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("会議録へのコメント")
        verbose_name_plural = _("会議録へのコメント")
        ordering = ["minutes", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.member}: {self.body[:30]}"

"""Hearings with the departments, advance questions, and the city's responses (対応方針) to the
committee's opinions with their two-year follow-up."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from hoshin.committees.models.register import Committee, CommitteeMember
from hoshin.committees.models.scoring import Opinion
from hoshin.committees.models.selection import ReviewTarget
from hoshin.evaluations.models.sheets import MONEY  # 千円, whole numbers, as sheets keep money
from hoshin.org.models import Department


class HearingSession(models.Model):
    """A hearing session (ヒアリング) of a committee: a date and a place, with its time slots."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("委員会"), on_delete=models.CASCADE, related_name="hearings"
    )
    held_on = models.DateField(_("開催日"))
    place = models.CharField(_("会場"), max_length=200)
    note = models.TextField(_("備考"), blank=True)

    class Meta:
        verbose_name = _("ヒアリング")
        verbose_name_plural = _("ヒアリング")
        ordering = ["committee", "held_on", "id"]

    def __str__(self) -> str:
        return f"{self.committee} {self.held_on} {self.place}"


class HearingSlot(models.Model):
    """One target's time in a session, with the department's attendees."""

    session = models.ForeignKey(
        HearingSession, verbose_name=_("ヒアリング"), on_delete=models.CASCADE, related_name="slots"
    )
    target = models.ForeignKey(
        ReviewTarget,
        verbose_name=_("評価対象"),
        on_delete=models.CASCADE,
        related_name="hearing_slots",
    )
    starts_at = models.TimeField(_("開始時刻"))
    ends_at = models.TimeField(_("終了時刻"))
    attendees = models.TextField(_("担当課の出席者"), blank=True)
    site_visit = models.BooleanField(_("現地視察"), default=False)

    class Meta:
        verbose_name = _("ヒアリングの時間割")
        verbose_name_plural = _("ヒアリングの時間割")
        ordering = ["session", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="slot_ends_after_start"
            ),
            models.UniqueConstraint(fields=["session", "target"], name="slot_unique_target"),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%H:%M}–{self.ends_at:%H:%M} {self.target}"


class AdvanceQuestion(models.Model):
    """A question sent to the department before the hearing, and its written answer."""

    target = models.ForeignKey(
        ReviewTarget, verbose_name=_("評価対象"), on_delete=models.CASCADE, related_name="questions"
    )
    member = models.ForeignKey(
        CommitteeMember,
        verbose_name=_("質問した委員"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    question = models.TextField(_("質問"))
    answer = models.TextField(_("回答"), blank=True)
    asked_at = models.DateTimeField(_("質問日時"), auto_now_add=True)
    answered_at = models.DateTimeField(_("回答日時"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("回答した職員"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("事前質問")
        verbose_name_plural = _("事前質問")
        ordering = ["target", "asked_at", "id"]

    def __str__(self) -> str:
        return self.question[:40]


class ResponseStance(models.TextChoices):
    ACCEPT = "accept", _("対応する")
    PARTLY = "partly", _("一部対応する")
    NOT = "not", _("対応しない")


class CityResponse(models.Model):
    """The city's response (対応方針) to one opinion: the stance and its reason, the planned
    action and the amount reflected in the budget. ``version`` guards against lost edits."""

    opinion = models.OneToOneField(
        Opinion, verbose_name=_("委員会の意見"), on_delete=models.CASCADE, related_name="response"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("担当課"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="committee_responses",
    )
    stance = models.CharField(_("対応"), max_length=20, choices=ResponseStance.choices)
    reason = models.TextField(_("理由"), blank=True)
    planned_action = models.TextField(_("今後の取組"), blank=True)
    budget_amount = models.DecimalField(_("予算への反映額（千円）"), null=True, blank=True, **MONEY)
    version = models.PositiveIntegerField(_("版"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("更新した職員"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("対応方針")
        verbose_name_plural = _("対応方針")
        constraints = [
            models.CheckConstraint(
                condition=Q(stance="accept") | ~Q(reason=""), name="response_reason_unless_accepted"
            )
        ]

    def __str__(self) -> str:
        return f"{self.opinion}: {self.get_stance_display()}"


class FollowUpStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未着手")
    IN_PROGRESS = "in_progress", _("実施中")
    DONE = "done", _("完了")
    DROPPED = "dropped", _("見送り")


class ResponseFollowUp(models.Model):
    """Where a response stands in one of the two fiscal years after the committee's."""

    response = models.ForeignKey(
        CityResponse,
        verbose_name=_("対応方針"),
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    fy = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(_("状況"), max_length=20, choices=FollowUpStatus.choices)
    note = models.TextField(_("内容"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("記録した職員"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("記録日時"), auto_now=True)

    class Meta:
        verbose_name = _("対応状況の追跡")
        verbose_name_plural = _("対応状況の追跡")
        ordering = ["response", "fy"]
        constraints = [
            models.UniqueConstraint(fields=["response", "fy"], name="follow_up_unique_fy")
        ]

    def __str__(self) -> str:
        return f"{self.response} {self.fy}"

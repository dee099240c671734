"""Scoring rounds, each member's score of a target, the committee's result and its opinion."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hoshin.committees.models.register import Committee, CommitteeMember
from hoshin.committees.models.selection import ReviewTarget


class RoundKind(models.TextChoices):
    ADVANCE = "advance", _("事前評価（ヒアリング前）")
    FINAL = "final", _("本評価（ヒアリング後）")


class ScoringRound(models.Model):
    """A round of scoring; members write until the secretariat closes it, and only then see
    each other's scores."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("委員会"), on_delete=models.CASCADE, related_name="rounds"
    )
    kind = models.CharField(_("種別"), max_length=20, choices=RoundKind.choices)
    due_on = models.DateField(_("入力期限"), null=True, blank=True)
    closed_at = models.DateTimeField(_("締切日時"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("締め切った職員"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("評価の回")
        verbose_name_plural = _("評価の回")
        ordering = ["committee", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "kind"], name="round_unique_kind")
        ]

    def __str__(self) -> str:
        return f"{self.committee} {self.get_kind_display()}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class Score(models.Model):
    """One member's scoring of one target in one round: viewpoint scores, judgement, comment.
    ``version`` is the optimistic-locking counter (``services.scoring.score_save``)."""

    round = models.ForeignKey(
        ScoringRound, verbose_name=_("評価の回"), on_delete=models.CASCADE, related_name="scores"
    )
    target = models.ForeignKey(
        ReviewTarget, verbose_name=_("評価対象"), on_delete=models.CASCADE, related_name="scores"
    )
    member = models.ForeignKey(
        CommitteeMember, verbose_name=_("委員"), on_delete=models.PROTECT, related_name="scores"
    )
    viewpoint_scores = models.JSONField(_("評価の視点"), default=dict, blank=True)
    judgement = models.CharField(_("判定"), max_length=30, blank=True)
    comment = models.TextField(_("意見・コメント"), blank=True)
    version = models.PositiveIntegerField(_("版"), default=1)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("入力者"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("委員本人、または紙・Excelから入力した事務局"),
    )
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("委員の評価")
        verbose_name_plural = _("委員の評価")
        ordering = ["round", "target", "member"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "target", "member"], name="score_unique_member_target"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} / {self.target}"


class ResultStatus(models.TextChoices):
    NO_VOTES = "no_votes", _("判定なし")
    DECIDED = "decided", _("決定")
    UNDECIDED = "undecided", _("未決（可否同数）")
    SPLIT = "split", _("両論併記")
    OVERRIDDEN = "overridden", _("委員会の決定")


class TargetResult(models.Model):
    """The aggregated result of one target in one round: the distribution, mean viewpoint scores
    and the committee's judgement by its rule, plus an override with its reason."""

    round = models.ForeignKey(
        ScoringRound, verbose_name=_("評価の回"), on_delete=models.CASCADE, related_name="results"
    )
    target = models.ForeignKey(
        ReviewTarget, verbose_name=_("評価対象"), on_delete=models.CASCADE, related_name="results"
    )
    status = models.CharField(_("状態"), max_length=20, choices=ResultStatus.choices)
    judgement = models.CharField(_("判定（規則による）"), max_length=30, blank=True)
    casting_vote = models.BooleanField(_("委員長の決による"), default=False)
    distribution = models.JSONField(_("判定の分布"), default=dict)  # code → votes
    views = models.JSONField(_("併記する意見"), default=list)  # codes, when split or tied
    viewpoint_means = models.JSONField(_("評価の視点の平均"), default=dict)  # code → "3.25"
    sides = models.JSONField(_("市民委員・有識者委員別の集計"), default=dict)
    vote_count = models.PositiveSmallIntegerField(_("判定の数"), default=0)
    computed_at = models.DateTimeField(_("集計日時"), auto_now=True)
    override_judgement = models.CharField(_("委員会が決定した判定"), max_length=30, blank=True)
    override_reason = models.TextField(_("決定の理由"), blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("決定を記録した職員"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("評価結果")
        verbose_name_plural = _("評価結果")
        ordering = ["round", "target"]
        constraints = [
            models.UniqueConstraint(fields=["round", "target"], name="result_unique_target"),
            models.CheckConstraint(
                condition=Q(override_judgement="") | ~Q(override_reason=""),
                name="result_override_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target}: {self.final_judgement or self.get_status_display()}"

    @property
    def final_judgement(self) -> str:
        """The committee's judgement: its override when it made one, else the rule's."""
        return self.override_judgement or self.judgement

    @property
    def final_status(self) -> str:
        return ResultStatus.OVERRIDDEN if self.override_judgement else self.status


class Opinion(models.Model):
    """The committee's opinion (意見) on one target, written by the secretariat; the city's
    response answers it. ``version`` guards against two people overwriting each other."""

    target = models.OneToOneField(
        ReviewTarget, verbose_name=_("評価対象"), on_delete=models.CASCADE, related_name="opinion"
    )
    body = models.TextField(_("委員会の意見"))
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
        verbose_name = _("委員会の意見")
        verbose_name_plural = _("委員会の意見")

    def __str__(self) -> str:
        return str(self.target)

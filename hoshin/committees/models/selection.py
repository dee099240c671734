"""Selection of targets: the rules a committee year runs, nominations and the chosen targets."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hoshin.committees.models.register import Committee, CommitteeMember, MemberGroup
from hoshin.evaluations.models import EvaluationSheet


class RuleKind(models.TextChoices):
    """The kinds of selection rule; each one's ``params`` are checked by
    ``services.selection.rule_params_check`` and applied by ``selection.py``."""

    INTERNAL_RESULT = (
        "internal_result",
        _("内部評価の結果"),
    )  # {"grades": [...], "directions": [...]}
    COST_FLOOR = "cost_floor", _("総コストの下限")  # {"amount": 千円, "column": "actual"|"budget"}
    OWN_PROJECTS = "own_projects", _("市単独事業のみ")  # {"column": ...}: no 国庫・県支出金
    TOP_PER_DEPARTMENT = "top_per_department", _("担当課ごとの上位")  # {"n": 2}
    EXCLUDE = "exclude", _("除外")  # {"action_ids": [...], "department_ids": [...]}


class SelectionRule(models.Model):
    """One rule of a committee year's selection, stored as data (the secretariat edits it)."""

    committee = models.ForeignKey(
        Committee,
        verbose_name=_("委員会"),
        on_delete=models.CASCADE,
        related_name="selection_rules",
    )
    kind = models.CharField(_("種別"), max_length=30, choices=RuleKind.choices)
    params = models.JSONField(_("条件"), default=dict)
    note = models.CharField(_("備考（理由）"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("順序"), default=0)

    class Meta:
        verbose_name = _("選定ルール")
        verbose_name_plural = _("選定ルール")
        ordering = ["committee", "position", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.params}"


class NominationSource(models.TextChoices):
    MEMBER = "member", _("委員")
    CITIZEN = "citizen", _("市民")
    SECRETARIAT = "secretariat", _("事務局")


class Nomination(models.Model):
    """A proposal to review a sheet, by a member, the secretariat or (later) a citizen."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("委員会"), on_delete=models.CASCADE, related_name="nominations"
    )
    sheet = models.ForeignKey(
        EvaluationSheet,
        verbose_name=_("評価シート"),
        on_delete=models.CASCADE,
        related_name="committee_nominations",
    )
    source = models.CharField(_("推薦者の区分"), max_length=20, choices=NominationSource.choices)
    member = models.ForeignKey(
        CommitteeMember,
        verbose_name=_("推薦した委員"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="nominations",
    )
    # A citizen's nomination arrives through the voices form (next step): its receipt number.
    reference = models.CharField(_("受付番号など"), max_length=50, blank=True)
    reason = models.TextField(_("推薦の理由"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登録した職員・委員"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("推薦")
        verbose_name_plural = _("推薦")
        ordering = ["committee", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_source_display()}: {self.sheet}"


class ReviewTarget(models.Model):
    """A sheet the committee reviews this year: who chose it, why, and which sub-group scores it
    (no group: every member)."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("委員会"), on_delete=models.CASCADE, related_name="targets"
    )
    sheet = models.ForeignKey(
        EvaluationSheet,
        verbose_name=_("評価シート"),
        on_delete=models.PROTECT,
        related_name="committee_targets",
    )
    group = models.ForeignKey(
        MemberGroup,
        verbose_name=_("担当部会"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="targets",
    )
    reason = models.TextField(_("選定の理由"))
    # The candidate's reasons as the selection run gave them, kept as the record of why.
    rule_reasons = models.JSONField(_("選定ルールによる理由"), default=list, blank=True)
    selected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("選定した職員"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    selected_at = models.DateTimeField(_("選定日時"), auto_now_add=True)
    position = models.PositiveSmallIntegerField(_("順序"), default=0)

    class Meta:
        verbose_name = _("評価対象")
        verbose_name_plural = _("評価対象")
        ordering = ["committee", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "sheet"], name="target_unique_sheet")
        ]

    def __str__(self) -> str:
        return str(self.sheet)

    def is_assigned_to(self, member: CommitteeMember) -> bool:
        """A target of a sub-group is scored by that group's members; otherwise by everyone."""
        if member.committee_id != self.committee_id:
            return False
        return self.group_id is None or member.group_id == self.group_id

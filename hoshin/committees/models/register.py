"""The committee register: committees per plan and fiscal year, their sub-groups and members."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from hoshin.committees import defaults
from hoshin.lib.fiscal import format_fiscal_year
from hoshin.org.models import Department
from hoshin.plans.models import Plan


class CommitteeKind(models.TextChoices):
    EXTERNAL_EVALUATION = "external_evaluation", _("外部評価委員会")
    REFORM_PROMOTION = "reform_promotion", _("行政改革推進委員会")
    PUBLIC_REVIEW = "public_review", _("公開事業評価")


class DecisionRule(models.TextChoices):
    """How the committee's result follows from its members' judgements (``aggregation.py``)."""

    MAJORITY = "majority", _("多数決（同数のときは未決）")
    CHAIR_CASTING = "chair_casting", _("多数決（同数のときは委員長が決する）")
    UNANIMITY = "unanimity", _("全会一致（一致しないときは両論併記）")


class ScoreDisclosure(models.TextChoices):
    """What the portal may show of individual members' scores once the year is published."""

    HIDDEN = "hidden", _("公表しない")
    ANONYMOUS = "anonymous", _("匿名で公表")
    NAMED = "named", _("委員名とともに公表")


class CommitteeQuerySet(models.QuerySet):
    def published(self) -> "CommitteeQuerySet":
        """The one door to public committee data: published committee years of published plans."""
        return self.filter(published_at__isnull=False, plan__is_published=True)


class Committee(models.Model):
    """One committee of one plan in one fiscal year (several per plan and year are allowed)."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("計画"), on_delete=models.PROTECT, related_name="committees"
    )
    fy = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(
        _("種別"),
        max_length=30,
        choices=CommitteeKind.choices,
        default=CommitteeKind.EXTERNAL_EVALUATION,
    )
    name = models.CharField(_("名称"), max_length=200)
    secretariat = models.ForeignKey(
        Department,
        verbose_name=_("事務局"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="committees",
        help_text=_("企画担当（行政管理担当）の部署"),
    )
    # The scoring sheet: lists of {"code", "label", "meaning"} (``defaults.py``).
    viewpoints = models.JSONField(_("評価の視点"), default=list)
    viewpoint_scale = models.JSONField(_("評価の視点の尺度"), default=list)
    judgements = models.JSONField(_("判定の区分"), default=list)
    decision_rule = models.CharField(
        _("委員会の結論の決め方"),
        max_length=20,
        choices=DecisionRule.choices,
        default=DecisionRule.CHAIR_CASTING,
    )
    tally_separately = models.BooleanField(_("市民委員と有識者委員を分けて集計"), default=False)
    score_disclosure = models.CharField(
        _("委員ごとの評価の公表"),
        max_length=20,
        choices=ScoreDisclosure.choices,
        default=ScoreDisclosure.HIDDEN,
    )
    remarks = models.TextField(_("総評"), blank=True)
    report_submitted_on = models.DateField(_("報告書の提出日（市長へ）"), null=True, blank=True)
    published_at = models.DateTimeField(_("公表日時"), null=True, blank=True)
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    objects = CommitteeQuerySet.as_manager()

    class Meta:
        verbose_name = _("委員会")
        verbose_name_plural = _("委員会")
        ordering = ["-fy", "plan", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "fy", "name"], name="committee_unique_name_per_plan_fy"
            )
        ]

    def __str__(self) -> str:
        return f"{format_fiscal_year(self.fy, western=False)} {self.name}"

    def judgement_codes(self) -> list[str]:
        return [item["code"] for item in self.judgements or []]

    def judgement_label(self, code: str) -> str:
        """The label of a judgement code (the code itself when the list lacks it)."""
        return next((i["label"] for i in self.judgements or [] if i["code"] == code), code)

    @classmethod
    def scoring_defaults(cls) -> dict:
        return {
            "viewpoints": [dict(i) for i in defaults.DEFAULT_VIEWPOINTS],
            "viewpoint_scale": [dict(i) for i in defaults.DEFAULT_VIEWPOINT_SCALE],
            "judgements": [dict(i) for i in defaults.DEFAULT_JUDGEMENTS],
        }


class MemberGroup(models.Model):
    """A sub-group (部会/班) of a committee; targets given to a group are scored by its members."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("委員会"), on_delete=models.CASCADE, related_name="groups"
    )
    name = models.CharField(_("名称"), max_length=100)

    class Meta:
        verbose_name = _("部会")
        verbose_name_plural = _("部会")
        ordering = ["committee", "name"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="group_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class MemberCategory(models.TextChoices):
    ACADEMIC = "academic", _("学識経験者")
    BUSINESS = "business", _("事業者・団体")
    CITIZEN = "citizen", _("公募市民")
    STUDENT = "student", _("学生")
    OTHER = "other", _("その他")

    @classmethod
    def citizen_side(cls) -> set[str]:
        """Categories tallied as citizens when a committee tallies citizens and experts apart;
        every other category counts as an expert."""
        return {cls.CITIZEN, cls.STUDENT}


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("委員長")
    VICE_CHAIR = "vice_chair", _("副委員長")
    MEMBER = "member", _("委員")


class CommitteeMember(models.Model):
    """A member of one committee year. Terms are staggered: each member has their own dates."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("委員会"), on_delete=models.CASCADE, related_name="members"
    )
    name = models.CharField(_("氏名"), max_length=100)
    affiliation = models.CharField(_("所属・肩書"), max_length=200, blank=True)
    category = models.CharField(_("区分"), max_length=20, choices=MemberCategory.choices)
    role = models.CharField(
        _("役職"), max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    term_start = models.DateField(_("任期（開始）"))
    term_end = models.DateField(_("任期（終了）"))
    group = models.ForeignKey(
        MemberGroup,
        verbose_name=_("部会"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ログインするアカウント"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="committee_memberships",
        help_text=_("空欄の委員の評価は事務局が紙やExcelから入力します"),
    )
    position = models.PositiveSmallIntegerField(_("順序"), default=0)

    class Meta:
        verbose_name = _("委員")
        verbose_name_plural = _("委員")
        ordering = ["committee", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__gte=F("term_start")), name="member_term_ordered"
            ),
            models.UniqueConstraint(
                fields=["committee"], condition=Q(role="chair"), name="member_one_chair"
            ),
            models.UniqueConstraint(
                fields=["committee"],
                condition=Q(role="vice_chair"),
                name="member_one_vice_chair",
            ),
            models.UniqueConstraint(
                fields=["committee", "user"],
                condition=Q(user__isnull=False),
                name="member_one_account_per_committee",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def in_term(self, day: datetime.date) -> bool:
        """Whether ``day`` falls inside the member's term (both ends included)."""
        return self.term_start <= day <= self.term_end

    @property
    def is_citizen_side(self) -> bool:
        return self.category in MemberCategory.citizen_side()

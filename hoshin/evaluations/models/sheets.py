"""A plan's evaluation year (cycle), its workflow stages and the sheet of each action or node."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hoshin.evaluations import defaults
from hoshin.lib.fiscal import format_fiscal_year
from hoshin.org.models import Department
from hoshin.plans.models import Action, Plan, PlanNode

MONEY = {"max_digits": 15, "decimal_places": 0}  # 千円, whole numbers as cities print them


class EvaluationCycle(models.Model):
    """One plan's evaluation in one fiscal year, with the due date of each stage."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("計画"), on_delete=models.CASCADE, related_name="evaluation_cycles"
    )
    fy = models.PositiveSmallIntegerField(_("年度"))
    submit_due = models.DateField(_("提出期限（担当課）"), null=True, blank=True)
    approve_due = models.DateField(_("承認期限（一次評価）"), null=True, blank=True)
    review_due = models.DateField(_("審査期限（二次評価）"), null=True, blank=True)
    opened_at = models.DateTimeField(_("開始日時"), auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("開始した職員"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("評価年度")
        verbose_name_plural = _("評価年度")
        ordering = ["plan", "-fy"]
        constraints = [models.UniqueConstraint(fields=["plan", "fy"], name="cycle_unique_plan_fy")]

    def __str__(self) -> str:
        return f"{self.plan} {format_fiscal_year(self.fy)}"

    def due_for(self, stage: str) -> "models.DateField | None":
        """The date by which a sheet in ``stage`` must move on (None when not set)."""
        return {
            Stage.DRAFT: self.submit_due,
            Stage.RETURNED: self.submit_due,
            Stage.SUBMITTED: self.approve_due,
            Stage.APPROVED: self.review_due,
        }.get(stage)


class Stage(models.TextChoices):
    DRAFT = "draft", _("作成中")
    RETURNED = "returned", _("差し戻し")
    SUBMITTED = "submitted", _("提出済み（所属長の承認待ち）")
    APPROVED = "approved", _("一次評価済み（企画担当の審査待ち）")
    FINAL = "final", _("二次評価済み（確定）")
    PUBLISHED = "published", _("公表済み")

    @classmethod
    def editable(cls) -> set[str]:
        """Stages in which the responsible department may change the sheet's content."""
        return {cls.DRAFT, cls.RETURNED}


class DeliveryMethod(models.TextChoices):
    DIRECT = "direct", _("直営")
    OUTSOURCED = "outsourced", _("委託")
    DESIGNATED_MANAGER = "designated_manager", _("指定管理")
    SUBSIDY = "subsidy", _("補助")
    OTHER = "other", _("その他")


class SheetQuerySet(models.QuerySet):
    def published(self) -> "SheetQuerySet":
        """The one door to public results: only published sheets of published plans."""
        return self.filter(stage=Stage.PUBLISHED, cycle__plan__is_published=True)


class EvaluationSheet(models.Model):
    """The evaluation of one action (or one node, 施策評価) in one fiscal year."""

    cycle = models.ForeignKey(
        EvaluationCycle, verbose_name=_("評価年度"), on_delete=models.CASCADE, related_name="sheets"
    )
    action = models.ForeignKey(
        Action,
        verbose_name=_("取組"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="sheets",
    )
    node = models.ForeignKey(
        PlanNode,
        verbose_name=_("計画の節"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="sheets",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("担当課"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sheets",
        help_text=_("空欄は企画担当が作成（全庁の取組など）"),
    )
    previous = models.OneToOneField(
        "self",
        verbose_name=_("前年度のシート"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next",
    )
    stage = models.CharField(_("段階"), max_length=20, choices=Stage.choices, default=Stage.DRAFT)
    version = models.PositiveIntegerField(_("版"), default=1)
    scales = models.JSONField(_("様式（作成時点）"), default=dict)

    purpose_target = models.TextField(_("対象（誰・何を）"), blank=True)
    purpose_intent = models.TextField(_("意図（どのような状態にしたいか）"), blank=True)
    purpose_means = models.TextField(_("手段（何をするか）"), blank=True)
    legal_basis = models.CharField(_("根拠法令等"), max_length=300, blank=True)
    delivery_method = models.CharField(
        _("実施方法"), max_length=30, choices=DeliveryMethod.choices, blank=True
    )
    activities = models.TextField(_("今年度の取組内容"), blank=True)

    viewpoint_scores = models.JSONField(_("評価の視点"), default=dict, blank=True)
    overall_grade = models.CharField(_("総合評価"), max_length=10, blank=True)
    future_direction = models.CharField(_("今後の方向性"), max_length=30, blank=True)
    department_comment = models.TextField(_("担当課の所見"), blank=True)
    improvement_plan = models.TextField(_("改善策（次年度の取組）"), blank=True)
    review_comment = models.TextField(_("二次評価の所見"), blank=True)

    progress_status = models.CharField(_("進捗状況"), max_length=30, blank=True)
    progress_grade = models.CharField(_("進捗評価"), max_length=10, blank=True)
    effect_savings = models.DecimalField(
        _("効果額（歳出削減・千円）"), null=True, blank=True, **MONEY
    )
    effect_revenue = models.DecimalField(
        _("効果額（歳入確保・千円）"), null=True, blank=True, **MONEY
    )

    unit_cost_indicator = models.ForeignKey(
        "Indicator",
        verbose_name=_("単位コストの基準とする指標"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("公表日時"), null=True, blank=True)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    objects = SheetQuerySet.as_manager()

    class Meta:
        verbose_name = _("評価シート")
        verbose_name_plural = _("評価シート")
        ordering = ["cycle", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__isnull=False, node__isnull=True)
                | Q(action__isnull=True, node__isnull=False),
                name="sheet_for_action_or_node",
            ),
            models.UniqueConstraint(
                fields=["cycle", "action"],
                condition=Q(action__isnull=False),
                name="sheet_unique_action_per_cycle",
            ),
            models.UniqueConstraint(
                fields=["cycle", "node"],
                condition=Q(node__isnull=False),
                name="sheet_unique_node_per_cycle",
            ),
        ]
        indexes = [
            models.Index(fields=["cycle", "stage"]),
            models.Index(fields=["department", "stage"]),
        ]

    def __str__(self) -> str:
        subject = self.action.heading if self.action_id else str(self.node)
        return f"{format_fiscal_year(self.cycle.fy, western=False)} {subject}"

    @property
    def subject(self):
        return self.action if self.action_id else self.node

    @property
    def is_editable_stage(self) -> bool:
        return self.stage in Stage.editable()

    def has_block(self, block: str) -> bool:
        return block in (self.scales or {}).get("blocks", defaults.DEFAULT_BLOCKS)

    def scale_label(self, scale: str, code: str) -> str:
        """The label of ``code`` in the sheet's frozen scale (the code itself if unknown)."""
        for item in (self.scales or {}).get(scale, []):
            if item["code"] == code:
                return item["label"]
        return code

"""The yearly evaluation: templates per plan, cycles per plan and year, sheets and their parts."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hoshin.evaluations import defaults, progress
from hoshin.lib.fiscal import format_fiscal_year
from hoshin.org.models import Department
from hoshin.plans.models import Action, Plan, PlanNode

MONEY = {"max_digits": 15, "decimal_places": 0}  # 千円, whole numbers as cities print them
QUANTITY = {"max_digits": 18, "decimal_places": 4}  # indicator values: counts, %, km …


class EvaluationTemplate(models.Model):
    """What a plan's sheets contain and the scales they use; copied from defaults.py."""

    plan = models.OneToOneField(
        Plan, verbose_name=_("計画"), on_delete=models.CASCADE, related_name="evaluation_template"
    )
    viewpoints = models.JSONField(_("評価の視点"), default=list)
    viewpoint_scale = models.JSONField(_("評価の視点の尺度"), default=list)
    grades = models.JSONField(_("総合評価の区分"), default=list)
    directions = models.JSONField(_("今後の方向性の区分"), default=list)
    blocks = models.JSONField(_("シートの構成"), default=list)
    progress_statuses = models.JSONField(_("進捗状況の区分"), default=list)
    progress_grades = models.JSONField(_("進捗評価の区分"), default=list)
    node_depths = models.JSONField(
        _("施策評価を行う階層"), default=list, blank=True, help_text=_("0が最上位の階層")
    )
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("評価シートの様式")
        verbose_name_plural = _("評価シートの様式")

    def __str__(self) -> str:
        return f"{self.plan} の評価様式"

    def snapshot(self) -> dict:
        """The scales as a plain dict, frozen into each sheet so later edits do not rewrite it."""
        return {
            "viewpoints": self.viewpoints,
            "viewpoint_scale": self.viewpoint_scale,
            "grades": self.grades,
            "directions": self.directions,
            "blocks": self.blocks,
            "progress_statuses": self.progress_statuses,
            "progress_grades": self.progress_grades,
        }

    @classmethod
    def default_values(cls, *, plan: Plan) -> dict:
        from hoshin.plans.models import PlanKind

        blocks = list(defaults.DEFAULT_BLOCKS)
        if plan.kind != PlanKind.REFORM:
            blocks.remove("progress")
        return {
            "viewpoints": defaults.DEFAULT_VIEWPOINTS,
            "viewpoint_scale": defaults.DEFAULT_VIEWPOINT_SCALE,
            "grades": defaults.DEFAULT_GRADES,
            "directions": defaults.DEFAULT_DIRECTIONS,
            "blocks": blocks,
            "progress_statuses": defaults.DEFAULT_PROGRESS_STATUSES,
            "progress_grades": defaults.DEFAULT_PROGRESS_GRADES,
        }


class StaffUnitCost(models.Model):
    """The cost of one person-year (人工) in a fiscal year, in 千円, set by the planning office."""

    fy = models.PositiveSmallIntegerField(_("年度"), unique=True)
    amount = models.DecimalField(_("単価（千円／人）"), validators=[MinValueValidator(0)], **MONEY)

    class Meta:
        verbose_name = _("人件費単価")
        verbose_name_plural = _("人件費単価")
        ordering = ["-fy"]

    def __str__(self) -> str:
        return f"{format_fiscal_year(self.fy)} {self.amount}千円"


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


class IndicatorKind(models.TextChoices):
    ACTIVITY = "activity", _("活動指標")
    OUTCOME = "outcome", _("成果指標")


class Direction(models.TextChoices):
    HIGHER = "higher", _("高いほど良い")
    LOWER = "lower", _("低いほど良い")


class Indicator(models.Model):
    """An activity or outcome indicator of one sheet; ``series`` ties it to other years' rows."""

    sheet = models.ForeignKey(
        EvaluationSheet,
        verbose_name=_("評価シート"),
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    series = models.UUIDField(_("系列"), default=uuid.uuid4, db_index=True)
    position = models.PositiveSmallIntegerField(_("順序"), default=0)
    kind = models.CharField(_("種別"), max_length=20, choices=IndicatorKind.choices)
    name = models.CharField(_("指標名"), max_length=200)
    unit = models.CharField(_("単位"), max_length=30, blank=True)
    direction = models.CharField(
        _("方向"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    baseline = models.DecimalField(_("基準値"), null=True, blank=True, **QUANTITY)
    target = models.DecimalField(_("目標値"), null=True, blank=True, **QUANTITY)
    actual = models.DecimalField(_("実績値"), null=True, blank=True, **QUANTITY)

    class Meta:
        verbose_name = _("指標")
        verbose_name_plural = _("指標")
        ordering = ["sheet", "position", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def progress_rate(self) -> Decimal | None:
        """(actual − baseline) ÷ (target − baseline); None when undefined (see progress_note)."""
        return progress.progress_rate(
            actual=self.actual, target=self.target, baseline=self.baseline
        )

    @property
    def achievement_rate(self) -> Decimal | None:
        """actual ÷ target (target ÷ actual when lower is better); None when undefined."""
        if self.actual is None or self.target is None:
            return None
        if self.direction == Direction.LOWER:
            return None if self.actual == 0 else self.target / self.actual
        return None if self.target == 0 else self.actual / self.target

    @property
    def target_met(self) -> bool | None:
        if self.actual is None or self.target is None:
            return None
        if self.direction == Direction.LOWER:
            return self.actual <= self.target
        return self.actual >= self.target

    @property
    def progress_note(self) -> str:
        """Why a rate is missing: shown on public pages too, so it states a fact, not a to-do."""
        return progress.progress_note(
            actual=self.actual, target=self.target, baseline=self.baseline
        )


class CostKind(models.TextChoices):
    BUDGET = "budget", _("当年度予算")
    ACTUAL = "actual", _("当年度決算（見込）")
    NEXT_BUDGET = "next_budget", _("次年度予算（見込）")


class CostLine(models.Model):
    """One column of the cost block: project cost by funding source and person-years, in 千円."""

    sheet = models.ForeignKey(
        EvaluationSheet,
        verbose_name=_("評価シート"),
        on_delete=models.CASCADE,
        related_name="costs",
    )
    kind = models.CharField(_("区分"), max_length=20, choices=CostKind.choices)
    national = models.DecimalField(
        _("国庫支出金"), default=0, validators=[MinValueValidator(0)], **MONEY
    )
    prefectural = models.DecimalField(
        _("県支出金"), default=0, validators=[MinValueValidator(0)], **MONEY
    )
    municipal_bonds = models.DecimalField(
        _("地方債"), default=0, validators=[MinValueValidator(0)], **MONEY
    )
    other = models.DecimalField(_("その他"), default=0, validators=[MinValueValidator(0)], **MONEY)
    general = models.DecimalField(
        _("一般財源"), default=0, validators=[MinValueValidator(0)], **MONEY
    )
    person_years = models.DecimalField(
        _("人工（人）"),
        max_digits=7,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    staff_unit_cost = models.DecimalField(
        _("人件費単価（千円）"), null=True, blank=True, help_text=_("空欄はその年度の単価"), **MONEY
    )

    FUNDING_FIELDS = ("national", "prefectural", "municipal_bonds", "other", "general")

    class Meta:
        verbose_name = _("コスト")
        verbose_name_plural = _("コスト")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "kind"], name="cost_line_unique_kind"),
            models.CheckConstraint(
                condition=Q(national__gte=0)
                & Q(prefectural__gte=0)
                & Q(municipal_bonds__gte=0)
                & Q(other__gte=0)
                & Q(general__gte=0)
                & Q(person_years__gte=0),
                name="cost_line_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sheet} {self.get_kind_display()}"

    @property
    def project_cost(self) -> Decimal:
        return sum((getattr(self, name) for name in self.FUNDING_FIELDS), Decimal(0))

    def staff_cost(self, unit_cost: Decimal | None) -> Decimal | None:
        """人件費 = person-years × the unit cost (this line's own, else the year's)."""
        cost = self.staff_unit_cost if self.staff_unit_cost is not None else unit_cost
        return None if cost is None else (self.person_years * cost).quantize(Decimal(1))

    def total_cost(self, unit_cost: Decimal | None) -> Decimal | None:
        staff = self.staff_cost(unit_cost)
        return None if staff is None else self.project_cost + staff


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

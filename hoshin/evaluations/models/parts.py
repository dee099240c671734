"""The rows a sheet owns besides its own fields: indicators and cost lines."""

import uuid
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hoshin.evaluations import progress
from hoshin.evaluations.models.sheets import MONEY, EvaluationSheet

QUANTITY = {"max_digits": 18, "decimal_places": 4}  # indicator values: counts, %, km …


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

    # 人件費 and 総コスト depend on the column and the unit costs: hoshin.evaluations.figures.

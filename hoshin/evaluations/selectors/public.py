"""Evaluation results as citizens see them: the only reads the portal makes of evaluation data.

Every query here starts from ``EvaluationSheet.objects.published()`` (published sheets of
published plans). The functions return plain dataclasses holding the official fields only —
never a sheet object — so a template cannot reach staff comments, the transition log, the
revision history or last year's unpublished sheet by following a relation.

Official fields: purpose, delivery, what was done, indicators, cost, viewpoint scores, overall
grade, future direction, the department's 所見 (department_comment), improvement plan, the
planning office's 二次評価の所見 (review_comment), progress status/grade and effect amounts.

This module holds the door (``sheets_published``), one action's years and a department's
results; ``public_costs`` builds a sheet's cost table and ``public_plan`` the plan page's
results per node, both from sheets that came through this door.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from hoshin.evaluations import defaults, figures
from hoshin.evaluations.models import (
    CostLine,
    DeliveryMethod,
    Direction,
    EvaluationSheet,
    Indicator,
    IndicatorKind,
)
from hoshin.evaluations.selectors.public_costs import CostTable, cost_table
from hoshin.lib.fiscal import display_fiscal_year
from hoshin.org.models import Department
from hoshin.plans.models import Action


def sheets_published() -> QuerySet[EvaluationSheet]:
    """The one door: published sheets of published plans."""
    return EvaluationSheet.objects.published()


# ---- values shown on the action page -------------------------------------------------------


@dataclass(frozen=True)
class ScaleValue:
    """One item of a sheet's frozen scale: code, label and what it means."""

    code: str
    label: str
    meaning: str = ""

    @property
    def name(self) -> str:
        """The words for this value: its label, or its meaning when the label only repeats the
        code (grade B → 概ね順調, direction continue → 継続). Label columns of open data use it."""
        if self.label == self.code and self.meaning:
            return self.meaning
        return self.label

    @property
    def text(self) -> str:
        """Label and meaning as the action page prints them (B 概ね順調, 継続): search indexes it."""
        return f"{self.label} {self.meaning}".strip() if self.meaning else self.label


# Where a sheet's frozen copy lacks a code (a template edited since), the default scale may
# still name it; only a code found nowhere is shown as it is.
_DEFAULT_SCALES = {
    "grades": defaults.DEFAULT_GRADES,
    "directions": defaults.DEFAULT_DIRECTIONS,
    "progress_statuses": defaults.DEFAULT_PROGRESS_STATUSES,
    "progress_grades": defaults.DEFAULT_PROGRESS_GRADES,
    "viewpoint_scale": defaults.DEFAULT_VIEWPOINT_SCALE,
}


def scale_value(sheet: EvaluationSheet, scale: str, code: str) -> ScaleValue | None:
    """The item ``code`` of the sheet's scale ``scale`` (grades, directions …); None if empty.

    The one reading of a code for every public surface: pages, open data, the search index.
    """
    if not code:
        return None
    for items in ((sheet.scales or {}).get(scale, []), _DEFAULT_SCALES.get(scale, [])):
        for item in items:
            if item.get("code") == code:
                return ScaleValue(code, item.get("label") or code, item.get("meaning") or "")
    return ScaleValue(code, code)


@dataclass
class PublicIndicator:
    name: str
    unit: str
    kind: str
    kind_label: str
    direction: str
    direction_label: str
    baseline: Decimal | None
    target: Decimal | None
    actual: Decimal | None
    progress_rate: Decimal | None
    achievement_rate: Decimal | None
    target_met: bool | None
    note: str  # why a rate is missing (Indicator.progress_note), "" when both are shown


def _public_indicator(indicator: Indicator) -> PublicIndicator:
    return PublicIndicator(
        name=indicator.name,
        unit=indicator.unit,
        kind=indicator.kind,
        kind_label=str(IndicatorKind(indicator.kind).label)
        if indicator.kind in IndicatorKind.values
        else indicator.kind,
        direction=indicator.direction,
        direction_label=str(Direction(indicator.direction).label)
        if indicator.direction in Direction.values
        else "",
        baseline=indicator.baseline,
        target=indicator.target,
        actual=indicator.actual,
        progress_rate=indicator.progress_rate,
        achievement_rate=indicator.achievement_rate,
        target_met=indicator.target_met,
        note=indicator.progress_note,
    )


@dataclass
class ViewpointScore:
    viewpoint: ScaleValue
    score: ScaleValue | None


@dataclass
class PublicSheet:
    """One published year of an action (or node): the official fields only."""

    fy: int
    fy_label: str
    anchor: str  # result-2025
    department_name: str  # the department that year (history survives reorganisations)
    published_on: datetime.date | None
    blocks: list[str]
    purpose_target: str
    purpose_intent: str
    purpose_means: str
    legal_basis: str
    delivery_method: str
    activities: str
    indicators: list[PublicIndicator]
    cost: CostTable | None
    viewpoints: list[ViewpointScore]
    overall_grade: ScaleValue | None
    future_direction: ScaleValue | None
    department_comment: str
    improvement_plan: str
    review_comment: str
    progress_status: ScaleValue | None
    progress_grade: ScaleValue | None
    effect_savings: Decimal | None
    effect_revenue: Decimal | None

    @property
    def has_purpose(self) -> bool:
        return "purpose" in self.blocks and any(
            (self.purpose_target, self.purpose_intent, self.purpose_means, self.legal_basis)
        )

    @property
    def effect_total(self) -> Decimal | None:
        if self.effect_savings is None and self.effect_revenue is None:
            return None
        return (self.effect_savings or 0) + (self.effect_revenue or 0)


def public_sheet(
    sheet: EvaluationSheet, *, previous: EvaluationSheet | None, unit_costs: dict[int, Decimal]
) -> PublicSheet:
    """The official fields of one published sheet, as the action page, PDFs and data show them.

    ``previous`` is the same action's sheet of the year before (for the cost table), and
    ``unit_costs`` the staff unit cost per year. Callers pass published sheets only.
    """
    fy = sheet.cycle.fy
    indicators = list(sheet.indicators.all())
    scores = sheet.viewpoint_scores or {}
    blocks = list((sheet.scales or {}).get("blocks", defaults.DEFAULT_BLOCKS))
    return PublicSheet(
        fy=fy,
        fy_label=display_fiscal_year(fy),
        anchor=f"result-{fy}",
        department_name=sheet.department.name if sheet.department_id else "",
        published_on=timezone.localdate(sheet.published_at) if sheet.published_at else None,
        blocks=blocks,
        purpose_target=sheet.purpose_target,
        purpose_intent=sheet.purpose_intent,
        purpose_means=sheet.purpose_means,
        legal_basis=sheet.legal_basis,
        delivery_method=str(DeliveryMethod(sheet.delivery_method).label)
        if sheet.delivery_method in DeliveryMethod.values
        else "",
        activities=sheet.activities,
        indicators=[_public_indicator(i) for i in indicators] if "indicators" in blocks else [],
        cost=cost_table(sheet, previous=previous, unit_costs=unit_costs, indicators=indicators)
        if "cost" in blocks
        else None,
        viewpoints=[
            ViewpointScore(
                viewpoint=ScaleValue(vp["code"], vp.get("label", ""), vp.get("meaning", "")),
                score=scale_value(sheet, "viewpoint_scale", scores.get(vp["code"], "")),
            )
            for vp in (sheet.scales or {}).get("viewpoints", [])
        ]
        if "viewpoints" in blocks
        else [],
        overall_grade=scale_value(sheet, "grades", sheet.overall_grade),
        future_direction=scale_value(sheet, "directions", sheet.future_direction),
        department_comment=sheet.department_comment,
        improvement_plan=sheet.improvement_plan,
        review_comment=sheet.review_comment,
        progress_status=scale_value(sheet, "progress_statuses", sheet.progress_status),
        progress_grade=scale_value(sheet, "progress_grades", sheet.progress_grade),
        effect_savings=sheet.effect_savings,
        effect_revenue=sheet.effect_revenue,
    )


@dataclass
class SeriesPoint:
    fy: int
    fy_label: str
    baseline: Decimal | None
    target: Decimal | None
    actual: Decimal | None
    achievement_rate: Decimal | None
    note: str


@dataclass
class IndicatorSeries:
    """One indicator followed over the published years (Indicator.series), oldest first."""

    key: str
    name: str  # the latest year's name
    unit: str
    direction: str
    kind_label: str
    points: list[SeriesPoint] = field(default_factory=list)

    @property
    def has_values(self) -> bool:
        return any(p.target is not None or p.actual is not None for p in self.points)


@dataclass
class ActionResults:
    sheets: list[PublicSheet]  # newest year first
    series: list[IndicatorSeries]

    @property
    def latest(self) -> PublicSheet | None:
        return self.sheets[0] if self.sheets else None


def action_results_public(*, action: Action) -> ActionResults:
    """Every published year of an action, newest first, with its indicators over the years.

    A fixed number of queries (sheets, indicators, cost lines, unit costs) whatever the years.
    """
    sheets = list(
        sheets_published()
        .filter(action=action)
        .select_related("cycle", "department")
        .prefetch_related(
            Prefetch("indicators", Indicator.objects.order_by("position", "id")),
            Prefetch("costs", CostLine.objects.order_by("kind")),
        )
        .order_by("-cycle__fy")
    )
    if not sheets:
        return ActionResults(sheets=[], series=[])
    fys = {sheet.cycle.fy for sheet in sheets}
    unit_costs = figures.unit_costs_around(fys)
    by_fy = {sheet.cycle.fy: sheet for sheet in sheets}
    public = [
        public_sheet(sheet, previous=by_fy.get(sheet.cycle.fy - 1), unit_costs=unit_costs)
        for sheet in sheets
    ]
    return ActionResults(sheets=public, series=_series(sheets))


def _series(sheets: list[EvaluationSheet]) -> list[IndicatorSeries]:
    """Indicators of the published sheets grouped by series, in the latest sheet's order."""
    found: dict[str, IndicatorSeries] = {}
    for sheet in sorted(sheets, key=lambda s: s.cycle.fy):
        if not sheet.has_block("indicators"):
            continue
        for indicator in sheet.indicators.all():
            key = str(indicator.series)
            kind = (
                str(IndicatorKind(indicator.kind).label)
                if indicator.kind in IndicatorKind.values
                else ""
            )
            series = found.get(key)
            if series is None:
                series = found[key] = IndicatorSeries(
                    key=key,
                    name=indicator.name,
                    unit=indicator.unit,
                    direction=indicator.direction,
                    kind_label=kind,
                )
            series.name, series.unit, series.direction = (
                indicator.name,
                indicator.unit,
                indicator.direction,
            )
            series.kind_label = kind
            series.points.append(
                SeriesPoint(
                    fy=sheet.cycle.fy,
                    fy_label=display_fiscal_year(sheet.cycle.fy),
                    baseline=indicator.baseline,
                    target=indicator.target,
                    actual=indicator.actual,
                    achievement_rate=indicator.achievement_rate,
                    note=indicator.progress_note if indicator.actual is None else "",
                )
            )
    latest = max(sheets, key=lambda s: s.cycle.fy)
    order = {str(i.series): n for n, i in enumerate(latest.indicators.all())}
    return sorted(found.values(), key=lambda s: (order.get(s.key, len(order)), s.name))


# ---- the department page -----------------------------------------------------------------------


@dataclass
class DepartmentResult:
    fy: int
    fy_label: str
    plan_name: str
    subject: str  # the action's heading, or the node's label for 施策評価
    url: str  # the action page's result of that year, or the node in the plan tree
    overall_grade: ScaleValue | None
    future_direction: ScaleValue | None
    progress_grade: ScaleValue | None


def department_results_public(*, department: Department) -> list[DepartmentResult]:
    """Published results for which the department was responsible that year, newest first."""
    sheets = (
        sheets_published()
        .filter(department=department)
        .select_related("cycle__plan", "action", "node")
        .order_by("-cycle__fy", "cycle__plan__name", "action__position", "node__position", "id")
    )
    results = []
    for sheet in sheets:
        fy = sheet.cycle.fy
        if sheet.action_id:
            subject = sheet.action.heading
            url = f"{sheet.action.get_absolute_url()}#result-{fy}"
        else:
            subject = sheet.node.label
            url = f"{sheet.cycle.plan.get_absolute_url()}#node-{sheet.node_id}"
        results.append(
            DepartmentResult(
                fy=fy,
                fy_label=display_fiscal_year(fy),
                plan_name=sheet.cycle.plan.name,
                subject=subject,
                url=url,
                overall_grade=scale_value(sheet, "grades", sheet.overall_grade),
                future_direction=scale_value(sheet, "directions", sheet.future_direction),
                progress_grade=scale_value(sheet, "progress_grades", sheet.progress_grade),
            )
        )
    return results

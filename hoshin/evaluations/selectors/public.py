"""Evaluation results as citizens see them: the only reads the portal makes of evaluation data.

Every query here starts from ``EvaluationSheet.objects.published()`` (published sheets of
published plans). The functions return plain dataclasses holding the official fields only —
never a sheet object — so a template cannot reach staff comments, the transition log, the
revision history or last year's unpublished sheet by following a relation.

Official fields: purpose, delivery, what was done, indicators, cost, viewpoint scores, overall
grade, future direction, the department's 所見 (department_comment), improvement plan, the
planning office's 二次評価の所見 (review_comment), progress status/grade and effect amounts.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Count,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from hoshin.evaluations import defaults
from hoshin.evaluations.models import (
    CostKind,
    CostLine,
    DeliveryMethod,
    Direction,
    EvaluationSheet,
    EvaluationTemplate,
    Indicator,
    IndicatorKind,
    StaffUnitCost,
)
from hoshin.evaluations.progress import progress_rate_expression
from hoshin.lib.fiscal import format_fiscal_year
from hoshin.org.models import Department
from hoshin.plans.models import Action, Plan


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


def _scale_value(sheet: EvaluationSheet, scale: str, code: str) -> ScaleValue | None:
    if not code:
        return None
    for item in (sheet.scales or {}).get(scale, []):
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
class CostColumn:
    label: str  # 令和7年度 決算
    fy: int
    project_cost: Decimal
    person_years: Decimal
    staff_cost: Decimal | None  # None when the year has no unit cost
    total_cost: Decimal | None
    unit_cost: Decimal | None = None
    funding: dict[str, Decimal] = field(default_factory=dict)


@dataclass
class CostRow:
    label: str
    values: list
    kind: str = "money"  # money, years, subtotal, total, unit


@dataclass
class CostTable:
    columns: list[CostColumn]
    rows: list[CostRow]
    unit_cost_label: str = ""
    missing_unit_cost: bool = False  # a staff cost could not be computed


# Columns of the cost table: the kind of line and the fiscal year it is about, relative to
# the sheet's year. Staff cost always uses the unit cost of the sheet's own year, as the
# dashboard does, so one sheet's columns are comparable.
COST_COLUMNS = (
    (CostKind.BUDGET, 0, "予算"),
    (CostKind.ACTUAL, 0, "決算"),
    (CostKind.NEXT_BUDGET, 1, "予算（見込）"),
)
FUNDING_LABELS = [
    (name, str(CostLine._meta.get_field(name).verbose_name)) for name in CostLine.FUNDING_FIELDS
]


def _cost_column(line: CostLine, *, label: str, fy: int, unit_cost: Decimal | None) -> CostColumn:
    staff = line.staff_cost(unit_cost)
    return CostColumn(
        label=label,
        fy=fy,
        project_cost=line.project_cost,
        person_years=line.person_years,
        staff_cost=staff,
        total_cost=None if staff is None else line.project_cost + staff,
        funding={name: getattr(line, name) for name in CostLine.FUNDING_FIELDS},
    )


def _cost_table(
    sheet: EvaluationSheet,
    *,
    previous: EvaluationSheet | None,
    unit_costs: dict[int, Decimal],
    indicators: list[Indicator],
) -> CostTable | None:
    fy = sheet.cycle.fy
    lines = {line.kind: line for line in sheet.costs.all()}
    columns: list[CostColumn] = []
    if previous is not None:
        last = {line.kind: line for line in previous.costs.all()}.get(CostKind.ACTUAL)
        if last is not None:
            columns.append(
                _cost_column(
                    last,
                    label=f"{format_fiscal_year(fy - 1, western=False)} 決算",
                    fy=fy - 1,
                    unit_cost=unit_costs.get(fy - 1),
                )
            )
    actual_column = None
    for kind, offset, suffix in COST_COLUMNS:
        line = lines.get(kind)
        if line is None:
            continue
        column = _cost_column(
            line,
            label=f"{format_fiscal_year(fy + offset, western=False)} {suffix}",
            fy=fy + offset,
            unit_cost=unit_costs.get(fy),
        )
        columns.append(column)
        if kind == CostKind.ACTUAL:
            actual_column = column
    if not any(c.project_cost or c.person_years for c in columns):
        return None
    unit_label = ""
    # 単位コスト: the year's total cost ÷ the chosen output indicator's actual (its own sheet's).
    output = next((i for i in indicators if i.pk == sheet.unit_cost_indicator_id), None)
    if output is not None and actual_column is not None:
        unit_label = f"単位コスト（{output.name} 1{output.unit or '単位'}あたり・千円）"
        if actual_column.total_cost is not None and output.actual:
            actual_column.unit_cost = (actual_column.total_cost / output.actual).quantize(
                Decimal("0.1")
            )
    rows = [
        *(CostRow(label, [c.funding[name] for c in columns]) for name, label in FUNDING_LABELS),
        CostRow("事業費 計", [c.project_cost for c in columns], "subtotal"),
        CostRow("人工（人）", [c.person_years for c in columns], "years"),
        CostRow("人件費", [c.staff_cost for c in columns]),
        CostRow("総コスト（事業費＋人件費）", [c.total_cost for c in columns], "total"),
    ]
    if unit_label:
        rows.append(CostRow(unit_label, [c.unit_cost for c in columns], "unit"))
    return CostTable(
        columns=columns,
        rows=rows,
        unit_cost_label=unit_label,
        missing_unit_cost=any(c.staff_cost is None and c.person_years for c in columns),
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
        fy_label=format_fiscal_year(fy),
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
        cost=_cost_table(sheet, previous=previous, unit_costs=unit_costs, indicators=indicators)
        if "cost" in blocks
        else None,
        viewpoints=[
            ViewpointScore(
                viewpoint=ScaleValue(vp["code"], vp.get("label", ""), vp.get("meaning", "")),
                score=_scale_value(sheet, "viewpoint_scale", scores.get(vp["code"], "")),
            )
            for vp in (sheet.scales or {}).get("viewpoints", [])
        ]
        if "viewpoints" in blocks
        else [],
        overall_grade=_scale_value(sheet, "grades", sheet.overall_grade),
        future_direction=_scale_value(sheet, "directions", sheet.future_direction),
        department_comment=sheet.department_comment,
        improvement_plan=sheet.improvement_plan,
        review_comment=sheet.review_comment,
        progress_status=_scale_value(sheet, "progress_statuses", sheet.progress_status),
        progress_grade=_scale_value(sheet, "progress_grades", sheet.progress_grade),
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
    unit_costs = dict(
        StaffUnitCost.objects.filter(fy__in=fys | {fy - 1 for fy in fys}).values_list(
            "fy", "amount"
        )
    )
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
                    fy_label=format_fiscal_year(sheet.cycle.fy),
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


# ---- the plan page: per node, the latest published year --------------------------------------


@dataclass
class NodeResult:
    """Published sheets of one node (and, once rolled up, everything below it) in one year."""

    sheets: int = 0
    grades: dict[str, int] = field(default_factory=dict)
    directions: dict[str, int] = field(default_factory=dict)  # 今後の方向性 → sheets
    statuses: dict[str, int] = field(default_factory=dict)  # 進捗状況 → sheets
    rate_sum: float = 0.0
    rate_count: int = 0

    @property
    def mean_progress_rate(self) -> Decimal | None:
        """Mean progress rate of the published indicators whose rate is defined."""
        if not self.rate_count:
            return None
        return Decimal(str(self.rate_sum / self.rate_count))

    def add(self, other: "NodeResult") -> None:
        self.sheets += other.sheets
        self.rate_sum += other.rate_sum
        self.rate_count += other.rate_count
        for mine, theirs in (
            (self.grades, other.grades),
            (self.directions, other.directions),
            (self.statuses, other.statuses),
        ):
            for code, n in theirs.items():
                mine[code] = mine.get(code, 0) + n


@dataclass
class GradeCount:
    grade: ScaleValue
    count: int


@dataclass
class PlanResults:
    fy: int | None
    grade_scale: list[ScaleValue]
    by_node: dict[int, NodeResult]  # direct results of each node (its actions and itself)
    direction_scale: list[ScaleValue] = field(default_factory=list)
    status_scale: list[ScaleValue] = field(default_factory=list)
    # The whole plan, filled in by whoever rolls by_node up the tree (portal.selectors).
    total: NodeResult = field(default_factory=NodeResult)
    total_grade_counts: list["GradeCount"] = field(default_factory=list)

    @property
    def fy_label(self) -> str:
        return format_fiscal_year(self.fy) if self.fy else ""

    def distribution(self, result: NodeResult) -> list[GradeCount]:
        """Grade counts in the template's order; grades no longer in it, then blanks, come last."""
        return _counts(self.grade_scale, result.grades)

    def direction_distribution(self, result: NodeResult) -> list[GradeCount]:
        """Future-direction (今後の方向性) counts, ordered like ``distribution``."""
        return _counts(self.direction_scale, result.directions)

    def status_distribution(self, result: NodeResult) -> list[GradeCount]:
        """Progress-status (進捗状況) counts; empty when no sheet has one (plans without it)."""
        if not any(code for code in result.statuses):
            return []
        return _counts(self.status_scale, result.statuses)


def _counts(scale: list[ScaleValue], counts: dict[str, int]) -> list[GradeCount]:
    known = {item.code for item in scale}
    result = [GradeCount(item, counts.get(item.code, 0)) for item in scale]
    result += [
        GradeCount(ScaleValue(code, code), n)
        for code, n in sorted(counts.items())
        if code not in known and code
    ]
    if counts.get(""):
        result.append(GradeCount(ScaleValue("", "未記入"), counts[""]))
    return result


def plan_results_public(*, plan: Plan) -> PlanResults:
    """The latest published year of a plan, per node: sheets, grades, future directions,
    progress statuses and mean progress rate.

    Two aggregate queries whatever the plan's size (one when nothing is published).
    """
    latest = (
        sheets_published()
        .filter(cycle__plan=OuterRef("pk"))
        .order_by("-cycle__fy")
        .values("cycle__fy")[:1]
    )
    head = (
        Plan.objects.filter(pk=plan.pk)
        .annotate(latest_fy=Subquery(latest))
        .values(
            "latest_fy",
            "evaluation_template__grades",
            "evaluation_template__directions",
            "evaluation_template__progress_statuses",
        )
        .first()
    )
    fy = head["latest_fy"] if head else None
    if fy is None:
        return PlanResults(fy=None, grade_scale=[], by_node={})
    defaults_ = EvaluationTemplate.default_values(plan=plan)
    grades = head["evaluation_template__grades"] or defaults_["grades"]
    directions = head["evaluation_template__directions"] or defaults_["directions"]
    statuses = head["evaluation_template__progress_statuses"] or defaults_["progress_statuses"]
    rate = progress_rate_expression("indicators__")
    rows = (
        sheets_published()
        .filter(cycle__plan=plan, cycle__fy=fy)
        .annotate(node_key=Coalesce("action__node_id", "node_id"))
        .values("node_key", "overall_grade", "future_direction", "progress_status")
        .annotate(
            sheet_count=Count("id", distinct=True),
            rate_sum=Sum(rate),
            rate_count=Count(rate),
        )
        .order_by()
    )
    by_node: dict[int, NodeResult] = defaultdict(NodeResult)
    for row in rows:
        result = by_node[row["node_key"]]
        result.sheets += row["sheet_count"]
        for counts, code in (
            (result.grades, row["overall_grade"]),
            (result.directions, row["future_direction"]),
            (result.statuses, row["progress_status"]),
        ):
            counts[code] = counts.get(code, 0) + row["sheet_count"]
        result.rate_sum += row["rate_sum"] or 0.0
        result.rate_count += row["rate_count"]
    return PlanResults(
        fy=fy,
        grade_scale=_scale(grades),
        by_node=dict(by_node),
        direction_scale=_scale(directions),
        status_scale=_scale(statuses),
    )


def _scale(items: list[dict]) -> list[ScaleValue]:
    return [ScaleValue(i["code"], i.get("label") or i["code"], i.get("meaning", "")) for i in items]


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
                fy_label=format_fiscal_year(fy),
                plan_name=sheet.cycle.plan.name,
                subject=subject,
                url=url,
                overall_grade=_scale_value(sheet, "grades", sheet.overall_grade),
                future_direction=_scale_value(sheet, "directions", sheet.future_direction),
                progress_grade=_scale_value(sheet, "progress_grades", sheet.progress_grade),
            )
        )
    return results

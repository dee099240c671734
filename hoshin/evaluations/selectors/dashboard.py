"""Roll-ups of a plan's evaluation year for the planning office's dashboard.

Every figure is computed by the database with aggregate queries (``values().annotate()``),
grouped by department or by plan node. A fixed number of queries answers a year of any size:
one for the sheets, one for the indicators and one for the cost lines, for this year and the
year before, and one for citizens' ratings of this year's results (voices.ResultRating). No
Python loop ever runs over the sheets; loops run over groups (departments, nodes), whose
number does not grow with the number of sheets.

Grouping by node uses the ancestor of each sheet's node at the depth being shown, found with
joins up the ``parent`` chain (``dashboard_scopes.ancestor_at``); the plan's depth bounds the
number of joins. The sheets behind one figure (the drill-down) are in ``dashboard_sheets``.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Avg,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    FloatField,
    Q,
    Sum,
)
from django.utils.translation import gettext as _

from hoshin.evaluations import defaults
from hoshin.evaluations.models import (
    CostKind,
    CostLine,
    EvaluationCycle,
    EvaluationSheet,
    EvaluationTemplate,
    Indicator,
    StaffUnitCost,
    Stage,
)
from hoshin.evaluations.progress import progress_rate_expression
from hoshin.evaluations.selectors.dashboard_scopes import (
    DepartmentScope,
    NodeScope,
    Scope,
    overdue_condition,
    plan_max_depth,
)
from hoshin.lib.fiscal import format_fiscal_year
from hoshin.org.models import Department
from hoshin.plans.models import Plan, PlanNode

BY_DEPARTMENT, BY_NODE = "department", "node"
# Stages in workflow order, for table columns.
STAGES = [
    Stage.DRAFT,
    Stage.RETURNED,
    Stage.SUBMITTED,
    Stage.APPROVED,
    Stage.FINAL,
    Stage.PUBLISHED,
]
DIRECT = "direct"  # the group of sheets hanging on the shown node itself, not on a child


@dataclass
class Scales:
    """The codes a roll-up counts, from the plan's template (the defaults if it has none)."""

    grades: list[dict]
    directions: list[dict]
    progress_grades: list[dict]
    blocks: list[str]

    @classmethod
    def for_plan(cls, plan: Plan) -> "Scales":
        template = EvaluationTemplate.objects.filter(plan=plan).first()
        values = template.snapshot() if template else EvaluationTemplate.default_values(plan=plan)
        return cls(
            grades=values["grades"],
            directions=values["directions"],
            progress_grades=values["progress_grades"],
            blocks=values.get("blocks") or list(defaults.DEFAULT_BLOCKS),
        )


@dataclass
class Figures:
    """The roll-up of one group of sheets in one year. None means "no data", not zero."""

    sheets: int = 0
    stages: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    grades: dict[str, int] = field(default_factory=dict)  # code → count; "" = other codes
    directions: dict[str, int] = field(default_factory=dict)
    progress_grades: dict[str, int] = field(default_factory=dict)
    mean_progress: float | None = None  # a ratio: 0.5 = 50 %
    rated_indicators: int = 0  # indicators with a defined progress rate
    project_cost: Decimal | None = None  # 千円, the actual cost line's funding fields
    staff_cost: Decimal | None = None  # 千円
    # Person-years were entered but the year has no unit cost: staff and total cost unknown.
    staff_cost_missing: bool = False
    effect_savings: Decimal | None = None
    effect_revenue: Decimal | None = None
    # Citizens' satisfaction (1–5) with the published results (voices.ResultRating); this
    # year only, filled by ``_ratings``.
    rating_count: int = 0
    rating_mean: float | None = None

    @property
    def total_cost(self) -> Decimal | None:
        if self.project_cost is None or self.staff_cost_missing:
            return None
        return self.project_cost + (self.staff_cost or 0)

    @property
    def effect_total(self) -> Decimal | None:
        if self.effect_savings is None and self.effect_revenue is None:
            return None
        return (self.effect_savings or 0) + (self.effect_revenue or 0)

    def add(self, other: "Figures") -> None:
        """Add ``other`` into this one (for the total row; groups, never sheets, are looped)."""
        self.sheets += other.sheets
        self.overdue += other.overdue
        for name in ("stages", "grades", "directions", "progress_grades"):
            mine = getattr(self, name)
            for key, value in getattr(other, name).items():
                mine[key] = mine.get(key, 0) + value
        if other.rated_indicators:
            weighted = (self.mean_progress or 0) * self.rated_indicators
            weighted += other.mean_progress * other.rated_indicators
            self.rated_indicators += other.rated_indicators
            self.mean_progress = weighted / self.rated_indicators
        for name in ("project_cost", "staff_cost", "effect_savings", "effect_revenue"):
            value = getattr(other, name)
            if value is not None:
                setattr(self, name, (getattr(self, name) or 0) + value)
        self.staff_cost_missing = self.staff_cost_missing or other.staff_cost_missing
        if self.staff_cost_missing:
            self.staff_cost = None
        if other.rating_count:
            weighted = (self.rating_mean or 0) * self.rating_count
            weighted += other.rating_mean * other.rating_count
            self.rating_count += other.rating_count
            self.rating_mean = weighted / self.rating_count


@dataclass
class Row:
    """One line of the dashboard: a department or a plan node, this year and last."""

    key: int | str | None  # department/node id; None = no department; DIRECT = on the node
    label: str
    detail: str = ""
    current: Figures = field(default_factory=Figures)
    previous: Figures | None = None
    has_children: bool = False  # a node that can be drilled into


@dataclass
class Dashboard:
    plan: Plan
    cycle: EvaluationCycle
    previous_cycle: EvaluationCycle | None
    by: str
    node: PlanNode | None
    path: list[PlanNode]  # the node's ancestors, top first, for breadcrumbs
    scales: Scales
    rows: list[Row]
    total: Row
    unit_cost: Decimal | None
    previous_unit_cost: Decimal | None
    today: datetime.date

    @property
    def fy(self) -> int:
        return self.cycle.fy

    @property
    def has_other_grades(self) -> bool:
        return bool(self.total.current.grades.get(""))

    @property
    def has_other_directions(self) -> bool:
        return bool(self.total.current.directions.get(""))

    @property
    def has_other_progress_grades(self) -> bool:
        return bool(self.total.current.progress_grades.get(""))


# --- queries -------------------------------------------------------------------------------


def _coded_counts(name: str, field_name: str, items: list[dict]) -> dict:
    """Count(filter=…) per code of a scale, plus one for codes the scale no longer has."""
    codes = [item["code"] for item in items]
    aggregates = {
        f"{name}_{index}": Count("pk", filter=Q(**{field_name: code}))
        for index, code in enumerate(codes)
    }
    aggregates[f"{name}_other"] = Count(
        "pk", filter=~Q(**{field_name: ""}) & ~Q(**{field_name + "__in": codes})
    )
    return aggregates


def _rollup(
    *, cycle: EvaluationCycle, scope: Scope, scales: Scales, today: datetime.date, unit_cost
) -> dict:
    """Figures per group key of one cycle: three aggregate queries, whatever its size."""
    aggregates = {"sheet_count": Count("pk")}
    aggregates.update({f"stage_{s}": Count("pk", filter=Q(stage=s)) for s in STAGES})
    overdue = overdue_condition(cycle, today)
    if overdue is not None:
        aggregates["overdue"] = Count("pk", filter=overdue)
    aggregates.update(_coded_counts("grade", "overall_grade", scales.grades))
    aggregates.update(_coded_counts("direction", "future_direction", scales.directions))
    aggregates.update(_coded_counts("pgrade", "progress_grade", scales.progress_grades))
    aggregates["savings"] = Sum("effect_savings")
    aggregates["revenue"] = Sum("effect_revenue")

    sheets = scope.restrict(EvaluationSheet.objects.filter(cycle=cycle), "")
    result: dict = {}
    for row in sheets.annotate(group_key=scope.key("")).values("group_key").annotate(**aggregates):
        figures = result.setdefault(row["group_key"], Figures())
        figures.sheets = row["sheet_count"]
        figures.stages = {s.value: row[f"stage_{s}"] for s in STAGES}
        figures.overdue = row.get("overdue", 0)
        figures.grades = _codes(row, "grade", scales.grades)
        figures.directions = _codes(row, "direction", scales.directions)
        figures.progress_grades = _codes(row, "pgrade", scales.progress_grades)
        figures.effect_savings, figures.effect_revenue = row["savings"], row["revenue"]

    indicators = scope.restrict(Indicator.objects.filter(sheet__cycle=cycle), "sheet__")
    rate = progress_rate_expression()
    for row in (
        indicators.annotate(group_key=scope.key("sheet__"))
        .values("group_key")
        .annotate(mean=Avg(rate, output_field=FloatField()), rated=Count(rate))
    ):
        figures = result.setdefault(row["group_key"], Figures())
        figures.mean_progress, figures.rated_indicators = row["mean"], row["rated"]

    money = DecimalField(max_digits=20, decimal_places=2)
    funding = sum((F(name) for name in CostLine.FUNDING_FIELDS[1:]), F(CostLine.FUNDING_FIELDS[0]))
    costs = scope.restrict(
        CostLine.objects.filter(sheet__cycle=cycle, kind=CostKind.ACTUAL), "sheet__"
    )
    for row in (
        costs.annotate(group_key=scope.key("sheet__"))
        .values("group_key")
        .annotate(
            project=Sum(funding, output_field=money),
            # Person-years at the year's unit cost, and those with a unit cost of their own.
            years_at_default=Sum("person_years", filter=Q(staff_unit_cost__isnull=True)),
            own_rate=Sum(
                ExpressionWrapper(F("person_years") * F("staff_unit_cost"), output_field=money),
                filter=Q(staff_unit_cost__isnull=False),
            ),
        )
    ):
        figures = result.setdefault(row["group_key"], Figures())
        figures.project_cost = _whole(row["project"])
        at_default = Decimal(row["years_at_default"] or 0)
        if at_default and unit_cost is None:
            figures.staff_cost, figures.staff_cost_missing = None, True
        else:
            staff = Decimal(row["own_rate"] or 0) + at_default * (unit_cost or 0)
            figures.staff_cost = _whole(staff)
    return result


def _ratings(*, cycle: EvaluationCycle, scope: Scope, result: dict) -> None:
    """Mean and count of citizens' ratings per group key, added to ``result`` (one query).

    Every score counts at once, whatever the moderation state of its comment.
    """
    sheets = scope.restrict(EvaluationSheet.objects.filter(cycle=cycle, ratings__isnull=False), "")
    for row in (
        sheets.annotate(group_key=scope.key(""))
        .values("group_key")
        .annotate(mean=Avg("ratings__score", output_field=FloatField()), rated=Count("ratings"))
        .order_by()
    ):
        figures = result.setdefault(row["group_key"], Figures())
        figures.rating_mean, figures.rating_count = row["mean"], row["rated"]


def _whole(value) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(Decimal(1))


def _codes(row: dict, name: str, items: list[dict]) -> dict[str, int]:
    counts = {item["code"]: row[f"{name}_{index}"] for index, item in enumerate(items)}
    counts[""] = row[f"{name}_other"]
    return counts


def _unit_costs(fys: list[int]) -> dict[int, Decimal]:
    return dict(StaffUnitCost.objects.filter(fy__in=fys).values_list("fy", "amount"))


# --- the dashboard -------------------------------------------------------------------------


def dashboard_rollup(
    *,
    cycle: EvaluationCycle,
    by: str = BY_DEPARTMENT,
    node: PlanNode | None = None,
    today: datetime.date,
) -> Dashboard:
    """This year's and last year's figures of a plan per department or per node (one level)."""
    plan = cycle.plan
    previous_cycle = EvaluationCycle.objects.filter(plan=plan, fy=cycle.fy - 1).first()
    scales = Scales.for_plan(plan)
    unit_costs = _unit_costs([cycle.fy, cycle.fy - 1])
    path: list[PlanNode] = []
    if by == BY_NODE:
        scope: Scope = NodeScope(node, plan_max_depth(plan=plan))
        path = _node_path(node)
    else:
        by, node = BY_DEPARTMENT, None
        scope = DepartmentScope()

    def rollup(year_cycle: EvaluationCycle) -> dict:
        return _rollup(
            cycle=year_cycle,
            scope=scope,
            scales=scales,
            today=today,
            unit_cost=unit_costs.get(year_cycle.fy),
        )

    current = rollup(cycle)
    _ratings(cycle=cycle, scope=scope, result=current)
    previous = rollup(previous_cycle) if previous_cycle else {}
    if by == BY_NODE:
        rows = _node_rows(plan, node, current, previous)
    else:
        rows = _department_rows(current, previous)
    total = Row(key=None, label=_("合計"), current=Figures(), previous=Figures())
    for figures in current.values():
        total.current.add(figures)
    for figures in previous.values():
        total.previous.add(figures)
    if previous_cycle is None:
        total.previous = None
    return Dashboard(
        plan=plan,
        cycle=cycle,
        previous_cycle=previous_cycle,
        by=by,
        node=node,
        path=path,
        scales=scales,
        rows=rows,
        total=total,
        unit_cost=unit_costs.get(cycle.fy),
        previous_unit_cost=unit_costs.get(cycle.fy - 1),
        today=today,
    )


def _node_path(node: PlanNode | None) -> list[PlanNode]:
    path = []
    while node is not None:
        path.append(node)
        node = node.parent
    return list(reversed(path))


def _department_rows(current: dict, previous: dict) -> list[Row]:
    """A row per department with sheets in either year; last year's departments stay as they were."""
    keys = set(current) | set(previous)
    departments = {
        d.pk: d
        for d in Department.objects.filter(pk__in=[k for k in keys if k is not None])
        .select_related("parent")
        .in_org_order()
    }
    rows = []
    for pk, department in departments.items():
        detail = department.parent.name if department.parent_id else ""
        if department.valid_until_fy is not None:
            until = _("%(fy)sまで") % {"fy": format_fiscal_year(department.valid_until_fy)}
            detail = f"{detail} （{until}）".strip()
        rows.append(
            Row(
                key=pk,
                label=department.name,
                detail=detail,
                current=current.get(pk, Figures()),
                previous=previous.get(pk),
            )
        )
    if None in keys:
        rows.append(
            Row(
                key=None,
                label=_("担当課なし（企画担当）"),
                detail=_("全庁の取組など"),
                current=current.get(None, Figures()),
                previous=previous.get(None),
            )
        )
    return rows


def _node_rows(plan: Plan, node: PlanNode | None, current: dict, previous: dict) -> list[Row]:
    """A row per child node (every child, even without sheets), then the node's own sheets."""
    children = PlanNode.objects.filter(plan=plan).order_by("position", "id")
    children = children.filter(parent=node) if node is not None else children.filter(depth=0)
    children = children.annotate(child_count=Count("children"))
    rows = [
        Row(
            key=child.pk,
            label=str(child),
            detail=plan.level_name(child.depth),
            current=current.get(child.pk, Figures()),
            previous=previous.get(child.pk),
            has_children=child.child_count > 0,
        )
        for child in children
    ]
    if None in current or None in previous:
        rows.append(
            Row(
                key=DIRECT,
                label=_("この節に直接属する取組") if node is not None else _("（階層外）"),
                current=current.get(None, Figures()),
                previous=previous.get(None),
            )
        )
    return rows

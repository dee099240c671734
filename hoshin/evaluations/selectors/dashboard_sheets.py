"""The dashboard's drill-down: the sheets behind one figure, for the table under it."""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from hoshin.evaluations.models import EvaluationCycle, EvaluationSheet
from hoshin.evaluations.selectors.dashboard import Scales
from hoshin.evaluations.selectors.dashboard_scopes import (
    ancestor_at,
    overdue_condition,
    plan_max_depth,
)
from hoshin.org.models import department_order
from hoshin.plans.models import PlanNode


@dataclass
class SheetFilter:
    """What a dashboard figure counts, as a filter on one cycle's sheets (GET parameters)."""

    department: int | str | None = None  # id, or "none" for sheets without a department
    node: int | None = None
    direct: bool = False  # with node: only the sheets hanging on the node itself
    stage: str = ""
    overdue: bool = False
    grade: str | None = None  # "" never set; "*" any code outside the template
    direction: str | None = None
    progress_grade: str | None = None


def figure_sheets(
    *, cycle: EvaluationCycle, filters: SheetFilter, today: datetime.date
) -> QuerySet[EvaluationSheet]:
    """The sheets behind one figure of the dashboard, for the drill-down table."""
    sheets = EvaluationSheet.objects.filter(cycle=cycle).select_related(
        "department", "action", "node", "cycle"
    )
    if filters.department == "none":
        sheets = sheets.filter(department__isnull=True)
    elif filters.department is not None:
        sheets = sheets.filter(department_id=filters.department)
    if filters.node is not None:
        if filters.direct:
            sheets = sheets.filter(Q(action__node_id=filters.node) | Q(node_id=filters.node))
        else:
            node = PlanNode.objects.filter(plan=cycle.plan_id, pk=filters.node).first()
            if node is None:
                return sheets.none()
            ancestor = ancestor_at("", node.depth, plan_max_depth(plan=cycle.plan))
            sheets = sheets.alias(dashboard_node=ancestor).filter(dashboard_node=node.pk)
    if filters.stage:
        sheets = sheets.filter(stage=filters.stage)
    if filters.overdue:
        condition = overdue_condition(cycle, today)
        sheets = sheets.filter(condition) if condition is not None else sheets.none()
    scales = Scales.for_plan(cycle.plan)
    for value, field_name, items in (
        (filters.grade, "overall_grade", scales.grades),
        (filters.direction, "future_direction", scales.directions),
        (filters.progress_grade, "progress_grade", scales.progress_grades),
    ):
        if value == "*":
            codes = [item["code"] for item in items]
            sheets = sheets.exclude(**{field_name: ""}).exclude(**{field_name + "__in": codes})
        elif value is not None:
            sheets = sheets.filter(**{field_name: value})
    return sheets.order_by(*department_order("department__"), "action__position", "pk")

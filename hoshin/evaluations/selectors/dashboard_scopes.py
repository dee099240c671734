"""Which sheets a dashboard figure covers and how they are grouped, as query expressions.

A roll-up groups a year's sheets by department or by the plan node they fall under at the
depth being shown; ``prefix`` reaches the sheet from the queried model (``sheet__`` from an
indicator or a cost line). The drill-down (``dashboard_sheets``) filters with the same
expressions, so a figure and the list behind it always count the same sheets.
"""

import datetime

from django.db.models import Case, F, IntegerField, Max, Q, QuerySet, Value, When

from hoshin.evaluations.models import EvaluationCycle, Stage
from hoshin.plans.models import Plan, PlanNode


def plan_max_depth(*, plan: Plan) -> int:
    """The depth of the plan's deepest node (0 for a flat plan): bounds the joins of a roll-up."""
    return PlanNode.objects.filter(plan=plan).aggregate(depth=Max("depth"))["depth"] or 0


def ancestor_at(prefix: str, depth: int, max_depth: int) -> Case:
    """The id of the sheet's node's ancestor at ``depth`` (the node itself included), or NULL.

    A sheet hangs on a node through its action (``action__node``) or directly (``node``,
    施策評価). The ancestor is found by walking ``parent`` joins, at most ``max_depth - depth``.
    """
    whens = []
    for base in ("action__node", "node"):
        for steps in range(max_depth - depth + 1):
            path = prefix + base + "__parent" * steps
            whens.append(When(**{path + "__depth": depth}, then=F(path)))
    return Case(*whens, default=Value(None), output_field=IntegerField())


class Scope:
    """Which sheets of a year a roll-up covers and how it groups them; ``prefix`` reaches
    the sheet from an indicator or a cost line (``sheet__``)."""

    def key(self, prefix: str):
        raise NotImplementedError

    def restrict(self, queryset: QuerySet, prefix: str) -> QuerySet:
        return queryset


class DepartmentScope(Scope):
    def key(self, prefix: str):
        return F(prefix + "department")


class NodeScope(Scope):
    """The children of ``node`` (the top level when None) and the sheets below each."""

    def __init__(self, node: PlanNode | None, max_depth: int):
        self.node, self.max_depth = node, max_depth
        self.depth = node.depth + 1 if node is not None else 0

    def key(self, prefix: str):
        if self.depth > self.max_depth:
            return Value(None, output_field=IntegerField())
        return ancestor_at(prefix, self.depth, self.max_depth)

    def restrict(self, queryset: QuerySet, prefix: str) -> QuerySet:
        if self.node is None:
            return queryset
        return queryset.alias(
            dashboard_scope=ancestor_at(prefix, self.node.depth, self.max_depth)
        ).filter(dashboard_scope=self.node.pk)


def overdue_condition(cycle: EvaluationCycle, today: datetime.date, prefix: str = "") -> Q | None:
    """Sheets still in a stage whose due date has passed (None when no stage is overdue)."""
    condition = None
    for stages, due in (
        ([Stage.DRAFT, Stage.RETURNED], cycle.submit_due),
        ([Stage.SUBMITTED], cycle.approve_due),
        ([Stage.APPROVED], cycle.review_due),
    ):
        if due is not None and due < today:
            part = Q(**{prefix + "stage__in": stages})
            condition = part if condition is None else condition | part
    return condition

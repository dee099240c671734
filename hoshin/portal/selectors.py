"""Reads for the public portal, built on the ``published`` selectors of hoshin.plans.

Everything here only ever returns what citizens may see: published plans, their nodes and
actions, and departments that are named by a published action or by a recorded
reorganisation (a successor link must work even before the new department has actions).
Evaluation results come only from hoshin.evaluations.selectors.public and public_plan
(published sheets).
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from hoshin.evaluations.selectors.public_plan import (
    NodeResult,
    PlanResults,
    action_results_in_year,
    plan_results_public,
    plan_year_changes_public,
)
from hoshin.org.models import Department
from hoshin.plans import selectors as plan_selectors
from hoshin.plans.models import Action, Plan
from hoshin.plans.selectors import TreeNode
from hoshin.portal import charts


def plans_public_list() -> QuerySet[Plan]:
    """Published plans with their number of actions, for the home page."""
    return plan_selectors.plans_published().annotate(action_count=Count("actions"))


def plan_tree_public(*, plan: Plan, with_actions: bool = True) -> list[TreeNode]:
    """The plan's tree with each action's own ※ notes attached as ``action.portal_notes``."""
    tree = plan_selectors.plan_tree(plan=plan, with_actions=with_actions)
    stack = list(tree)
    while stack:
        tree_node = stack.pop()
        by_action: dict[int, list] = {}
        for note in tree_node.notes:
            if note.action_id is not None:
                by_action.setdefault(note.action_id, []).append(note)
        tree_node.node_notes = [note for note in tree_node.notes if note.action_id is None]
        for action in tree_node.actions:
            action.portal_notes = by_action.get(action.pk, [])
        stack.extend(tree_node.children)
    return tree


def _public_departments() -> QuerySet[Department]:
    """Departments a citizen may look up (see the module docstring)."""
    published = Q(responsibilities__action__plan__is_published=True)
    reorganised = Q(changes_out__isnull=False) | Q(changes_in__isnull=False)
    parent_of_published = Q(children__responsibilities__action__plan__is_published=True)
    return Department.objects.filter(published | reorganised | parent_of_published).distinct()


def departments_public() -> QuerySet[Department]:
    """Departments citizens may see (for open data and the API: the portal's own rule)."""
    return _public_departments()


def department_get_public(*, department_id: int) -> Department:
    """A department citizens may see, or Department.DoesNotExist.

    A department created only by importing a draft plan stays invisible, so guessing ids does
    not reveal what a draft plan is about.
    """
    ids = _public_departments().filter(pk=department_id).values("pk")
    return Department.objects.select_related("parent").get(pk__in=ids)


def department_is_public_ids(*, ids: set[int]) -> set[int]:
    """The subset of ``ids`` whose department pages are public (to decide what to link)."""
    if not ids:
        return set()
    return set(_public_departments().filter(pk__in=ids).values_list("pk", flat=True))


@dataclass
class DepartmentGroup:
    """Departments listed under one parent (``parent`` is None for those without one)."""

    parent: Department | None
    departments: list[Department] = field(default_factory=list)
    parent_action_count: int = 0  # when the parent itself is named by published actions


def departments_public_grouped() -> list[DepartmentGroup]:
    """Departments with published actions, grouped by their parent department, in display order."""
    departments = list(
        plan_selectors.departments_with_published_actions()
        .annotate(
            published_action_count=Count(
                "responsibilities__action",
                filter=Q(responsibilities__action__plan__is_published=True),
                distinct=True,
            )
        )
        .select_related("parent")
        .in_org_order()
    )
    parent_ids = {department.parent_id for department in departments}
    groups: dict[int | None, DepartmentGroup] = {}
    for department in departments:
        # A listed 部 heads its own group rather than sitting among the parentless ones.
        if department.parent_id is None and department.pk in parent_ids:
            group = groups.setdefault(department.pk, DepartmentGroup(parent=department))
            group.parent_action_count = department.published_action_count
            continue
        group = groups.setdefault(department.parent_id, DepartmentGroup(parent=department.parent))
        group.departments.append(department)
    parent_order = Department.objects.filter(pk__in=[key for key in groups if key is not None])
    named = [groups[pk] for pk in parent_order.in_org_order().values_list("pk", flat=True)]
    unparented = [groups[None]] if None in groups else []
    return named + unparented


@dataclass
class PlanActions:
    """One published plan and the department's actions in it."""

    plan: Plan
    actions: list[Action] = field(default_factory=list)


def department_actions_by_plan(*, department: Department) -> list[PlanActions]:
    """The department's actions in published plans, grouped by plan (plan name order).

    Each action gets ``own_lines``: this department's responsibility lines for it, so the page
    can say whether it leads and for which years.
    """
    groups: dict[int, PlanActions] = {}
    for action in plan_selectors.actions_for_department(department=department):
        action.own_lines = [
            line for line in action.responsibilities.all() if line.department_id == department.pk
        ]
        groups.setdefault(action.plan_id, PlanActions(plan=action.plan)).actions.append(action)
    return list(groups.values())


def plan_tree_with_results(
    *, plan: Plan, with_actions: bool = True
) -> tuple[list[TreeNode], PlanResults]:
    """The plan's tree with each node's evaluation results of the latest published year.

    ``tree_node.results`` covers the node's own published sheets and everything below it; the
    totals are summed from per-node aggregates (public_plan.plan_results_public), not from sheets.
    Each node gets ``grade_counts`` (the grades it has, in the scale's order) and ``mini_bar``
    (their segments: the one-line summary of the plan outline); the plan
    (``results.total``) gets its charts (``distribution_chart``, ``progress_chart``) and
    ``results.changes`` (against the year before). Node charts: ``attach_node_charts``.
    Without ``with_actions`` the tree carries action counts only (``plans.selectors.plan_tree``).
    """
    tree = plan_tree_public(plan=plan, with_actions=with_actions)
    results = plan_results_public(plan=plan)

    def roll_up(tree_node: TreeNode) -> NodeResult:
        total = NodeResult()
        own = results.by_node.get(tree_node.node.pk)
        if own is not None:
            total.add(own)
        for child in tree_node.children:
            total.add(roll_up(child))
        tree_node.results = total
        tree_node.grade_counts = (
            [item for item in results.distribution(total) if item.count] if total.sheets else []
        )
        tree_node.mini_bar = charts.mini_bar(tree_node.grade_counts)
        return total

    plan_total = NodeResult()
    for root in tree:
        plan_total.add(roll_up(root))
    results.total = plan_total
    results.total_grade_counts = results.distribution(plan_total) if plan_total.sheets else []
    results.changes = plan_year_changes_public(plan=plan, results=results)
    _attach_charts(
        results, results, result=plan_total, children=tree, chart_id="plan-chart", subject=plan.name
    )
    return tree, results


def attach_node_charts(tree_node: TreeNode, results: PlanResults) -> None:
    """The node page's charts: its distribution and its children's mean progress rates."""
    _attach_charts(
        tree_node,
        results,
        result=tree_node.results,
        children=tree_node.children,
        chart_id=f"node-{tree_node.node.pk}-chart",
        subject=tree_node.node.label,
    )


def find_node(tree: list[TreeNode], node_id: int) -> list[TreeNode]:
    """The path from a root of ``tree`` down to the node ``node_id`` ([] when it is not there)."""
    for root in tree:
        if root.node.pk == node_id:
            return [root]
        path = find_node(root.children, node_id)
        if path:
            return [root, *path]
    return []


def node_actions_public(*, tree_node: TreeNode, results: PlanResults) -> list[Action]:
    """The node's own actions (published plan) with their ※ notes (``portal_notes``) and their
    latest published result (``result``: grade and direction, or None), in three queries."""
    actions = plan_selectors.node_actions(node=tree_node.node)
    by_action: dict[int, list] = {}
    for note in tree_node.notes:
        if note.action_id is not None:
            by_action.setdefault(note.action_id, []).append(note)
    latest = action_results_in_year(results=results, action_ids=[a.pk for a in actions])
    for action in actions:
        action.portal_notes = by_action.get(action.pk, [])
        action.result = latest.get(action.pk)
    return actions


def _attach_charts(
    target, results: PlanResults, *, result: NodeResult, children, chart_id: str, subject: str
) -> None:
    """Set ``target.distribution_chart`` and ``target.progress_chart`` (None when empty)."""
    target.distribution_chart = target.progress_chart = None
    if not result.sheets:
        return
    target.distribution_chart = charts.distribution_chart(
        [
            (_("総合評価"), results.distribution(result)),
            (_("今後の方向性"), results.direction_distribution(result)),
            (_("進捗状況"), results.status_distribution(result)),
        ],
        chart_id=f"{chart_id}-distribution",
        subject=subject,
        fy_label=results.fy_label,
    )
    target.progress_chart = charts.progress_chart(
        [(child.node.label, child.results) for child in children],
        chart_id=f"{chart_id}-progress",
        subject=subject,
        fy_label=results.fy_label,
    )

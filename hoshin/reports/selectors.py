"""Reads for the reports: public PDFs from published data only, staff workbooks by permission.

Public reports read evaluation results only through ``hoshin.evaluations.selectors.public``
(``sheets_published()`` and the PublicSheet dataclass of the official fields — the same fields,
built by the same code, as the action page) and plans through ``hoshin.plans.selectors``.
Staff workbooks read what ``sheets_visible_to`` lets the user open, plus published sheets.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from hoshin.evaluations import figures
from hoshin.evaluations.models import (
    CostLine,
    EvaluationCycle,
    EvaluationSheet,
    EvaluationTemplate,
    Indicator,
)
from hoshin.evaluations.selectors import public
from hoshin.evaluations.selectors.access import sheets_visible_to
from hoshin.evaluations.selectors.public import PublicSheet, ScaleValue
from hoshin.evaluations.selectors.public_plan import NodeResult
from hoshin.lib.fiscal import MAX_FY, MIN_FY, format_fiscal_year
from hoshin.plans import selectors as plan_selectors
from hoshin.plans.models import Action, Plan, PlanNode

# Sheets are read (and turned into PDF pages) this many actions at a time, so that memory
# holds one chunk of ORM objects, not the whole plan.
CHUNK = 200


class ReportNotFound(Exception):
    """Nothing public (or visible) to report; the message says what and where (→ 404)."""


def fy_checked(fy: int) -> int:
    """The fiscal year of a URL, or ReportNotFound naming it when out of the supported range."""
    if not MIN_FY <= fy <= MAX_FY:
        raise ReportNotFound(
            _("年度「%(fy)s」は扱える範囲（%(min)s～%(max)s年度）の外です。")
            % {"fy": fy, "min": MIN_FY, "max": MAX_FY}
        )
    return fy


# ---- one published sheet ---------------------------------------------------------------------


@dataclass
class SheetReport:
    """A published sheet with the header a printed sheet carries (all of it public)."""

    plan_name: str
    path: list[str]  # "大項目 1 防災", from the root to the action's node
    action_id: int
    action_number: str
    action_title: str  # "" when the action has only a text
    action_heading: str
    action_text: str
    department: str  # the sheet's department that year, else the action's lines (全庁 …)
    sheet: PublicSheet


def _path(plan: Plan, nodes: list[PlanNode]) -> list[str]:
    labels = []
    for node in nodes:
        node.plan = plan  # the level name without a query
        labels.append(f"{node.level} {node.label}".strip())
    return labels


def _department(action: Action, sheet: PublicSheet) -> str:
    if sheet.department_name:
        return sheet.department_name
    lines = plan_selectors.responsibilities_in(action=action, fy=sheet.fy)
    return "、".join(line.label for line in lines)


def sheet_report_public(*, action_id: int, fy: int) -> SheetReport:
    """The published sheet of a published action and year, or ReportNotFound."""
    fy_checked(fy)
    try:
        action = plan_selectors.action_get_published(action_id=action_id)
    except Action.DoesNotExist:
        raise ReportNotFound(
            _("取組（番号 %(id)s）は公開されていません。") % {"id": action_id}
        ) from None
    results = public.action_results_public(action=action)
    sheet = next((s for s in results.sheets if s.fy == fy), None)
    if sheet is None:
        raise ReportNotFound(
            _("この取組の%(fy)sの評価結果は公表されていません。") % {"fy": format_fiscal_year(fy)}
        )
    nodes = [*plan_selectors.node_ancestors(node=action.node), action.node]
    return SheetReport(
        plan_name=action.plan.name,
        path=_path(action.plan, nodes),
        action_id=action.pk,
        action_number=action.number,
        action_title=action.title,
        action_heading=action.heading,
        action_text=action.text,
        department=_department(action, sheet),
        sheet=sheet,
    )


# ---- the annual report of a plan ---------------------------------------------------------------


@dataclass
class TreeLine:
    """One line of the plan tree: a node or an action, with its depth for indentation."""

    depth: int
    is_action: bool
    label: str
    departments: str = ""
    action_id: int | None = None


@dataclass
class AnnualPlan:
    """What the annual report needs before it reads the sheets (all public)."""

    plan: Plan
    fy: int
    fy_label: str
    tree: list[TreeLine]
    top_nodes: list[tuple[int, str]]  # (id, label) of the top-level nodes, in order
    top_node_of: dict[int, int]  # action id → its top-level node id
    grade_scale: list[ScaleValue]
    direction_scale: list[ScaleValue]
    sheet_count: int
    action_ids: list[int] = field(default_factory=list)  # with a published sheet, tree order


def _scales(plan: Plan) -> tuple[list[ScaleValue], list[ScaleValue]]:
    values = EvaluationTemplate.objects.filter(plan=plan).values(
        "grades", "directions"
    ).first() or EvaluationTemplate.default_values(plan=plan)

    def scale(items):
        return [
            ScaleValue(i["code"], i.get("label") or i["code"], i.get("meaning") or "")
            for i in items
        ]

    return scale(values["grades"]), scale(values["directions"])


def _annual_sheets(plan: Plan, fy: int) -> QuerySet[EvaluationSheet]:
    """Published action sheets of the plan and year (node sheets are not shown publicly)."""
    return public.sheets_published().filter(cycle__plan=plan, cycle__fy=fy, action__isnull=False)


def annual_report_plan(*, plan_id: int, fy: int) -> Plan:
    """The plan when its annual report of ``fy`` is public (the plan is published and has
    published sheets that year), else ReportNotFound. Two small queries: the check a request
    makes before queueing a build, without loading the tree."""
    fy_checked(fy)
    try:
        plan = plan_selectors.plan_get_published(plan_id=plan_id)
    except Plan.DoesNotExist:
        raise ReportNotFound(
            _("計画（番号 %(id)s）は公開されていません。") % {"id": plan_id}
        ) from None
    if not _annual_sheets(plan, fy).exists():
        raise ReportNotFound(
            _("「%(plan)s」の%(fy)sの評価結果は公表されていません。")
            % {"plan": plan.name, "fy": format_fiscal_year(fy)}
        )
    return plan


def annual_plan_public(*, plan_id: int, fy: int) -> AnnualPlan:
    """The published plan, its tree and its year, or ReportNotFound (no published sheets too)."""
    plan = annual_report_plan(plan_id=plan_id, fy=fy)
    published_ids = set(_annual_sheets(plan, fy).values_list("action_id", flat=True))
    tree = plan_selectors.plan_tree(plan=plan)
    lines: list[TreeLine] = []
    top_node_of: dict[int, int] = {}
    action_ids: list[int] = []

    def walk(tree_node, top_id: int) -> None:
        node = tree_node.node
        lines.append(TreeLine(node.depth, False, f"{node.level} {node.label}".strip()))
        for action in tree_node.actions:
            departments = "、".join(
                line.label for line in plan_selectors.responsibilities_in(action=action, fy=fy)
            )
            lines.append(TreeLine(node.depth + 1, True, action.heading, departments, action.pk))
            top_node_of[action.pk] = top_id
            if action.pk in published_ids:
                action_ids.append(action.pk)
        for child in tree_node.children:
            walk(child, top_id)

    for root in tree:
        walk(root, root.node.pk)
    grades, directions = _scales(plan)
    return AnnualPlan(
        plan=plan,
        fy=fy,
        fy_label=format_fiscal_year(fy),
        tree=lines,
        top_nodes=[(root.node.pk, f"{root.node.level} {root.node.label}".strip()) for root in tree],
        top_node_of=top_node_of,
        grade_scale=grades,
        direction_scale=directions,
        sheet_count=len(action_ids),
        action_ids=action_ids,
    )


def _prefetched(sheets: QuerySet[EvaluationSheet]) -> QuerySet[EvaluationSheet]:
    return sheets.select_related("cycle", "department").prefetch_related(
        Prefetch("indicators", Indicator.objects.order_by("position", "id")),
        Prefetch("costs", CostLine.objects.order_by("kind")),
    )


def annual_sheets_public(*, annual: AnnualPlan) -> Iterator[SheetReport]:
    """Every published sheet of the year in tree order, read CHUNK actions at a time.

    Each sheet is built by the same code as the action page (public.public_sheet), with last
    year's published actual in the cost table, as the action page shows it.
    """
    plan, fy = annual.plan, annual.fy
    unit_costs = figures.unit_costs_around([fy])
    nodes = {node.pk: node for node in plan.nodes.all()}
    for node in nodes.values():
        node.plan = plan
    for start in range(0, len(annual.action_ids), CHUNK):
        ids = annual.action_ids[start : start + CHUNK]
        actions = {
            a.pk: a
            for a in plan_selectors.actions_published()
            .filter(pk__in=ids)
            .prefetch_related("responsibilities__department")
        }
        current = {
            s.action_id: s for s in _prefetched(_annual_sheets(plan, fy).filter(action_id__in=ids))
        }
        previous = {
            s.action_id: s
            for s in _prefetched(
                public.sheets_published().filter(
                    cycle__plan=plan, cycle__fy=fy - 1, action_id__in=ids
                )
            )
        }
        for action_id in ids:
            sheet, action = current.get(action_id), actions.get(action_id)
            if sheet is None or action is None:  # withdrawn since the list was read
                continue
            action.plan = plan
            shown = public.public_sheet(
                sheet, previous=previous.get(action_id), unit_costs=unit_costs
            )
            chain, parent = [], nodes.get(action.node_id)
            while parent is not None:
                chain.append(parent)
                parent = nodes.get(parent.parent_id)
            yield SheetReport(
                plan_name=plan.name,
                path=_path(plan, list(reversed(chain))),
                action_id=action.pk,
                action_number=action.number,
                action_title=action.title,
                action_heading=action.heading,
                action_text=action.text,
                department=_department(action, shown),
                sheet=shown,
            )


@dataclass
class ScaleCount:
    item: ScaleValue
    count: int


def distribution(
    scale: list[ScaleValue], counts: dict[str, int], labels: dict[str, str]
) -> list[ScaleCount]:
    """Counts in the scale's order; codes no longer in the scale, then blanks (未記入), last."""
    known = {item.code for item in scale}
    rows = [ScaleCount(item, counts.get(item.code, 0)) for item in scale]
    rows += [
        ScaleCount(ScaleValue(code, labels.get(code, code)), n)
        for code, n in sorted(counts.items())
        if code not in known and code
    ]
    if counts.get(""):
        rows.append(ScaleCount(ScaleValue("", "未記入"), counts[""]))
    return rows


@dataclass
class AnnualTotals:
    """Grade and direction counts, and results per top-level node, summed from the sheets."""

    grades: dict[str, int] = field(default_factory=dict)
    grade_labels: dict[str, str] = field(default_factory=dict)
    directions: dict[str, int] = field(default_factory=dict)
    direction_labels: dict[str, str] = field(default_factory=dict)
    by_top_node: dict[int, NodeResult] = field(default_factory=dict)
    total: NodeResult = field(default_factory=NodeResult)
    indicators: int = 0
    targets_met: int = 0
    grade_of: dict[int, str] = field(default_factory=dict)  # action id → grade label

    def add(self, report: SheetReport, *, top_node_id: int | None) -> None:
        sheet = report.sheet
        grade = sheet.overall_grade.code if sheet.overall_grade else ""
        direction = sheet.future_direction.code if sheet.future_direction else ""
        self.grades[grade] = self.grades.get(grade, 0) + 1
        self.directions[direction] = self.directions.get(direction, 0) + 1
        if sheet.overall_grade:
            self.grade_labels[grade] = sheet.overall_grade.label
            self.grade_of[report.action_id] = sheet.overall_grade.label
        if sheet.future_direction:
            self.direction_labels[direction] = sheet.future_direction.label
        result = NodeResult(sheets=1, grades={grade: 1})
        for indicator in sheet.indicators:
            if indicator.progress_rate is not None:
                result.rate_sum += float(indicator.progress_rate)
                result.rate_count += 1
            self.indicators += 1
            self.targets_met += bool(indicator.target_met)
        self.total.add(result)
        if top_node_id is not None:
            self.by_top_node.setdefault(top_node_id, NodeResult()).add(result)


# ---- staff workbooks ------------------------------------------------------------------------


def plan_get_for_staff(*, plan_id: int) -> Plan:
    """Any plan (staff see drafts too, as on the back-office plan list), or ReportNotFound."""
    try:
        return Plan.objects.get(pk=plan_id)
    except Plan.DoesNotExist:
        raise ReportNotFound(_("計画（番号 %(id)s）が見つかりません。") % {"id": plan_id}) from None


def sheets_for_staff(*, user, plan: Plan, fy: int) -> QuerySet[EvaluationSheet]:
    """The plan's sheets of the year the user may open, plus every published one, in plan order.

    Raises ReportNotFound when the plan has no evaluation year ``fy``.
    """
    fy_checked(fy)
    if not EvaluationCycle.objects.filter(plan=plan, fy=fy).exists():
        raise ReportNotFound(
            _("「%(plan)s」には%(fy)sの評価年度がありません。")
            % {"plan": plan.name, "fy": format_fiscal_year(fy)}
        )
    visible = Q(pk__in=sheets_visible_to(user=user).values("pk")) | Q(
        pk__in=public.sheets_published().values("pk")
    )
    return (
        EvaluationSheet.objects.filter(visible, cycle__plan=plan, cycle__fy=fy)
        .select_related("cycle", "department", "action__node", "node")
        .prefetch_related(
            Prefetch("indicators", Indicator.objects.order_by("position", "id")),
            Prefetch("costs", CostLine.objects.order_by("kind")),
        )
        .order_by("id")
    )


def tree_order(*, plan: Plan) -> dict[tuple[str, int], int]:
    """Position of every node and action of the plan in reading order (depth first)."""
    order: dict[tuple[str, int], int] = {}

    def walk(tree_node) -> None:
        order[("node", tree_node.node.pk)] = len(order)
        for action in tree_node.actions:
            order[("action", action.pk)] = len(order)
        for child in tree_node.children:
            walk(child)

    for root in plan_selectors.plan_tree(plan=plan):
        walk(root)
    return order


def stage_counts(sheets: QuerySet[EvaluationSheet]) -> dict[str, int]:
    """Number of sheets per workflow stage."""
    return dict(sheets.order_by().values_list("stage").annotate(n=Count("id")))

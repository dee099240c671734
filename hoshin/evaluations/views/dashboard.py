"""The planning office's dashboard: where every department and plan node stands this year.

The figures come from ``selectors.dashboard`` (aggregate queries only) and are laid out as
tables by ``dashboard_tables``; this module chooses the plan and year from the GET parameters
(``plan``, ``fy``, ``by=department|node``, ``node``) and serves the drill-down list of the
sheets behind a figure.
"""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hoshin.evaluations.models import EvaluationCycle, Stage
from hoshin.evaluations.selectors.dashboard import (
    BY_DEPARTMENT,
    BY_NODE,
    Scales,
    dashboard_rollup,
)
from hoshin.evaluations.selectors.dashboard_sheets import SheetFilter, figure_sheets
from hoshin.evaluations.views.dashboard_tables import BLANK, OTHER, dashboard_tables
from hoshin.lib.fiscal import format_fiscal_year
from hoshin.org.models import Department
from hoshin.org.roles import planning_office_required
from hoshin.plans.models import Plan, PlanNode

SHEETS_PER_PAGE = 50


# --- choosing the plan and year ------------------------------------------------------------------


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _plans_with_cycles() -> list[Plan]:
    return list(
        Plan.objects.annotate(cycle_count=Count("evaluation_cycles"))
        .filter(cycle_count__gt=0)
        .order_by("-start_fy", "name")
    )


def _choose_cycle(request: HttpRequest, plans: list[Plan]) -> tuple[EvaluationCycle, list]:
    """The cycle chosen by ``plan`` and ``fy`` (the newest year of the first plan by default)."""
    plan_id = _int(request.GET.get("plan"))
    plan = next((p for p in plans if p.pk == plan_id), None) if plan_id else plans[0]
    if plan is None:
        raise Http404(_("評価年度のある計画が見つかりません。"))
    cycles = list(EvaluationCycle.objects.filter(plan=plan).order_by("-fy"))
    fy = _int(request.GET.get("fy"))
    cycle = next((c for c in cycles if c.fy == fy), cycles[0])
    cycle.plan = plan
    return cycle, cycles


@planning_office_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Per department or per plan node: stages, overdue, grades, progress, cost, last year."""
    plans = _plans_with_cycles()
    context = {"nav_section": "dashboard", "plans": plans}
    if not plans:
        return render(request, "evaluations/dashboard/index.html", context)
    cycle, cycles = _choose_cycle(request, plans)
    by = BY_NODE if request.GET.get("by") == BY_NODE else BY_DEPARTMENT
    node = None
    if by == BY_NODE and request.GET.get("node"):
        node = PlanNode.objects.filter(plan=cycle.plan, pk=_int(request.GET["node"])).first()
        if node is None:
            raise Http404(_("この計画にその節はありません。"))
    board = dashboard_rollup(cycle=cycle, by=by, node=node, today=timezone.localdate())
    base = {"plan": board.plan.pk, "fy": board.fy}
    context.update(
        board=board,
        cycles=cycles,
        tables=dashboard_tables(board),
        department_url=reverse("evaluations:dashboard") + "?" + urlencode(base),
        node_url=reverse("evaluations:dashboard") + "?" + urlencode({**base, "by": BY_NODE}),
        path_links=[
            (
                str(ancestor),
                reverse("evaluations:dashboard")
                + "?"
                + urlencode({**base, "by": BY_NODE, "node": ancestor.pk}),
            )
            for ancestor in board.path
        ],
        fy_label=format_fiscal_year(board.fy),
        crumbs=[(_("進捗ダッシュボード"), reverse("evaluations:dashboard"))],
    )
    return render(request, "evaluations/dashboard/index.html", context)


# --- drill-down ------------------------------------------------------------------------------


def _filter_from(request: HttpRequest) -> SheetFilter:
    get = request.GET
    department = get.get("department")
    if department != "none":
        department = _int(department)

    def code(name: str) -> str | None:
        if name not in get:
            return None
        return "" if get[name] == BLANK else get[name]

    stage = get.get("stage", "")
    return SheetFilter(
        department=department,
        node=_int(get.get("node")),
        direct=get.get("direct") == "1",
        stage=stage if stage in Stage.values else "",
        overdue=get.get("overdue") == "1",
        grade=code("grade"),
        direction=code("direction"),
        progress_grade=code("progress_grade"),
    )


def _conditions(filters: SheetFilter, cycle: EvaluationCycle, scales: Scales) -> list[str]:
    """The drill-down's filter in words, for the heading."""
    words = []
    if filters.department == "none":
        words.append(_("担当課なし（企画担当）"))
    elif filters.department is not None:
        department = Department.objects.filter(pk=filters.department).first()
        words.append(department.name if department else _("（不明な部署）"))
    if filters.node is not None:
        node = PlanNode.objects.filter(plan=cycle.plan_id, pk=filters.node).first()
        label = str(node) if node else _("（不明な節）")
        words.append(_("%(node)s に直接属する取組") % {"node": label} if filters.direct else label)
    if filters.stage:
        words.append(Stage(filters.stage).label)
    if filters.overdue:
        words.append(_("期限超過"))
    for value, what, items in (
        (filters.grade, _("総合評価"), scales.grades),
        (filters.direction, _("今後の方向性"), scales.directions),
        (filters.progress_grade, _("進捗評価"), scales.progress_grades),
    ):
        if value is None:
            continue
        if value == "":
            label = _("未入力")
        elif value == OTHER:
            label = _("その他")
        else:
            label = next((i["label"] for i in items if i["code"] == value), value)
        words.append(f"{what}：{label}")
    return words


@planning_office_required
def dashboard_sheets(request: HttpRequest) -> HttpResponse:
    """The sheets behind one figure of the dashboard, paginated, each linking to the sheet."""
    plans = _plans_with_cycles()
    if not plans:
        raise Http404(_("評価年度のある計画が見つかりません。"))
    cycle, _cycles = _choose_cycle(request, plans)
    filters = _filter_from(request)
    today = timezone.localdate()
    scales = Scales.for_plan(cycle.plan)
    sheets = figure_sheets(cycle=cycle, filters=filters, today=today)
    page = Paginator(sheets, SHEETS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {
            "sheet": sheet,
            "due": cycle.due_for(sheet.stage),
            "overdue": (due := cycle.due_for(sheet.stage)) is not None and due < today,
            "grade": sheet.scale_label("grades", sheet.overall_grade),
            "direction": sheet.scale_label("directions", sheet.future_direction),
            "progress_grade": sheet.scale_label("progress_grades", sheet.progress_grade),
        }
        for sheet in page
    ]
    query = request.GET.copy()
    query.pop("page", None)
    back = {"plan": cycle.plan.pk, "fy": cycle.fy}
    if filters.node is not None:
        back.update(by=BY_NODE)
    workspace_query = {"plan": cycle.plan.pk, "fy": cycle.fy}
    if isinstance(filters.department, int):
        workspace_query["department"] = filters.department
    if filters.stage:
        workspace_query["stage"] = filters.stage
    context = {
        "nav_section": "dashboard",
        "cycle": cycle,
        "fy_label": format_fiscal_year(cycle.fy),
        "conditions": _conditions(filters, cycle, scales),
        "page": page,
        "rows": rows,
        "show_progress": "progress" in scales.blocks,
        "show_viewpoints": "viewpoints" in scales.blocks,
        "page_query": query.urlencode(),
        "dashboard_url": reverse("evaluations:dashboard") + "?" + urlencode(back),
        "workspace_url": reverse("evaluations:sheets") + "?" + urlencode(workspace_query),
        "crumbs": [
            (_("進捗ダッシュボード"), reverse("evaluations:dashboard") + "?" + urlencode(back)),
            (_("シートの一覧"), request.get_full_path()),
        ],
    }
    return render(request, "evaluations/dashboard/sheets.html", context)

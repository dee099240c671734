"""Public detail endpoints: a plan with its tree, an action with its results, a published sheet.

Every read goes through the "published" doors (``hoshin.plans.selectors`` and
``hoshin.evaluations.selectors.public``); an unpublished or unknown id answers the same 404.
"""

from dataclasses import asdict

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router
from ninja.decorators import decorate_view

from hoshin.api.errors import ApiNotFound
from hoshin.api.schemas import ErrorOut, ObjectId
from hoshin.api.v1.public_schemas import ActionOut, PlanOut, PublicSheetOut
from hoshin.changes.page_cache import public_page
from hoshin.evaluations import figures
from hoshin.evaluations.models import EvaluationSheet
from hoshin.evaluations.selectors import public as public_results
from hoshin.lib.fiscal import format_fiscal_year
from hoshin.plans import selectors as plan_selectors
from hoshin.plans.models import Action, Plan

router = Router(tags=["公開データ（詳細）"])


def _departments(action: Action) -> list[dict]:
    return [
        {"department_id": line.department_id, "name": line.label, "is_lead": line.is_lead}
        for line in plan_selectors.responsibilities_in(action=action, fy=None)
    ]


def _action_summary(request: HttpRequest, action: Action) -> dict:
    return {
        "id": action.pk,
        "number": action.number,
        "title": action.title,
        "text": action.text,
        "departments": _departments(action),
        "key_projects": [
            {"title": kp.title, "status": kp.status} for kp in action.key_projects.all()
        ],
        "url": request.build_absolute_uri(action.get_absolute_url()),
    }


def _node(request: HttpRequest, tree_node) -> dict:
    node = tree_node.node
    return {
        "id": node.pk,
        "depth": node.depth,
        "level_name": node.level,
        "number": node.number,
        "title": node.title,
        "vision": node.vision,
        "challenges": [str(item) for item in node.challenges or []],
        "purpose": node.purpose,
        "action_count": tree_node.action_count,
        "actions": [_action_summary(request, action) for action in tree_node.actions],
        "children": [_node(request, child) for child in tree_node.children],
    }


@router.get(
    "/plans/{plan_id}",
    response={200: PlanOut, 404: ErrorOut, 400: ErrorOut},
    summary="計画の詳細（体系と取組）",
    operation_id="plan_detail",
)
@decorate_view(public_page)
def plan_detail(request: HttpRequest, plan_id: ObjectId):
    """A published plan with its whole tree of nodes and actions."""
    try:
        plan = plan_selectors.plan_get_published(plan_id=plan_id)
    except Plan.DoesNotExist:
        raise ApiNotFound("公開されている計画にこのIDはありません。") from None
    return {
        "id": plan.pk,
        "name": plan.name,
        "kind": plan.kind,
        "kind_label": plan.get_kind_display(),
        "start_fy": plan.start_fy,
        "end_fy": plan.end_fy,
        "period_label": plan.period_label,
        "description": plan.description,
        "level_names": [str(name) for name in plan.level_names or []],
        "action_level_name": plan.action_level_name,
        "owner_office": plan.owner_office,
        "contact": plan.contact,
        "source_title": plan.source_title,
        "source_updated_on": plan.source_updated_on,
        "url": request.build_absolute_uri(plan.get_absolute_url()),
        "nodes": [_node(request, root) for root in plan_selectors.plan_tree(plan=plan)],
    }


def _rates(row: dict) -> dict:
    """Rates as the open-data files give them: a ratio (1 = 100%) to four places."""
    return {
        key: figures.data_rate(value) if key in ("progress_rate", "achievement_rate") else value
        for key, value in row.items()
    }


def _sheet_document(sheet: EvaluationSheet, document: dict) -> dict:
    """A PublicSheet as a dict (official fields only) with the ids that link it to the API."""
    document = dict(document)
    document["indicators"] = [_rates(indicator) for indicator in document["indicators"]]
    cost = document.pop("cost")
    document["cost"] = (
        None
        if cost is None
        else {"columns": cost["columns"], "unit_cost_label": cost["unit_cost_label"]}
    )
    document.update(
        id=sheet.pk,
        plan_id=sheet.cycle.plan_id,
        action_id=sheet.action_id,
        node_id=sheet.node_id,
        department_id=sheet.department_id,
    )
    return document


@router.get(
    "/actions/{action_id}",
    response={200: ActionOut, 404: ErrorOut, 400: ErrorOut},
    summary="取組の詳細（年度ごとの公表済み評価結果）",
    operation_id="action_detail",
)
@decorate_view(public_page)
def action_detail(request: HttpRequest, action_id: ObjectId):
    """A published action with its published evaluation results, newest year first."""
    try:
        action = plan_selectors.action_get_published(action_id=action_id)
    except Action.DoesNotExist:
        raise ApiNotFound("公開されている取組にこのIDはありません。") from None
    results = public_results.action_results_public(action=action)
    sheets = {
        sheet.cycle.fy: sheet
        for sheet in public_results.sheets_published()
        .filter(action=action)
        .select_related("cycle")
        .only("pk", "cycle__fy", "cycle__plan_id", "action_id", "node_id", "department_id")
    }
    return {
        **_action_summary(request, action),
        "plan_id": action.plan_id,
        "plan_name": action.plan.name,
        "node_id": action.node_id,
        "results": [
            _sheet_document(sheets[item.fy], asdict(item))
            for item in results.sheets
            if item.fy in sheets
        ],
        "series": [
            {**item, "points": [_rates(point) for point in item["points"]]}
            for item in (asdict(series) for series in results.series)
        ],
    }


def _node_sheet_document(sheet: EvaluationSheet) -> dict:
    """A node's sheet (施策評価) as the portal shows it: grade, direction and progress grade only.

    The portal prints nothing else of a node's sheet, so neither does the API (the open-data
    ``sheets`` dataset follows the same rule).
    """

    def scale(name: str, code: str) -> dict | None:
        # With its meaning, as an action's sheet has it (grade B: label B, meaning 概ね順調).
        value = public_results.scale_value(sheet, name, code)
        return asdict(value) if value else None

    fy = sheet.cycle.fy
    shows_progress = sheet.has_block("progress")
    return {
        "fy": fy,
        "fy_label": format_fiscal_year(fy),
        "department_name": sheet.department.name if sheet.department_id else "",
        "published_on": timezone.localdate(sheet.published_at) if sheet.published_at else None,
        **dict.fromkeys(
            (
                "purpose_target",
                "purpose_intent",
                "purpose_means",
                "legal_basis",
                "delivery_method",
                "activities",
                "department_comment",
                "improvement_plan",
                "review_comment",
            ),
            "",
        ),
        "indicators": [],
        "cost": None,
        "viewpoints": [],
        "overall_grade": scale("grades", sheet.overall_grade),
        "future_direction": scale("directions", sheet.future_direction),
        "progress_status": None,
        "progress_grade": scale("progress_grades", sheet.progress_grade)
        if shows_progress
        else None,
        "effect_savings": None,
        "effect_revenue": None,
    }


@router.get(
    "/sheets/{sheet_id}",
    response={200: PublicSheetOut, 404: ErrorOut, 400: ErrorOut},
    summary="公表済み評価シート",
    operation_id="sheet_detail",
)
@decorate_view(public_page)
def sheet_detail(request: HttpRequest, sheet_id: ObjectId):
    """One published evaluation sheet (published sheets of published plans only)."""
    sheet = (
        public_results.sheets_published()
        .select_related("cycle", "department", "action", "node")
        .filter(pk=sheet_id)
        .first()
    )
    if sheet is None:
        raise ApiNotFound("公表されている評価シートにこのIDはありません。")
    if sheet.action_id is None:
        return _sheet_document(sheet, _node_sheet_document(sheet))
    # The action page's own reading of its published years: the same official fields.
    results = public_results.action_results_public(action=sheet.action)
    year = next(item for item in results.sheets if item.fy == sheet.cycle.fy)
    return _sheet_document(sheet, asdict(year))

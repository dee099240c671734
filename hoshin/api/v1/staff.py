"""Staff endpoints (token required): list, read and edit evaluation sheets, move them on.

They call exactly what the web form calls — ``selectors.access.sheets_visible_to`` to load
(a sheet the user may not see is 404, never 403), ``services.sheets.sheet_parse`` /
``sheet_update`` with the field catalogue of ``evaluations.fields`` to save, and
``services.workflow.sheet_transition`` to submit, approve, send back or publish — so the
rules and the messages are the web form's.
"""

from typing import Annotated, Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from ninja import Field, Query, Router, Schema, Status
from pydantic import AfterValidator, StrictFloat, StrictInt, StrictStr

from hoshin.api.auth import TokenAuth
from hoshin.api.errors import ApiNotFound
from hoshin.api.pagination import page_of
from hoshin.api.schemas import ErrorOut, ObjectId, Page, PageParams, id_param, text_param
from hoshin.evaluations import fields as sheet_fields
from hoshin.evaluations.models import EvaluationSheet, Stage
from hoshin.evaluations.selectors import access
from hoshin.evaluations.selectors.history import change_lines
from hoshin.evaluations.services.errors import (
    SheetConflictError,
    SheetPermissionError,
    SheetValidationError,
    WorkflowError,
)
from hoshin.evaluations.services.sheets import as_text, sheet_update, sheet_values
from hoshin.evaluations.services.workflow import (
    COMMENT_MAX_LENGTH,
    TRANSITIONS,
    sheet_transition,
    transitions_available,
)
from hoshin.lib.fiscal import FiscalYearError, parse_fiscal_year

router = Router(tags=["職員用（トークン認証）"], auth=TokenAuth())

SHEET_RELATED = ("cycle__plan", "department", "action", "node")
MAX_CHANGES = 500
# No value can be longer than a sheet's longest text (fields refuses it again, for every way in);
# refusing it here keeps a huge body out of the parser and out of the error message.
MAX_VALUE_LENGTH = sheet_fields.TEXT_MAX_LENGTH


class StaffSheetFilters(PageParams):
    plan: id_param("計画ID") = None
    fy: text_param(20, "年度（2025、2025年度、令和7年度、R7）") = None
    department: id_param("担当課ID") = None
    stage: Literal[tuple(Stage.values)] | None = Field(None, description="段階")


class StaffSheetOut(Schema):
    id: int
    plan_id: int
    plan_name: str
    fy: int
    action_id: int | None
    node_id: int | None
    title: str
    department_id: int | None
    department_name: str
    stage: str
    stage_label: str
    version: int
    updated_at: str


class FieldOut(Schema):
    path: str = Field(description="項目のパス（PATCHの changes のキー）")
    label: str
    value: str | None = Field(description="現在の値（文字列。数値は△でなく-、コード値）")


class TransitionOut(Schema):
    name: str
    label: str
    comment_required: bool


class StaffSheetDetailOut(StaffSheetOut):
    editable: bool = Field(description="このユーザーが今この段階で編集できるか")
    fields: list[FieldOut]
    transitions: list[TransitionOut] = Field(description="このユーザーが今できる段階の変更")


def _value_ok(value):
    if isinstance(value, str):
        if len(value) > MAX_VALUE_LENGTH:
            raise ValueError(f"{MAX_VALUE_LENGTH}文字以内で指定してください。")
        if any((ord(ch) < 32 and ch not in "\t\n\r") or ord(ch) == 127 for ch in value):
            raise ValueError("制御文字は使えません（改行とタブは使えます）。")
    return value


def _path_ok(path: str) -> str:
    if not path or len(path) > 100 or not path.isprintable():
        raise ValueError(
            "項目のパスが正しくありません（例: purpose_target, indicator.12.target）。"
        )
    return path


# Strict: JSON true is not the number 1, and a list is not a text.
SheetValue = Annotated[StrictStr | StrictInt | StrictFloat | None, AfterValidator(_value_ok)]


class SheetPatchIn(Schema):
    version: int = Field(ge=1, le=2**31 - 1, description="読み込んだときの版（version）")
    changes: dict[Annotated[str, AfterValidator(_path_ok)], SheetValue] = Field(
        description="項目のパス → 新しい値（文字列・数値・null）。"
        "Webの入力欄と同じ書き方を受け付けます（全角数字、カンマ、△、区分のコードまたは名称）。",
        max_length=MAX_CHANGES,
    )


class SheetPatchOut(StaffSheetDetailOut):
    changed: list[str] = Field(description="実際に変わった項目のパス")
    warnings: dict[str, str] = Field(description="保存はしたが確認が必要な項目")


class ConflictChangeOut(Schema):
    path: str
    label: str
    old: str
    new: str
    who: str
    at: str


class ConflictOut(Schema):
    detail: str
    version: int = Field(description="現在の版")
    changes: list[ConflictChangeOut] = Field(description="読み込んだ後に他の職員が変えた内容")


class TransitionIn(Schema):
    transition: Literal[tuple(TRANSITIONS)] = Field(description="段階の変更の名前")
    comment: str = Field(
        "", max_length=COMMENT_MAX_LENGTH, description="コメント（差し戻しなどでは必須）"
    )
    review_comment: str | None = Field(
        None, max_length=COMMENT_MAX_LENGTH, description="二次評価の所見（finalize のときだけ）"
    )


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "Y年n月j日 H:i") if moment else ""


def _visible(request: HttpRequest, sheet_id: int) -> EvaluationSheet:
    sheet = (
        access.sheets_visible_to(user=request.user)
        .select_related(*SHEET_RELATED)
        .filter(pk=sheet_id)
        .first()
    )
    if sheet is None:
        raise ApiNotFound("この評価シートは存在しないか、閲覧する権限がありません。")
    return sheet


def _summary(sheet: EvaluationSheet) -> dict:
    return {
        "id": sheet.pk,
        "plan_id": sheet.cycle.plan_id,
        "plan_name": sheet.cycle.plan.name,
        "fy": sheet.cycle.fy,
        "action_id": sheet.action_id,
        "node_id": sheet.node_id,
        "title": sheet.action.heading if sheet.action_id else str(sheet.node),
        "department_id": sheet.department_id,
        "department_name": sheet.department.name if sheet.department_id else "",
        "stage": sheet.stage,
        "stage_label": sheet.get_stage_display(),
        "version": sheet.version,
        "updated_at": sheet.updated_at.isoformat(),
    }


def _detail(request: HttpRequest, sheet: EvaluationSheet) -> dict:
    values = sheet_values(sheet=sheet)
    return {
        **_summary(sheet),
        "editable": access.can_edit(user=request.user, sheet=sheet),
        "fields": [
            {"path": info.path, "label": info.label, "value": as_text(values.get(info.path))}
            for info in sheet_fields.sheet_paths(sheet)
        ],
        "transitions": [
            {"name": t.name, "label": t.label, "comment_required": t.comment_required}
            for t in transitions_available(sheet=sheet, user=request.user)
        ],
    }


@router.get(
    "/sheets",
    response={200: Page, 400: ErrorOut, 401: ErrorOut},
    summary="見られる評価シートの一覧",
    operation_id="staff_sheet_list",
)
def staff_sheet_list(request: HttpRequest, filters: Query[StaffSheetFilters]):
    """Sheets the token's user may open (their departments', co-owned ones; all for planners)."""
    sheets = access.sheets_visible_to(user=request.user).select_related(*SHEET_RELATED)
    if filters.plan is not None:
        sheets = sheets.filter(cycle__plan_id=filters.plan)
    if filters.fy is not None:
        try:
            sheets = sheets.filter(cycle__fy=parse_fiscal_year(filters.fy))
        except FiscalYearError as exc:
            return Status(
                400,
                {
                    "detail": f"「fy」: {exc}",
                    "errors": [{"in": "query", "param": "fy", "message": str(exc)}],
                },
            )
    if filters.department is not None:
        sheets = sheets.filter(department_id=filters.department)
    if filters.stage is not None:
        sheets = sheets.filter(stage=filters.stage)
    sheets = sheets.order_by("cycle__plan_id", "-cycle__fy", "pk")
    return page_of(request, sheets, filters, rows=lambda qs: [_summary(s) for s in qs])


@router.get(
    "/sheets/{sheet_id}",
    response={200: StaffSheetDetailOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut},
    summary="評価シートの値",
    operation_id="staff_sheet_detail",
)
def staff_sheet_detail(request: HttpRequest, sheet_id: ObjectId):
    """Every field of a sheet by path, with the version to send back when editing."""
    return _detail(request, _visible(request, sheet_id))


@router.patch(
    "/sheets/{sheet_id}",
    response={
        200: SheetPatchOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ConflictOut,
        422: ErrorOut,
    },
    summary="評価シートを編集",
    operation_id="staff_sheet_update",
)
def staff_sheet_update(request: HttpRequest, sheet_id: ObjectId, payload: SheetPatchIn):
    """Save values as the web form does: same parsing, same checks, same conflict detection."""
    sheet = _visible(request, sheet_id)
    try:
        # sheet_update refuses paths the sheet lacks, and those of blocks its template leaves
        # out (422 naming each), like every other way in.
        result = sheet_update(
            sheet=sheet,
            by=request.user,
            raw=payload.changes,
            expected_version=payload.version,
            source="api",
        )
    except SheetPermissionError as exc:
        return Status(403, {"detail": str(exc)})
    except SheetConflictError as exc:
        fresh = EvaluationSheet.objects.get(pk=sheet.pk)
        return Status(
            409,
            {
                "detail": str(exc),
                "version": exc.current_version,
                "changes": [
                    {
                        "path": line.path,
                        "label": line.label,
                        "old": line.old,
                        "new": line.new,
                        "who": str(revision.by or "他の職員"),
                        "at": _when(revision.at),
                    }
                    for revision in exc.revisions
                    for line in change_lines(fresh, revision.changes)
                ],
            },
        )
    except SheetValidationError as exc:
        errors = [
            {"in": "body", "param": path, "message": f"{exc.labels.get(path, path)}: {message}"}
            for path, message in exc.errors.items()
        ]
        return Status(422, {"detail": str(exc), "errors": errors})
    fresh = EvaluationSheet.objects.select_related(*SHEET_RELATED).get(pk=sheet.pk)
    return Status(
        200,
        {
            **_detail(request, fresh),
            "changed": sorted(result.changes),
            "warnings": result.warnings,
        },
    )


@router.post(
    "/sheets/{sheet_id}/transitions",
    response={
        200: StaffSheetDetailOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: ErrorOut,
    },
    summary="評価シートの段階を変更（提出・承認・差し戻し・確定・公表など）",
    operation_id="staff_sheet_transition",
)
def staff_sheet_transition(request: HttpRequest, sheet_id: ObjectId, payload: TransitionIn):
    """One workflow move, with the web form's permission rules and messages."""
    sheet = _visible(request, sheet_id)
    review_comment = payload.review_comment if payload.transition == "finalize" else None
    try:
        sheet_transition(
            sheet=sheet,
            by=request.user,
            name=payload.transition,
            comment=payload.comment,
            review_comment=review_comment,
        )
    except SheetPermissionError as exc:
        return Status(403, {"detail": str(exc)})
    except WorkflowError as exc:
        return Status(
            422,
            {
                "detail": str(exc),
                "errors": [{"in": "body", "param": "transition", "message": str(exc)}],
            },
        )
    fresh = EvaluationSheet.objects.select_related(*SHEET_RELATED).get(pk=sheet.pk)
    return Status(200, _detail(request, fresh))

"""The sheet page: read view, the form, its save (page and save-as-you-go) and workflow moves.

A sheet the user may not see answers 404 like a missing id, so a department never learns that
another department's drafts exist. Every write goes through services.sheets / services.workflow.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hoshin.evaluations import fields as sheet_fields
from hoshin.evaluations.defaults import DEFAULT_BLOCKS
from hoshin.evaluations.forms.workspace import CommentForm, IndicatorAddForm, TransitionForm
from hoshin.evaluations.models import EvaluationSheet, SheetRevision
from hoshin.evaluations.panels import sheet_panels
from hoshin.evaluations.selectors import access
from hoshin.evaluations.selectors.history import change_lines, path_labels, values_at_version
from hoshin.evaluations.services.errors import (
    SheetConflictError,
    SheetPermissionError,
    SheetValidationError,
    WorkflowError,
)
from hoshin.evaluations.services.sheets import as_text, sheet_update, sheet_values
from hoshin.evaluations.services.workflow import (
    TRANSITIONS,
    Transition,
    sheet_transition,
    transitions_available,
)
from hoshin.evaluations.views.workspace_data import SheetData
from hoshin.evaluations.views.workspace_layout import build_layout, computed_values, missing_fields
from hoshin.lib.fiscal import format_fiscal_year
from hoshin.org.roles import login_required_staff

SHEET_RELATED = (
    "cycle__plan",
    "department",
    "action__node",
    "node",
    "previous__cycle",
    "previous__department",
    "unit_cost_indicator",
)

# What the page says after each move (the transition's label is a button text).
DONE_MESSAGES = {
    "submit": gettext_lazy("提出しました。所属長の承認を待っています。"),
    "approve": gettext_lazy("承認しました（一次評価）。企画担当の審査に進みます。"),
    "return_to_editor": gettext_lazy("担当者に差し戻しました。"),
    "finalize": gettext_lazy("確定しました（二次評価）。公表するまで市民には表示されません。"),
    "send_back": gettext_lazy("担当課に差し戻しました。"),
    "publish": gettext_lazy("公表しました。計画が公開されていれば市民向けサイトに表示されます。"),
    "unpublish": gettext_lazy("公表を取り下げました。市民向けサイトには表示されません。"),
}


def visible_sheet(request: HttpRequest, sheet_id: int) -> EvaluationSheet:
    """The sheet if the user may see it, else 404 (never 403: that would reveal it exists)."""
    sheets = access.sheets_visible_to(user=request.user).select_related(*SHEET_RELATED)
    return get_object_or_404(sheets, pk=sheet_id)


def sheet_title(sheet: EvaluationSheet) -> str:
    return sheet.action.heading if sheet.action_id else str(sheet.node)


def sheet_crumbs(sheet: EvaluationSheet, *extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [
        (_("評価シート"), reverse("evaluations:sheets")),
        (sheet_title(sheet), reverse("evaluations:sheet", args=[sheet.pk])),
        *extra,
    ]


def when(moment: datetime.datetime | None) -> str:
    return date_format(timezone.localtime(moment), "Y年n月j日 H:i") if moment else ""


@dataclass
class TransitionChoice:
    """A workflow button with its comment box (and its error after a refused move)."""

    transition: Transition
    comment: str = ""
    review_comment: str = ""
    error: str = ""

    @property
    def name(self) -> str:
        return self.transition.name

    @property
    def is_backward(self) -> bool:
        return self.transition.name in ("return_to_editor", "send_back", "unpublish")

    @property
    def has_review_comment(self) -> bool:
        return self.transition.name == "finalize"


@dataclass
class ConflictLine:
    label: str
    old: str
    new: str
    who: str
    at: str


@dataclass
class Conflict:
    message: str
    lines: list[ConflictLine] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # labels of the user's own changes kept


def render_sheet_page(
    request: HttpRequest,
    sheet: EvaluationSheet,
    *,
    raw: dict | None = None,
    errors: dict | None = None,
    conflicts: dict | None = None,
    conflict: Conflict | None = None,
    failed: TransitionChoice | None = None,
    comment_form: CommentForm | None = None,
    indicator_form: IndicatorAddForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The sheet page; after a refused write, with the typed values and messages at the fields."""
    user = request.user
    data = SheetData.load(sheet)
    editable = access.can_edit(user=user, sheet=sheet)
    layout = build_layout(data, raw=raw, errors=errors, conflicts=conflicts)
    choices = [
        failed if failed is not None and failed.name == t.name else TransitionChoice(t)
        for t in transitions_available(sheet=sheet, user=user)
    ]
    workflow_error = ""
    if failed is not None and all(choice is not failed for choice in choices):
        workflow_error = failed.error  # e.g. the sheet moved on meanwhile
    can_submit = any(choice.name == "submit" for choice in choices)
    missing = missing_fields(sheet) if can_submit else []
    due = sheet.cycle.due_for(sheet.stage)
    today = timezone.localdate()
    can_comment = access.can_comment(user=user, sheet=sheet)
    context = {
        "sheet": sheet,
        "title": sheet_title(sheet),
        "fy_label": format_fiscal_year(sheet.cycle.fy),
        "layout": layout,
        "blocks": set((sheet.scales or {}).get("blocks", DEFAULT_BLOCKS)),
        "editable": editable,
        "version": sheet.version,
        "conflict": conflict,
        "transitions": choices,
        "workflow_error": workflow_error,
        "can_submit": can_submit,
        "missing": missing,
        "log": list(sheet.transitions.select_related("by").order_by("-at", "-id")),
        "comments": list(sheet.comments.select_related("author", "department")),
        "can_comment": can_comment,
        "comment_form": comment_form or (CommentForm() if can_comment else None),
        "indicator_form": indicator_form
        or (
            IndicatorAddForm(initial={"version": sheet.version}, prefix="indicator")
            if editable
            else None
        ),
        "due": due,
        "days_left": (due - today).days if due else None,
        "previous": data.previous,
        "previous_visible": data.previous is not None
        and access.can_view(user=user, sheet=data.previous),
        "last_revision": sheet.revisions.select_related("by").first(),
        "crumbs": sheet_crumbs(sheet),
        "nav_section": "sheets",
        "panels": sheet_panels(request=request, sheet=sheet),
    }
    return render(request, "evaluations/workspace/sheet.html", context, status=status)


@login_required_staff
def sheet_detail(request: HttpRequest, sheet_id: int) -> HttpResponse:
    """The sheet: a form for its department's editor while drafting, else a read view."""
    return render_sheet_page(request, visible_sheet(request, sheet_id))


def posted_values(request: HttpRequest, sheet: EvaluationSheet) -> dict[str, str]:
    """The sheet's paths present in the POST (radios left empty are simply absent)."""
    paths = {info.path for info in sheet_fields.sheet_paths(sheet)}
    return {key: request.POST[key] for key in request.POST if key in paths}


def posted_version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


@require_POST
@login_required_staff
def sheet_save(request: HttpRequest, sheet_id: int) -> HttpResponse:
    """Save the whole form; refused saves show the page again with the user's typed values."""
    sheet = visible_sheet(request, sheet_id)
    version = posted_version(request)
    if version is None:
        return HttpResponseBadRequest(
            _("版（version）がありません。ページを読み込み直してください。")
        )
    raw = posted_values(request, sheet)
    try:
        result = sheet_update(sheet=sheet, by=request.user, raw=raw, expected_version=version)
    except SheetValidationError as exc:
        return render_sheet_page(request, sheet, raw=raw, errors=exc.errors, status=400)
    except SheetConflictError as exc:
        return _conflict_page(request, sheet, raw, exc)
    if result.changes:
        messages.success(
            request,
            _("保存しました（%(count)d項目を更新、第%(version)d版）。")
            % {"count": len(result.changes), "version": result.sheet.version},
        )
    else:
        # Nothing differed from what is stored: usually autosave already saved every change.
        # "No changes" read as "not saved"; say that the sheet is saved, and which version.
        messages.success(
            request,
            _("保存済みです（入力内容は自動保存などで保存されていました。第%(version)d版）。")
            % {"version": result.sheet.version},
        )
    if result.warnings:
        messages.warning(request, _("確認が必要な項目があります。各項目の注意書きを見てください。"))
    return redirect("evaluations:sheet", sheet.pk)


def _conflict_page(
    request: HttpRequest, sheet: EvaluationSheet, raw: dict, exc: SheetConflictError
) -> HttpResponse:
    """Show what the other person changed; keep only the values this user changed themselves.

    Values the user did not touch take the newer stored value, so saving again never quietly
    undoes the other person's work.
    """
    fresh = EvaluationSheet.objects.select_related(*SHEET_RELATED).get(pk=sheet.pk)
    current = {path: as_text(value) for path, value in sheet_values(sheet=fresh).items()}
    loaded = values_at_version(current=current, revisions=exc.revisions)
    kept = {}
    for path, typed in raw.items():
        if path not in current:
            continue  # an indicator the other person removed
        try:
            typed_text = as_text(sheet_fields.parse_value(fresh, path, typed))
        except sheet_fields.FieldError:
            kept[path] = typed
            continue
        if typed_text != loaded.get(path):
            kept[path] = typed
    labels = path_labels(sheet=fresh)
    conflict = Conflict(message=str(exc))
    at_field = {}
    for revision in exc.revisions:
        who = str(revision.by) if revision.by else _("他の職員")
        for line in change_lines(fresh, revision.changes, labels):
            conflict.lines.append(
                ConflictLine(line.label, line.old, line.new, who, when(revision.at))
            )
            if line.path in current:
                at_field[line.path] = _(
                    "%(who)sが「%(old)s」→「%(new)s」に変更しました（%(at)s）。"
                ) % {
                    "who": who,
                    "old": line.old,
                    "new": line.new,
                    "at": when(revision.at),
                }
                if line.path in kept:
                    at_field[line.path] += _("入力欄にはあなたの入力を残しています。")
    conflict.kept = [labels.get(path, path) for path in kept]
    return render_sheet_page(
        request, fresh, raw=kept, conflicts=at_field, conflict=conflict, status=409
    )


@require_POST
@login_required_staff
def sheet_autosave(request: HttpRequest, sheet_id: int) -> JsonResponse:
    """Save-as-you-go: the changed fields, as JSON; the same service and rules as the form."""
    sheet = visible_sheet(request, sheet_id)
    version = posted_version(request)
    if version is None:
        return JsonResponse({"message": _("版（version）がありません。")}, status=400)
    raw = posted_values(request, sheet)
    try:
        result = sheet_update(
            sheet=sheet, by=request.user, raw=raw, expected_version=version, source="autosave"
        )
    except SheetValidationError as exc:
        return JsonResponse(
            {
                "message": _("保存できませんでした。入力内容を確認してください。"),
                "errors": exc.errors,
            },
            status=400,
        )
    except SheetConflictError as exc:
        return JsonResponse(
            {
                "message": str(exc),
                "version": exc.current_version,
                "changes": [
                    {
                        "label": line.label,
                        "old": line.old,
                        "new": line.new,
                        "who": str(r.by or ""),
                        "at": when(r.at),
                    }
                    for r in exc.revisions
                    for line in change_lines(sheet, r.changes)
                ],
            },
            status=409,
        )
    except SheetPermissionError as exc:
        return JsonResponse({"message": str(exc)}, status=403)
    data = SheetData.load(result.sheet)
    return JsonResponse(
        {
            "version": result.sheet.version,
            "saved": sorted(raw),
            "changed": sorted(result.changes),
            "warnings": sheet_fields.warnings_for(sheet_values(sheet=result.sheet)),
            "computed": computed_values(data),
            "missing": missing_fields(result.sheet),
            "message": _("保存しました"),
        }
    )


@require_POST
@login_required_staff
def sheet_transition_view(request: HttpRequest, sheet_id: int) -> HttpResponse:
    """One workflow move (submit, approve, send back …); refusals are shown at its button."""
    sheet = visible_sheet(request, sheet_id)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        name = request.POST.get("name", "")
        if name not in TRANSITIONS:
            return HttpResponseBadRequest(_("操作が正しくありません。"))
        failed = TransitionChoice(
            TRANSITIONS[name],
            comment=request.POST.get("comment", ""),
            error=" ".join(str(e) for errors in form.errors.values() for e in errors),
        )
        return render_sheet_page(request, sheet, failed=failed, status=400)
    name = form.cleaned_data["name"]
    comment = form.cleaned_data["comment"]
    review_comment = form.cleaned_data["review_comment"] if name == "finalize" else None
    try:
        sheet_transition(
            sheet=sheet, by=request.user, name=name, comment=comment, review_comment=review_comment
        )
    except WorkflowError as exc:
        failed = TransitionChoice(
            TRANSITIONS[name], comment=comment, review_comment=review_comment or "", error=str(exc)
        )
        return render_sheet_page(request, sheet, failed=failed, status=400)
    messages.success(request, DONE_MESSAGES.get(name, _("操作しました。")))
    return redirect("evaluations:sheet", sheet.pk)


def revisions_of(sheet: EvaluationSheet):
    return SheetRevision.objects.filter(sheet=sheet).select_related("by").order_by("-version")

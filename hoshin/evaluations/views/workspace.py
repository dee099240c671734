"""The staff workspace: the sheet list, a sheet's history, comments and indicators.

The sheet page itself and its saves are in ``workspace_sheet``. Views are thin: load through
``selectors.access`` (404 for sheets the user may not see), call a service, redirect.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hoshin.evaluations.forms.workspace import (
    CommentForm,
    IndicatorAddForm,
    SheetFilterForm,
    VersionForm,
)
from hoshin.evaluations.selectors import access
from hoshin.evaluations.selectors.history import revision_entries
from hoshin.evaluations.services.comments import sheet_comment_add
from hoshin.evaluations.services.errors import SheetConflictError, SheetValidationError
from hoshin.evaluations.services.sheets import indicator_add, indicator_remove
from hoshin.evaluations.views.workspace_sheet import (
    render_sheet_page,
    revisions_of,
    sheet_crumbs,
    sheet_title,
    visible_sheet,
)
from hoshin.org.models import department_order
from hoshin.org.roles import login_required_staff

PAGE_SIZE = 50


@login_required_staff
def sheet_list(request: HttpRequest) -> HttpResponse:
    """Every sheet the user may open, filtered by plan, year, department and stage."""
    visible = access.sheets_visible_to(user=request.user)
    form = SheetFilterForm(request.GET or None, sheets=visible)
    sheets = (
        form.apply(visible)
        .select_related("cycle__plan", "department", "action", "node")
        .order_by("-cycle__fy", "cycle__plan__name", *department_order("department__"))
    )
    page = Paginator(sheets, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "evaluations/workspace/sheet_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "crumbs": [(_("評価シート"), reverse("evaluations:sheets"))],
            "nav_section": "sheets",
        },
    )


@login_required_staff
def sheet_history(request: HttpRequest, sheet_id: int) -> HttpResponse:
    """Every save as a readable diff, and every move through the workflow."""
    sheet = visible_sheet(request, sheet_id)
    page = Paginator(revisions_of(sheet), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "evaluations/workspace/history.html",
        {
            "sheet": sheet,
            "title": sheet_title(sheet),
            "page": page,
            "entries": revision_entries(sheet=sheet, revisions=list(page.object_list)),
            "log": list(sheet.transitions.select_related("by").order_by("-at", "-id")),
            "crumbs": sheet_crumbs(
                sheet, (_("変更履歴"), reverse("evaluations:sheet_history", args=[sheet.pk]))
            ),
            "nav_section": "sheets",
        },
    )


@require_POST
@login_required_staff
def sheet_comment(request: HttpRequest, sheet_id: int) -> HttpResponse:
    """A comment between staff; never shown outside the back office."""
    sheet = visible_sheet(request, sheet_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            sheet_comment_add(sheet=sheet, by=request.user, body=form.cleaned_data["body"])
        except SheetValidationError as exc:
            form.add_error("body", exc.errors.get("body", str(exc)))
    if form.errors:
        return render_sheet_page(request, sheet, comment_form=form, status=400)
    messages.success(request, _("コメントを投稿しました。"))
    return redirect(reverse("evaluations:sheet", args=[sheet.pk]) + "#comments")


@require_POST
@login_required_staff
def sheet_indicator_add(request: HttpRequest, sheet_id: int) -> HttpResponse:
    """Add an indicator to a sheet being drafted."""
    sheet = visible_sheet(request, sheet_id)
    form = IndicatorAddForm(request.POST, prefix="indicator")
    if form.is_valid():
        try:
            indicator = indicator_add(
                sheet=sheet,
                by=request.user,
                name=form.cleaned_data["name"],
                unit=form.cleaned_data["unit"],
                kind=form.cleaned_data["kind"],
                expected_version=form.cleaned_data["version"],
            )
        except SheetValidationError as exc:
            form.add_error("name", "、".join(exc.errors.values()))
        except SheetConflictError as exc:
            sheet.refresh_from_db()
            data = form.data.copy()
            data["indicator-version"] = str(sheet.version)
            form = IndicatorAddForm(data, prefix="indicator")
            form.is_valid()
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("指標「%(name)s」を追加しました。") % {"name": indicator.name}
            )
            return redirect(
                reverse("evaluations:sheet", args=[sheet.pk]) + f"#indicator-{indicator.pk}"
            )
    return render_sheet_page(request, sheet, indicator_form=form, status=400)


@require_POST
@login_required_staff
def sheet_indicator_remove(request: HttpRequest, sheet_id: int, indicator_id: int) -> HttpResponse:
    """Remove an indicator from a sheet being drafted; its last values stay in the history."""
    sheet = visible_sheet(request, sheet_id)
    indicator = get_object_or_404(sheet.indicators, pk=indicator_id)
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("ページが古くなっています。読み込み直してください。"))
        return redirect("evaluations:sheet", sheet.pk)
    try:
        indicator_remove(
            indicator=indicator, by=request.user, expected_version=form.cleaned_data["version"]
        )
    except SheetConflictError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("指標「%(name)s」を削除しました。変更履歴から削除前の値を確認できます。")
            % {"name": indicator.name},
        )
    return redirect(reverse("evaluations:sheet", args=[sheet.pk]) + "#indicators")

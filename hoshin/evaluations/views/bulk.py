"""Staff pages of the bulk round trip: download a department's sheets, upload, preview, apply.

Thin views over ``hoshin.evaluations.bulk`` (reading and checking files) and
``services.bulk`` (storing an upload, applying it all or nothing). Any signed-in member of staff
may use the page; what they may download is their departments' sheets (the planning office and
city-wide viewers: any department or all), and what an upload may change is decided sheet by
sheet by the same rule as the sheet form.
"""

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from hoshin.evaluations import bulk
from hoshin.evaluations.bulk.readers import read_file
from hoshin.evaluations.forms.bulk import (
    BulkDownloadForm,
    BulkUploadForm,
    bulk_cycles,
    bulk_departments,
)
from hoshin.evaluations.models import EvaluationCycle, SheetUpload
from hoshin.evaluations.selectors.access import user_sees_all_sheets
from hoshin.evaluations.services.bulk import (
    BulkApplyError,
    sheet_upload_bytes,
    sheet_upload_store,
    upload_apply,
)
from hoshin.org.models import Department
from hoshin.org.roles import login_required_staff


def _render(request: HttpRequest, template: str, context: dict, *, crumbs=(), status=200):
    context = {"nav_section": "bulk", "crumbs": list(crumbs), **context}
    return render(request, template, context, status=status)


def _crumbs(upload: SheetUpload | None = None) -> list[tuple[str, str]]:
    crumbs = [(gettext("一括入力（Excel）"), reverse("evaluations:bulk"))]
    if upload is not None:
        crumbs.append(
            (gettext("取込内容の確認"), reverse("evaluations:bulk_preview", args=[upload.pk]))
        )
    return crumbs


def _page(request: HttpRequest, *, download_form=None, upload_form=None, status=200):
    latest = bulk_cycles().order_by("-fy", "plan__name").first()
    initial = {"cycle": latest.pk} if latest else {}
    uploads = SheetUpload.objects.filter(created_by=request.user).select_related("cycle__plan")
    return _render(
        request,
        "evaluations/bulk/index.html",
        {
            "download_form": download_form or BulkDownloadForm(user=request.user, initial=initial),
            "upload_form": upload_form or BulkUploadForm(initial=initial),
            "uploads": uploads[:10],
            "can_download": bool(bulk_departments(request.user))
            or user_sees_all_sheets(user=request.user),
        },
        status=status,
    )


@login_required_staff
@require_GET
def bulk_page(request: HttpRequest) -> HttpResponse:
    """Download and upload forms, and the user's recent uploads."""
    return _page(request)


@login_required_staff
@require_GET
def bulk_download(request: HttpRequest) -> HttpResponse:
    """One file with every sheet of the chosen plan, year and department."""
    requested = request.GET.get("department", "")
    form = BulkDownloadForm(request.GET, user=request.user)
    if requested and requested not in dict(form.fields["department"].choices):
        raise PermissionDenied  # another department's sheets, or "all" without the right
    if not form.is_valid():
        return _page(request, download_form=form, status=400)
    cycle = form.cleaned_data["cycle"]
    department = form.departments.get(form.cleaned_data["department"])
    file_format = form.cleaned_data["file_format"]
    writer = bulk.export_workbook if file_format == "xlsx" else bulk.export_json
    try:
        data = writer(plan=cycle.plan, fy=cycle.fy, department=department, user=request.user)
    except bulk.BulkExportError as exc:
        form.add_error(None, str(exc))
        return _page(request, download_form=form, status=400)
    name = _filename(cycle, department, file_format)
    response = HttpResponse(
        data,
        content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            if file_format == "xlsx"
            else "application/json; charset=utf-8"
        ),
    )
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["Cache-Control"] = "no-store"  # staff data, unpublished: never in a shared cache
    return response


def _filename(cycle: EvaluationCycle, department: Department | None, file_format: str) -> str:
    who = department.name if department else "全部署"
    name = f"評価シート_{cycle.plan.name}_{cycle.fy}年度_{who}.{file_format}"
    return re.sub(r'[\\/:*?"<>|\s]+', "_", name)


@login_required_staff
@require_POST
def bulk_upload(request: HttpRequest) -> HttpResponse:
    """Read the file at once: an unreadable one is refused here; a readable one goes to preview."""
    form = BulkUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, upload_form=form, status=400)
    uploaded, cycle = form.cleaned_data["file"], form.cleaned_data["cycle"]
    data = uploaded.read()
    uploaded.seek(0)
    try:
        read_file(data, uploaded.name)  # the layout only; the preview checks the database
    except bulk.BulkFormatError as exc:
        form.add_error("file", str(exc))
        return _page(request, upload_form=form, status=400)
    upload = sheet_upload_store(uploaded_file=uploaded, cycle=cycle, by=request.user)
    return redirect("evaluations:bulk_preview", upload_id=upload.pk)


def _own_upload(request: HttpRequest, upload_id: int) -> SheetUpload:
    """An upload is private to whoever sent it (it may hold any of their department's sheets)."""
    upload = get_object_or_404(
        SheetUpload.objects.select_related("cycle__plan", "created_by"), pk=upload_id
    )
    if upload.created_by_id != request.user.pk:
        raise Http404
    return upload


def _read(upload: SheetUpload, user) -> tuple[bulk.Preview | None, str]:
    """The stored upload checked again against the database now (it may have changed)."""
    try:
        data = sheet_upload_bytes(upload=upload)
    except OSError:
        return None, gettext("保存したファイルが見つかりません。もう一度アップロードしてください。")
    cycle = upload.cycle
    try:
        preview = bulk.read_upload(
            data,
            upload.original_name,
            user=user,
            plan=cycle.plan if cycle else None,
            fy=cycle.fy if cycle else None,
        )
    except bulk.BulkFormatError as exc:
        return None, str(exc)
    return preview, ""


def _render_preview(request, upload, *, preview, read_error="", errors=None, status=200):
    return _render(
        request,
        "evaluations/bulk/preview.html",
        {
            "upload": upload,
            "preview": preview,
            "read_error": read_error,
            "errors": errors if errors is not None else (preview.errors if preview else []),
        },
        crumbs=_crumbs(upload),
        status=status,
    )


@login_required_staff
@require_GET
def bulk_preview(request: HttpRequest, upload_id: int) -> HttpResponse:
    """Every change field by field (sheet, field, old → new), the warnings, or every error."""
    upload = _own_upload(request, upload_id)
    if upload.status != SheetUpload.Status.PREVIEWED:
        return _render_preview(request, upload, preview=None)
    preview, read_error = _read(upload, request.user)
    return _render_preview(request, upload, preview=preview, read_error=read_error)


@login_required_staff
@require_POST
def bulk_apply(request: HttpRequest, upload_id: int) -> HttpResponse:
    """Save every sheet of the upload or none; a refusal shows every reason and changes nothing."""
    upload = _own_upload(request, upload_id)
    if upload.status != SheetUpload.Status.PREVIEWED:
        messages.error(request, gettext("この取込は既に処理済みです。"))
        return redirect("evaluations:bulk_preview", upload_id=upload.pk)
    preview, read_error = _read(upload, request.user)
    if preview is None:
        return _render_preview(request, upload, preview=None, read_error=read_error, status=400)
    try:
        result = upload_apply(preview=preview, by=request.user, upload=upload)
    except BulkApplyError as exc:
        messages.error(request, gettext("取り込めませんでした。評価シートは何も変更していません。"))
        return _render_preview(request, upload, preview=preview, errors=exc.errors, status=409)
    messages.success(
        request,
        gettext("評価シート %(sheets)d 件（%(fields)d 項目）を更新しました。")
        % {"sheets": result.sheets, "fields": result.fields},
    )
    return redirect("evaluations:bulk")

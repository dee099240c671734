"""Report downloads: public PDFs of published results, staff workbooks behind the login.

Public views read through ``hoshin.reports.selectors`` (published data only); an unknown id,
an unpublished plan, action or sheet and an out-of-range year all answer 404 with a message
naming what was not found. Staff views require a signed-in member of staff
(``hoshin.org.roles.login_required_staff``) and show what the user may open.
"""

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from hoshin.changes import downloads
from hoshin.changes.page_cache import public_page
from hoshin.lib.pdf import JapaneseFontMissing, font_path
from hoshin.org.roles import login_required_staff
from hoshin.reports import builds, selectors
from hoshin.reports.annual_pdf import annual_report_pdf
from hoshin.reports.selectors import ReportNotFound
from hoshin.reports.sheet_pdf import sheet_pdf as build_sheet_pdf
from hoshin.reports.xlsx import annual_workbook, plan_workbook

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _message(request, template: str, heading: str, message: str, status: int) -> HttpResponse:
    return render(request, template, {"heading": heading, "message": message}, status=status)


def _not_found(request, exc: ReportNotFound, *, staff: bool = False) -> HttpResponse:
    template = "reports/staff_message.html" if staff else "reports/public_message.html"
    return _message(request, template, _("報告書が見つかりません"), str(exc), 404)


def _font_missing(request, exc: JapaneseFontMissing) -> HttpResponse:
    # A server without the font cannot print Japanese: say so instead of printing boxes.
    return _message(request, "reports/public_message.html", _("PDFを作成できません"), str(exc), 503)


@require_safe
@public_page
def sheet_pdf(request: HttpRequest, action_id: int, fy: int) -> HttpResponse:
    """The published evaluation sheet of an action and year as a printable PDF."""
    # Read the version first: a kept sheet is never newer than the version it is kept under.
    kept = downloads.cache_path(builds.sheet_key(action_id, fy))
    try:
        report = selectors.sheet_report_public(action_id=action_id, fy=fy)
    except ReportNotFound as exc:
        return _not_found(request, exc)
    if kept is not None and kept.exists():  # printed by the worker after the publication
        pdf = kept.read_bytes()
    else:
        try:
            pdf = build_sheet_pdf(report)
        except JapaneseFontMissing as exc:
            return _font_missing(request, exc)
        if kept is not None:
            downloads.keep_bytes(pdf, kept)
    # One or two pages: small enough to answer in one piece, so a page cache may keep it.
    response = HttpResponse(pdf, content_type=PDF)
    response["Content-Disposition"] = content_disposition_header(
        False, f"評価シート_{action_id}_{fy}.pdf"
    )
    return response


def _building(request) -> HttpResponse:
    """The report is being built by the worker: come back shortly (503 + Retry-After, and a
    meta refresh for browsers), instead of holding a web worker for the seconds it takes."""
    retry = settings.HOSHIN_REPORT_RETRY_AFTER
    response = render(
        request,
        "reports/building.html",
        {
            "heading": _("報告書を作成中です"),
            "message": _("PDFを作成しています。%(seconds)s秒ほどで自動的に表示されます。")
            % {"seconds": retry},
            "retry": retry,
        },
        status=503,
    )
    response["Retry-After"] = str(retry)
    response["Cache-Control"] = "no-store"
    return response


@require_safe
@public_page
def annual_pdf(request: HttpRequest, plan_id: int, fy: int) -> HttpResponse:
    """The annual report of a published plan and year, from the file the worker built.

    Built once per version of the public data (hoshin.reports.builds): a request that finds no
    file queues the build (once across all servers) and answers "作成中" until it is there.
    """
    filename = f"評価結果報告書_{plan_id}_{fy}.pdf"
    today = timezone.localdate()
    # Read the version first: a kept report is never newer than the version it is kept under.
    kept = downloads.cache_path(builds.annual_key(plan_id, fy, today))
    if kept is not None and kept.exists():
        # Kept under the current version of the public data, so public when it was built; an
        # unpublication is a new version (another folder). No need to load the plan again.
        return FileResponse(kept.open("rb"), content_type=PDF, filename=filename)
    try:
        if kept is None:  # no download cache configured: build here, as a last resort
            annual = selectors.annual_plan_public(plan_id=plan_id, fy=fy)
            return FileResponse(
                annual_report_pdf(annual, today=today), content_type=PDF, filename=filename
            )
        selectors.annual_report_plan(plan_id=plan_id, fy=fy)
        font_path()  # a server without the font: say so now rather than "作成中" forever
    except ReportNotFound as exc:
        return _not_found(request, exc)
    except JapaneseFontMissing as exc:
        return _font_missing(request, exc)
    builds.request_annual(plan_id=plan_id, fy=fy, day=today, kept=kept)
    if not kept.exists():  # still absent unless jobs run at once (the immediate backend)
        return _building(request)
    return FileResponse(kept.open("rb"), content_type=PDF, filename=filename)


@never_cache
@require_safe
@login_required_staff
def plan_xlsx(request: HttpRequest, plan_id: int) -> HttpResponse:
    """A plan's tree, one row per action, as an Excel workbook (drafts included, as on the
    back-office plan list)."""
    try:
        plan = selectors.plan_get_for_staff(plan_id=plan_id)
    except ReportNotFound as exc:
        return _not_found(request, exc, staff=True)
    return FileResponse(
        plan_workbook(plan=plan),
        content_type=XLSX,
        as_attachment=True,
        filename=f"計画_{plan_id}.xlsx",
    )


@never_cache
@require_safe
@login_required_staff
def annual_xlsx(request: HttpRequest, plan_id: int, fy: int) -> HttpResponse:
    """The sheets of a plan and year the user may open (and the published ones) as a workbook."""
    try:
        plan = selectors.plan_get_for_staff(plan_id=plan_id)
        sheets = selectors.sheets_for_staff(user=request.user, plan=plan, fy=fy)
    except ReportNotFound as exc:
        return _not_found(request, exc, staff=True)
    return FileResponse(
        annual_workbook(plan=plan, fy=fy, sheets=sheets),
        content_type=XLSX,
        as_attachment=True,
        filename=f"評価結果_{plan_id}_{fy}.xlsx",
    )

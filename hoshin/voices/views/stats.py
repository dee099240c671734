"""Statistics of citizens' voices for the public-hearing office and the planning office.

GET parameters choose the period: ``fy`` (a fiscal year, the current one by default), or
``start`` and ``end`` (a custom range, both required). The page shows every count as a chart
with the same numbers in a table; ``stats_csv`` (``?encoding=cp932`` for Shift_JIS) and
``stats_xlsx`` give the same tables as files. A Shift_JIS file that cannot hold a name goes back
to the page with the message. Other staff get 403, visitors the login page.
"""

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from hoshin.lib.spreadsheets import CP932, UTF8_BOM, CsvEncodingError, csv_encoding
from hoshin.org.roles import role_required
from hoshin.voices.forms.stats import PeriodForm
from hoshin.voices.selectors.stats import (
    Period,
    stats_period,
    user_can_view_voice_stats,
    voice_fiscal_years,
    voice_stats,
)
from hoshin.voices.views.stats_charts import bar_chart
from hoshin.voices.views.stats_export import stats_csv as build_csv
from hoshin.voices.views.stats_export import stats_xlsx as build_xlsx

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# Public-hearing office, planning office or administrator; other staff get 403.
stats_viewer_required = role_required(
    user_can_view_voice_stats, holders=gettext_lazy("広聴担当・企画担当とシステム管理者")
)


def _period(request: HttpRequest, today: datetime.date) -> tuple[PeriodForm, Period]:
    """The period asked for; on a bad value, the current fiscal year with the form's errors."""
    form = PeriodForm(request.GET or None, years=voice_fiscal_years(today=today), today=today)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["period"]
    return form, stats_period(today=today)


def _query(period: Period, **extra) -> str:
    if period.fy is not None:
        params = {"fy": period.fy}
    else:
        params = {"start": f"{period.start:%Y-%m-%d}", "end": f"{period.end:%Y-%m-%d}"}
    return urlencode({**params, **extra})


@require_safe
@never_cache
@stats_viewer_required
def stats(request: HttpRequest) -> HttpResponse:
    """The report page: summary figures, then a chart and a table per breakdown."""
    today = timezone.localdate()
    form, period = _period(request, today)
    report = voice_stats(period=period, today=today)
    sections = [
        (breakdown, bar_chart(breakdown, chart_id=f"chart-{breakdown.id}", vertical=vertical))
        for breakdown in report.breakdowns
        for vertical in [breakdown.id == "month"]
    ]
    query = _query(period)
    return render(
        request,
        "voices/stats/index.html",
        {
            "form": form,
            "period": period,
            "stats": report,
            "sections": sections,
            "csv_url": reverse("voices_staff:stats_csv") + "?" + query,
            "cp932_url": reverse("voices_staff:stats_csv") + "?" + _query(period, encoding="cp932"),
            "xlsx_url": reverse("voices_staff:stats_xlsx") + "?" + query,
            "crumbs": [(_("市民の声の統計"), reverse("voices_staff:stats"))],
            "nav_section": "voices",
        },
    )


def _download(data: bytes, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@never_cache
@stats_viewer_required
def stats_csv(request: HttpRequest) -> HttpResponse:
    """The report as CSV: UTF-8 with BOM, or CP932 with ``?encoding=cp932``."""
    today = timezone.localdate()
    _form, period = _period(request, today)
    encoding = csv_encoding(request.GET.get("encoding", "")) or UTF8_BOM
    try:
        data = build_csv(voice_stats(period=period, today=today), encoding=encoding)
    except CsvEncodingError as error:
        messages.error(request, str(error))
        return redirect(reverse("voices_staff:stats") + "?" + _query(period))
    sjis = encoding == CP932
    charset = "Shift_JIS" if sjis else "utf-8"
    suffix = "-sjis" if sjis else ""
    return _download(
        data,
        content_type=f"text/csv; charset={charset}",
        filename=f"voices-stats-{period.slug}{suffix}.csv",
    )


@require_safe
@never_cache
@stats_viewer_required
def stats_xlsx(request: HttpRequest) -> HttpResponse:
    """The report as an Excel workbook, a sheet per table."""
    today = timezone.localdate()
    _form, period = _period(request, today)
    data = build_xlsx(voice_stats(period=period, today=today))
    return _download(data, content_type=XLSX_TYPE, filename=f"voices-stats-{period.slug}.xlsx")

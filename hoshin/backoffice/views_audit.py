"""The audit log for administrators (/staff/audit/): filters, pages, the chain's state, CSV.

Administrators only (``hoshin.org.roles.is_admin``): the log names who looked at citizens'
personal details and who changed whose rights, which no other role needs. Newest first. Each
page view checks the newest entries of the hash chain (``QUICK_VERIFY`` of them, a fraction of
a second); "全件を検証" checks the whole chain, as ``manage.py audit_verify`` does. The CSV
holds the filtered rows, written under the project's CSV policy, and the export is itself
recorded in the log.
"""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from hoshin.audit.models import AuditChainHead
from hoshin.audit.selectors import EntryFilter, chain_verify, entries_filtered, verbs_in_use
from hoshin.audit.services import audit_log_export
from hoshin.backoffice.forms import AuditFilterForm
from hoshin.lib.spreadsheets import UTF8_BOM, CsvEncodingError, csv_encoding
from hoshin.org.roles import is_admin, role_required

QUICK_VERIFY = 2000  # newest entries checked on every page view

admin_required = role_required(is_admin)


def _filters(form: AuditFilterForm) -> EntryFilter:
    if not form.is_valid():
        return EntryFilter()
    data = form.cleaned_data
    return EntryFilter(
        date_from=data["date_from"],
        date_to=data["date_to"],
        actor=data["actor"],
        verb=data["verb"],
        target_type=data["target_type"],
        target_id=data["target_id"],
        text=data["q"],
    )


@never_cache
@require_safe
@admin_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """The filtered entries, newest first, with the state of the hash chain."""
    form = AuditFilterForm(request.GET or None)
    entries = entries_filtered(_filters(form))
    page = Paginator(entries, settings.HOSHIN_AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    full = request.GET.get("verify") == "all"
    head = AuditChainHead.objects.filter(pk=1).first()
    newest = head.sequence if head else 0
    since = None if full else max(1, newest - QUICK_VERIFY + 1)
    report = chain_verify(since=since)
    query = request.GET.copy()
    for key in ("page", "verify"):
        query.pop(key, None)
    response = render(
        request,
        "backoffice/audit_log.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "report": report,
            "full": full or since == 1,
            "verbs": verbs_in_use(),
            "crumbs": [(_("操作記録"), reverse("backoffice:audit_log"))],
            "nav_section": "audit",
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@require_safe
@admin_required
def audit_log_csv(request: HttpRequest) -> HttpResponse:
    """The filtered entries as CSV (UTF-8 with BOM, or CP932 with ``encoding=cp932``)."""
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        messages.error(request, _("絞り込みの条件を直してください。"))
        return redirect(reverse("backoffice:audit_log") + "?" + request.GET.urlencode())
    encoding = csv_encoding(request.GET.get("encoding") or "") or UTF8_BOM
    try:
        content = audit_log_export(filters=_filters(form), by=request.user, encoding=encoding)
    except CsvEncodingError as error:
        messages.error(request, str(error))
        return redirect(reverse("backoffice:audit_log") + "?" + request.GET.urlencode())
    charset = "shift_jis" if encoding != UTF8_BOM else "utf-8"
    response = HttpResponse(content, content_type=f"text/csv; charset={charset}")
    response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    response["Cache-Control"] = "no-store"
    return response

"""The search pages: public ``/search/`` and ``/staff/search/``, both GET forms with ``q``.

A query that cannot be run (only symbols or emoji, control characters, too long) and a bad
filter value answer 400 with the form and its messages — never an error page, never a 500.
"""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from hoshin.changes.page_cache import public_page
from hoshin.lib.fiscal import display_fiscal_year
from hoshin.org.roles import login_required_staff
from hoshin.search import selectors
from hoshin.search.forms import SearchForm


def _page(request, *, staff: bool, template: str, extra: dict):
    choices = selectors.filter_choices(staff=staff)
    form = SearchForm(request.GET or None, choices=choices)
    results, status = None, 200
    if form.is_bound and not form.is_valid():
        status = 400
    elif form.is_bound and form.cleaned_data["q"]:
        data = form.cleaned_data
        kwargs = {"query": data["q"], "filters": form.filters(), "page": data.get("page") or 1}
        if staff:
            results = selectors.search_staff(user=request.user, **kwargs)
        else:
            results = selectors.search_public(**kwargs)
    years = [(fy, display_fiscal_year(fy)) for fy in choices["years"]]
    query_without_page = request.GET.copy()
    query_without_page.pop("page", None)
    context = {
        "form": form,
        "results": results,
        "years": years,
        "page_query": query_without_page.urlencode(),
        "search_url": request.path,
        **extra,
    }
    return render(request, template, context, status=status)


@require_safe
@public_page
def search_public(request):
    return _page(
        request, staff=False, template="search/public.html", extra={"nav_section": "search"}
    )


@require_safe
@login_required_staff
def search_staff(request):
    return _page(request, staff=True, template="search/staff.html", extra={"nav_section": "search"})

"""Running a search: who may find what, filters, ranking, pages and highlighted passages.

Only entries whose scope the reader may see are ever matched — the scope is a facet token of
the same full-text document, so an unpublished entry is not "filtered out after the search",
it is never found. Citizens get the PUBLIC scope only; staff additionally find draft plans and
the sheets their departments work on (the same rule as sheets_visible_to).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.utils.safestring import SafeString

from hoshin.evaluations.selectors.access import own_department_ids, user_sees_all_sheets
from hoshin.evaluations.selectors.public import ScaleValue
from hoshin.search.backends import All, Any, Expression, backend
from hoshin.search.documents import code_token
from hoshin.search.models import SearchEntry
from hoshin.search.snippets import highlight, snippet
from hoshin.search.text import Term, parse_query

PER_PAGE = 20
MAX_PAGE = 500


@dataclass(frozen=True)
class SearchFilters:
    plan: int | None = None
    fy: int | None = None
    department: int | None = None
    grade: str = ""
    direction: str = ""
    kind: str = ""

    def tokens(self) -> list[str]:
        found = []
        if self.plan:
            found.append(f"xp{self.plan}")
        if self.fy:
            found.append(f"xy{self.fy}")
        if self.department:
            found.append(f"xd{self.department}")
        if self.grade:
            found.append(code_token("xg", self.grade))
        if self.direction:
            found.append(code_token("xr", self.direction))
        if self.kind:
            found.append(f"xk{self.kind}")
        return found


@dataclass
class SearchHit:
    entry: SearchEntry
    score: float
    title_html: SafeString
    snippet_html: SafeString


@dataclass
class SearchResults:
    query: str
    terms: list[Term]
    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = PER_PAGE
    loose: bool = False  # nothing contained the words as typed; these share parts of them

    @property
    def pages(self) -> int:
        return min(MAX_PAGE, max(1, math.ceil(self.total / self.per_page)))

    @property
    def first(self) -> int:
        return (self.page - 1) * self.per_page + 1

    @property
    def last(self) -> int:
        return self.first + len(self.hits) - 1


def _staff_scope(user) -> Any:
    if user_sees_all_sheets(user=user):
        return Any(["xpub", "xstaff", "xdraft"])
    departments = sorted(own_department_ids(user=user))
    if not departments:
        return Any(["xpub", "xstaff"])
    return Any(["xpub", "xstaff", All(["xdraft", Any([f"xd{pk}" for pk in departments])])])


def _run(query: str, scope, filters: SearchFilters, page: int, per_page: int) -> SearchResults:
    terms = parse_query(query)
    results = SearchResults(query=query, terms=terms, page=min(max(page, 1), MAX_PAGE))
    results.per_page = per_page
    facets = All([scope, *filters.tokens()])
    engine = backend()
    offset = (results.page - 1) * per_page
    ranked, total = engine.search(Expression(terms, facets), limit=per_page, offset=offset)
    if total == 0 and any(len(term.text) > 2 for term in terms):
        ranked, total = engine.search(
            Expression(terms, facets, loose=True), limit=per_page, offset=offset
        )
        results.loose = total > 0
    results.total = total
    entries = SearchEntry.objects.in_bulk([pk for pk, _ in ranked])
    results.hits = [
        SearchHit(
            entry=entries[pk],
            score=score,
            title_html=highlight(entries[pk].title, terms),
            snippet_html=snippet(entries[pk].body, terms),
        )
        for pk, score in ranked
        if pk in entries
    ]
    return results


def search_public(
    *, query: str, filters: SearchFilters = SearchFilters(), page: int = 1, per_page: int = PER_PAGE
) -> SearchResults:
    """Search what citizens may see. Raises text.QueryError for a query that cannot be run."""
    return _run(query, "xpub", filters, page, per_page)


def search_staff(
    *,
    user,
    query: str,
    filters: SearchFilters = SearchFilters(),
    page: int = 1,
    per_page: int = PER_PAGE,
) -> SearchResults:
    """Search as a member of staff: public entries, draft plans and their departments' sheets."""
    return _run(query, _staff_scope(user), filters, page, per_page)


def _scale_choices(templates, attribute: str) -> list[tuple[str, str]]:
    """(code, what the action page prints for it): the option shows no internal code."""
    seen: dict[str, str] = {}
    for template in templates:
        for item in getattr(template, attribute) or []:
            code = item.get("code", "")
            if code and code not in seen:
                label = item.get("label") or code
                seen[code] = ScaleValue(code, label, item.get("meaning") or "").text
    return list(seen.items())


def filter_choices(*, staff: bool) -> dict:
    """The options of the filter lists: published things for citizens, everything for staff."""
    from hoshin.evaluations.models import EvaluationCycle, EvaluationTemplate
    from hoshin.org.models import Department
    from hoshin.plans import selectors as plan_selectors
    from hoshin.plans.models import Plan

    plans = Plan.objects.all() if staff else plan_selectors.plans_published()
    plans = list(plans.order_by("name").values_list("pk", "name"))
    plan_ids = [pk for pk, _ in plans]
    if staff:
        departments = Department.objects.all()
    else:
        departments = plan_selectors.departments_with_published_actions()
    templates = list(EvaluationTemplate.objects.filter(plan_id__in=plan_ids))
    years = (
        EvaluationCycle.objects.filter(plan_id__in=plan_ids)
        .values_list("fy", flat=True)
        .distinct()
        .order_by("-fy")
    )
    return {
        "plans": plans,
        "departments": list(departments.in_org_order().values_list("pk", "name")),
        "grades": _scale_choices(templates, "grades"),
        "directions": _scale_choices(templates, "directions"),
        "years": list(years),
    }

"""Limit/offset pages with ``count``, ``next`` and ``previous`` links.

django-ninja's own LimitOffsetPagination has no next/previous links and serialises model
objects through a schema; the open-data datasets hand us dicts from ``Dataset.rows``, so one
small helper serves both kinds of list.
"""

from collections.abc import Callable, Iterable

from django.db.models import QuerySet
from django.http import HttpRequest

from hoshin.api.schemas import PageParams


def _link(request: HttpRequest, *, limit: int, offset: int) -> str:
    query = request.GET.copy()
    query["limit"] = str(limit)
    query["offset"] = str(offset)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def page_of(
    request: HttpRequest,
    queryset: QuerySet,
    params: PageParams,
    *,
    rows: Callable[[QuerySet], Iterable] = list,
) -> dict:
    """One page of ``queryset`` (already in a stable order) as the API's list document."""
    count = queryset.count()
    limit, offset = params.limit, params.offset
    results = list(rows(queryset[offset : offset + limit])) if offset < count else []
    return {
        "count": count,
        "next": _link(request, limit=limit, offset=offset + limit)
        if offset + limit < count
        else None,
        "previous": _link(request, limit=limit, offset=max(offset - limit, 0))
        if offset > 0
        else None,
        "limit": limit,
        "offset": offset,
        "results": results,
    }

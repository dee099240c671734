"""Queued search jobs: re-indexing large plans (after an import of thousands of actions)."""

from django_tasks import task

from hoshin.changes.page_cache import public_version_bump


@task()
def index_plans(plan_ids: list[int]) -> int:
    """Re-index these plans whole, then give the public data a new version (search pages
    cached meanwhile were rendered with the old index). Safe to run twice: it re-reads."""
    from hoshin.search.services import search_index_plans

    count = search_index_plans(plan_ids=plan_ids)
    public_version_bump()
    return count

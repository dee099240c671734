"""Issue 10, finding 6: an import re-indexes its plan once (on the queue when it is large), and
the index is correct when the import finishes or when its job has run."""

import pytest

from hoshin.jobs.worker import run_queued
from hoshin.plans.formats.detect import parse_plan_file
from hoshin.plans.services import plan_import
from hoshin.search.selectors import search_public
from hoshin.search.services import search_rebuild

WORDS = "普通救命講習"  # in one action of the reform-plan seed
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def found(words: str) -> list:
    return [hit.entry.kind for hit in search_public(query=words).hits]


def import_seed(seed: bytes):
    parsed = parse_plan_file(seed, "seed.txt")
    return plan_import(parsed=parsed, name="実施計画", create_departments=True, publish=True)


@pytest.mark.django_db(transaction=True)
def test_a_small_import_is_searchable_when_it_returns(reform_seed_bytes):
    search_rebuild()
    import_seed(reform_seed_bytes)  # autocommit: the commit's notice has been handled
    assert found(WORDS)


@pytest.mark.django_db(transaction=True)
def test_a_large_import_is_indexed_by_one_queued_job(reform_seed_bytes, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE
    settings.HOSHIN_SEARCH_QUEUE_ACTIONS = 10  # the seed counts as large
    search_rebuild()
    import_seed(reform_seed_bytes)
    jobs = DBTaskResult.objects.filter(task_path="hoshin.search.tasks.index_plans")
    assert jobs.count() == 1  # one re-index of the plan, not one per row
    assert not found(WORDS)  # the import did not wait for the index
    run_queued()
    assert jobs.get().status == "SUCCESSFUL"
    assert found(WORDS)

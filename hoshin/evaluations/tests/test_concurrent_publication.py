"""Issue 10, bad input "two servers publishing at the same moment": two planning-office staff on
two app servers press 公表 for the same year at the same instant.

Each thread has its own database connection, as two servers (or two workers) do. Every final
sheet must be published exactly once — one transition each, never two — the counts the two
publications report must add up, and the audit log must stay one unbroken chain. PostgreSQL
only: it is the database several servers share (SQLite's IMMEDIATE transactions serialise
writers in one process, and the in-memory test database cannot be shared between threads).
"""

import threading

import pytest
from django.db import connection

from hoshin.audit.models import AuditEntry
from hoshin.audit.selectors import chain_verify
from hoshin.changes.models import PublicState
from hoshin.evaluations.models import EvaluationSheet, SheetTransition, Stage
from hoshin.evaluations.services.workflow import sheets_publish
from hoshin.evaluations.tests.factories import make_world, open_year

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="several app servers share PostgreSQL"
    ),
]


def test_two_publications_at_the_same_moment_publish_each_sheet_once():
    world = make_world()
    cycle = open_year(world)
    EvaluationSheet.objects.filter(cycle=cycle).update(stage=Stage.FINAL)
    final = EvaluationSheet.objects.filter(cycle=cycle).count()
    assert final >= 4
    version_before = PublicState.objects.values_list("version", flat=True).first()

    barrier, counts, errors = threading.Barrier(2), [None, None], []

    def publish(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            counts[index] = sheets_publish(cycle=cycle, by=world.planner)
        except Exception as error:  # reported below; a thread must not swallow it
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=publish, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not errors, errors
    assert sorted(counts) == [0, final]  # one published everything, the other found nothing
    assert EvaluationSheet.objects.filter(cycle=cycle, stage=Stage.PUBLISHED).count() == final
    transitions = SheetTransition.objects.filter(
        sheet__cycle=cycle, to_stage=Stage.PUBLISHED
    ).count()
    assert transitions == final  # never a second transition for the same sheet
    assert AuditEntry.objects.filter(verb="cycle.publish").count() == 2
    assert chain_verify().ok
    assert PublicState.objects.values_list("version", flat=True).first() != version_before

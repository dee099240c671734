"""The data migration chains the entries written before the hash chain existed."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from hoshin.audit.models import AuditEntry
from hoshin.audit.selectors import chain_verify

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("audit", "0002_initial")]


def test_existing_rows_are_chained_oldest_first():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    User = old_apps.get_model("org", "User")
    OldEntry = old_apps.get_model("audit", "AuditEntry")
    user = User.objects.create(username="mukashi")
    start = datetime.datetime(2025, 4, 1, 9, tzinfo=datetime.UTC)
    # Inserted newest first: the chain must follow time, not the primary key.
    for index in (2, 1, 0):
        entry = OldEntry.objects.create(
            actor=user if index == 1 else None,
            verb="old.event",
            target_type="",
            summary=f"以前の記録 {index}",
            data={"index": index},
        )
        OldEntry.objects.filter(pk=entry.pk).update(at=start + datetime.timedelta(hours=index))

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # back to the current schema

    entries = list(AuditEntry.objects.order_by("sequence"))
    assert [e.summary for e in entries] == ["以前の記録 0", "以前の記録 1", "以前の記録 2"]
    assert [e.sequence for e in entries] == [1, 2, 3]
    assert entries[1].actor_key == user.pk and entries[1].actor_name == "mukashi"
    report = chain_verify()
    assert report.ok and report.checked == 3

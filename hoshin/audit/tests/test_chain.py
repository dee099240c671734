"""The audit trail's hash chain: appending, and audit_verify finding every kind of tampering.

Covers issue 10 "Bad input": an audit row edited directly in the database. Each tampering test
edits the real table with a queryset update or raw SQL, as an attacker with database access
would, and checks that ``audit_verify`` exits non-zero naming the FIRST broken entry.
"""

import datetime
import io
import itertools

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from hoshin.audit.chain import GENESIS
from hoshin.audit.models import AuditChainHead, AuditEntry
from hoshin.audit.selectors import chain_verify
from hoshin.audit.services import audit_backdated, audit_record
from hoshin.org.tests.factories import make_user

pytestmark = pytest.mark.django_db


def record(count: int, actor=None) -> list[AuditEntry]:
    return [
        audit_record(
            actor=actor,
            verb="test.event",
            summary=f"テストの記録 {index}",
            data={"index": index, "名前": "①㈱髙﨑", "nested": {"b": [1, 2.5], "a": None}},
        )
        for index in range(count)
    ]


def verify(*args) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit_verify", *args, stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, str(error)
    return 0, out.getvalue()


def test_entries_are_chained_gapless_and_the_head_follows():
    user = make_user("kanri")  # entry 1: the account was created
    entries = record(5, actor=user)
    assert [e.sequence for e in entries] == [2, 3, 4, 5, 6]
    assert AuditEntry.objects.get(sequence=1).prev_hash == GENESIS
    for before, after in itertools.pairwise(entries):
        assert after.prev_hash == before.entry_hash
    head = AuditChainHead.objects.get()
    assert (head.sequence, head.entry_hash) == (6, entries[-1].entry_hash)
    assert entries[0].actor_key == user.pk and entries[0].actor_name == "kanri"
    code, output = verify()
    assert code == 0, output
    assert "6 件" in output and entries[-1].entry_hash in output


def test_empty_log_verifies():
    assert verify()[0] == 0


def test_the_chain_survives_the_database_round_trip_and_deleting_the_actor():
    user = make_user("taishoku")
    record(3, actor=user)
    user.delete()  # the foreign key becomes empty; the recorded id and name stay
    assert AuditEntry.objects.filter(verb="test.event", actor__isnull=True).count() == 3
    assert verify()[0] == 0


def test_a_rolled_back_change_leaves_no_gap():
    from django.db import transaction

    record(2)
    with pytest.raises(RuntimeError), transaction.atomic():
        record(1)
        raise RuntimeError
    record(1)
    assert list(AuditEntry.objects.order_by("sequence").values_list("sequence", flat=True)) == [
        1,
        2,
        3,
    ]
    assert verify()[0] == 0


def test_backdated_entries_are_chained_with_their_time():
    moment = datetime.datetime(2024, 4, 1, 9, 30, tzinfo=datetime.UTC)
    with audit_backdated(moment):
        (entry,) = record(1)
    assert AuditEntry.objects.get(pk=entry.pk).at == moment
    assert verify()[0] == 0


# ---- tampering -------------------------------------------------------------------------------


def test_a_field_edited_with_a_queryset_update_is_found():
    entries = record(5)
    AuditEntry.objects.filter(pk=entries[2].pk).update(summary="書き換えた概要")
    code, message = verify()
    assert code == 1
    assert "通番 3" in message and f"ID {entries[2].pk}" in message
    assert "書き換え" in message


@pytest.mark.parametrize(
    "column, value",
    [("verb", "'voice.nothing'"), ("actor_name", "'someone'"), ("data", "'{}'")],
)
def test_a_field_edited_with_raw_sql_is_found(column, value):
    entries = record(4)
    table = AuditEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = {value} WHERE id = %s", [entries[1].pk])
    code, message = verify()
    assert code == 1 and "通番 2" in message


def test_the_time_moved_is_found():
    entries = record(3)
    AuditEntry.objects.filter(pk=entries[0].pk).update(
        at=entries[0].at - datetime.timedelta(seconds=1)
    )
    code, message = verify()
    assert code == 1 and "通番 1" in message


def test_an_edit_with_a_recomputed_hash_breaks_the_next_link():
    """Without the key an attacker can recompute one row's hash; the next row still points to
    the old one."""
    from hoshin.audit.chain import entry_hash

    entries = record(4)
    row = AuditEntry.objects.get(pk=entries[1].pk)
    row.summary = "書き換えた概要"
    row.entry_hash = entry_hash(
        sequence=row.sequence,
        at=row.at,
        actor_key=row.actor_key,
        actor_name=row.actor_name,
        verb=row.verb,
        target_type=row.target_type,
        target_id=row.target_id,
        summary=row.summary,
        data=row.data,
        prev_hash=row.prev_hash,
    )
    AuditEntry.objects.filter(pk=row.pk).update(summary=row.summary, entry_hash=row.entry_hash)
    code, message = verify()
    assert code == 1 and "通番 3" in message and "直前の記録のハッシュ" in message


def test_the_key_makes_the_hash_impossible_to_recompute_without_it(settings):
    settings.HOSHIN_AUDIT_HMAC_KEY = "secret-from-the-environment"
    record(3)
    assert verify()[0] == 0
    settings.HOSHIN_AUDIT_HMAC_KEY = ""  # what a database-only attacker would compute with
    assert verify()[0] == 1


def test_a_middle_row_deleted_is_found():
    entries = record(5)
    AuditEntry.objects.filter(pk=entries[2].pk).delete()
    code, message = verify()
    assert code == 1
    assert "通番 3" in message and "削除" in message and "通番 4" in message


def test_the_last_row_deleted_is_found_through_the_head():
    entries = record(5)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [entries[-1].pk])
    code, message = verify()
    assert code == 1 and "通番 5" in message and "削除" in message


def test_the_last_rows_deleted_and_the_head_rolled_back_is_found_through_the_seal(settings):
    settings.HOSHIN_AUDIT_HMAC_KEY = "secret-from-the-environment"
    entries = record(5)
    AuditEntry.objects.filter(sequence__gt=3).delete()
    AuditChainHead.objects.update(sequence=3, entry_hash=entries[2].entry_hash)
    code, message = verify()
    assert code == 1 and "末尾情報" in message


def test_reordered_rows_are_found():
    entries = record(4)
    first, second = entries[1], entries[2]
    AuditEntry.objects.filter(pk=first.pk).update(sequence=1000)
    AuditEntry.objects.filter(pk=second.pk).update(sequence=first.sequence)
    AuditEntry.objects.filter(pk=first.pk).update(sequence=second.sequence)
    code, message = verify()
    assert code == 1 and "通番 2" in message


def test_an_inserted_row_is_found():
    entries = record(3)
    AuditEntry.objects.filter(sequence=3).update(sequence=4)
    AuditEntry.objects.create(
        sequence=3,
        verb="test.forged",
        target_type="",
        summary="偽の記録",
        prev_hash=entries[1].entry_hash,
        entry_hash="f" * 64,
    )
    AuditChainHead.objects.update(sequence=4)
    code, message = verify()
    assert code == 1 and "通番 3" in message


def test_a_row_appended_behind_the_heads_back_is_found():
    entries = record(2)
    AuditEntry.objects.create(
        sequence=3,
        verb="test.forged",
        target_type="",
        summary="偽の記録",
        prev_hash=entries[1].entry_hash,
        entry_hash="f" * 64,
    )
    code, message = verify()
    assert code == 1 and "通番 3" in message


def test_since_checks_from_a_sequence_on():
    entries = record(6)
    AuditEntry.objects.filter(pk=entries[1].pk).update(summary="書き換え")
    assert verify("--since", "4")[0] == 0
    report = chain_verify(since=4)
    assert report.checked == 3 and report.first_sequence == 4
    code, message = verify("--since", "2")
    assert code == 1 and "通番 2" in message


def test_a_removed_head_is_recreated_and_said_in_the_chain():
    record(2)
    AuditChainHead.objects.all().delete()
    assert verify()[0] == 1  # entries but no head
    record(1)  # the next write carries on and records that the head was missing
    verbs = list(AuditEntry.objects.order_by("sequence").values_list("verb", flat=True))
    assert verbs == ["test.event", "test.event", "audit.head_restored", "test.event"]
    report = chain_verify()
    assert report.ok and report.warnings


def test_a_long_transaction_moves_the_head_once_after_its_commit(
    django_capture_on_commit_callbacks,
):
    """On PostgreSQL, moving the head row on each of N appends in one transaction costs N²;
    after HEAD_MOVES_PER_TRANSACTION it is moved once, after the commit."""
    from django.db import transaction

    from hoshin.audit.services import HEAD_MOVES_PER_TRANSACTION

    count = HEAD_MOVES_PER_TRANSACTION + 10
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        entries = record(count)
    head = AuditChainHead.objects.get()
    assert head.sequence == HEAD_MOVES_PER_TRANSACTION  # lagging until the commit is done
    report = chain_verify()
    assert report.ok and report.last_sequence == count and report.warnings
    for callback in callbacks:  # the commit
        callback()
    head.refresh_from_db()
    assert (head.sequence, head.entry_hash) == (count, entries[-1].entry_hash)
    report = chain_verify()
    assert report.ok and not report.warnings
    # Truncation is still found once the head has caught up.
    AuditEntry.objects.filter(sequence=count).delete()
    assert verify()[0] == 1

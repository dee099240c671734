"""Recording audit entries; every service that changes data calls ``audit_record``.

Entries are appended to a hash chain (``chain.py``). Appending locks the single chain-head row
(``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite every transaction is IMMEDIATE, so the
database's write lock does the same), so concurrent writers on any number of app servers are
serialised: two entries never share a predecessor and sequence numbers have no gaps. The lock
is held until the caller's transaction ends, so call ``audit_record`` last in a service (after
the change, before returning): a row lock taken after it would make deadlocks possible. The
head row records the newest entry (moved with each entry, or once after the commit of a
transaction that appends many: ``_HeadCatchUp``).
"""

import contextlib
import contextvars
import datetime
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from hoshin.audit.chain import GENESIS, HASHED_FIELDS, entry_hash, head_seal
from hoshin.audit.models import AuditChainHead, AuditEntry

HEAD_PK = 1
# Written into the chain when the head row was missing although entries exist (see _locked_head).
HEAD_RESTORED_VERB = "audit.head_restored"

_backdate: contextvars.ContextVar[datetime.datetime | None] = contextvars.ContextVar(
    "audit_backdate", default=None
)


_acting: contextvars.ContextVar = contextvars.ContextVar("audit_acting", default=None)


@contextlib.contextmanager
def audit_acting_as(user):
    """Inside the block, ``audit_current_actor()`` is ``user``.

    For entries written by model signals (account changes made in the Django admin), which
    have no request to ask; services take their ``actor`` argument instead.
    """
    token = _acting.set(user if getattr(user, "pk", None) else None)
    try:
        yield
    finally:
        _acting.reset(token)


def audit_current_actor():
    """The user set by ``audit_acting_as``, or None (a command, a job, a shell)."""
    return _acting.get()


@contextlib.contextmanager
def audit_backdated(moment: datetime.datetime):
    """Entries recorded inside the block carry ``moment`` as their time (demo data's story).

    Only the demo seeders use it: the time is part of the hash, so it must be set when the
    entry is written; moving it afterwards would break the chain.
    """
    token = _backdate.set(moment)
    try:
        yield
    finally:
        _backdate.reset(token)


def _plain_json(data) -> dict:
    """The data exactly as the JSON column gives it back (tuples → lists, dates → text)."""
    return json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder))


def _create_head() -> None:
    last = AuditEntry.objects.order_by("-sequence").first()
    sequence, last_hash = (last.sequence, last.entry_hash) if last else (0, GENESIS)
    try:
        with transaction.atomic():
            AuditChainHead.objects.create(
                pk=HEAD_PK,
                sequence=sequence,
                entry_hash=last_hash,
                seal=head_seal(sequence=sequence, last_hash=last_hash),
            )
    except IntegrityError:
        return  # another writer created it a moment ago
    if last is not None:
        # Entries without a head: someone removed the head row. Carry on from the last entry
        # (refusing every write would stop the city's work), but say so in the chain itself.
        _append(
            head=AuditChainHead.objects.select_for_update().get(pk=HEAD_PK),
            actor=None,
            verb=HEAD_RESTORED_VERB,
            target_type="",
            target_id="",
            summary="操作記録の末尾情報が失われていたため、最後の記録から再作成",
            data={"last_sequence": sequence},
        )


def _locked_head() -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(pk=HEAD_PK).first()
    if head is None:
        # A fresh database (tests flush every table, migrations included) or a removed head.
        _create_head()
        head = AuditChainHead.objects.select_for_update().get(pk=HEAD_PK)
    return head


class _HeadCatchUp:
    """Marks a transaction that appended entries; after its commit, moves the head to the last
    entry if the transaction stopped moving it (more than ``HEAD_MOVES_PER_TRANSACTION``).

    Why: on PostgreSQL every update of the head row inside one transaction leaves a row
    version the next read of it must step over, so moving it on each of N appends costs N²
    (measured: 10,000 appends in one transaction 215 s). After a few moves the head is left
    where it is and moved once, after the commit. Until then (or if the process dies in
    between) it lags behind the newest entries; ``audit_verify`` accepts that with a warning,
    since those entries still have to verify in the chain.
    """

    def __init__(self):
        self.appends = 0

    def __call__(self) -> None:
        if self.appends <= HEAD_MOVES_PER_TRANSACTION:
            return  # the head was moved with every entry
        with transaction.atomic():
            head = _locked_head()
            last = AuditEntry.objects.order_by("-sequence").first()
            if last is not None and last.sequence > head.sequence:
                _move_head(head, last.sequence, last.entry_hash)


HEAD_MOVES_PER_TRANSACTION = 50


def _transaction_marker() -> _HeadCatchUp:
    """The marker of the current transaction (registered on commit), created on first use."""
    connection = transaction.get_connection()
    for _savepoints, callback, _robust in connection.run_on_commit:
        if isinstance(callback, _HeadCatchUp):
            return callback
    marker = _HeadCatchUp()
    transaction.on_commit(marker)
    return marker


def _move_head(head: AuditChainHead, sequence: int, last_hash: str) -> None:
    head.sequence, head.entry_hash = sequence, last_hash
    head.seal = head_seal(sequence=sequence, last_hash=last_hash)
    head.save(update_fields=["sequence", "entry_hash", "seal"])


def _append(*, head: AuditChainHead, actor, verb, target_type, target_id, summary, data):
    # The predecessor is the newest entry (unique index on sequence): the head may lag behind
    # it within a long transaction (see _HeadCatchUp), the entries never do.
    last = AuditEntry.objects.order_by("-sequence").values_list("sequence", "entry_hash").first()
    previous_sequence, previous_hash = last if last is not None else (0, GENESIS)
    sequence = previous_sequence + 1
    entry = AuditEntry(
        sequence=sequence,
        actor=actor,
        actor_key=actor.pk if actor is not None else None,
        actor_name=actor.get_username() if actor is not None else "",
        verb=verb,
        target_type=target_type,
        target_id=target_id,
        summary=summary,
        data=data,
        at=_backdate.get() or timezone.now(),
        prev_hash=previous_hash,
    )
    entry.entry_hash = entry_hash(**{name: getattr(entry, name) for name in HASHED_FIELDS})
    entry.save(force_insert=True)
    marker = _transaction_marker()
    marker.appends += 1
    if marker.appends <= HEAD_MOVES_PER_TRANSACTION:
        _move_head(head, sequence, entry.entry_hash)
    return entry


def audit_record(
    *, actor, verb: str, target: models.Model | None = None, summary: str, data=None
) -> AuditEntry:
    """Record who did what to which object (``actor`` may be None for system jobs).

    Appends one entry to the hash chain inside the caller's transaction: if the change rolls
    back, so do its entry and the head, and the sequence stays gapless.
    """
    with transaction.atomic():
        return _append(
            head=_locked_head(),
            actor=actor if getattr(actor, "pk", None) else None,
            verb=verb,
            target_type=target._meta.label_lower if target is not None else "",
            target_id=str(target.pk) if target is not None else "",
            summary=summary[:300],
            data=_plain_json(data),
        )


def audit_log_export(*, filters, by, encoding: str) -> bytes:
    """The filtered entries as a CSV file (``hoshin.lib.spreadsheets`` policy); the export is
    itself recorded, after the rows it contains.

    Raises ``CsvEncodingError`` (nothing recorded) when CP932 cannot hold a character.
    """
    from dataclasses import asdict

    from hoshin.audit.selectors import CSV_HEADER, entries_csv_lines, entries_filtered
    from hoshin.lib.spreadsheets import CsvWriter

    writer = CsvWriter(encoding=encoding, header=CSV_HEADER)
    with transaction.atomic():
        lines = entries_csv_lines(entries_filtered(filters), writer)
        content = writer.encode("".join(lines))
        audit_record(
            actor=by,
            verb="audit.export",
            summary=f"操作記録 {len(lines) - 1:,} 件をCSVで書き出し",
            data={
                "filters": {k: v for k, v in asdict(filters).items() if v},
                "rows": len(lines) - 1,
                "encoding": encoding,
            },
        )
    return content

"""Counters for rate limits, kept in the database so every process and server counts together.

Django's cache API cannot do this on the database cache: ``DatabaseCache.incr`` reads, adds one
and writes back, so two servers hitting the same key at once both write the same number and a
limit of 10 lets through 20. Here each hit is ONE statement — an upsert that adds one and
returns the new count::

    INSERT INTO throttle_counter (name, hits, expires_at) VALUES (…, 1, now + window)
    ON CONFLICT (name) DO UPDATE SET hits = hits + 1 (or 1 when the window has ended) …
    RETURNING hits

which PostgreSQL (row lock on the conflicting row) and SQLite (one writer at a time) both
execute atomically. A window starts with the first hit of a name and lasts ``seconds``; the
first hit after it ends starts a new one. ``cleanup()`` deletes ended windows (the scheduler runs
it daily); a name whose window has ended counts as zero whether or not it was cleaned up.
"""

import time

from django.db import connection, transaction

from hoshin.throttle.models import Counter

MAX_NAME_LENGTH = 255


def _name(name: str) -> str:
    # Names are built from client input (addresses, receipt numbers): keep them bounded.
    return name[:MAX_NAME_LENGTH]


def hit(name: str, *, seconds: int, now: float | None = None) -> int:
    """Count one hit of ``name`` in its window of ``seconds``; return the hits so far (≥ 1)."""
    now = time.time() if now is None else now
    table = connection.ops.quote_name(Counter._meta.db_table)
    sql = (
        f"INSERT INTO {table} (name, hits, expires_at) VALUES (%s, 1, %s) "
        f"ON CONFLICT (name) DO UPDATE SET "
        f"hits = CASE WHEN {table}.expires_at <= %s THEN 1 ELSE {table}.hits + 1 END, "
        f"expires_at = CASE WHEN {table}.expires_at <= %s THEN %s ELSE {table}.expires_at END "
        f"RETURNING hits"
    )
    expires = now + seconds
    # Its own savepoint inside a caller's transaction, so that on PostgreSQL a failure here
    # cannot poison the caller's transaction; in autocommit it is committed at once.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [_name(name), expires, now, now, expires])
        return int(cursor.fetchone()[0])


def hits(name: str, *, now: float | None = None) -> int:
    """Hits of ``name`` in its current window (0 when none or when the window has ended)."""
    now = time.time() if now is None else now
    found = (
        Counter.objects.filter(name=_name(name), expires_at__gt=now)
        .values_list("hits", flat=True)
        .first()
    )
    return found or 0


def first_in_window(name: str, *, seconds: int) -> bool:
    """True for the first hit of ``name`` in ``seconds`` (a double click's second is False)."""
    return hit(name, seconds=seconds) == 1


def cleanup(*, now: float | None = None) -> int:
    """Delete counters whose window has ended; return how many."""
    now = time.time() if now is None else now
    deleted, _ = Counter.objects.filter(expires_at__lte=now).delete()
    return deleted

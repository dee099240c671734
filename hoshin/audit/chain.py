"""The hash chain of the audit trail: canonical serialisation and digests (no database access).

Each entry's hash covers its own fields and the hash of its predecessor, so changing, removing,
reordering or inserting a row breaks the chain from that row on (``audit_verify``). The digest
is HMAC-SHA-256 keyed with ``HOSHIN_AUDIT_HMAC_KEY`` when it is set, plain SHA-256 otherwise.
Keyed is what production needs: with plain SHA-256 anyone who can write to the database can
also recompute every hash after an edit; the key lives outside the database (environment or
secret file), so a database-only attacker cannot forge a chain that verifies.

The serialisation is versioned (``FORMAT``): the data migration that chained the existing rows
and the code that appends new ones must produce exactly the same bytes, so any change to it is
a new format, never an edit of this one.
"""

import datetime
import hashlib
import hmac
import json

from django.conf import settings

FORMAT = "hoshin-audit-v1"
GENESIS = "0" * 64  # the "predecessor" of entry 1
# The entry's fields ``entry_hash`` covers, by name (model fields and its keyword arguments).
HASHED_FIELDS = (
    "sequence",
    "at",
    "actor_key",
    "actor_name",
    "verb",
    "target_type",
    "target_id",
    "summary",
    "data",
    "prev_hash",
)


def _key() -> bytes:
    return settings.HOSHIN_AUDIT_HMAC_KEY.encode("utf-8")


def _digest(payload: bytes) -> str:
    key = _key()
    if key:
        return hmac.new(key, payload, hashlib.sha256).hexdigest()
    return hashlib.sha256(payload).hexdigest()


def canonical_json(value) -> str:
    """JSON with sorted keys, no spaces and unescaped non-ASCII: one text per value."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def canonical_time(at: datetime.datetime) -> str:
    """The time in UTC to the microsecond (both databases keep microseconds)."""
    return at.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def entry_hash(
    *,
    sequence: int,
    at: datetime.datetime,
    actor_key: int | None,
    actor_name: str,
    verb: str,
    target_type: str,
    target_id: str,
    summary: str,
    data,
    prev_hash: str,
) -> str:
    """The hash of one entry over its canonical serialisation (a JSON array, see FORMAT)."""
    payload = canonical_json(
        [
            FORMAT,
            sequence,
            canonical_time(at),
            actor_key,
            actor_name,
            verb,
            target_type,
            target_id,
            summary,
            data,
            prev_hash,
        ]
    )
    return _digest(payload.encode("utf-8"))


def head_seal(*, sequence: int, last_hash: str) -> str:
    """The chain head's own check value: with a key, rolling the head back after deleting the
    newest entries needs the key too (its values alone are visible in the table)."""
    return _digest(canonical_json([FORMAT, "head", sequence, last_hash]).encode("utf-8"))

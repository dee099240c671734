"""Reads of API tokens: who a presented secret belongs to, and a user's own tokens."""

import datetime
import hashlib

from django.db.models import QuerySet
from django.utils import timezone

from hoshin.api.models import ApiToken

TOKEN_PREFIX = "hsn_"
# A use is recorded at most this often per token, so a busy program does not turn every read
# into a write (and into lock contention on SQLite).
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def token_hash(secret: str) -> str:
    """The stored form of a secret: SHA-256, hex."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def api_token_authenticate(*, secret: str) -> ApiToken | None:
    """The active token for ``secret`` (its user loaded), or None; records when it was used."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(token_hash=token_hash(secret))
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def api_tokens_of(*, user) -> QuerySet[ApiToken]:
    """A user's tokens, newest first (revoked ones too, for the record)."""
    return ApiToken.objects.filter(user=user)

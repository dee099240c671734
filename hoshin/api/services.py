"""Creating and revoking API tokens; both are audited."""

import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from hoshin.api.models import ApiToken
from hoshin.api.selectors import TOKEN_PREFIX, token_hash
from hoshin.audit.services import audit_record


class ApiTokenError(ValueError):
    """A token request that cannot be done; the message says why."""


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once, never stored


@transaction.atomic
def api_token_create(*, user, name: str) -> NewToken:
    """A new token for ``user``; the returned secret is the only copy that will ever exist."""
    name = (name or "").strip()
    if not name:
        raise ApiTokenError("トークンの名前を入力してください。")
    if len(name) > ApiToken._meta.get_field("name").max_length:
        raise ApiTokenError("トークンの名前は100文字以内にしてください。")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        raise ApiTokenError("トークンの名前に制御文字は使えません。")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=secret[: len(TOKEN_PREFIX) + 6], token_hash=token_hash(secret)
    )
    audit_record(
        actor=user,
        verb="api_token.create",
        target=token,
        summary=f"APIトークン「{token}」を作成",
    )
    return NewToken(token=token, secret=secret)


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by) -> ApiToken:
    """Revoke a token at once (its user or an administrator); revoking twice changes nothing."""
    if token.user_id != by.pk and not by.is_superuser:
        raise ApiTokenError("他の職員のトークンは失効できません。")
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=by, verb="api_token.revoke", target=token, summary=f"APIトークン「{token}」を失効"
        )
    return token

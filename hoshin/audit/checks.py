"""``manage.py check --deploy``: the audit trail's chain needs its key in production."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def audit_key_set(app_configs, **kwargs):
    """Without HOSHIN_AUDIT_HMAC_KEY anyone who can write to the database can also recompute
    the chain after editing a row (docs/audit-log.md)."""
    if settings.HOSHIN_AUDIT_HMAC_KEY:
        return []
    return [
        Warning(
            "HOSHIN_AUDIT_HMAC_KEY is not set: the audit log's hash chain is plain SHA-256, "
            "which a database-only attacker can recompute.",
            hint="Set HOSHIN_AUDIT_HMAC_KEY to a long random value kept outside the database "
            "(docs/audit-log.md).",
            id="hoshin.audit.W001",
        )
    ]

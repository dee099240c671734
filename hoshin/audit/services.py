"""Recording audit entries; every service that changes data calls ``audit_record``."""

from django.db import models

from hoshin.audit.models import AuditEntry


def audit_record(
    *, actor, verb: str, target: models.Model | None = None, summary: str, data=None
) -> AuditEntry:
    """Record who did what to which object (``actor`` may be None for system jobs)."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        verb=verb,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        summary=summary[:300],
        data=data or {},
    )

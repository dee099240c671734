"""Chain the entries written before the hash chain, oldest first, and create the head row."""

from django.conf import settings
from django.db import migrations

from hoshin.audit.chain import GENESIS, entry_hash, head_seal


def chain_existing(apps, schema_editor):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    User = apps.get_model(settings.AUTH_USER_MODEL)
    names = dict(User.objects.values_list("pk", "username"))
    previous, sequence = GENESIS, 0
    batch = []
    for entry in AuditEntry.objects.order_by("at", "id").iterator(chunk_size=2000):
        sequence += 1
        entry.sequence = sequence
        entry.actor_key = entry.actor_id
        entry.actor_name = names.get(entry.actor_id, "") if entry.actor_id else ""
        entry.prev_hash = previous
        entry.entry_hash = entry_hash(
            sequence=sequence,
            at=entry.at,
            actor_key=entry.actor_key,
            actor_name=entry.actor_name,
            verb=entry.verb,
            target_type=entry.target_type,
            target_id=entry.target_id,
            summary=entry.summary,
            data=entry.data,
            prev_hash=previous,
        )
        previous = entry.entry_hash
        batch.append(entry)
        if len(batch) >= 2000:
            AuditEntry.objects.bulk_update(batch, FIELDS)
            batch = []
    AuditEntry.objects.bulk_update(batch, FIELDS)
    AuditChainHead.objects.update_or_create(
        pk=1,
        defaults={
            "sequence": sequence,
            "entry_hash": previous,
            "seal": head_seal(sequence=sequence, last_hash=previous),
        },
    )


FIELDS = ["sequence", "actor_key", "actor_name", "prev_hash", "entry_hash"]


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_hash_chain_fields"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(chain_existing, migrations.RunPython.noop, elidable=False),
    ]

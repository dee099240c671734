"""Queued jobs of citizens' voices: the acknowledgement and the results notices (e-mails).

Both may run twice (a worker lost after the send): each e-mail is recorded in the transaction
that sends it (``mark_once`` for the acknowledgement, a ``VoiceNotification`` row per voice and
sheet for the notices), so a re-run sends nothing again.
"""

from django.db import transaction
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from hoshin.queue.services import mark_once
from hoshin.voices.models import CitizenVoice
from hoshin.voices.services.loop import voices_notify_results
from hoshin.voices.services.notifications import voice_acknowledge


@task(takes_context=True)
def send_acknowledgement(context, voice_id: int, secret: str) -> bool:
    """E-mail the writer of voice ``voice_id`` their receipt number and secret, once."""
    try:
        voice = CitizenVoice.objects.select_related("writer").filter(pk=voice_id).first()
        if voice is None:
            return False
        with transaction.atomic():
            if not mark_once(f"voices.acknowledgement|{voice_id}"):
                return False
            if not voice_acknowledge(voice=voice, secret=secret):
                transaction.set_rollback(True)  # no mark: nothing was sent
                return False
        return True
    finally:
        # The secret is stored only as a hash; do not leave it in the job's row either.
        DBTaskResult.objects.filter(pk=context.task_result.id).update(
            args_kwargs={"args": [voice_id, ""], "kwargs": {}}
        )


@task()
def notify_results(sheet_ids: list[int]) -> int:
    """Tell writers that results of actions linked to their voices were published."""
    return len(voices_notify_results(sheet_ids=sheet_ids).sent)

"""A voice as it arrives through a form: the voice, its attachments and the acknowledgement.

Public form and staff intake both call ``voice_submit``; the receipt number, double-submission
and secret rules stay in ``intake.voice_receive``.
"""

import uuid

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from hoshin.queue.services import enqueue
from hoshin.voices.services.attachments import (
    attachments_discard,
    attachments_store,
    voice_attachments_add,
)
from hoshin.voices.services.intake import Received, voice_receive
from hoshin.voices.tasks import send_acknowledgement


def voice_submit(
    *,
    uploads: list[UploadedFile] | None = None,
    submission_key: uuid.UUID | None = None,
    by=None,
    **fields,
) -> Received:
    """Store a voice with its attachments; once committed, e-mail the acknowledgement (queued).

    ``fields`` are ``voice_receive``'s. Files are written first and deleted again if the
    voice is not stored or was already stored by an earlier copy of the same submission.
    """
    stored = attachments_store(uploads or [])
    try:
        with transaction.atomic():
            received = voice_receive(submission_key=submission_key, by=by, **fields)
            if received.created:
                voice_attachments_add(voice=received.voice, stored=stored)
                # Queued with the voice: the e-mail goes out once the voice is committed.
                enqueue(send_acknowledgement, received.voice.pk, received.secret)
    except BaseException:
        attachments_discard(stored)
        raise
    if not received.created:
        attachments_discard(stored)
    return received

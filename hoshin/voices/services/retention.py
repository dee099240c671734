"""Deleting writers' personal details after the retention period; the anonymous record stays.

A voice is due when it ended (answered, closed without reply or forwarded: ``closed_at``,
else ``answered_at``, else its last status change) more than
``settings.HOSHIN_PERSONAL_DATA_RETENTION_YEARS`` years ago. For each due voice the purge

- deletes the VoiceWriter row (name, e-mail, phone, postal address);
- deletes every attachment: the file in storage and its row (file names can be personal);
- masks the writer's own details and any phone number, e-mail address, postal code, address
  or name in the voice's subject and text and in the reply (``masking.mask``), because
  writers put them in their letters;
- sets ``personal_data_deleted_at``.

The voice keeps its receipt number, dates, channel, kind, category, age band, district,
departments, linked actions, status and history, so statistics do not change. Open voices
are never touched. The access log (PersonalDataView) is kept: it holds no personal details
of the writer, only who looked and why.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import DateTimeField, Max, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from hoshin.audit.services import audit_record
from hoshin.voices.models import CitizenVoice, VoiceAttachment, VoiceReply, VoiceStatus, VoiceWriter
from hoshin.voices.services.masking import mask_for_writer

logger = logging.getLogger(__name__)

ENDED = (VoiceStatus.ANSWERED, VoiceStatus.CLOSED, VoiceStatus.FORWARDED)


@dataclass
class PurgeReport:
    today: datetime.date
    cutoff: datetime.date
    dry_run: bool
    voices: list[CitizenVoice] = field(default_factory=list)
    writers: int = 0
    attachments: int = 0
    missing_files: list[str] = field(default_factory=list)


def retention_years() -> int:
    years = settings.HOSHIN_PERSONAL_DATA_RETENTION_YEARS
    if years < 1:
        raise ImproperlyConfigured("HOSHIN_PERSONAL_DATA_RETENTION_YEARS must be 1 or more")
    return years


def retention_cutoff(*, today: datetime.date, years: int) -> datetime.date:
    """``today`` minus ``years`` years (29 February falls back to the 28th)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def voices_due_for_purge(*, today: datetime.date):
    """Ended voices whose personal details are past the retention period and still stored."""
    cutoff = retention_cutoff(today=today, years=retention_years())
    start_of_cutoff = timezone.make_aware(
        datetime.datetime.combine(cutoff, datetime.time.min), timezone.get_current_timezone()
    )
    has_personal = Q(writer__isnull=False) | Q(attachments__isnull=False)
    return (
        CitizenVoice.objects.filter(status__in=ENDED, personal_data_deleted_at__isnull=True)
        .filter(pk__in=CitizenVoice.objects.filter(has_personal).values("pk"))
        .annotate(
            ended_at=Coalesce(
                "closed_at", "answered_at", Max("events__at"), output_field=DateTimeField()
            )
        )
        .filter(ended_at__lt=start_of_cutoff)
        .order_by("fy", "number")
    )


def personal_data_purge(
    *, today: datetime.date | None = None, dry_run: bool = False
) -> PurgeReport:
    """Delete the personal details of every voice due; with ``dry_run`` only list them."""
    today = today or timezone.localdate()
    report = PurgeReport(
        today=today,
        cutoff=retention_cutoff(today=today, years=retention_years()),
        dry_run=dry_run,
    )
    report.voices = list(voices_due_for_purge(today=today))
    if dry_run:
        report.writers = VoiceWriter.objects.filter(voice__in=report.voices).count()
        report.attachments = VoiceAttachment.objects.filter(voice__in=report.voices).count()
        return report
    for voice in report.voices:
        _purge(voice, report)
    if report.voices:
        audit_record(
            actor=None,
            verb="voices.purge_personal_data",
            summary=(
                f"保存期間（{retention_years()}年）を過ぎた市民の声 {len(report.voices)} 件の"
                "個人情報を削除"
            ),
            data={"voices": [v.receipt_number for v in report.voices]},
        )
    return report


def _purge(voice: CitizenVoice, report: PurgeReport) -> None:
    files = []
    with transaction.atomic():
        voice = CitizenVoice.objects.select_for_update().get(pk=voice.pk)
        writer = VoiceWriter.objects.filter(voice=voice).first()
        voice.subject = mask_for_writer(voice.subject, writer).text[:200]
        voice.body = mask_for_writer(voice.body, writer).text
        voice.personal_data_deleted_at = timezone.now()
        voice.save(update_fields=["subject", "body", "personal_data_deleted_at", "updated_at"])
        reply = VoiceReply.objects.filter(voice=voice).first()
        if reply is not None:
            reply.body = mask_for_writer(reply.body, writer).text
            reply.save(update_fields=["body"])
        if writer is not None:
            writer.delete()
            report.writers += 1
        removed = 0
        for attachment in VoiceAttachment.objects.filter(voice=voice):
            files.append(attachment.file)
            attachment.delete()
            removed += 1
        report.attachments += removed
        # One entry per voice, in the deletion's own transaction: a run stopped half-way has
        # recorded exactly the voices it purged (the run's summary entry comes at the end).
        audit_record(
            actor=None,
            verb="voice.purge_personal_data",
            target=voice,
            summary=f"市民の声 {voice.receipt_number} の個人情報を保存期間経過により削除",
            data={"writer": writer is not None, "attachments": removed},
        )
    # Files go after the commit: a rolled-back purge must not have lost them.
    for stored in files:
        try:
            stored.storage.delete(stored.name)
        except OSError as exc:
            logger.warning("could not delete %s: %s", stored.name, exc)
            report.missing_files.append(stored.name)

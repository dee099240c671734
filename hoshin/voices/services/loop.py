"""Closing the loop: tell writers when an action linked to their voice gets a published result.

Connected (VoicesConfig.ready) to ``hoshin.evaluations.signals.sheets_published``, sent whenever
sheets become published (``sheet_transition`` to published and ``sheets_publish``), and called by
``notify_voice_writers`` as a catch-up pass (a mail server that was down, a plan published after its sheets).

A writer is told when they asked for it (``notify_results``), gave an e-mail address that the
retention job has not deleted yet, and the sheet is visible on the portal
(``EvaluationSheet.objects.published()``) and was published on or after the day the voice was
received: results older than the letter are not news to its writer. One e-mail per voice and
sheet, ever: the VoiceNotification row and the e-mail are written in one transaction, so a
failed send leaves no row and the next pass tries again.
"""

import logging
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from hoshin.audit.services import audit_record
from hoshin.evaluations.models import EvaluationSheet
from hoshin.lib.city import city_name, mail_subject_tag
from hoshin.lib.fiscal import format_fiscal_year
from hoshin.queue.services import enqueue
from hoshin.voices.models import CitizenVoice, VoiceNotification, VoiceWriter
from hoshin.voices.services.replies import personal_data_viewed

logger = logging.getLogger(__name__)


@dataclass
class Notice:
    voice: CitizenVoice
    sheet: EvaluationSheet

    @property
    def action_url(self) -> str:
        return settings.HOSHIN_BASE_URL.rstrip("/") + self.sheet.action.get_absolute_url()


@dataclass
class LoopReport:
    dry_run: bool
    sent: list[Notice] = field(default_factory=list)  # would be sent, in a dry run
    failed: list[tuple[Notice, str]] = field(default_factory=list)


def notices_due(*, sheet_ids: Iterable[int] | None = None) -> list[Notice]:
    """(voice, sheet) pairs whose writer should be told and has not been told yet."""
    sheets = (
        EvaluationSheet.objects.published()
        .filter(action__isnull=False, action__voices__notify_results=True)
        .select_related("action", "cycle__plan", "department")
        .distinct()
    )
    if sheet_ids is not None:
        sheets = sheets.filter(pk__in=list(sheet_ids))
    notices = []
    for sheet in sheets:
        if sheet.published_at is None:
            continue
        voices = (
            CitizenVoice.objects.filter(
                actions=sheet.action_id,
                notify_results=True,
                personal_data_deleted_at__isnull=True,
                writer__email__gt="",
                received_on__lte=timezone.localdate(sheet.published_at),
            )
            .exclude(notifications__sheet=sheet)
            .select_related("writer")
            .order_by("fy", "number")
        )
        notices += [Notice(voice=voice, sheet=sheet) for voice in voices]
    return notices


def notice_message(notice: Notice) -> EmailMultiAlternatives:
    """The e-mail (templates/voices/email/results_published_*.txt)."""
    sheet = notice.sheet
    context = {
        "voice": notice.voice,
        "writer": notice.voice.writer,
        "sheet": sheet,
        "action": sheet.action,
        "plan": sheet.cycle.plan,
        "fy_label": format_fiscal_year(sheet.cycle.fy),
        "action_url": notice.action_url,
        "city_name": city_name(),
        "subject_tag": mail_subject_tag(),
    }
    subject = render_to_string("voices/email/results_published_subject.txt", context)
    body = render_to_string("voices/email/results_published_body.txt", context)
    return EmailMultiAlternatives(
        subject=" ".join(subject.split()), body=body, to=[notice.voice.writer.email]
    )


def voices_notify_results(
    *, sheet_ids: Iterable[int] | None = None, dry_run: bool = False
) -> LoopReport:
    """Send the e-mails due (for ``sheet_ids``, or for every published sheet)."""
    report = LoopReport(dry_run=dry_run)
    for notice in notices_due(sheet_ids=sheet_ids):
        if dry_run:
            report.sent.append(notice)
            continue
        try:
            with transaction.atomic():
                VoiceNotification.objects.create(voice=notice.voice, sheet=notice.sheet)
                personal_data_viewed(
                    voice=notice.voice, by=None, purpose="評価結果公表の通知メール（自動）"
                )
                notice_message(notice).send()
        except IntegrityError:
            continue  # another pass told this writer a moment ago
        except (smtplib.SMTPException, OSError, VoiceWriter.DoesNotExist) as exc:
            logger.warning("results notice for %s failed: %s", notice.voice.receipt_number, exc)
            report.failed.append((notice, str(exc)))
        else:
            report.sent.append(notice)
    if report.sent and not dry_run:
        audit_record(
            actor=None,
            verb="voices.notify_results",
            summary=f"評価結果の公表を市民の声の投稿者 {len(report.sent)} 人に通知",
            data={"voices": [n.voice.receipt_number for n in report.sent]},
        )
    return report


def on_sheets_published(sender=None, *, sheet_ids: Iterable[int], **kwargs) -> None:
    """Receiver of ``sheets_published``: queue the e-mails (sent once the publication commits)."""
    from hoshin.voices.tasks import notify_results  # tasks.py imports this module

    ids = list(sheet_ids)
    if ids:
        enqueue(notify_results, ids)

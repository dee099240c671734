"""Reminder e-mails about voices: one digest a day to each person holding overdue or soon-due ones.

The same approach as hoshin.evaluations.services.reminders: who holds a voice depends on where
it waits —

- no lead department yet (received) → the public-hearing office;
- a reply in draft, or none yet → the lead department's editors;
- a reply submitted → the lead department's heads;
- a reply approved by the department, or approved and waiting to be sent → the public-hearing
  office;
- a reply waiting for the mayor's decision → the mayor's office.

A role on a 部 covers its 課 and 係. "Soon" is ``settings.HOSHIN_REMINDER_DAYS_BEFORE`` days.
A VoiceReminderLog row per person and day makes a second run on the same day send nothing;
the row and the e-mail are written together, so a failed send leaves no row (the sending, the
digest and the report are shared with the sheets' reminders: hoshin.lib.digests).
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from hoshin.audit.services import audit_record
from hoshin.lib.city import city_name
from hoshin.lib.digests import (
    Digest,
    DigestReport,
    DueDates,
    absolute_url,
    digest_send,
    render_email,
)
from hoshin.lib.fiscal import format_date
from hoshin.org.models import Department, Role, RoleAssignment, User
from hoshin.voices.models import CitizenVoice, ReplyStage, VoiceReminderLog, VoiceStatus

logger = logging.getLogger(__name__)

TODO = {
    "route": "担当課を決めてください（振り分け）",
    "draft": "回答を作成して所属長に提出してください",
    "approve_department": "回答案を確認して承認してください（所属長）",
    "approve_office": "回答案を確認して承認してください（広聴担当）",
    "approve_mayor": "回答案の決裁をお願いします（市長公室）",
    "send": "承認済みの回答を送付してください",
}


@dataclass
class VoiceItem(DueDates):
    voice: CitizenVoice
    today: datetime.date
    step: str

    @property
    def due(self) -> datetime.date:
        return self.voice.reply_due

    @property
    def todo(self) -> str:
        return TODO[self.step]

    @property
    def department_label(self) -> str:
        department = self.voice.lead_department
        return department.name if department else "（未定）"

    @property
    def url(self) -> str:
        return absolute_url(reverse("voices_staff:detail", args=[self.voice.pk]))


def voices_due(*, today: datetime.date, days_before: int):
    """Open voices whose reply-by date is past or within ``days_before`` days."""
    limit = today + datetime.timedelta(days=days_before)
    return (
        CitizenVoice.objects.filter(
            status__in=VoiceStatus.open(), reply_due__isnull=False, reply_due__lte=limit
        )
        .select_related("lead_department", "reply")
        .order_by("reply_due", "fy", "number")
    )


def waiting_step(voice: CitizenVoice) -> str:
    """Whose move it is on ``voice`` (a key of TODO)."""
    if voice.lead_department_id is None:
        return "route"
    reply = getattr(voice, "reply", None)
    stage = reply.stage if reply is not None else ReplyStage.DRAFT
    return {
        ReplyStage.DRAFT: "draft",
        ReplyStage.SUBMITTED: "approve_department",
        ReplyStage.DEPARTMENT_APPROVED: "approve_office",
        ReplyStage.OFFICE_APPROVED: "approve_mayor",
        ReplyStage.APPROVED: "send",
    }.get(stage, "send")


class _Holders:
    """Who holds a voice, from all role assignments read once (not a query per voice)."""

    def __init__(self):
        self.parents = dict(Department.objects.values_list("pk", "parent_id"))
        self.by_role: dict[tuple[str, int | None], list[User]] = defaultdict(list)
        assignments = RoleAssignment.objects.filter(
            role__in=[
                Role.DEPARTMENT_EDITOR,
                Role.DEPARTMENT_HEAD,
                Role.PUBLIC_HEARING,
                Role.MAYOR_OFFICE,
            ],
            user__is_active=True,
        ).select_related("user")
        for assignment in assignments:
            self.by_role[(assignment.role, assignment.department_id)].append(assignment.user)

    def _in_department(self, role: str, department_id: int) -> list[User]:
        users, seen = [], set()
        while department_id is not None and department_id not in seen:
            seen.add(department_id)
            users += self.by_role.get((role, department_id), [])
            department_id = self.parents.get(department_id)
        return users

    def _citywide(self, role: str) -> list[User]:
        return [user for (r, _d), users in self.by_role.items() if r == role for user in users]

    def of(self, voice: CitizenVoice, step: str) -> list[User]:
        if step in ("route", "approve_office", "send"):
            users = self._citywide(Role.PUBLIC_HEARING)
        elif step == "approve_mayor":
            users = self._citywide(Role.MAYOR_OFFICE)
        elif step == "approve_department":
            users = self._in_department(Role.DEPARTMENT_HEAD, voice.lead_department_id)
        else:
            users = self._in_department(Role.DEPARTMENT_EDITOR, voice.lead_department_id)
        return list({user.pk: user for user in users}.values())


def voice_reminder_digests(
    *, today: datetime.date, days_before: int
) -> tuple[list[Digest[VoiceItem]], list[VoiceItem]]:
    """Each holder's digest, and the voices nobody holds (no one in the needed role)."""
    holders = _Holders()
    digests: dict[int, Digest[VoiceItem]] = {}
    unassigned = []
    for voice in voices_due(today=today, days_before=days_before):
        item = VoiceItem(voice=voice, today=today, step=waiting_step(voice))
        users = holders.of(voice, item.step)
        if not users:
            unassigned.append(item)
        for user in users:
            digests.setdefault(user.pk, Digest[VoiceItem](user=user)).items.append(item)
    return sorted(digests.values(), key=lambda d: d.user.username), unassigned


def voice_reminder_message(
    *, digest: Digest[VoiceItem], today: datetime.date
) -> EmailMultiAlternatives:
    """The digest as an e-mail (templates/voices/email/reminder_*.txt). No personal details."""
    context = {
        "user": digest.user,
        "digest": digest,
        "today_label": format_date(today),
        "list_url": absolute_url(reverse("voices_staff:overdue")),
        "city_name": city_name(),
    }
    return render_email("voices/email/reminder", context, digest.user.email, html=False)


def voice_reminders_send(*, today: datetime.date, dry_run: bool = False) -> DigestReport[VoiceItem]:
    """Send today's digests (one per person per day); ``dry_run`` only says who would get what."""
    report = digest_send(
        today=today,
        dry_run=dry_run,
        collect=voice_reminder_digests,
        log_model=VoiceReminderLog,
        log_fields=lambda digest: {"voice_count": digest.count},
        message=lambda digest: voice_reminder_message(digest=digest, today=today),
        logger=logger,
        label="voice reminder",
    )
    if report.sent and not dry_run:
        audit_record(
            actor=None,
            verb="voices.reminders",
            summary=f"{today} の市民の声の督促メールを {len(report.sent)} 通送信",
            data={"sent": [d.user.username for d in report.sent]},
        )
    return report

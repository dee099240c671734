"""Reminder e-mails: one digest a day to each person holding an overdue or soon-due sheet.

Who holds a sheet depends on its stage: draft or returned → the department's editors,
submitted → its heads, approved → the planning office. Sheets with no department (全庁 …)
are the planning office's at every stage. A role on a 部 covers its 課 and 係, as everywhere
in hoshin (``selectors.access``).

"Soon" is ``settings.HOSHIN_REMINDER_DAYS_BEFORE`` days (3 unless configured). A ReminderLog
row per person and day makes a second run on the same day send nothing; the row and the
e-mail are written together, so a failed send leaves no row and the next run tries again.

The digest, the report and the once-a-day sending are shared with the voices' reminders
(hoshin.lib.digests); this module says who holds which sheet and what the e-mail says.
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hoshin.audit.services import audit_record
from hoshin.evaluations.models import EvaluationSheet, ReminderLog, Stage
from hoshin.lib.city import city_name
from hoshin.lib.digests import (
    Digest,
    DigestReport,
    DueDates,
    absolute_url,
    digest_send,
    render_email,
)
from hoshin.lib.fiscal import format_date, format_fiscal_year
from hoshin.org.models import Department, Role, RoleAssignment, User, department_order

logger = logging.getLogger(__name__)

EDITING = (Stage.DRAFT, Stage.RETURNED)
# What the holder of a sheet in each stage has to do, for the e-mail.
TODO = {
    Stage.DRAFT: gettext_lazy("入力して提出してください"),
    Stage.RETURNED: gettext_lazy("差し戻された内容を直して提出してください"),
    Stage.SUBMITTED: gettext_lazy("内容を確認して承認（一次評価）してください"),
    Stage.APPROVED: gettext_lazy("二次評価を行ってください"),
}


@dataclass
class ReminderItem(DueDates):
    """One sheet in a digest."""

    sheet: EvaluationSheet
    due: datetime.date
    today: datetime.date

    @property
    def fy_label(self) -> str:
        return format_fiscal_year(self.sheet.cycle.fy, western=False)

    @property
    def department_label(self) -> str:
        department = self.sheet.department
        return department.name if department else _("担当課なし（企画担当）")

    @property
    def todo(self) -> str:
        return TODO.get(self.sheet.stage, "")

    @property
    def url(self) -> str:
        return absolute_url(reverse("evaluations:sheet", args=[self.sheet.pk]))


def sheets_due(*, today: datetime.date, days_before: int):
    """Sheets still waiting in a stage whose due date is past or within ``days_before`` days."""
    limit = today + datetime.timedelta(days=days_before)
    waiting = (
        Q(stage__in=EDITING, cycle__submit_due__lte=limit)
        | Q(stage=Stage.SUBMITTED, cycle__approve_due__lte=limit)
        | Q(stage=Stage.APPROVED, cycle__review_due__lte=limit)
    )
    return (
        EvaluationSheet.objects.filter(waiting)
        .select_related("cycle__plan", "department", "action", "node")
        .order_by("cycle__plan__name", "cycle__fy", *department_order("department__"), "pk")
    )


class _Holders:
    """Who holds a sheet, from all role assignments read once (not a query per sheet)."""

    def __init__(self):
        self.parents = dict(Department.objects.values_list("pk", "parent_id"))
        self.by_role: dict[tuple[str, int | None], list[User]] = defaultdict(list)
        assignments = RoleAssignment.objects.filter(
            role__in=[Role.DEPARTMENT_EDITOR, Role.DEPARTMENT_HEAD, Role.PLANNING_OFFICE],
            user__is_active=True,
        ).select_related("user")
        for assignment in assignments:
            self.by_role[(assignment.role, assignment.department_id)].append(assignment.user)

    def _in_department(self, role: str, department_id: int) -> list[User]:
        """Holders of ``role`` for the department or any unit above it (部 covers its 課)."""
        users, seen = [], set()
        while department_id is not None and department_id not in seen:
            seen.add(department_id)
            users += self.by_role.get((role, department_id), [])
            department_id = self.parents.get(department_id)
        return users

    def of(self, sheet: EvaluationSheet) -> list[User]:
        if sheet.department_id is None or sheet.stage == Stage.APPROVED:
            users = self.by_role.get((Role.PLANNING_OFFICE, None), [])
        elif sheet.stage in EDITING:
            users = self._in_department(Role.DEPARTMENT_EDITOR, sheet.department_id)
        else:
            users = self._in_department(Role.DEPARTMENT_HEAD, sheet.department_id)
        return list({user.pk: user for user in users}.values())


def reminder_digests(
    *, today: datetime.date, days_before: int
) -> tuple[list[Digest[ReminderItem]], list[ReminderItem]]:
    """Each holder's digest, and the sheets that nobody holds (no editor or head registered)."""
    holders = _Holders()
    digests: dict[int, Digest[ReminderItem]] = {}
    unassigned = []
    for sheet in sheets_due(today=today, days_before=days_before):
        item = ReminderItem(sheet=sheet, due=sheet.cycle.due_for(sheet.stage), today=today)
        users = holders.of(sheet)
        if not users:
            unassigned.append(item)
        for user in users:
            digests.setdefault(user.pk, Digest[ReminderItem](user=user)).items.append(item)
    for digest in digests.values():
        digest.items.sort(key=lambda item: (item.due, item.sheet.pk))
    ordered = sorted(digests.values(), key=lambda digest: digest.user.username)
    return ordered, unassigned


def reminder_message(
    *, digest: Digest[ReminderItem], today: datetime.date
) -> EmailMultiAlternatives:
    """The digest as an e-mail: subject, text and HTML bodies from templates/evaluations/email."""
    context = {
        "user": digest.user,
        "digest": digest,
        "today": today,
        "today_label": format_date(today),
        "tasks_url": absolute_url(reverse("backoffice:tasks")),
        "city_name": city_name(),
    }
    return render_email("evaluations/email/reminder", context, digest.user.email, html=True)


def reminders_send(*, today: datetime.date, dry_run: bool = False) -> DigestReport[ReminderItem]:
    """Send today's digests (one per person per day); with ``dry_run`` only say who would get what."""
    report = digest_send(
        today=today,
        dry_run=dry_run,
        collect=reminder_digests,
        log_model=ReminderLog,
        log_fields=lambda digest: {"sheet_count": digest.count},
        message=lambda digest: reminder_message(digest=digest, today=today),
        logger=logger,
        label="reminder",
    )
    if report.sent and not dry_run:
        audit_record(
            actor=None,
            verb="reminders.send",
            summary=f"{today} の督促メールを {len(report.sent)} 通送信",
            data={
                "sent": [d.user.username for d in report.sent],
                "no_email": [d.user.username for d in report.no_email],
                "failed": [d.user.username for d, _error in report.failed],
            },
        )
    return report

"""One pass of the reminder e-mails: a digest to each holder of an overdue or soon-due sheet.

    manage.py send_reminders [--dry-run] [--today YYYY-MM-DD]

Safe to run more than once a day: a person gets at most one digest per day (ReminderLog).
``--dry-run`` prints who would get what and sends and records nothing. Run daily by
``run_scheduler`` or by the systemd timer in deploy/systemd (see docs/scheduled-jobs.md).
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from hoshin.evaluations.services.reminders import ReminderItem, reminders_send
from hoshin.lib.digests import add_digest_arguments, write_digest_report


class Command(BaseCommand):
    help = "期限が近い・期限を過ぎた評価シートの督促メールを送ります（1人1日1通）。"

    def add_arguments(self, parser):
        add_digest_arguments(parser)

    def handle(self, *args, dry_run, today, **options):
        if today:
            try:
                day = datetime.date.fromisoformat(today)
            except ValueError:
                raise CommandError(f"--today は YYYY-MM-DD で指定してください: {today}") from None
        else:
            day = timezone.localdate()
        report = reminders_send(today=day, dry_run=dry_run)
        write_digest_report(
            self,
            report,
            title=f"{day} の督促",
            line=_line,
            unassigned="担当者（役割）が登録されていないシート",
        )


def _line(item: ReminderItem) -> str:
    state = f"{item.days_over}日超過" if item.overdue else f"あと{item.days_left}日"
    return (
        f"[{'期限超過' if item.overdue else '期限間近'}] {item.sheet.cycle.plan.name} "
        f"{item.fy_label} {item.sheet.subject}（{item.department_label}）"
        f" {item.sheet.get_stage_display()} 期限 {item.due}（{state}）"
    )

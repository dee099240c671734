"""One pass of the voice reminder e-mails (services/reminders.py).

    manage.py send_voice_reminders [--dry-run] [--today YYYY-MM-DD]

A digest to each person holding an open voice whose reply-by date is past or near. At most one
digest per person and day (VoiceReminderLog); ``--dry-run`` prints who would get what and
sends nothing. Run daily by ``run_scheduler`` (docs/scheduled-jobs.md).
"""

from django.core.management.base import BaseCommand

from hoshin.lib.digests import add_digest_arguments, write_digest_report
from hoshin.voices.management.commands.purge_personal_data import _day
from hoshin.voices.services.reminders import VoiceItem, voice_reminders_send


class Command(BaseCommand):
    help = "回答期限が近い・過ぎた市民の声の督促メールを送ります（1人1日1通）。"

    def add_arguments(self, parser):
        add_digest_arguments(parser)

    def handle(self, *args, dry_run, today, **options):
        day = _day(today)
        report = voice_reminders_send(today=day, dry_run=dry_run)
        write_digest_report(
            self,
            report,
            title=f"{day} の市民の声の督促",
            line=_line,
            unassigned="担当者（役割）が登録されていない声",
        )


def _line(item: VoiceItem) -> str:
    state = f"{item.days_over}日超過" if item.overdue else f"あと{item.days_left}日"
    return (
        f"[{'期限超過' if item.overdue else '期限間近'}] {item.voice.receipt_number}"
        f"（{item.department_label}）{item.todo} 期限 {item.due}（{state}）"
    )

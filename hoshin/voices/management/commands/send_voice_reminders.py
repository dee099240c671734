"""One pass of the voice reminder e-mails (services/reminders.py).

    manage.py send_voice_reminders [--dry-run] [--today YYYY-MM-DD]

A digest to each person holding an open voice whose reply-by date is past or near. At most one
digest per person and day (VoiceReminderLog); ``--dry-run`` prints who would get what and
sends nothing. Run daily by ``run_scheduler`` (docs/scheduled-jobs.md).
"""

from django.core.management.base import BaseCommand, CommandError

from hoshin.voices.management.commands.purge_personal_data import _day
from hoshin.voices.services.reminders import VoiceItem, voice_reminders_send


class Command(BaseCommand):
    help = "回答期限が近い・過ぎた市民の声の督促メールを送ります（1人1日1通）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="送信せず、誰に何が届くかを表示するだけ"
        )
        parser.add_argument("--today", help="基準日（YYYY-MM-DD、省略時は今日）")

    def handle(self, *args, dry_run, today, **options):
        day = _day(today)
        report = voice_reminders_send(today=day, dry_run=dry_run)
        verb = "送信予定" if dry_run else "送信"
        self.stdout.write(
            f"{day} の市民の声の督促（期限の{report.days_before}日前から）"
            + ("【確認のみ: メールは送信していません】" if dry_run else "")
        )
        for digest in report.sent:
            self.stdout.write(
                f"{verb}: {digest.user.username} <{digest.user.email}> "
                f"期限超過 {len(digest.overdue)} 件・期限間近 {len(digest.due_soon)} 件"
            )
            for item in digest.items:
                self.stdout.write("  " + _line(item))
        for digest in report.already_sent:
            self.stdout.write(f"本日送信済み: {digest.user.username}（{digest.count} 件）")
        for digest in report.no_email:
            self.stdout.write(
                self.style.WARNING(
                    f"メールアドレス未登録のため送れません: {digest.user.username}"
                    f"（{digest.count} 件）"
                )
            )
        for digest, error in report.failed:
            self.stdout.write(self.style.ERROR(f"送信失敗: {digest.user.username}: {error}"))
        for item in report.unassigned:
            self.stdout.write(
                self.style.WARNING(f"担当者（役割）が登録されていない声: {_line(item)}")
            )
        self.stdout.write(
            f"{verb} {len(report.sent)} 通、本日送信済み {len(report.already_sent)} 人、"
            f"アドレスなし {len(report.no_email)} 人、失敗 {len(report.failed)} 人、"
            f"担当者なし {len(report.unassigned)} 件"
        )
        if report.failed:
            raise CommandError(f"{len(report.failed)} 人への送信に失敗しました。")


def _line(item: VoiceItem) -> str:
    state = f"{item.days_over}日超過" if item.overdue else f"あと{item.days_left}日"
    return (
        f"[{'期限超過' if item.overdue else '期限間近'}] {item.voice.receipt_number}"
        f"（{item.department_label}）{item.todo} 期限 {item.due}（{state}）"
    )

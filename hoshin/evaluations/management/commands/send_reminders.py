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


class Command(BaseCommand):
    help = "期限が近い・期限を過ぎた評価シートの督促メールを送ります（1人1日1通）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="送信せず、誰に何が届くかを表示するだけ"
        )
        parser.add_argument("--today", help="基準日（YYYY-MM-DD、省略時は今日）")

    def handle(self, *args, dry_run, today, **options):
        if today:
            try:
                day = datetime.date.fromisoformat(today)
            except ValueError:
                raise CommandError(f"--today は YYYY-MM-DD で指定してください: {today}") from None
        else:
            day = timezone.localdate()
        report = reminders_send(today=day, dry_run=dry_run)
        verb = "送信予定" if dry_run else "送信"
        self.stdout.write(
            f"{day} の督促（期限の{report.days_before}日前から）"
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
                self.style.WARNING(f"担当者（役割）が登録されていないシート: {_line(item)}")
            )
        self.stdout.write(
            f"{verb} {len(report.sent)} 通、本日送信済み {len(report.already_sent)} 人、"
            f"アドレスなし {len(report.no_email)} 人、失敗 {len(report.failed)} 人、"
            f"担当者なし {len(report.unassigned)} 件"
        )
        if report.failed:
            raise CommandError(f"{len(report.failed)} 人への送信に失敗しました。")


def _line(item: ReminderItem) -> str:
    state = f"{item.days_over}日超過" if item.overdue else f"あと{item.days_left}日"
    return (
        f"[{'期限超過' if item.overdue else '期限間近'}] {item.sheet.cycle.plan.name} "
        f"{item.fy_label} {item.sheet.subject}（{item.department_label}）"
        f" {item.sheet.get_stage_display()} 期限 {item.due}（{state}）"
    )

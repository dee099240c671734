"""Catch-up pass of closing the loop (services/loop.py).

    manage.py notify_voice_writers [--dry-run]

E-mails writers who asked to be told about results, for every published sheet of an action
linked to their voice that they have not been told about (one e-mail per voice and sheet,
ever). Publishing sheets already does this after each commit; this pass catches what a mail
server outage or a plan published after its sheets left behind. Run daily by run_scheduler.
"""

from django.core.management.base import BaseCommand, CommandError

from hoshin.voices.services.loop import voices_notify_results


class Command(BaseCommand):
    help = (
        "関連する取組の評価結果が公表されたことを、希望した市民の声の投稿者にメールで知らせます。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="送信せず、対象を表示するだけ")

    def handle(self, *args, dry_run, **options):
        report = voices_notify_results(dry_run=dry_run)
        verb = "送信予定" if dry_run else "送信"
        for notice in report.sent:
            self.stdout.write(
                f"{verb}: {notice.voice.receipt_number} → {notice.sheet} ({notice.action_url})"
            )
        for notice, error in report.failed:
            self.stdout.write(self.style.ERROR(f"送信失敗: {notice.voice.receipt_number}: {error}"))
        self.stdout.write(f"{verb} {len(report.sent)} 通、失敗 {len(report.failed)} 通")
        if report.failed:
            raise CommandError(f"{len(report.failed)} 通の送信に失敗しました。")

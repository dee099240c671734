"""Delete writers' personal details once the retention period has passed (services/retention.py).

    manage.py purge_personal_data [--dry-run] [--today YYYY-MM-DD]

Deletes the VoiceWriter rows and attachments of voices that ended (answered, closed, forwarded)
more than HOSHIN_PERSONAL_DATA_RETENTION_YEARS years ago and masks personal details in their
text; the voices, their anonymous fields and the statistics stay. ``--dry-run`` lists what would
go and changes nothing. Safe to repeat: a purged voice is never due again. Run daily by
``run_scheduler`` (docs/scheduled-jobs.md).
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from hoshin.voices.services.retention import personal_data_purge


class Command(BaseCommand):
    help = "保存期間を過ぎた市民の声の個人情報（氏名・連絡先・添付ファイル）を削除します。"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="削除せず、対象を表示するだけ")
        parser.add_argument("--today", help="基準日（YYYY-MM-DD、省略時は今日）")

    def handle(self, *args, dry_run, today, **options):
        day = _day(today)
        report = personal_data_purge(today=day, dry_run=dry_run)
        verb = "削除予定" if dry_run else "削除"
        self.stdout.write(
            f"{day} の基準で {report.cutoff} より前に対応を終えた市民の声が対象"
            + ("【確認のみ: 何も削除していません】" if dry_run else "")
        )
        for voice in report.voices:
            self.stdout.write(f"{verb}: {voice.receipt_number}（{voice.get_status_display()}）")
        for name in report.missing_files:
            self.stdout.write(self.style.WARNING(f"ファイルを削除できませんでした: {name}"))
        self.stdout.write(
            f"{verb} {len(report.voices)} 件（投稿者情報 {report.writers} 件、"
            f"添付ファイル {report.attachments} 件）"
        )


def _day(text: str | None) -> datetime.date:
    if not text:
        return timezone.localdate()
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--today は YYYY-MM-DD で指定してください: {text}") from None

"""``manage.py backup --output DIR [--tar] [--keep N]``: a backup that restores.

Writes ``DIR/hoshin-YYYYMMDD-HHMMSS`` (or ``.tar``): a consistent copy of the database, the
uploaded files, a manifest with every file's size and SHA-256, its checksum and signature.
See ``hoshin.jobs.backups.services`` and docs/deploy.md ("Backups").
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hoshin.jobs.backups.archive import BackupError
from hoshin.jobs.backups.services import backup_create


class Command(BaseCommand):
    help = (
        "データベースとアップロードファイルのバックアップを DIR の中に新しく作ります"
        "（既存のバックアップは上書きしません）。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", required=True, type=Path, help="バックアップを置くフォルダー"
        )
        parser.add_argument(
            "--tar", action="store_true", help="フォルダーではなく1つの .tar ファイルにする"
        )
        parser.add_argument(
            "--keep",
            type=int,
            help="作成後、フォルダー内の新しいものからこの数だけ残し、古いバックアップを消す",
        )

    def handle(self, *args, output, tar, keep, **options):
        if keep is not None and keep < 1:
            raise CommandError("--keep は1以上にしてください。")
        try:
            result = backup_create(output=output, as_tar=tar, keep=keep)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        manifest = result.manifest
        tables = manifest["tables"]
        self.stdout.write(f"バックアップを作成しました: {result.path}")
        self.stdout.write(
            f"  データベース: {manifest['database']['vendor']}、テーブル {len(tables)} 個、"
            f"{sum(table['rows'] for table in tables.values()):,} 行"
        )
        self.stdout.write(
            f"  アップロードファイル: {manifest['media']['files']} 個、"
            f"{manifest['media']['bytes']:,} バイト"
        )
        for name in result.vanished:
            self.stdout.write(f"  作成中に削除されたため含めていないファイル: {name}")
        for path in result.pruned:
            self.stdout.write(f"  古いバックアップを削除しました: {path}")

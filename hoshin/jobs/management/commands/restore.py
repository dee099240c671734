"""``manage.py restore PATH [--check] [--ignore-signature]``: restore a backup.

Refuses, touching nothing, a backup that is truncated, edited, incomplete or has extra files,
one of another database vendor or of a newer hoshin, and any target database that is not
empty. ``--check`` runs every check and stops there. See docs/deploy.md ("Restore drill").
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hoshin.jobs.backups.archive import BackupError
from hoshin.jobs.backups.services import backup_check, backup_restore


class Command(BaseCommand):
    help = (
        "backup で作ったバックアップ（フォルダーまたは .tar）を、空のデータベースに復元します。"
        "すべてのチェックサムを先に確かめ、問題があれば何も変更せずに止まります。"
    )
    # The checks must not open (and so create) the target database before the backup is
    # known to be sound.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="バックアップのフォルダーまたは .tar")
        parser.add_argument(
            "--check",
            action="store_true",
            help="復元はせず、バックアップと復元先を確かめるだけにする",
        )
        parser.add_argument(
            "--ignore-signature",
            action="store_true",
            help="manifest の署名（SECRET_KEY による）を確かめない。作成元が確かなときだけ",
        )

    def handle(self, *args, path, check, ignore_signature, **options):
        try:
            if check:
                plan = backup_check(path, check_signature=not ignore_signature)
            else:
                result = backup_restore(path, check_signature=not ignore_signature)
                plan = result.plan
        except BackupError as exc:
            raise CommandError(f"復元できません: {exc}") from None
        manifest = plan.manifest
        made_by = " ".join(
            str(part)
            for part in ("hoshin", manifest.get("hoshin_version"), manifest.get("git_revision"))
            if part
        )
        self.stdout.write(f"バックアップ: {path}（{manifest['created_at']} 作成、{made_by}）")
        if check:
            self.stdout.write(
                f"確認しました。問題はありません: ファイル {len(manifest['files'])} 個、"
                f"うち書き込むもの {len(plan.to_write)} 個。データベースは空です。"
            )
        else:
            self.stdout.write(
                f"復元しました: テーブル {result.tables} 個、{result.rows:,} 行"
                "（すべてのテーブルの行数と内容のハッシュが記録と一致）、"
                f"ファイル {len(plan.to_write)} 個（同じものが既にあった {len(plan.already_there)} 個を除く）。"
            )
        if plan.pending_migrations:
            self.stdout.write(
                f"このバックアップには未適用の移行が {len(plan.pending_migrations)} 件あります。"
                "復元後に manage.py migrate を実行してください: "
                + "、".join(plan.pending_migrations[:10])
            )

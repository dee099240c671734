"""Apply a filled-in sheet workbook (XLSX) or JSON file, as a member of staff.

    manage.py import_sheets FILE --user USERNAME [--dry-run]

The format follows the file name (.xlsx / .json). The file is checked as a whole first: every
change is listed field by field, every error with its tab, row and column (or JSON path). Any
error and nothing is saved; otherwise every sheet is saved in one transaction, through the same
service and permission rules as the sheet form (history source "xlsx" / "json").
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hoshin.evaluations.bulk import BulkFormatError, Preview, read_upload
from hoshin.evaluations.bulk.readers import check_upload_size
from hoshin.evaluations.services.bulk import BulkApplyError, upload_apply
from hoshin.org.models import User


class Command(BaseCommand):
    help = "評価シートの XLSX・JSON ファイルを取り込みます（誤りが1つでもあれば何も変更しません）。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="取り込むファイル（.xlsx または .json）")
        parser.add_argument(
            "--user", required=True, help="取り込む職員のユーザー名（その権限で更新）"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="変更内容を表示するだけで何も変更しない"
        )

    def handle(self, *args, file, user, dry_run, **options):
        path = Path(file)
        staff = User.objects.filter(username=user, is_active=True).first()
        if staff is None:
            raise CommandError(f"ユーザー「{user}」はいません（または無効です）。")
        data = self._read(path)
        try:
            preview = read_upload(data, path.name, user=staff)
        except BulkFormatError as exc:
            raise CommandError(f"{path}: {exc}") from None
        self._print(preview)
        if preview.errors:
            raise CommandError(self._errors_text(path, preview.errors))
        if dry_run:
            self.stdout.write("ドライラン: データベースは変更していません。")
            return
        try:
            result = upload_apply(preview=preview, by=staff)
        except BulkApplyError as exc:
            raise CommandError(self._errors_text(path, exc.errors)) from None
        self.stdout.write(f"評価シート {result.sheets} 件（{result.fields} 項目）を更新しました。")

    def _read(self, path: Path) -> bytes:
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise CommandError(f"{path}: ファイルを開けません（{exc.strerror}）。") from None
        if not path.is_file():
            raise CommandError(f"{path}: ファイルではありません。")
        try:
            check_upload_size(size)  # before reading it into memory
        except BulkFormatError as exc:
            raise CommandError(f"{path}: {exc}") from None
        return path.read_bytes()

    def _print(self, preview: Preview) -> None:
        out = self.stdout.write
        if preview.plan is not None:
            out(
                f"{preview.plan.name} {preview.fy_label}（{preview.department_name or '全部署'}）"
                f" 書き出し {preview.exported_at or '不明'}"
            )
        for item in preview.sheets:
            out(f"{item.label}（第{item.expected_version}版）")
            for change in item.changes:
                out(f"  {change.label} [{change.where}]: {change.old} → {change.new}")
        for warning in preview.warnings:
            out(f"注意: {warning}")
        if not preview.errors:
            out(
                f"変更: シート {len(preview.sheets)} 件、{preview.field_count} 項目"
                f"（変更なし {preview.unchanged_count} 件）"
            )

    def _errors_text(self, path: Path, errors) -> str:
        lines = "\n".join(f"  {error}" for error in errors)
        return f"{path}: 取り込めません（{len(errors)}件）。何も変更していません。\n{lines}"

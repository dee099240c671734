"""Export a plan as JSON, CSV or XLSX (the formats import_plan reads back).

    manage.py export_plan --plan NAME --format json|csv|xlsx [--output FILE]
                          [--encoding utf-8-sig|cp932]

Without --output the file goes to standard output.
"""

import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hoshin.lib.spreadsheets import CSV_ENCODINGS, UTF8_BOM
from hoshin.plans.exporters import EXPORTERS, PlanExportError, export_csv
from hoshin.plans.models import Plan
from hoshin.plans.selectors import plan_to_parsed


class Command(BaseCommand):
    help = "計画を JSON・CSV・XLSX で書き出します（import_plan で読み戻せます）。"

    def add_arguments(self, parser):
        parser.add_argument("--plan", required=True, help="計画名")
        parser.add_argument("--format", dest="format_name", required=True, choices=list(EXPORTERS))
        parser.add_argument("--output", help="書き出すファイル（省略時は標準出力）")
        parser.add_argument(
            "--encoding",
            choices=CSV_ENCODINGS,
            help="CSV の文字コード（既定: utf-8-sig = UTF-8 BOM付き。cp932 = Shift_JIS）",
        )

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except BrokenPipeError:
            # Output piped into `head` or `less` that quit early: not an error worth a traceback.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise SystemExit(1) from None

    def handle(self, *args, plan, format_name, output, encoding, **options):
        try:
            plan_obj = Plan.objects.get(name=plan)
        except Plan.DoesNotExist:
            names = list(Plan.objects.order_by("name").values_list("name", flat=True))
            listed = "\n".join(f"  {name}" for name in names) or "  （計画がありません）"
            raise CommandError(
                f"計画「{plan}」はありません。登録されている計画:\n{listed}"
            ) from None
        if encoding and format_name != "csv":
            raise CommandError("--encoding は --format csv のときだけ指定できます。")

        parsed = plan_to_parsed(plan=plan_obj)
        try:
            if format_name == "csv":
                data = export_csv(parsed, encoding=encoding or UTF8_BOM)
            else:
                data = EXPORTERS[format_name](parsed)
        except PlanExportError as exc:
            raise CommandError(f"計画「{plan}」を {format_name} で書き出せません: {exc}") from None

        if output:
            try:
                Path(output).write_bytes(data)
            except OSError as exc:
                raise CommandError(f"{output}: 書き込めません（{exc.strerror}）。") from None
            self.stdout.write(
                f"計画「{plan}」を {output} に書き出しました（{len(data):,} バイト）。"
            )
            return
        self._write_stdout(data, format_name)

    def _write_stdout(self, data: bytes, format_name: str) -> None:
        stream = getattr(self.stdout, "_out", sys.stdout)
        binary = getattr(stream, "buffer", None)
        if binary is not None:
            stream.flush()
            binary.write(data)
            binary.flush()
        elif format_name == "json":
            # A text stream (call_command(stdout=StringIO())): JSON is UTF-8 text.
            stream.write(data.decode("utf-8"))
        else:
            raise CommandError(
                f"{format_name} はバイナリなので --output でファイルを指定してください。"
            )

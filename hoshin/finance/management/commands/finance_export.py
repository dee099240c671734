"""Export a finance table in its template, ready to edit and import again.

    manage.py finance_export TABLE OUTPUT [--encoding utf-8-sig|cp932] [--plan NAME]

OUTPUT ending in .xlsx gives a workbook, anything else a CSV (UTF-8 with BOM unless
--encoding cp932; a character CP932 cannot hold stops the export naming its cell).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hoshin.finance.management.commands.finance_import import plan_named
from hoshin.finance.tables.registry import TEMPLATES
from hoshin.lib.spreadsheets import CSV_ENCODINGS, CsvEncodingError


class Command(BaseCommand):
    help = "財政の表を様式（CSV・XLSX）で書き出します。"

    def add_arguments(self, parser):
        parser.add_argument("table", choices=sorted(TEMPLATES), help="様式の名前")
        parser.add_argument("output", help="書き出すファイル（.csv または .xlsx）")
        parser.add_argument("--encoding", choices=CSV_ENCODINGS, default=CSV_ENCODINGS[0])
        parser.add_argument("--plan", help="計画名（effects のとき）")

    def handle(self, *args, table, output, encoding, plan, **options):
        template = TEMPLATES[table]
        path = Path(output)
        extra = {"plan": plan_named(plan)} if template.per_plan else {}
        xlsx = path.suffix.lower() == ".xlsx"
        try:
            data = template.export(encoding=None if xlsx else encoding, **extra)
        except CsvEncodingError as exc:
            raise CommandError(str(exc)) from None
        path.write_bytes(data)
        self.stdout.write(f"{template.label}: {path} に書き出しました。")

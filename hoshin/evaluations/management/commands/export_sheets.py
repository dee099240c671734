"""Write a plan's evaluation sheets of one year as one XLSX workbook or JSON file.

    manage.py export_sheets --plan NAME --fy YEAR [--department NAME] --format xlsx|json
                            --output FILE

YEAR is 2025, 2025年度, 令和7年度 or R7. Without --department every department's sheets are
written (the planning office's file). The layout is documented in docs/sheet-workbook.md;
import_sheets reads the file back.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hoshin.evaluations.bulk import BulkExportError, export_json, export_workbook
from hoshin.lib.fiscal import FiscalYearError, format_fiscal_year, parse_fiscal_year
from hoshin.org.selectors import departments_match
from hoshin.plans.models import Plan

WRITERS = {"xlsx": export_workbook, "json": export_json}


class Command(BaseCommand):
    help = "計画の評価シート（1年度分）を XLSX または JSON で書き出します（import_sheets で取り込めます）。"

    def add_arguments(self, parser):
        parser.add_argument("--plan", required=True, help="計画名")
        parser.add_argument("--fy", required=True, help="年度（例: 2025、令和7年度、R7）")
        parser.add_argument(
            "--department", help="部署名（例: 財政課、総務部総務課）。省略時は全部署"
        )
        parser.add_argument("--format", dest="format_name", required=True, choices=list(WRITERS))
        parser.add_argument("--output", required=True, help="書き出すファイル")

    def handle(self, *args, plan, fy, department, format_name, output, **options):
        plan_obj = Plan.objects.filter(name=plan).first()
        if plan_obj is None:
            names = "\n".join(
                f"  {n}" for n in Plan.objects.order_by("name").values_list("name", flat=True)
            )
            raise CommandError(
                f"計画「{plan}」はありません。登録されている計画:\n{names or '  （なし）'}"
            )
        try:
            year = parse_fiscal_year(fy)
        except FiscalYearError as exc:
            raise CommandError(f"--fy: {exc}") from None
        department_obj = None
        if department:
            match = departments_match(labels=[department], fy=year)
            if department in match.ambiguous:
                names = "、".join(d.full_name for d in match.ambiguous[department])
                raise CommandError(
                    f"部署「{department}」が複数あります（{names}）。上位組織から書いてください。"
                )
            department_obj = match.found.get(department)
            if department_obj is None:
                raise CommandError(
                    f"部署「{department}」は{format_fiscal_year(year)}にありません。"
                )
        try:
            data = WRITERS[format_name](plan=plan_obj, fy=year, department=department_obj)
        except BulkExportError as exc:
            raise CommandError(str(exc)) from None
        try:
            Path(output).write_bytes(data)
        except OSError as exc:
            raise CommandError(f"{output}: 書き込めません（{exc.strerror}）。") from None
        who = department_obj.name if department_obj else "全部署"
        self.stdout.write(
            f"{plan_obj.name} {format_fiscal_year(year)}（{who}）の評価シートを {output} に"
            f"書き出しました（{len(data):,} バイト）。"
        )

"""Import a finance template (CSV in UTF-8/BOM/CP932, or XLSX).

    manage.py finance_import TABLE FILE [--plan NAME]

TABLE is one of ``hoshin.finance.tables.registry.TEMPLATES`` (soundness, settlement,
settlement_lines, funds, bonds, outlook, effects — effects needs --plan). All or nothing: the
first bad cell is reported with its place and the database is left as it was.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hoshin.finance.errors import FinanceError
from hoshin.finance.tables.registry import TEMPLATES
from hoshin.plans.models import Plan


class Command(BaseCommand):
    help = "財政の様式（CSV・XLSX）を取り込みます。"

    def add_arguments(self, parser):
        parser.add_argument("table", choices=sorted(TEMPLATES), help="様式の名前")
        parser.add_argument("file", help="取り込むファイル（.csv または .xlsx）")
        parser.add_argument("--plan", help="計画名（effects のとき）")

    def handle(self, *args, table, file, plan, **options):
        template = TEMPLATES[table]
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from None
        extra = {"plan": plan_named(plan)} if template.per_plan else {}
        try:
            template.load(data=data, filename=path.name, by=None, **extra)
        except FinanceError as exc:
            raise CommandError(f"{path.name}: {exc}") from None
        self.stdout.write(f"{template.label}: {path.name} を取り込みました。")


def plan_named(name: str | None) -> Plan:
    """The plan an effects template belongs to (CommandError when not given or not found)."""
    if not name:
        raise CommandError("effects には --plan で計画名を指定してください。")
    found = Plan.objects.filter(name=name.strip()).first()
    if found is None:
        raise CommandError(f"計画「{name}」はありません。")
    return found

"""Open a plan's evaluation year: a sheet for every action, carried over from the year before.

    manage.py start_fiscal_year --plan NAME --fy YEAR [--user USERNAME]

YEAR is ``2026``, ``2026年度``, ``令和8年度`` or ``R8``. The same service as the back office's
「年度を開始する」 (``services.cycle.fiscal_year_start``): a year can be opened once, at most one
year ahead, and only within the plan's period.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from hoshin.evaluations.services.cycle import fiscal_year_start
from hoshin.lib.fiscal import FiscalYearError, format_fiscal_year, parse_fiscal_year
from hoshin.org.models import User
from hoshin.plans.models import Plan


class Command(BaseCommand):
    help = "計画の評価年度を開始し、すべての取組の評価シートを作成します（前年度から引き継ぎ）。"

    def add_arguments(self, parser):
        parser.add_argument("--plan", required=True, help="計画名")
        parser.add_argument("--fy", required=True, help="年度（例: 2026、令和8年度、R8）")
        parser.add_argument("--user", help="開始した職員として記録するユーザー名（省略可）")

    def handle(self, *args, plan, fy, user, **options):
        try:
            year = parse_fiscal_year(fy)
        except FiscalYearError as exc:
            raise CommandError(str(exc)) from None
        target = Plan.objects.filter(name=plan.strip()).first()
        if target is None:
            names = "、".join(Plan.objects.order_by("name").values_list("name", flat=True))
            raise CommandError(
                f"計画「{plan}」はありません。登録されている計画: {names or '（なし）'}"
            )
        by = None
        if user:
            by = User.objects.filter(username=user).first()
            if by is None:
                raise CommandError(f"ユーザー「{user}」はいません。")
        try:
            opened = fiscal_year_start(plan=target, fy=year, by=by)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        except PermissionDenied as exc:
            raise CommandError(f"{exc}（--user に企画担当の職員を指定してください）") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"{target.name} の{format_fiscal_year(year)}を開始しました: "
                f"シート {opened.sheets} 件（うち前年度から引き継ぎ {opened.carried_over} 件、"
                f"新規 {opened.sheets - opened.carried_over} 件）"
            )
        )
        self.stdout.write(
            "次に、評価年度の管理画面（/staff/cycles/）で段階ごとの期限を設定してください。"
        )

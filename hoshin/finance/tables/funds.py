"""The fund template (基金): one row per fund and year.

| 基金名 | 年度 | 期首残高（千円） | 積立額（千円） | 取崩し額（千円） | 年度末残高（千円） |

期首残高 is filled on the fund's first recorded year only (it starts the chain of balances); a
row with neither 積立額 nor 取崩し額 records no movement. 年度末残高 is written on export and,
when filled in an upload, checked against the balance the rows give (a typo shows there).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from hoshin.finance.models import Fund
from hoshin.finance.selectors import fund_balances
from hoshin.finance.tables.reading import Row, TableError, read_rows
from hoshin.finance.tables.writing import table_csv, table_xlsx
from hoshin.lib.numbers import format_amount

# A file format, not UI text (see soundness.py).
SHEET = "基金"
TITLES = (
    "基金名",
    "年度",
    "期首残高（千円）",
    "積立額（千円）",
    "取崩し額（千円）",
    "年度末残高（千円）",
)
THOUSAND_YEN = ("千円",)


def _rows():
    for fund in Fund.objects.prefetch_related("years"):
        recorded = {year.fy for year in fund.years.all()}
        balances = fund_balances(fund=fund)
        if not balances:
            yield (
                [
                    fund.name,
                    fund.opening_fy,
                    fund.opening_balance,
                    None,
                    None,
                    fund.opening_balance,
                ],
                fund.name,
            )
        for row in balances:
            moved = row.fy in recorded
            yield (
                [
                    fund.name,
                    row.fy,
                    fund.opening_balance if row.fy == fund.opening_fy else None,
                    row.deposits if moved else None,
                    row.withdrawals if moved else None,
                    row.closing,
                ],
                f"{fund.name} {row.fy}",
            )


def funds_export(*, encoding: str | None = None) -> bytes:
    """Every fund and year: CSV in ``encoding``, or XLSX when ``encoding`` is None."""
    if encoding is None:
        return table_xlsx(sheet=SHEET, titles=TITLES, rows=_rows())
    return table_csv(titles=TITLES, rows=_rows(), encoding=encoding)


@dataclass
class ParsedFund:
    name: str
    opening_fy: int
    opening_balance: Decimal
    movements: dict[int, tuple[Decimal, Decimal]] = field(default_factory=dict)
    where: dict[int, str] = field(default_factory=dict)  # year → row, for refusals


def _amount(row: Row, column: int) -> Decimal | None:
    figure = row.figure(column, TITLES[column], units=THOUSAND_YEN)
    if figure.value is not None and figure.value < 0:
        raise TableError(
            _("%(where)s: 0以上で入力してください（取崩しは取崩し額の列に）。")
            % {"where": row.where(column, TITLES[column])}
        )
    return None if figure.is_dash else figure.value


def funds_parse(data: bytes, filename: str) -> list[ParsedFund]:
    """The funds of an upload with their movements; ``TableError`` naming the first bad cell
    (a 年度末残高 that does not follow from the rows above it included)."""
    funds: dict[str, ParsedFund] = {}
    for row in read_rows(data, filename, titles=TITLES, sheet=SHEET):
        name = row.text(0)
        if not name:
            raise TableError(
                _("%(where)s: 基金名を入力してください。") % {"where": row.where(0, TITLES[0])}
            )
        fy = row.fiscal_year(1, TITLES[1])
        opening = _amount(row, 2)
        fund = funds.get(name)
        if fund is None:
            if opening is None:
                raise TableError(
                    _("%(where)s: 基金の最初の行には期首残高を入力してください。")
                    % {"where": row.where(2, TITLES[2])}
                )
            fund = funds[name] = ParsedFund(name=name, opening_fy=fy, opening_balance=opening)
        elif opening is not None:
            raise TableError(
                _("%(where)s: 期首残高は基金の最初の行にだけ入力します。")
                % {"where": row.where(2, TITLES[2])}
            )
        if fy < fund.opening_fy or fy in fund.where:
            raise TableError(
                _("%(where)s: 年度は基金ごとに古い順に、1行ずつ並べてください。")
                % {"where": row.where(1, TITLES[1])}
            )
        fund.where[fy] = row.label
        deposits, withdrawals = _amount(row, 3), _amount(row, 4)
        if deposits is not None or withdrawals is not None:
            fund.movements[fy] = (deposits or Decimal(0), withdrawals or Decimal(0))
        stated = _amount(row, 5)
        if stated is not None:
            balance = fund.opening_balance + sum(
                (d - w for year, (d, w) in fund.movements.items() if year <= fy), Decimal(0)
            )
            if stated != balance:
                raise TableError(
                    _("%(where)s: 年度末残高は上の行から計算すると%(balance)s千円です。")
                    % {"where": row.where(5, TITLES[5]), "balance": format_amount(balance)}
                )
    return list(funds.values())

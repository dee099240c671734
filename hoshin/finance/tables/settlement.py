"""The settlement templates (決算): the indicators (one row per year) and the breakdowns of
revenue by source and expenditure by purpose and type (one row per line and year).

決算の指標: | 年度 | 状態 | 財政力指数 | 経常収支比率（%） | 実質収支比率（%） | 標準財政規模（千円） | 人口 | 人口の基準日 |
決算の内訳: | 年度 | 区分 | コード | 名称 | 金額（千円） |

An empty cell is a figure not (yet) published; amounts in 千円.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from hoshin.finance.models import ReportStatus, SettlementLine, SettlementTable, SettlementYear
from hoshin.finance.services.ratios import LineEntry
from hoshin.finance.tables.reading import Row, TableError, read_rows
from hoshin.finance.tables.writing import table_csv, table_xlsx

# File formats, not UI text (see soundness.py).
YEAR_SHEET = "決算の指標"
YEAR_TITLES = (
    "年度",
    "状態",
    "財政力指数",
    "経常収支比率（%）",
    "実質収支比率（%）",
    "標準財政規模（千円）",
    "人口",
    "人口の基準日",
)
LINE_SHEET = "決算の内訳"
LINE_TITLES = ("年度", "区分", "コード", "名称", "金額（千円）")
PERCENT = ("%", "％")


def _year_rows():
    for year in SettlementYear.objects.order_by("fy"):
        cells = [
            year.fy,
            str(year.get_status_display()),
            year.fiscal_capability_index,
            year.current_balance_ratio,
            year.real_balance_ratio,
            year.standard_fiscal_scale,
            year.population,
            year.population_on,
        ]
        yield cells, str(year)


def _line_rows():
    lines = SettlementLine.objects.select_related("settlement").order_by(
        "settlement__fy", "table", "position"
    )
    for line in lines:
        cells = [
            line.settlement.fy,
            str(line.get_table_display()),
            line.code,
            line.label,
            line.amount,
        ]
        yield cells, f"{line.settlement} {line.label}"


def settlement_years_export(*, encoding: str | None = None) -> bytes:
    """Every year's indicators: CSV in ``encoding``, or XLSX when ``encoding`` is None."""
    if encoding is None:
        return table_xlsx(sheet=YEAR_SHEET, titles=YEAR_TITLES, rows=_year_rows())
    return table_csv(titles=YEAR_TITLES, rows=_year_rows(), encoding=encoding)


def settlement_lines_export(*, encoding: str | None = None) -> bytes:
    """Every year's breakdown lines: CSV in ``encoding``, or XLSX when ``encoding`` is None."""
    if encoding is None:
        return table_xlsx(sheet=LINE_SHEET, titles=LINE_TITLES, rows=_line_rows())
    return table_csv(titles=LINE_TITLES, rows=_line_rows(), encoding=encoding)


def _optional(row: Row, column: int, title: str, *, units=()) -> Decimal | None:
    figure = row.figure(column, title, units=units)
    if figure.is_dash:
        return None  # "－" for an indicator not computed that year: stored as not published
    return figure.value


def settlement_years_parse(data: bytes, filename: str) -> list[dict]:
    """The years of an indicators upload as ``settlement_save`` arguments; ``TableError``
    naming the first bad cell."""
    parsed, seen = [], set()
    for row in read_rows(data, filename, titles=YEAR_TITLES, sheet=YEAR_SHEET):
        fy = row.fiscal_year(0, YEAR_TITLES[0])
        if fy in seen:
            raise TableError(
                _("%(where)s: 同じ年度の行が2つあります。")
                % {"where": row.where(0, YEAR_TITLES[0])}
            )
        seen.add(fy)
        population = row.whole(6, YEAR_TITLES[6], units=("人",)) if row.text(6) else None
        parsed.append(
            {
                "fy": fy,
                "status": row.choice(1, YEAR_TITLES[1], ReportStatus.choices),
                "fiscal_capability_index": _optional(row, 2, YEAR_TITLES[2]),
                "current_balance_ratio": _optional(row, 3, YEAR_TITLES[3], units=PERCENT),
                "real_balance_ratio": _optional(row, 4, YEAR_TITLES[4], units=PERCENT),
                "standard_fiscal_scale": _optional(row, 5, YEAR_TITLES[5], units=("千円",)),
                "population": population,
                "population_on": row.date(7, YEAR_TITLES[7]) if row.text(7) else None,
                "where": row.label,
            }
        )
    return parsed


@dataclass
class ParsedLines:
    fy: int
    tables: dict[str, list[LineEntry]] = field(default_factory=dict)


def settlement_lines_parse(data: bytes, filename: str) -> list[ParsedLines]:
    """The lines of a breakdown upload grouped by year and table, in file order."""
    years: dict[int, ParsedLines] = {}
    for row in read_rows(data, filename, titles=LINE_TITLES, sheet=LINE_SHEET):
        fy = row.fiscal_year(0, LINE_TITLES[0])
        table = row.choice(1, LINE_TITLES[1], SettlementTable.choices)
        code, label = row.text(2), row.text(3)
        if not code or not label:
            column = 2 if not code else 3
            raise TableError(
                _("%(where)s: 入力してください。")
                % {"where": row.where(column, LINE_TITLES[column])}
            )
        lines = years.setdefault(fy, ParsedLines(fy)).tables.setdefault(table, [])
        if any(line.code == code for line in lines):
            raise TableError(
                _("%(where)s: コード「%(code)s」が同じ年度・区分に2つあります。")
                % {"where": row.where(2, LINE_TITLES[2]), "code": code}
            )
        amount = _optional(row, 4, LINE_TITLES[4], units=("千円",))
        if amount is not None and amount < 0:
            raise TableError(
                _("%(where)s: 金額は0以上です。") % {"where": row.where(4, LINE_TITLES[4])}
            )
        lines.append(LineEntry(code=code, label=label, amount=amount))
    return sorted(years.values(), key=lambda year: year.fy)

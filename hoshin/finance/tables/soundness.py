"""The soundness-ratio template (健全化判断比率): one row per ratio and year.

| 年度 | 比率 | 公営企業会計 | 比率（%） | 早期健全化基準（%） | 財政再生基準（%） | 状態 |

年度 accepts every form ``parse_fiscal_year`` does (2024, 令和6年度, R6); 比率 is the ratio's
Japanese name; 比率（%） is a number, "－" (no deficit / negative) or empty (missing), kept
as three different things; 資金不足比率 rows name their 公営企業会計 and put the 経営健全化基準
in 早期健全化基準; 状態 is 速報値 or 確定値, the same on every row of a year.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from hoshin.finance.errors import FinanceError
from hoshin.finance.models import RatioKind, ReportStatus, SoundnessRatio
from hoshin.finance.services.ratios import RatioEntry, ratio_entry_check
from hoshin.finance.tables.reading import Row, TableError, read_rows
from hoshin.finance.tables.writing import table_csv, table_xlsx
from hoshin.lib.numbers import NONE

# The template's sheet name and column titles are a file format, not UI text: they stay Japanese in
# every language so that a file exported on an English page imports anywhere.
SHEET = "健全化判断比率"
TITLES = (
    "年度",
    "比率",
    "公営企業会計",
    "比率（%）",
    "早期健全化基準（%）",
    "財政再生基準（%）",
    "状態",
)
PERCENT = ("%", "％")


def _cells(ratio: SoundnessRatio) -> list:
    value = NONE if ratio.no_deficit else ratio.value
    return [
        ratio.report.fy,
        str(ratio.get_kind_display()),
        ratio.enterprise_account,
        value,
        ratio.early_threshold,
        ratio.rehabilitation_threshold,
        str(ratio.report.get_status_display()),
    ]


def _ratios():
    return SoundnessRatio.objects.select_related("report").order_by(
        "report__fy", "position", "enterprise_account"
    )


def _rows():
    return ((_cells(ratio), str(ratio)) for ratio in _ratios())


def soundness_export(*, encoding: str | None = None) -> bytes:
    """Every stored ratio in the template: CSV in ``encoding``, or XLSX when ``encoding`` is None."""
    if encoding is None:
        return table_xlsx(sheet=SHEET, titles=TITLES, rows=_rows())
    return table_csv(titles=TITLES, rows=_rows(), encoding=encoding)


@dataclass
class ParsedYear:
    fy: int
    status: str
    entries: list[RatioEntry] = field(default_factory=list)


def soundness_parse(data: bytes, filename: str) -> list[ParsedYear]:
    """The years of an upload with their ratios; ``TableError`` naming the first bad cell."""
    kinds = {str(label): value for value, label in RatioKind.choices}
    statuses = {str(label): value for value, label in ReportStatus.choices}
    years: dict[int, ParsedYear] = {}
    seen: set[tuple[int, str, str]] = set()
    for row in read_rows(data, filename, titles=TITLES, sheet=SHEET):
        fy = row.fiscal_year(0, TITLES[0])
        kind = kinds.get(row.text(1))
        if kind is None:
            raise TableError(
                _("%(where)s: 「%(text)s」は比率の名称にありません（%(names)s）。")
                % {"where": row.where(1, TITLES[1]), "text": row.text(1), "names": "、".join(kinds)}
            )
        status = statuses.get(row.text(6))
        if status is None:
            raise TableError(
                _("%(where)s: 状態は「速報値」か「確定値」です。")
                % {"where": row.where(6, TITLES[6])}
            )
        year = years.setdefault(fy, ParsedYear(fy=fy, status=status))
        if year.status != status:
            raise TableError(
                _("%(where)s: 同じ年度の行で状態が異なります。")
                % {"where": row.where(6, TITLES[6])}
            )
        account = row.text(2)
        if (fy, kind, account) in seen:
            raise TableError(
                _("%(where)s: 同じ比率の行が2つあります。") % {"where": row.where(1, TITLES[1])}
            )
        seen.add((fy, kind, account))
        value = row.figure(3, TITLES[3], units=PERCENT)
        entry = RatioEntry(
            kind=kind,
            value=value.value,
            no_deficit=value.is_dash,
            early_threshold=_threshold(row, 4),
            rehabilitation_threshold=_threshold(row, 5),
            enterprise_account=account,
        )
        try:
            ratio_entry_check(entry)
        except FinanceError as exc:
            raise TableError(f"{row.where(1, TITLES[1])}: {exc}") from None
        year.entries.append(entry)
    return sorted(years.values(), key=lambda year: year.fy)


def _threshold(row: Row, column: int) -> Decimal | None:
    figure = row.figure(column, TITLES[column], units=PERCENT)
    if figure.is_dash:
        return None  # a published "－" threshold (none applies) is stored as no threshold
    return figure.value

"""The outlook template (中期財政見通し): one row per line and year of a version (long format,
because each version covers different years).

| 策定年度 | 表題 | 見通しの開始年度 | 見通しの終了年度 | 区分 | コード | 項目 | 年度 | 金額（千円） |

The first four columns repeat on every row of a version and must agree; 区分 is 歳入, 歳出,
基金残高（財源不足を補てんした後） or 地方債残高; lines keep the order of their first row.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from hoshin.finance.models import OutlookFigure, OutlookSection
from hoshin.finance.services.outlook import OutlookLine
from hoshin.finance.tables.reading import TableError, read_rows
from hoshin.finance.tables.writing import table_csv, table_xlsx

# A file format, not UI text (see soundness.py).
SHEET = "中期財政見通し"
TITLES = (
    "策定年度",
    "表題",
    "見通しの開始年度",
    "見通しの終了年度",
    "区分",
    "コード",
    "項目",
    "年度",
    "金額（千円）",
)


def _rows():
    figures = OutlookFigure.objects.select_related("outlook").order_by(
        "outlook__fy", "position", "fy"
    )
    for figure in figures:
        outlook = figure.outlook
        cells = [
            outlook.fy,
            outlook.title,
            outlook.first_fy,
            outlook.last_fy,
            str(figure.get_section_display()),
            figure.code,
            figure.label,
            figure.fy,
            figure.amount,
        ]
        yield cells, f"{outlook} {figure}"


def outlook_export(*, encoding: str | None = None) -> bytes:
    """Every version of the outlook: CSV in ``encoding``, or XLSX when ``encoding`` is None."""
    if encoding is None:
        return table_xlsx(sheet=SHEET, titles=TITLES, rows=_rows())
    return table_csv(titles=TITLES, rows=_rows(), encoding=encoding)


@dataclass
class ParsedOutlook:
    fy: int
    title: str
    first_fy: int
    last_fy: int
    lines: dict[tuple[str, str], OutlookLine] = field(default_factory=dict)
    where: str = ""


def outlook_parse(data: bytes, filename: str) -> list[ParsedOutlook]:
    """The versions of an upload with their lines; ``TableError`` naming the first bad cell."""
    versions: dict[int, ParsedOutlook] = {}
    for row in read_rows(data, filename, titles=TITLES, sheet=SHEET):
        fy = row.fiscal_year(0, TITLES[0])
        head = (row.text(1), row.fiscal_year(2, TITLES[2]), row.fiscal_year(3, TITLES[3]))
        version = versions.setdefault(fy, ParsedOutlook(fy, *head, where=row.label))
        if head != (version.title, version.first_fy, version.last_fy):
            raise TableError(
                _("%(where)s: 同じ策定年度の行で表題・期間が異なります。")
                % {"where": row.where(1, TITLES[1])}
            )
        section = row.choice(4, TITLES[4], OutlookSection.choices)
        code, label = row.text(5), row.text(6)
        if not code or not label:
            column = 5 if not code else 6
            raise TableError(
                _("%(where)s: 入力してください。") % {"where": row.where(column, TITLES[column])}
            )
        line = version.lines.setdefault(
            (section, code), OutlookLine(section=section, code=code, label=label, amounts={})
        )
        year = row.fiscal_year(7, TITLES[7])
        if line.label != label or year in line.amounts:
            raise TableError(
                _("%(where)s: 同じコードの項目名が異なるか、同じ年度が2行あります。")
                % {"where": row.where(5, TITLES[5])}
            )
        figure = row.figure(8, TITLES[8], units=("千円",))
        line.amounts[year] = None if figure.is_dash else figure.value
    return sorted(versions.values(), key=lambda version: version.fy)

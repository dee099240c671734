"""The dashboard's tables: figures formatted as cities print them, with their drill-down links.

Numbers: 千円 with commas and △ for negatives, rates in % with one decimal, differences
signed (+1,200 / △1,200, +5.0pt), "no data" as －. Each table is plain data (caption, column
groups, rows of cells) that ``templates/evaluations/dashboard/_table.html`` renders with a
caption and header scopes.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from hoshin.evaluations.models import EvaluationCycle, Stage
from hoshin.evaluations.selectors.dashboard import (
    BY_DEPARTMENT,
    BY_NODE,
    DIRECT,
    STAGES,
    Dashboard,
    Figures,
    Row,
)
from hoshin.lib.fiscal import format_fiscal_year
from hoshin.lib.numbers import NONE, format_rate
from hoshin.lib.numbers import format_amount as format_money

BLANK = "-"  # GET value meaning "not entered" (a grade or direction left empty)
OTHER = "*"  # GET value meaning "a code the template no longer has"

# --- number formats --------------------------------------------------------------------------


def format_count(value: int | None) -> str:
    return NONE if value is None else f"{value:,}"


def _signed(value, text: str) -> str:
    if value > 0:
        return "+" + text
    if value < 0:
        return "△" + text
    return text


def format_count_diff(current: int | None, previous: int | None) -> str:
    if current is None or previous is None:
        return NONE
    diff = current - previous
    return _signed(diff, f"{abs(diff):,}")


def format_money_diff(current, previous) -> str:
    if current is None or previous is None:
        return NONE
    diff = Decimal(current - previous).quantize(Decimal(1))
    return _signed(diff, f"{abs(diff):,}")


def format_rate_diff(current: float | None, previous: float | None) -> str:
    """The change of a rate in percentage points (``+5.0pt``, ``△5.0pt``)."""
    if current is None or previous is None:
        return NONE
    diff = round((current - previous) * 100, 1)
    return _signed(diff, f"{abs(diff):,.1f}pt")


# --- tables ----------------------------------------------------------------------------------


@dataclass
class Cell:
    text: str
    href: str = ""
    describe: str = ""  # read by screen readers after the link text, e.g. "件（財政課 作成中）"
    strong: bool = False


@dataclass
class Group:
    label: str  # "" = columns without a group heading
    columns: list[str]


@dataclass
class TableRow:
    label: str
    detail: str = ""
    href: str = ""  # drill into the row's children (a plan node)
    cells: list[Cell] = field(default_factory=list)


@dataclass
class Table:
    id: str
    caption: str
    corner: str  # heading of the row-header column
    groups: list[Group]
    rows: list[TableRow]
    total: TableRow | None = None
    note: str = ""

    @property
    def has_groups(self) -> bool:
        return any(group.label for group in self.groups)

    @property
    def width(self) -> int:
        return 1 + sum(len(group.columns) for group in self.groups)


class Links:
    """URLs behind the figures of one dashboard: the sheet list, or our drill-down table."""

    def __init__(self, board: Dashboard):
        self.board = board
        self.base = {"plan": board.plan.pk, "fy": board.fy}

    def _row_filter(self, row: Row | None) -> dict | None:
        """The GET parameters that select a row's sheets (None: the row cannot be listed)."""
        board = self.board
        if row is None:  # the total row
            return {"node": board.node.pk} if board.node is not None else {}
        if board.by == BY_NODE:
            if row.key == DIRECT:
                return {"node": board.node.pk, "direct": 1} if board.node is not None else None
            return {"node": row.key}
        return {"department": row.key if row.key is not None else "none"}

    def sheets(self, row: Row | None, **filters) -> str:
        """Our drill-down table of the sheets behind a figure."""
        scope = self._row_filter(row)
        if scope is None:
            return ""
        query = {**self.base, **scope, **filters}
        return reverse("evaluations:dashboard_sheets") + "?" + urlencode(query)

    def stage(self, row: Row | None, stage: str) -> str:
        """A stage count: the staff sheet list filtered by plan, year, department and stage."""
        board = self.board
        if board.by == BY_DEPARTMENT and (row is None or row.key is not None):
            query = {**self.base, "stage": stage}
            if row is not None:
                query["department"] = row.key
            return reverse("evaluations:sheets") + "?" + urlencode(query)
        return self.sheets(row, stage=stage)

    def drill(self, row: Row) -> str:
        """Into a node's children."""
        if self.board.by != BY_NODE or not row.has_children:
            return ""
        query = {**self.base, "by": BY_NODE, "node": row.key}
        return reverse("evaluations:dashboard") + "?" + urlencode(query)


def _describe(row: Row | None, what: str) -> str:
    return _("件（%(row)s %(what)s）") % {"row": row.label if row else _("合計"), "what": what}


def _count_cell(value: int, href: str, row: Row | None, what: str) -> Cell:
    if not value:
        return Cell("0")
    return Cell(format_count(value), href=href, describe=_describe(row, what))


def _stage_table(board: Dashboard, links: Links, corner: str) -> Table:
    columns = [_("件数"), *[Stage(s).label for s in STAGES], _("期限超過")]

    def cells(row: Row | None, figures: Figures) -> list[Cell]:
        result = [_count_cell(figures.sheets, links.sheets(row), row, _("全件"))]
        for stage in STAGES:
            count = figures.stages.get(stage, 0)
            result.append(_count_cell(count, links.stage(row, stage), row, Stage(stage).label))
        overdue = _count_cell(figures.overdue, links.sheets(row, overdue=1), row, _("期限超過"))
        overdue.strong = bool(figures.overdue)
        result.append(overdue)
        return result

    return Table(
        id="stages",
        caption=_("段階別の件数と期限超過"),
        corner=corner,
        groups=[Group("", columns)],
        rows=[_table_row(board, links, row, cells(row, row.current)) for row in board.rows],
        total=TableRow(_("合計"), cells=cells(None, board.total.current)),
        note=_due_note(board.cycle, board.today),
    )


def _distribution(
    name: str, param: str, items: list[dict], board: Dashboard, has_other: bool
) -> tuple[list[str], Callable]:
    """Columns and a cell builder for one scale (grades, directions …) with 未入力 and その他."""
    columns = [item["label"] for item in items]
    if has_other:
        columns.append(_("その他"))
    columns.append(_("未入力"))

    def cells(links: Links, row: Row | None, figures: Figures) -> list[Cell]:
        counts = getattr(figures, name)
        result = [
            _count_cell(
                counts.get(item["code"], 0),
                links.sheets(row, **{param: item["code"]}),
                row,
                item["label"],
            )
            for item in items
        ]
        if has_other:
            other = counts.get("", 0)
            result.append(_count_cell(other, links.sheets(row, **{param: OTHER}), row, _("その他")))
        blank = figures.sheets - sum(counts.values())
        result.append(_count_cell(blank, links.sheets(row, **{param: BLANK}), row, _("未入力")))
        return result

    return columns, cells


def _results_table(board: Dashboard, links: Links, corner: str) -> Table | None:
    scales = board.scales
    parts = []
    if "viewpoints" in scales.blocks:
        parts.append(
            (
                _("総合評価"),
                _distribution("grades", "grade", scales.grades, board, board.has_other_grades),
            )
        )
        parts.append(
            (
                _("今後の方向性"),
                _distribution(
                    "directions",
                    "direction",
                    scales.directions,
                    board,
                    board.has_other_directions,
                ),
            )
        )
    if "progress" in scales.blocks:
        parts.append(
            (
                _("進捗評価"),
                _distribution(
                    "progress_grades",
                    "progress_grade",
                    scales.progress_grades,
                    board,
                    board.has_other_progress_grades,
                ),
            )
        )
    if not parts:
        return None

    def cells(row: Row | None, figures: Figures) -> list[Cell]:
        return [cell for _label, (_cols, build) in parts for cell in build(links, row, figures)]

    return Table(
        id="results",
        caption=_("評価結果の分布"),
        corner=corner,
        groups=[Group(label, columns) for label, (columns, _build) in parts],
        rows=[_table_row(board, links, row, cells(row, row.current)) for row in board.rows],
        total=TableRow(_("合計"), cells=cells(None, board.total.current)),
    )


def _outcome_table(board: Dashboard, links: Links, corner: str) -> Table:
    columns = [
        _("平均進捗率"),
        _("算定した指標数"),
        _("事業費"),
        _("人件費"),
        _("総コスト"),
        _("効果額（歳出削減）"),
        _("効果額（歳入確保）"),
    ]

    def cells(figures: Figures) -> list[Cell]:
        return [
            Cell(format_rate(figures.mean_progress)),
            Cell(format_count(figures.rated_indicators)),
            Cell(format_money(figures.project_cost)),
            Cell(format_money(figures.staff_cost)),
            Cell(format_money(figures.total_cost), strong=True),
            Cell(format_money(figures.effect_savings)),
            Cell(format_money(figures.effect_revenue)),
        ]

    if board.unit_cost is None:
        unit = _("%(fy)sの人件費単価が未設定のため、人件費は算出できません（－）。") % {
            "fy": format_fiscal_year(board.fy)
        }
    else:
        unit = _("人件費は人工×人件費単価（%(amount)s千円／人）で算出しています。") % {
            "amount": format_money(board.unit_cost)
        }
    note = " ".join(
        [
            _(
                "金額の単位は千円、決算（見込）の値です。平均進捗率は指標ごとの"
                "（実績値−基準値）÷（目標値−基準値）の平均で、目標値が基準値と同じ指標や"
                "値が未入力の指標は含みません。"
            ),
            unit,
        ]
    )
    return Table(
        id="outcomes",
        caption=_("成果とコスト（%(fy)s）") % {"fy": format_fiscal_year(board.fy)},
        corner=corner,
        groups=[
            Group(_("進捗"), columns[:2]),
            Group(_("コスト（千円）"), columns[2:5]),
            Group(_("効果額（千円）"), columns[5:]),
        ],
        rows=[_table_row(board, links, row, cells(row.current)) for row in board.rows],
        total=TableRow(_("合計"), cells=cells(board.total.current)),
        note=note,
    )


def _comparison_table(board: Dashboard, links: Links, corner: str) -> Table:
    this_year = format_fiscal_year(board.fy, western=False)
    last_year = format_fiscal_year(board.fy - 1, western=False)
    sub = [this_year, last_year, _("増減")]
    groups = [
        Group(_("件数"), sub),
        Group(_("平均進捗率"), sub),
        Group(_("総コスト（千円）"), sub),
        Group(_("効果額合計（千円）"), sub),
    ]

    def cells(current: Figures, previous: Figures | None) -> list[Cell]:
        p = previous
        return [
            Cell(format_count(current.sheets)),
            Cell(format_count(p.sheets if p else None)),
            Cell(format_count_diff(current.sheets, p.sheets if p else None)),
            Cell(format_rate(current.mean_progress)),
            Cell(format_rate(p.mean_progress if p else None)),
            Cell(format_rate_diff(current.mean_progress, p.mean_progress if p else None)),
            Cell(format_money(current.total_cost)),
            Cell(format_money(p.total_cost if p else None)),
            Cell(format_money_diff(current.total_cost, p.total_cost if p else None)),
            Cell(format_money(current.effect_total)),
            Cell(format_money(p.effect_total if p else None)),
            Cell(format_money_diff(current.effect_total, p.effect_total if p else None)),
        ]

    if board.previous_cycle is None:
        note = _("%(fy)sの評価は行われていないため、前年度の値は「－」です。") % {
            "fy": format_fiscal_year(board.fy - 1)
        }
    else:
        note = _(
            "前年度の値は前年度のシートの担当課・節で集計しています（組織改編前の部署は別の行になります）。"
        )
    return Table(
        id="comparison",
        caption=_("前年度との比較（%(this)s／%(last)s）") % {"this": this_year, "last": last_year},
        corner=corner,
        groups=groups,
        rows=[
            _table_row(board, links, row, cells(row.current, row.previous)) for row in board.rows
        ],
        total=TableRow(_("合計"), cells=cells(board.total.current, board.total.previous)),
        note=note,
    )


def _table_row(board: Dashboard, links: Links, row: Row, cells: list[Cell]) -> TableRow:
    return TableRow(label=row.label, detail=row.detail, href=links.drill(row), cells=cells)


def _due_note(cycle: EvaluationCycle, today: datetime.date) -> str:
    parts = []
    for label, due in (
        (_("提出"), cycle.submit_due),
        (_("承認"), cycle.approve_due),
        (_("審査"), cycle.review_due),
    ):
        parts.append(f"{label} {due:%Y-%m-%d}" if due else _("%(label)s 未設定") % {"label": label})
    return _(
        "期限: %(dates)s（%(today)s 現在。期限を過ぎても次の段階に進んでいないシートを期限超過としています）"
    ) % {
        "dates": "、".join(parts),
        "today": f"{today:%Y-%m-%d}",
    }


def dashboard_tables(board: Dashboard) -> list[Table]:
    """The four tables of the dashboard page, in order."""
    links = Links(board)
    if board.by == BY_NODE:
        corner = board.plan.level_name(board.node.depth + 1 if board.node else 0)
    else:
        corner = _("担当課")
    tables = [
        _stage_table(board, links, corner),
        _results_table(board, links, corner),
        _outcome_table(board, links, corner),
        _comparison_table(board, links, corner),
    ]
    return [table for table in tables if table is not None]

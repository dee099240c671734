"""Every derived number of an evaluation sheet, computed here and nowhere else (issue 11).

The staff sheet page (and its save-as-you-go JSON), the public action page, the sheet PDF, the
annual report, the staff workbook, the open-data files and the API all take their 人件費, 総コスト,
単位コスト and rates from this module, so one sheet shows one figure everywhere
(``hoshin/tests/test_one_figure.py`` reads every surface and compares).

The rules:

- A cost column is about a fiscal year: last year's actual is about the year before the sheet's,
  this year's budget and actual about the sheet's year, next year's budget about the next year.
- 人件費 = 人工 × the unit cost of one person-year: the line's own (``CostLine.staff_unit_cost``)
  when set, else the ``StaffUnitCost`` of the column's year. Next year's budget is a budget for
  next year, built with next year's salaries: it uses next year's unit cost when the planning
  office has set it, and this year's until then (the best estimate available; the note under
  the table says which one was used). Zero person-years cost nothing even without a unit cost.
- 総コスト = 事業費 (the sum of the funding sources) + 人件費; unknown when 人件費 is.
- 単位コスト = this year's actual 総コスト ÷ the actual of the sheet's chosen output indicator,
  rounded to 0.01 千円 (10 yen): a cost per person or per case is often under 1 千円, where a
  coarser rounding would lose most of the figure.
- Rates (進捗率, 達成率) are ratios, 1 = 100% (``progress.py`` holds the progress rule); data files
  and the API give them to four places (``data_rate``), pages print them as percentages.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from hoshin.evaluations.models import CostKind, CostLine, Indicator, StaffUnitCost
from hoshin.lib.fiscal import display_era_fiscal_year, display_fiscal_year
from hoshin.lib.numbers import format_amount

UNIT_COST_PLACES = Decimal("0.01")  # 千円
RATE_PLACES = Decimal("0.0001")  # of a ratio: 0.01 of a percentage point
PREVIOUS_ACTUAL = "previous_actual"  # last year's actual, read from last year's sheet

# Each column of the cost block: (kind of line, year relative to the sheet's).
COLUMN_OFFSETS = {
    PREVIOUS_ACTUAL: -1,
    CostKind.BUDGET: 0,
    CostKind.ACTUAL: 0,
    CostKind.NEXT_BUDGET: 1,
}


def column_fy(kind: str, sheet_fy: int) -> int:
    """The fiscal year a cost column is about."""
    return sheet_fy + COLUMN_OFFSETS[kind]


def year_unit_cost(
    kind: str, sheet_fy: int, unit_costs: dict[int, Decimal]
) -> tuple[Decimal | None, int | None]:
    """(unit cost, its year) for a column when its line has none of its own; (None, None) when
    that year's unit cost is not set. Next year's budget falls back to this year's (see above)."""
    fy = column_fy(kind, sheet_fy)
    if fy in unit_costs:
        return unit_costs[fy], fy
    if kind == CostKind.NEXT_BUDGET and sheet_fy in unit_costs:
        return unit_costs[sheet_fy], sheet_fy
    return None, None


def unit_costs_around(fys: Iterable[int]) -> dict[int, Decimal]:
    """The unit costs every column of the sheets of ``fys`` may need (each year ±1)."""
    wanted = {fy + offset for fy in fys for offset in (-1, 0, 1)}
    return dict(StaffUnitCost.objects.filter(fy__in=wanted).values_list("fy", "amount"))


@dataclass(frozen=True)
class CostFigures:
    """One column of the cost block, every number derived."""

    kind: str  # a CostKind value or PREVIOUS_ACTUAL
    fy: int  # the year the column is about
    funding: dict[str, Decimal]
    project_cost: Decimal  # 事業費
    person_years: Decimal
    unit_cost: Decimal | None  # per person-year, as used
    unit_cost_fy: int | None  # the year of the unit cost used; None when the line's own
    own_unit_cost: bool  # the line sets its own unit cost
    staff_cost: Decimal | None  # 人件費; None when no unit cost is known
    total_cost: Decimal | None  # 総コスト


def cost_figures(
    line: CostLine, *, kind: str, sheet_fy: int, unit_costs: dict[int, Decimal]
) -> CostFigures:
    """The numbers of one cost line as the column ``kind`` of a sheet of ``sheet_fy``."""
    own = line.staff_unit_cost is not None
    unit, unit_fy = (
        (line.staff_unit_cost, None) if own else year_unit_cost(kind, sheet_fy, unit_costs)
    )
    project = line.project_cost
    if not line.person_years:
        staff = Decimal(0)
    elif unit is None:
        staff = None
    else:
        staff = (line.person_years * unit).quantize(Decimal(1))
    return CostFigures(
        kind=kind,
        fy=column_fy(kind, sheet_fy),
        funding={name: getattr(line, name) for name in CostLine.FUNDING_FIELDS},
        project_cost=project,
        person_years=line.person_years,
        unit_cost=unit,
        unit_cost_fy=unit_fy,
        own_unit_cost=own,
        staff_cost=staff,
        total_cost=None if staff is None else project + staff,
    )


def unit_cost_per_output(
    total_cost: Decimal | None, output_actual: Decimal | None
) -> Decimal | None:
    """単位コスト: total cost ÷ the output's actual, to 0.01 千円; None when either is missing."""
    if total_cost is None or not output_actual:
        return None
    return (total_cost / output_actual).quantize(UNIT_COST_PLACES)


def data_rate(value: Decimal | None) -> Decimal | None:
    """A rate (a ratio, 1 = 100%) as data files and the API give it: four places."""
    return None if value is None else value.quantize(RATE_PLACES)


@dataclass
class SheetCosts:
    """The cost block of one sheet: its columns in order, and the unit cost per output."""

    sheet_fy: int
    columns: dict[str, CostFigures] = field(default_factory=dict)  # in COLUMN_OFFSETS order
    output: Indicator | None = None  # the indicator the unit cost is per
    unit_cost: Decimal | None = None  # 単位コスト (this year's actual)

    @property
    def missing_unit_cost(self) -> bool:
        """Some column has person-years but no unit cost to price them."""
        return any(c.staff_cost is None for c in self.columns.values())

    def unit_cost_note(self) -> str:
        """Which unit cost each column used, naming the year: the words under the table."""
        groups: dict[tuple, list[str]] = {}
        for column in self.columns.values():
            if not column.person_years:
                continue
            # A missing unit cost is named by the column's own year.
            year = column.fy if column.unit_cost is None else column.unit_cost_fy
            key = (column.unit_cost, year, column.own_unit_cost)
            groups.setdefault(key, []).append(COLUMN_NAMES[column.kind]())
        parts = []
        for (unit, fy, own), labels in groups.items():
            where = "・".join(labels)
            if own:
                text = _("%(columns)s：欄に指定した単価 %(amount)s千円")
            elif unit is None:
                text = _("%(columns)s：%(year)sの人件費単価が未設定のため算出できません")
            else:
                text = _("%(columns)s：%(amount)s千円（%(year)sの単価）")
            parts.append(
                text
                % {
                    "columns": where,
                    "amount": format_amount(unit),
                    "year": display_fiscal_year(fy) if fy is not None else "",
                }
            )
        if not parts:
            return ""
        return _("人件費＝人工 × 人件費単価。%(parts)s。") % {"parts": "、".join(parts)}


# Short names of the columns for the note: the staff page heads its columns this way, the public
# table by year (``column_label``); the note names the unit cost's year itself.
COLUMN_NAMES = {
    PREVIOUS_ACTUAL: lambda: _("前年度決算"),
    CostKind.BUDGET: lambda: _("当年度予算"),
    CostKind.ACTUAL: lambda: _("当年度決算"),
    CostKind.NEXT_BUDGET: lambda: _("次年度予算"),
}


def column_label(kind: str, sheet_fy: int) -> str:
    """「令和7年度 決算」: a column's year and kind, as every surface heads it."""
    suffix = {
        PREVIOUS_ACTUAL: _("決算"),
        CostKind.BUDGET: _("予算"),
        CostKind.ACTUAL: _("決算"),
        CostKind.NEXT_BUDGET: _("予算（見込）"),
    }[kind]
    return f"{display_era_fiscal_year(column_fy(kind, sheet_fy))} {suffix}"


def sheet_costs(
    *,
    sheet_fy: int,
    lines: dict[str, CostLine],
    previous_lines: dict[str, CostLine] | None,
    unit_costs: dict[int, Decimal],
    indicators: Iterable[Indicator],
    output_id: int | None,
) -> SheetCosts:
    """Every cost figure of a sheet: ``lines`` by kind, ``previous_lines`` last year's sheet's
    (its actual becomes the first column), ``unit_costs`` by year (``unit_costs_around``)."""
    costs = SheetCosts(sheet_fy=sheet_fy)
    previous = (previous_lines or {}).get(CostKind.ACTUAL)
    if previous is not None:
        costs.columns[PREVIOUS_ACTUAL] = cost_figures(
            previous, kind=PREVIOUS_ACTUAL, sheet_fy=sheet_fy, unit_costs=unit_costs
        )
    for kind in (CostKind.BUDGET, CostKind.ACTUAL, CostKind.NEXT_BUDGET):
        if kind in lines:
            costs.columns[kind] = cost_figures(
                lines[kind], kind=kind, sheet_fy=sheet_fy, unit_costs=unit_costs
            )
    costs.output = next((i for i in indicators if i.pk == output_id), None)
    actual = costs.columns.get(CostKind.ACTUAL)
    if costs.output is not None and actual is not None:
        costs.unit_cost = unit_cost_per_output(actual.total_cost, costs.output.actual)
    return costs

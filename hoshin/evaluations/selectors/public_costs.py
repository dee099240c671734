"""The cost table of a published sheet (action page, PDF sheet, API): columns per year and kind.

Callers pass published sheets only (``public.sheets_published``); this module reads no sheet of
its own, only the cost lines already loaded with them. The numbers come from
``hoshin.evaluations.figures``; this module lays them out as the public table.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext

from hoshin.evaluations import figures
from hoshin.evaluations.models import CostKind, CostLine, EvaluationSheet, Indicator


@dataclass
class CostColumn:
    label: str  # 令和7年度 決算
    fy: int
    project_cost: Decimal
    person_years: Decimal
    staff_cost: Decimal | None  # None when the year has no unit cost
    total_cost: Decimal | None
    unit_cost: Decimal | None = None
    funding: dict[str, Decimal] = field(default_factory=dict)


@dataclass
class CostRow:
    label: str
    values: list
    kind: str = "money"  # money, years, subtotal, total, unit


@dataclass
class CostTable:
    columns: list[CostColumn]
    rows: list[CostRow]
    unit_cost_label: str = ""
    missing_unit_cost: bool = False  # a staff cost could not be computed
    unit_cost_note: str = ""  # which unit cost each column used (figures.SheetCosts)


# verbose_name stays lazy: the label is translated when a page (in its reader's language) shows it.
FUNDING_LABELS = [
    (name, CostLine._meta.get_field(name).verbose_name) for name in CostLine.FUNDING_FIELDS
]


def _column(figures_: figures.CostFigures, sheet_fy: int) -> CostColumn:
    return CostColumn(
        label=figures.column_label(figures_.kind, sheet_fy),
        fy=figures_.fy,
        project_cost=figures_.project_cost,
        person_years=figures_.person_years,
        staff_cost=figures_.staff_cost,
        total_cost=figures_.total_cost,
        funding=figures_.funding,
    )


def cost_table(
    sheet: EvaluationSheet,
    *,
    previous: EvaluationSheet | None,
    unit_costs: dict[int, Decimal],
    indicators: list[Indicator],
) -> CostTable | None:
    """The cost block of a published sheet as printed: last year's actual, this year's budget and
    actual, next year's budget; None when the sheet has no cost at all. ``unit_costs`` by year,
    each year's neighbours included (``figures.unit_costs_around``)."""
    fy = sheet.cycle.fy
    costs = figures.sheet_costs(
        sheet_fy=fy,
        lines={line.kind: line for line in sheet.costs.all()},
        previous_lines=None
        if previous is None
        else {line.kind: line for line in previous.costs.all()},
        unit_costs=unit_costs,
        indicators=indicators,
        output_id=sheet.unit_cost_indicator_id,
    )
    columns = {kind: _column(column, fy) for kind, column in costs.columns.items()}
    if not any(c.project_cost or c.person_years for c in columns.values()):
        return None
    unit_label = ""
    output = costs.output
    if output is not None and CostKind.ACTUAL in columns:
        unit_label = gettext("単位コスト（%(name)s 1%(unit)sあたり・千円）") % {
            "name": output.name,
            "unit": output.unit or gettext("単位"),
        }
        columns[CostKind.ACTUAL].unit_cost = costs.unit_cost
    ordered = list(columns.values())
    rows = [
        *(CostRow(label, [c.funding[name] for c in ordered]) for name, label in FUNDING_LABELS),
        CostRow(gettext("事業費 計"), [c.project_cost for c in ordered], "subtotal"),
        CostRow(gettext("人工（人）"), [c.person_years for c in ordered], "years"),
        CostRow(gettext("人件費"), [c.staff_cost for c in ordered]),
        CostRow(gettext("総コスト（事業費＋人件費）"), [c.total_cost for c in ordered], "total"),
    ]
    if unit_label:
        rows.append(CostRow(unit_label, [c.unit_cost for c in ordered], "unit"))
    return CostTable(
        columns=ordered,
        rows=rows,
        unit_cost_label=unit_label,
        missing_unit_cost=costs.missing_unit_cost,
        unit_cost_note=costs.unit_cost_note(),
    )

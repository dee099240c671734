"""The cost table of a published sheet (action page, PDF sheet, API): columns per year and kind.

Callers pass published sheets only (``public.sheets_published``); this module reads no sheet of
its own, only the cost lines already loaded with them.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext, gettext_lazy

from hoshin.evaluations.models import CostKind, CostLine, EvaluationSheet, Indicator
from hoshin.lib.fiscal import display_era_fiscal_year


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


# Columns of the cost table: the kind of line and the fiscal year it is about, relative to
# the sheet's year. Staff cost always uses the unit cost of the sheet's own year, as the
# dashboard does, so one sheet's columns are comparable.
COST_COLUMNS = (
    (CostKind.BUDGET, 0, gettext_lazy("%(fy)s 予算")),
    (CostKind.ACTUAL, 0, gettext_lazy("%(fy)s 決算")),
    (CostKind.NEXT_BUDGET, 1, gettext_lazy("%(fy)s 予算（見込）")),
)
# verbose_name stays lazy: the label is translated when a page (in its reader's language) shows it.
FUNDING_LABELS = [
    (name, CostLine._meta.get_field(name).verbose_name) for name in CostLine.FUNDING_FIELDS
]


def _cost_column(line: CostLine, *, label: str, fy: int, unit_cost: Decimal | None) -> CostColumn:
    staff = line.staff_cost(unit_cost)
    return CostColumn(
        label=label,
        fy=fy,
        project_cost=line.project_cost,
        person_years=line.person_years,
        staff_cost=staff,
        total_cost=None if staff is None else line.project_cost + staff,
        funding={name: getattr(line, name) for name in CostLine.FUNDING_FIELDS},
    )


def cost_table(
    sheet: EvaluationSheet,
    *,
    previous: EvaluationSheet | None,
    unit_costs: dict[int, Decimal],
    indicators: list[Indicator],
) -> CostTable | None:
    """The cost block of a published sheet as printed: last year's actual, this year's budget and
    actual, next year's budget; None when the sheet has no cost at all."""
    fy = sheet.cycle.fy
    lines = {line.kind: line for line in sheet.costs.all()}
    columns: list[CostColumn] = []
    if previous is not None:
        last = {line.kind: line for line in previous.costs.all()}.get(CostKind.ACTUAL)
        if last is not None:
            columns.append(
                _cost_column(
                    last,
                    label=gettext("%(fy)s 決算") % {"fy": display_era_fiscal_year(fy - 1)},
                    fy=fy - 1,
                    unit_cost=unit_costs.get(fy - 1),
                )
            )
    actual_column = None
    for kind, offset, suffix in COST_COLUMNS:
        line = lines.get(kind)
        if line is None:
            continue
        column = _cost_column(
            line,
            label=str(suffix) % {"fy": display_era_fiscal_year(fy + offset)},
            fy=fy + offset,
            unit_cost=unit_costs.get(fy),
        )
        columns.append(column)
        if kind == CostKind.ACTUAL:
            actual_column = column
    if not any(c.project_cost or c.person_years for c in columns):
        return None
    unit_label = ""
    # 単位コスト: the year's total cost ÷ the chosen output indicator's actual (its own sheet's).
    output = next((i for i in indicators if i.pk == sheet.unit_cost_indicator_id), None)
    if output is not None and actual_column is not None:
        unit_label = gettext("単位コスト（%(name)s 1%(unit)sあたり・千円）") % {
            "name": output.name,
            "unit": output.unit or gettext("単位"),
        }
        if actual_column.total_cost is not None and output.actual:
            actual_column.unit_cost = (actual_column.total_cost / output.actual).quantize(
                Decimal("0.1")
            )
    rows = [
        *(CostRow(label, [c.funding[name] for c in columns]) for name, label in FUNDING_LABELS),
        CostRow(gettext("事業費 計"), [c.project_cost for c in columns], "subtotal"),
        CostRow(gettext("人工（人）"), [c.person_years for c in columns], "years"),
        CostRow(gettext("人件費"), [c.staff_cost for c in columns]),
        CostRow(gettext("総コスト（事業費＋人件費）"), [c.total_cost for c in columns], "total"),
    ]
    if unit_label:
        rows.append(CostRow(unit_label, [c.unit_cost for c in columns], "unit"))
    return CostTable(
        columns=columns,
        rows=rows,
        unit_cost_label=unit_label,
        missing_unit_cost=any(c.staff_cost is None and c.person_years for c in columns),
    )

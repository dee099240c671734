"""The cost block of a sheet: project cost by funding source, staff cost, totals, unit cost.

The numbers come from ``hoshin.evaluations.figures`` (the one computation every surface uses);
this module only lays them out with the inputs.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from hoshin.evaluations import fields as sheet_fields
from hoshin.evaluations import figures
from hoshin.evaluations.models import CostKind, CostLine
from hoshin.evaluations.views.workspace_data import Computed, SheetData
from hoshin.lib.numbers import format_amount, format_quantity

if TYPE_CHECKING:
    from hoshin.evaluations.views.workspace_layout import SheetInput


@dataclass
class CostRow:
    field: str
    label: str
    previous: str
    cells: list["SheetInput"]


@dataclass
class ComputedRow:
    label: str
    previous: str
    cells: list[Computed]
    hint: str = ""


@dataclass
class CostTable:
    kinds: list[tuple[str, str]]
    rows: list[CostRow]
    project: ComputedRow
    staff: ComputedRow
    total: ComputedRow
    unit_cost: Computed
    unit_cost_basis: str
    has_previous: bool


def cost_table(data: SheetData, inputs: dict[str, "SheetInput"]) -> CostTable:
    """The cost block: inputs by funding source and column, computed totals, last year's actual."""
    kinds = [(kind.value, str(kind.label)) for kind in CostKind]
    previous_actual = data.previous_costs.get(CostKind.ACTUAL)
    rows = []
    for name in sheet_fields.COST_FIELDS:
        cells = [inputs[f"cost.{kind}.{name}"] for kind, _label in kinds]
        previous = ""
        if previous_actual is not None:
            value = getattr(previous_actual, name)
            previous = format_quantity(value) if name == "person_years" else format_amount(value)
        rows.append(
            CostRow(name, str(CostLine._meta.get_field(name).verbose_name), previous, cells)
        )
    costs = data.costs_figures()
    totals = _computed(costs)
    last = costs.columns.get(figures.PREVIOUS_ACTUAL)

    def row(label: str, what: str, hint: str = "") -> ComputedRow:
        cells = [
            Computed(f"c-cost-{kind}-{what}", totals[f"c-cost-{kind}-{what}"]) for kind, _ in kinds
        ]
        previous = "" if last is None else format_amount(getattr(last, FIGURE[what]))
        return ComputedRow(label, previous, cells, hint)

    staff_hint = costs.unit_cost_note() or _("人件費＝人工 × その年度の人件費単価。")
    basis = costs.output
    return CostTable(
        kinds=kinds,
        rows=rows,
        project=row(_("事業費 計"), "project"),
        staff=row(_("人件費"), "staff", staff_hint),
        total=row(_("総コスト"), "total"),
        unit_cost=Computed("c-unit-cost", totals["c-unit-cost"]),
        unit_cost_basis=(
            _("総コスト（当年度決算）÷ 指標「%(name)s」の実績値（%(unit)s）")
            % {"name": basis.name, "unit": basis.unit or "—"}
            if basis is not None
            else ""
        ),
        has_previous=previous_actual is not None,
    )


FIGURE = {"project": "project_cost", "staff": "staff_cost", "total": "total_cost"}


def _computed(costs: figures.SheetCosts) -> dict[str, str]:
    computed = {}
    for kind in CostKind:
        column = costs.columns.get(kind.value)
        for what, name in FIGURE.items():
            value = None if column is None else getattr(column, name)
            computed[f"c-cost-{kind.value}-{what}"] = format_amount(value)
    computed["c-unit-cost"] = format_quantity(costs.unit_cost)
    return computed


def cost_computed(data: SheetData) -> dict[str, str]:
    """Project cost, staff cost and total per column, and the unit cost; element id → text."""
    return _computed(data.costs_figures())

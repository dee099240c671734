"""The cost block of a sheet: project cost by funding source, staff cost, totals, unit cost.

人件費 = person-years × the year's unit cost (StaffUnitCost, or the line's own); total cost =
project cost + staff cost; unit cost = total actual ÷ the actual of the sheet's chosen indicator.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from hoshin.evaluations import fields as sheet_fields
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
    totals = cost_computed(data)
    previous_unit = data.unit_costs.get(data.sheet.cycle.fy - 1)

    def previous_of(what: str) -> str:
        if previous_actual is None:
            return ""
        if what == "project":
            return format_amount(previous_actual.project_cost)
        if what == "staff":
            return format_amount(_staff_cost(previous_actual, previous_unit))
        return format_amount(_total_cost(previous_actual, previous_unit))

    def row(label: str, what: str, hint: str = "") -> ComputedRow:
        cells = [
            Computed(f"c-cost-{kind}-{what}", totals[f"c-cost-{kind}-{what}"]) for kind, _ in kinds
        ]
        return ComputedRow(label, previous_of(what), cells, hint)

    unit = data.unit_cost_for(CostKind.ACTUAL)
    staff_hint = (
        _("人工 × 人件費単価 %(amount)s千円（%(fy)d年度）")
        % {"amount": format_amount(unit), "fy": data.sheet.cycle.fy}
        if unit is not None
        else _("この年度の人件費単価が未設定です（企画担当が設定します）。")
    )
    basis = data.sheet.unit_cost_indicator
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


def _staff_cost(line: CostLine | None, unit: Decimal | None) -> Decimal | None:
    """人件費; zero person-years cost nothing even before the year's unit cost is set."""
    if line is None:
        return None
    if not line.person_years:
        return Decimal(0)
    return line.staff_cost(unit)


def _total_cost(line: CostLine | None, unit: Decimal | None) -> Decimal | None:
    staff = _staff_cost(line, unit)
    return None if staff is None else line.project_cost + staff


def cost_computed(data: SheetData) -> dict[str, str]:
    """Project cost, staff cost and total per column, and the unit cost; element id → text."""
    computed = {}
    for kind in CostKind:
        line = data.costs.get(kind.value)
        unit = data.unit_cost_for(kind.value)
        prefix = f"c-cost-{kind.value}"
        computed[f"{prefix}-project"] = format_amount(line.project_cost if line else None)
        computed[f"{prefix}-staff"] = format_amount(_staff_cost(line, unit))
        computed[f"{prefix}-total"] = format_amount(_total_cost(line, unit))
    computed["c-unit-cost"] = _unit_cost(data)
    return computed


def _unit_cost(data: SheetData) -> str:
    basis_id = data.sheet.unit_cost_indicator_id
    basis = next((i for i in data.indicators if i.pk == basis_id), None)
    line = data.costs.get(CostKind.ACTUAL)
    if basis is None or line is None:
        return format_amount(None)
    total = _total_cost(line, data.unit_cost_for(CostKind.ACTUAL))
    if total is None or not basis.actual:
        return format_amount(None)
    return format_quantity((total / basis.actual).quantize(Decimal("0.01")))

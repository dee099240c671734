"""The rules of evaluations.figures one by one (every surface's numbers come from them; the
cross-surface comparison is hoshin/tests/test_one_figure.py)."""

from decimal import Decimal

from hoshin.evaluations import figures
from hoshin.evaluations.models import CostKind, CostLine

UNIT_COSTS = {2025: Decimal(8000), 2026: Decimal(8100)}


def line(person_years: str, general: int = 1000, own: int | None = None) -> CostLine:
    return CostLine(general=general, person_years=Decimal(person_years), staff_unit_cost=own)


def figures_of(kind: str, cost_line: CostLine, sheet_fy: int = 2025, unit_costs=UNIT_COSTS):
    return figures.cost_figures(cost_line, kind=kind, sheet_fy=sheet_fy, unit_costs=unit_costs)


def test_next_years_budget_uses_next_years_unit_cost_when_set():
    column = figures_of(CostKind.NEXT_BUDGET, line("0.4"))
    assert (column.fy, column.unit_cost, column.unit_cost_fy) == (2026, 8100, 2026)
    assert (column.staff_cost, column.total_cost) == (3240, 4240)
    this_year = figures_of(CostKind.ACTUAL, line("0.4"))
    assert (this_year.fy, this_year.unit_cost_fy, this_year.staff_cost) == (2025, 2025, 3200)


def test_next_years_budget_falls_back_to_this_years_unit_cost_and_says_so():
    column = figures_of(CostKind.NEXT_BUDGET, line("0.4"), sheet_fy=2026)  # 2027 not set
    assert (column.fy, column.unit_cost, column.unit_cost_fy) == (2027, 8100, 2026)
    costs = figures.SheetCosts(sheet_fy=2026, columns={CostKind.NEXT_BUDGET: column})
    assert "次年度予算：8,100千円（令和8年度（2026年度）の単価）" in costs.unit_cost_note()


def test_only_next_years_budget_falls_back():
    column = figures_of(CostKind.ACTUAL, line("0.4"), sheet_fy=2027)
    assert (column.unit_cost, column.staff_cost, column.total_cost) == (None, None, None)
    previous = figures_of(figures.PREVIOUS_ACTUAL, line("0.4"), sheet_fy=2026)
    assert (previous.fy, previous.unit_cost_fy, previous.staff_cost) == (2025, 2025, 3200)


def test_a_lines_own_unit_cost_wins_and_zero_person_years_cost_nothing():
    own = figures_of(CostKind.NEXT_BUDGET, line("0.5", own=9000))
    assert (own.unit_cost, own.unit_cost_fy, own.own_unit_cost, own.staff_cost) == (
        9000,
        None,
        True,
        4500,
    )
    idle = figures_of(CostKind.ACTUAL, line("0"), sheet_fy=2030)  # no unit cost in 2030
    assert (idle.staff_cost, idle.total_cost) == (0, 1000)


def test_staff_cost_is_whole_thousands_and_unit_cost_per_output_two_places():
    column = figures_of(CostKind.ACTUAL, line("0.33", general=0), unit_costs={2025: Decimal(8123)})
    assert column.staff_cost == Decimal("2681")  # 2,680.59
    assert figures.unit_cost_per_output(Decimal(8480), Decimal(300)) == Decimal("28.27")
    assert figures.unit_cost_per_output(Decimal(8480), Decimal(0)) is None
    assert figures.unit_cost_per_output(None, Decimal(3)) is None


def test_data_rates_are_ratios_to_four_places():
    assert figures.data_rate(Decimal(2) / Decimal(3)) == Decimal("0.6667")
    assert figures.data_rate(None) is None

"""What the sheet page reads from the database, loaded once per request."""

from dataclasses import dataclass
from decimal import Decimal

from hoshin.evaluations import figures
from hoshin.evaluations.models import CostLine, EvaluationSheet, Indicator


@dataclass
class Computed:
    """A value computed from others (a rate, a total), with the element id sheet.js refreshes."""

    id: str
    text: str


@dataclass
class SheetData:
    """What the layout reads from the database, loaded once per request."""

    sheet: EvaluationSheet
    indicators: list[Indicator]
    costs: dict[str, CostLine]
    previous: EvaluationSheet | None
    previous_indicators: dict[str, Indicator]  # by series
    previous_costs: dict[str, CostLine]
    unit_costs: dict[int, Decimal]  # fy → 千円 per person-year

    @classmethod
    def load(cls, sheet: EvaluationSheet) -> "SheetData":
        indicators = list(sheet.indicators.all())
        costs = {line.kind: line for line in sheet.costs.all()}
        previous = sheet.previous
        previous_indicators, previous_costs = {}, {}
        if previous is not None:
            previous_indicators = {str(i.series): i for i in previous.indicators.all()}
            previous_costs = {line.kind: line for line in previous.costs.all()}
        unit_costs = figures.unit_costs_around([sheet.cycle.fy])
        return cls(
            sheet,
            indicators,
            costs,
            previous,
            previous_indicators,
            previous_costs,
            unit_costs,
        )

    def costs_figures(self) -> figures.SheetCosts:
        """Every cost figure of the sheet as it stands (one rule for every surface)."""
        return figures.sheet_costs(
            sheet_fy=self.sheet.cycle.fy,
            lines=self.costs,
            previous_lines=self.previous_costs,
            unit_costs=self.unit_costs,
            indicators=self.indicators,
            output_id=self.sheet.unit_cost_indicator_id,
        )

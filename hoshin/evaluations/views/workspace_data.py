"""What the sheet page reads from the database, loaded once per request."""

from dataclasses import dataclass
from decimal import Decimal

from hoshin.evaluations.models import CostKind, CostLine, EvaluationSheet, Indicator, StaffUnitCost


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
        fy = sheet.cycle.fy
        unit_costs = dict(
            StaffUnitCost.objects.filter(fy__in=[fy - 1, fy, fy + 1]).values_list("fy", "amount")
        )
        return cls(
            sheet,
            indicators,
            costs,
            previous,
            previous_indicators,
            previous_costs,
            unit_costs,
        )

    def unit_cost_for(self, kind: str) -> Decimal | None:
        """The year's unit cost for a cost column (next year's budget uses next year's, if set)."""
        fy = self.sheet.cycle.fy
        if kind == CostKind.NEXT_BUDGET:
            return self.unit_costs.get(fy + 1, self.unit_costs.get(fy))
        return self.unit_costs.get(fy)

"""The progress rate is one rule: Python (Indicator.progress_rate) and SQL agree on the database."""

import math
from decimal import Decimal

import pytest

from hoshin.evaluations.models import Direction, EvaluationSheet, Indicator, IndicatorKind
from hoshin.evaluations.progress import progress_rate, progress_rate_expression
from hoshin.evaluations.tests.factories import make_world, open_year, sheet_of
from hoshin.lib.numbers import format_rate

# (what it shows, baseline, target, actual, direction, expected rate or None)
CASES = [
    ("halfway", "100", "200", "150", Direction.HIGHER, Decimal("0.5")),
    ("lower is better", "20", "10", "12", Direction.LOWER, Decimal("0.8")),
    ("lower is better, worse", "20", "10", "25", Direction.LOWER, Decimal("-0.5")),
    ("target equals baseline", "100", "100", "120", Direction.HIGHER, None),
    ("target equals baseline at zero", "0", "0", "0", Direction.HIGHER, None),
    ("missing actual", "100", "200", None, Direction.HIGHER, None),
    ("missing target", "100", None, "150", Direction.HIGHER, None),
    ("missing baseline", None, "200", "150", Direction.HIGHER, None),
    ("nothing entered", None, None, None, Direction.HIGHER, None),
    ("no progress is 0, not undefined", "0", "10", "0", Direction.HIGHER, Decimal(0)),
    ("negative progress", "100", "200", "80", Direction.HIGHER, Decimal("-0.2")),
    ("over 100 %", "100", "200", "250", Direction.HIGHER, Decimal("1.5")),
    ("a third (rounding)", "0", "3", "1", Direction.HIGHER, Decimal(1) / Decimal(3)),
    ("two thirds (rounding)", "0", "3", "2", Direction.HIGHER, Decimal(2) / Decimal(3)),
    ("decimals", "0.1", "0.4", "0.2", Direction.HIGHER, Decimal(1) / Decimal(3)),
    ("half a display step", "0", "2000", "1", Direction.HIGHER, Decimal("0.0005")),
    ("whole numbers divided", "1", "8", "2", Direction.HIGHER, Decimal(1) / Decimal(7)),
    ("negative values", "-10", "-4", "-7", Direction.HIGHER, Decimal("0.5")),
    ("large", "0", "99999999999.9999", "33333333333.3333", Direction.HIGHER, Decimal(1) / 3),
]


def _value(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _agree(sql: float | None, python: Decimal | None) -> bool:
    if sql is None or python is None:
        return sql is None and python is None
    return math.isclose(sql, float(python), rel_tol=1e-9, abs_tol=1e-12)


@pytest.mark.parametrize(("name", "baseline", "target", "actual", "direction", "expected"), CASES)
def test_python_rule_on_a_table_of_cases(name, baseline, target, actual, direction, expected):
    rate = progress_rate(actual=_value(actual), target=_value(target), baseline=_value(baseline))
    assert rate == expected, name


@pytest.fixture
def indicators(db):
    world = make_world()
    sheet = sheet_of(open_year(world), world.bousai_action)
    sheet.indicators.all().delete()
    Indicator.objects.bulk_create(
        Indicator(
            sheet=sheet,
            position=position,
            kind=IndicatorKind.OUTCOME,
            name=name,
            direction=direction,
            baseline=_value(baseline),
            target=_value(target),
            actual=_value(actual),
        )
        for position, (name, baseline, target, actual, direction, _) in enumerate(CASES)
    )
    # Read back: the Python rule sees the values as the database stored them, like every page.
    return sheet, {indicator.name: indicator for indicator in sheet.indicators.all()}


def test_sql_and_python_agree_on_the_database(indicators):
    sheet, by_name = indicators
    rows = dict(
        Indicator.objects.filter(sheet=sheet)
        .annotate(rate=progress_rate_expression())
        .values_list("name", "rate")
    )
    assert set(rows) == {case[0] for case in CASES}
    for name, *_, expected in CASES:
        python = by_name[name].progress_rate
        assert _agree(rows[name], python), (name, rows[name], python)
        assert _agree(rows[name], expected), (name, rows[name], expected)
        # What pages print is the same whichever side computed it.
        for places in (1, 2):
            assert format_rate(rows[name], places=places) == format_rate(python, places=places)


def test_expression_reaches_indicators_from_their_sheet(indicators):
    """The selectors use the rule through a relation (``indicators__``); it is the same there."""
    sheet, by_name = indicators
    rows = (
        EvaluationSheet.objects.filter(pk=sheet.pk)
        .values("indicators__name")
        .annotate(rate=progress_rate_expression("indicators__"))
        .values_list("indicators__name", "rate")
    )
    for name, rate in rows:
        assert _agree(rate, by_name[name].progress_rate), name

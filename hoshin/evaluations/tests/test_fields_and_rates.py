"""Number parsing shared by every input path, and the indicator rates shown to citizens."""

from decimal import Decimal

import pytest

from hoshin.evaluations.fields import FieldError, parse_decimal
from hoshin.evaluations.models import Direction, Indicator


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1,200", Decimal(1200)),
        ("１，２００", Decimal(1200)),
        ("△1,200", Decimal(-1200)),
        ("▲ 50", Decimal(-50)),
        ("", None),
        ("－", None),
        (None, None),
        (3, Decimal(3)),
        (2.5, Decimal("2.5")),
    ],
)
def test_numbers_are_read_as_staff_type_them(raw, expected):
    assert parse_decimal(raw, allow_negative=True) == expected


@pytest.mark.parametrize(
    ("raw", "kwargs", "message"),
    [
        ("abc", {}, "数値ではありません"),
        ("NaN", {}, "数値ではありません"),
        ("Infinity", {}, "数値ではありません"),
        ("-5", {}, "負の値"),
        ("△5", {}, "負の値"),
        ("12.5", {"whole": True}, "整数"),
        ("1e20", {}, "大きすぎます"),
    ],
)
def test_bad_numbers_say_what_is_wrong(raw, kwargs, message):
    with pytest.raises(FieldError, match=message):
        parse_decimal(raw, **kwargs)


def indicator(**values) -> Indicator:
    return Indicator(
        name="x",
        **{
            k: None if v is None else Decimal(v) if k != "direction" else v
            for k, v in values.items()
        },
    )


def test_progress_rate_is_progress_from_baseline_towards_target():
    assert indicator(baseline="100", target="200", actual="150").progress_rate == Decimal("0.5")
    # Lower is better: 20 → 10 is the goal; reaching 12 is 80 % of the way.
    lower = indicator(baseline="20", target="10", actual="12", direction=Direction.LOWER)
    assert lower.progress_rate == Decimal("0.8")
    assert lower.achievement_rate == Decimal(10) / Decimal(12)
    assert lower.target_met is False


@pytest.mark.parametrize(
    ("values", "note"),
    [
        ({"baseline": "50", "target": "50", "actual": "50"}, "維持目標"),
        ({"baseline": "50", "target": None, "actual": None}, "目標値が設定されていません"),
        ({"baseline": "50", "target": "60", "actual": None}, "実績値がありません"),
        ({"baseline": None, "target": "60", "actual": "30"}, "基準値がないため"),
    ],
)
def test_undefined_rates_are_none_with_an_honest_reason(values, note):
    row = indicator(**values)
    assert row.progress_rate is None
    assert note in row.progress_note


def test_maintenance_target_still_has_an_achievement_rate():
    row = indicator(baseline="50", target="50", actual="55")
    assert row.progress_rate is None
    assert row.achievement_rate == Decimal("1.1")
    assert row.target_met is True


def test_achievement_rate_with_zero_target_or_actual_is_undefined_not_a_crash():
    assert indicator(baseline="0", target="0", actual="3").achievement_rate is None
    lower = indicator(baseline="5", target="0", actual="0", direction=Direction.LOWER)
    assert lower.achievement_rate is None
    assert lower.target_met is True

"""The one rule that flags a soundness ratio (no database: a pure function)."""

from decimal import Decimal

import pytest

from hoshin.finance.flags import RatioLevel, ratio_flag


def flag(kind="real_deficit", value=None, *, dash=False, early="13.59", rehabilitation="20"):
    return ratio_flag(
        kind=kind,
        value=Decimal(value) if value is not None else None,
        no_deficit=dash,
        early_threshold=Decimal(early) if early else None,
        rehabilitation_threshold=Decimal(rehabilitation) if rehabilitation else None,
    )


@pytest.mark.parametrize(
    ("value", "level"),
    [
        ("13.58", RatioLevel.WITHIN),
        ("13.59", RatioLevel.EARLY),  # at the threshold is flagged (以上)
        ("19.99", RatioLevel.EARLY),
        ("20", RatioLevel.REHABILITATION),
        ("0", RatioLevel.WITHIN),
    ],
)
def test_a_value_at_or_over_a_threshold_is_flagged(value, level):
    assert flag(value=value).level == level


def test_dash_zero_and_missing_are_three_different_flags():
    assert flag(dash=True).level == RatioLevel.WITHIN
    assert flag(value="0").level == RatioLevel.WITHIN
    missing = flag()
    assert missing.level == RatioLevel.NO_VALUE
    assert not missing.is_warning


def test_a_missing_threshold_is_unknown_never_safe():
    below_known = flag(value="5", early=None)
    assert below_known.level == RatioLevel.UNKNOWN
    assert not below_known.thresholds_complete
    assert flag(value="5", early=None, rehabilitation=None).level == RatioLevel.UNKNOWN


def test_a_value_over_a_known_threshold_is_flagged_even_when_another_is_missing():
    result = flag(value="15", rehabilitation=None)
    assert result.level == RatioLevel.EARLY
    assert result.is_warning
    assert not result.thresholds_complete  # the page still says a threshold is missing


def test_dash_is_below_every_threshold_even_when_thresholds_are_missing():
    result = flag(dash=True, early=None, rehabilitation=None)
    assert result.level == RatioLevel.WITHIN
    assert not result.thresholds_complete


def test_debt_service_ratio_of_18_percent_needs_permission_for_new_bonds():
    assert flag("debt_service", "17.9", early="25", rehabilitation="35").level == RatioLevel.WITHIN
    result = flag("debt_service", "18.0", early="25", rehabilitation="35")
    assert result.level == RatioLevel.PERMISSION
    assert result.is_warning
    assert flag("real_deficit", "18.0", early="25", rehabilitation="35").level == RatioLevel.WITHIN


def test_future_burden_and_fund_shortage_have_no_rehabilitation_threshold_to_miss():
    result = flag("future_burden", "120.5", early="350", rehabilitation=None)
    assert result.level == RatioLevel.WITHIN
    assert result.thresholds_complete
    shortage = flag("fund_shortage", "20", early="20", rehabilitation=None)
    assert shortage.level == RatioLevel.EARLY
    assert shortage.label == "経営健全化基準以上"
    assert flag(value="15").label == "早期健全化基準以上"
    # A rehabilitation threshold typed for them by mistake never decides their flag.
    assert (
        flag("future_burden", "400", early=None, rehabilitation="380").level == RatioLevel.UNKNOWN
    )

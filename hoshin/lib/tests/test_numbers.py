"""Reading figures from typed or uploaded cells (``parse_figure``); no database."""

from decimal import Decimal

import pytest

from hoshin.lib.numbers import Figure, NumberError, format_amount, parse_figure


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("1,200", Decimal(1200)),
        ("１，２００", Decimal(1200)),  # full-width digits and comma
        ("△1,200", Decimal(-1200)),
        ("▲ 35", Decimal(-35)),
        ("-0.5", Decimal("-0.5")),
        ("0", Decimal(0)),
        ("13.59", Decimal("13.59")),
        (" ８．１ ", Decimal("8.1")),
        (1200, Decimal(1200)),
        (12.5, Decimal("12.5")),
        (Decimal("0.612"), Decimal("0.612")),
    ],
)
def test_numbers_as_staff_type_them(raw, value):
    assert parse_figure(raw) == Figure(value=value)


def test_dash_zero_and_empty_are_three_different_figures():
    dash, zero, empty = parse_figure("－"), parse_figure("0"), parse_figure("  ")
    assert dash.is_dash and dash.value is None and not dash.is_empty
    assert zero.value == 0 and not zero.is_dash and not zero.is_empty
    assert empty.is_empty and parse_figure(None).is_empty
    assert parse_figure("-").is_dash and parse_figure("―").is_dash


def test_units_in_the_cell_are_read_only_when_they_are_the_expected_ones():
    assert parse_figure("12.3%", units=("%",)).value == Decimal("12.3")
    assert parse_figure("12.3％", units=("%",)).value == Decimal("12.3")
    assert parse_figure("△1,200千円", units=("千円",)).value == Decimal(-1200)
    with pytest.raises(NumberError, match="「1,200円」は数値として読めません"):
        parse_figure("1,200円", units=("千円",))
    with pytest.raises(NumberError):
        parse_figure("12.3%")


@pytest.mark.parametrize("raw", ["abc", "1.2.3", "△", "1,2e3", "NaN", "--5", float("inf"), True])
def test_anything_else_is_refused_with_what_was_read(raw):
    with pytest.raises(NumberError):
        parse_figure(raw)


def test_a_formatted_amount_reads_back_as_the_same_value():
    for value in (Decimal(0), Decimal(1200), Decimal(-1_234_567)):
        assert parse_figure(format_amount(value)).value == value

"""The shared chart geometry: round scales, bars that start at zero, segments that fill the bar."""

import pytest

from hoshin.lib import palette, svgcharts


@pytest.mark.parametrize(
    ("values", "integer", "expected"),
    [
        ([7, 12, 14], False, (0, 15, 5)),
        ([0.3, 0.8], False, (0, 0.8, 0.2)),
        ([-3, 9], False, (-5, 10, 5)),
        ([1], True, (0, 1, 1)),  # counts never get a fractional step
        ([9], True, (0, 10, 5)),
        ([5, 5], False, (0, 6, 2)),
        ([], True, (0, 4, 1)),
        ([40, 75], False, (0, 80, 20)),
    ],
)
def test_linear_scale_is_round_and_covers_zero_and_every_value(values, integer, expected):
    scale = svgcharts.linear_scale(values, integer=integer)
    assert (scale.low, scale.high, scale.step) == pytest.approx(expected)
    assert scale.low <= min([0, *values]) and scale.high >= max([0, *values])
    assert scale.ticks()[0] == scale.low and scale.ticks()[-1] == scale.high


def test_minimum_high_keeps_a_reference_value_on_the_axis():
    assert svgcharts.linear_scale([40, 75], minimum_high=100).high == 100
    assert svgcharts.linear_scale([40, 75]).high == 80
    assert svgcharts.linear_scale([10, 20], minimum_high=100).high == 100


def test_row_bars_start_at_zero_and_negative_values_go_left():
    scale = svgcharts.Scale(-50, 100, 50)
    bars = svgcharts.row_bars(
        [100, -50, 0],
        ["a", "b", "c"],
        ["100", "△50", "0"],
        scale=scale,
        left=0,
        right=300,
        top=0,
        row_height=30,
        thickness=20,
    )
    zero = 100.0
    assert (bars[0].x, bars[0].width) == (zero, 200.0)
    assert (bars[1].x, bars[1].width) == (0.0, 100.0)
    assert bars[2].width == 0 and bars[2].value_x == zero + 6
    assert [bar.y for bar in bars] == [5.0, 35.0, 65.0]  # centred in each row


def test_columns_are_centred_in_equal_slots_and_grow_upwards():
    scale = svgcharts.Scale(0, 10, 5)
    bars = svgcharts.column_bars(
        [10, 5], ["4月", "5月"], ["10", "5"], scale=scale, left=0, right=200, top=0, bottom=100
    )
    assert [bar.x + bar.width / 2 for bar in bars] == [50.0, 150.0]
    assert (bars[0].y, bars[0].height) == (0.0, 100.0)
    assert (bars[1].y, bars[1].height) == (50.0, 50.0)


def test_grouped_columns_leave_a_labelled_gap_for_a_missing_value():
    scale = svgcharts.Scale(0, 20, 5)
    groups = svgcharts.grouped_columns(
        [[10, 7], [12, None]],
        [["10", "7"], ["12", ""]],
        scale=scale,
        left=0,
        right=400,
        top=0,
        bottom=200,
        missing_label="なし",
    )
    target, actual = groups[0].bars
    assert target.x + target.width < actual.x  # side by side with a gap
    assert target.height == 100.0 and actual.height == 70.0
    missing = groups[1].bars[1]
    assert missing.missing and missing.value_label == "なし" and missing.height == 0
    assert groups[0].center == 100.0 and groups[1].center == 300.0


def test_a_zero_value_still_draws_a_visible_sliver():
    groups = svgcharts.grouped_columns(
        [[0]], [["0"]], scale=svgcharts.Scale(0, 4, 1), left=0, right=100, top=0, bottom=100
    )
    assert groups[0].bars[0].height == 1.0


def test_stacked_row_fills_the_bar_in_order_and_labels_only_what_fits():
    fills = palette.scale_fills(["A", "B", "C", "休止・廃止"], kind=palette.ORDINAL)
    segments = svgcharts.stacked_row(
        [
            (name, count, fills[name])
            for name, count in [("A", 6), ("B", 0), ("C", 1), ("休止・廃止", 1)]
        ],
        x=10,
        width=400,
        label=lambda name, count: f"{name} {count}",
    )
    assert [s.name for s in segments] == ["A", "C", "休止・廃止"]  # zero parts are not drawn
    assert segments[0].x == 10 and segments[0].width == 300
    assert segments[-1].x + segments[-1].width == pytest.approx(410, abs=0.2)
    assert segments[0].label == "A 6" and segments[1].label == "C 1"
    assert segments[2].label == ""  # "休止・廃止 1" is wider than 50 units
    # Each part keeps its category's fill: C is C's even though B, before it, is not drawn.
    assert [s.fill for s in segments] == [fills["A"], fills["C"], fills["休止・廃止"]]
    assert svgcharts.stacked_row([("A", 0, fills["A"])], x=0, width=10, label=str) == []


def test_text_width_counts_full_width_characters_as_one_em():
    assert svgcharts.text_width("継続", 10) == 20
    assert svgcharts.text_width("A 12", 10) == pytest.approx(24)
    assert svgcharts.shorten("とても長い名前の節", 5) == "とても長…"

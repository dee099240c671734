"""hoshin.lib.palette: one fill (colour and pattern) per category value, by its place in its scale."""

import pytest

from hoshin.lib import palette

GRADES = ["A", "B", "C", "D"]
DIRECTIONS = ["expand", "continue", "improve", "reduce", "suspend", "complete", "merge"]


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("fill", palette.ALL_FILLS)
def test_labels_on_every_fill_meet_aa_contrast(fill):
    light, dark = sorted((_luminance(fill.colour), _luminance(fill.text)), reverse=True)
    assert (light + 0.05) / (dark + 0.05) >= 4.5


@pytest.mark.parametrize("fill", palette.ALL_FILLS)
def test_only_light_fills_carry_a_pattern(fill):
    # Patterns are drawn in near-black strokes: on a dark fill they would not show.
    if fill.pattern:
        assert fill.text == palette.INK


@pytest.mark.parametrize(
    ("kind", "length"),
    [(palette.ORDINAL, n) for n in range(1, 8)]
    + [(palette.PROGRESS, n) for n in range(1, 5)]
    + [(palette.NOMINAL, n) for n in range(1, 9)],
)
def test_the_values_of_one_scale_never_share_a_look(kind, length):
    fills = list(palette.scale_fills([str(i) for i in range(length)], kind=kind).values())
    assert len({(fill.colour, fill.pattern) for fill in fills}) == length
    # Two solid fills differ in lightness family or hue; two patterned ones in pattern or hue.
    assert len({fill.colour for fill in fills}) == length


def test_ordinal_scales_of_different_lengths_agree_on_the_best_and_the_worst():
    four = palette.scale_fills(GRADES, kind=palette.ORDINAL)
    five = palette.scale_fills(["S", "A", "B", "C", "D"], kind=palette.ORDINAL)
    assert four["A"] == five["S"] == palette.ORDINAL_RAMP[0]
    assert four["D"] == five["D"] == palette.ORDINAL_RAMP[5]


def test_a_value_keeps_its_fill_whatever_else_is_counted():
    # The bug of issue 11: fills followed the drawn position, so C took B's fill when B was 0.
    fills = palette.scale_fills(GRADES, kind=palette.ORDINAL)
    assert fills == palette.scale_fills(GRADES, kind=palette.ORDINAL)
    assert fills["C"] != fills["B"]


def test_grades_and_directions_do_not_look_alike():
    grades = set(palette.scale_fills(GRADES, kind=palette.ORDINAL).values())
    directions = set(palette.scale_fills(DIRECTIONS, kind=palette.NOMINAL).values())
    assert not grades & directions


def test_blank_and_unknown_values():
    fills = palette.scale_fills(GRADES, kind=palette.ORDINAL)
    assert palette.fill_of("", fills) == palette.BLANK_FILL
    assert palette.fill_of("B", fills) == fills["B"]
    extras = [palette.fill_of("X", fills, extra_index=i) for i in range(4)]
    assert len(set(extras)) == 4 and not set(extras) & set(fills.values())


def test_patterns_are_defined_once_per_page():
    patterned = palette.patterned_fills()
    assert len({fill.pattern_id for fill in patterned}) == len(patterned)
    hatched = palette.scale_fills(GRADES, kind=palette.ORDINAL)["B"]
    assert hatched in patterned
    assert hatched.paint == f"url(#{hatched.pattern_id})"
    assert palette.ORDINAL_RAMP[0].paint == "#1d4f91"


def test_satisfaction_scores_read_from_the_top():
    fills = palette.score_fills(1, 5)
    assert fills[5] == palette.ORDINAL_RAMP[0]  # 満足: as the best grade
    assert fills[1] == palette.ORDINAL_RAMP[5]  # 不満: as the worst grade
    assert len(set(fills.values())) == 5

"""The one palette of categorical charts: each category value gets a colour *and* a pattern.

Every chart that shows categories (grades, future directions, progress statuses, voice
statuses, satisfaction levels) asks here for its fills, so that one category looks the same in
every chart of a page and of the site, whatever other categories happen to be empty. Fills are
keyed by the category's **position in its scale** (scales are per evaluation template and per
cycle: "B" of one scale is not "B" of another, so a letter alone decides nothing), never by the
position in which a chart happens to draw it. Legends list categories in the scale's order.

Kinds of scale:

- ``ORDINAL`` (grades A→D, satisfaction 満足→不満, viewpoint scores): ordered best first; the
  best is dark blue, the worst dark brown, the middle pale, on a diverging ramp spread over the
  scale's length, so the best and worst look alike in a 4- and a 5-step scale;
- ``PROGRESS`` (未着手→取組中→完了): ordered from the start to the end; pale to dark blue;
- ``NOMINAL`` (future directions 拡充/継続/改善…, voice statuses): no order of merit; green,
  purple, teal and grey families, distinct from the ordinal ramp so that "B" and "継続" never
  look alike.

Each fill of a kind differs from the others of that kind in colour and, for light colours, in
pattern (patterns are drawn in dark strokes, so only light fills carry one); a dark fill takes
white text and a light fill dark text, both ≥ 4.5:1 (``hoshin/lib/tests/test_palette.py``). A
blank answer (未記入) is white with an outline only; a value no longer in the scale takes the
neutral greys after the scale's own fills.
"""

from collections.abc import Sequence
from dataclasses import dataclass

ORDINAL = "ordinal"
PROGRESS = "progress"
NOMINAL = "nominal"


@dataclass(frozen=True)
class Fill:
    """One fill of a categorical series: colour, optional pattern, text colour on it."""

    colour: str
    pattern: str  # "" (solid), "hatch", "backhatch", "dots", "cross"
    text: str  # the colour of a label drawn on this fill (≥ 4.5:1)

    @property
    def pattern_id(self) -> str:
        """The id of this fill's SVG <pattern>, defined once per page (``patterned_fills``)."""
        return f"palette-{self.pattern}-{self.colour[1:]}" if self.pattern else ""

    @property
    def paint(self) -> str:
        """The SVG ``fill`` value: the pattern when there is one, else the colour."""
        return f"url(#{self.pattern_id})" if self.pattern else self.colour


WHITE, INK = "#ffffff", "#1a1a1a"

# Best → worst. The indexes that a scale of n steps uses are in ORDINAL_STEPS.
ORDINAL_RAMP = (
    Fill("#1d4f91", "", WHITE),  # 0 dark blue: the best
    Fill("#a9c4e6", "hatch", INK),  # 1 light blue, hatched
    Fill("#d9e7f5", "dots", INK),  # 2 pale blue, dotted
    Fill("#e6e6e6", "cross", INK),  # 3 neutral grey, crossed: the middle of odd scales
    Fill("#f2c9a0", "backhatch", INK),  # 4 light orange, back-hatched
    Fill("#8a3b00", "", WHITE),  # 5 dark brown: the worst
    Fill("#4a4a4a", "", WHITE),  # 6 dark grey: below the worst of a 7-step scale
)
ORDINAL_STEPS = {
    1: (0,),
    2: (0, 5),
    3: (0, 3, 5),
    4: (0, 1, 4, 5),
    5: (0, 1, 3, 4, 5),
    6: (0, 1, 2, 3, 4, 5),
    7: (0, 1, 2, 3, 4, 5, 6),
}
PROGRESS_RAMP = (
    Fill("#e6e6e6", "cross", INK),  # not started
    Fill("#a9c4e6", "hatch", INK),  # under way
    Fill("#1d4f91", "", WHITE),  # done
    Fill("#d9e7f5", "dots", INK),  # a fourth step (e.g. 一部完了)
)
PROGRESS_STEPS = {1: (2,), 2: (0, 2), 3: (0, 1, 2), 4: (0, 3, 1, 2)}
NOMINAL_FILLS = (
    Fill("#2f6b3a", "", WHITE),  # dark green
    Fill("#bfe0c4", "cross", INK),  # light green, crossed
    Fill("#6b3fa0", "", WHITE),  # purple
    Fill("#d9c8ee", "dots", INK),  # light purple, dotted
    Fill("#00667a", "", WHITE),  # teal
    Fill("#b3e0e8", "hatch", INK),  # light teal, hatched
    Fill("#7a5c00", "", WHITE),  # olive
    Fill("#f5e6a3", "backhatch", INK),  # light yellow, back-hatched
)
# Values outside the scale (a code dropped from a later template): neutral, after the scale.
EXTRA_FILLS = (
    Fill("#4a4a4a", "", WHITE),
    Fill("#dddddd", "hatch", INK),
    Fill("#dddddd", "dots", INK),
    Fill("#dddddd", "cross", INK),
)
BLANK_FILL = Fill("#ffffff", "", INK)  # 未記入: white with the outline only
BLANK_CODE = ""

ALL_FILLS = (*ORDINAL_RAMP, *PROGRESS_RAMP, *NOMINAL_FILLS, *EXTRA_FILLS, BLANK_FILL)


def patterned_fills() -> list[Fill]:
    """Every patterned fill once: a page defines their <pattern>s once, charts refer to them."""
    return list({fill.pattern_id: fill for fill in ALL_FILLS if fill.pattern}.values())


def _scale_fills(kind: str, count: int) -> list[Fill]:
    if kind == ORDINAL:
        if count in ORDINAL_STEPS:
            return [ORDINAL_RAMP[i] for i in ORDINAL_STEPS[count]]
        # Longer scales: the ramp, then the neutral greys (a 10-step scale is rare).
        return [*ORDINAL_RAMP, *(EXTRA_FILLS[i % len(EXTRA_FILLS)] for i in range(count - 7))]
    if kind == PROGRESS:
        steps = PROGRESS_STEPS.get(count) or tuple(range(len(PROGRESS_RAMP)))
        return [
            PROGRESS_RAMP[steps[i]] if i < len(steps) else EXTRA_FILLS[i % len(EXTRA_FILLS)]
            for i in range(count)
        ]
    if kind == NOMINAL:
        return [NOMINAL_FILLS[i % len(NOMINAL_FILLS)] for i in range(count)]
    raise ValueError(f"unknown kind of scale: {kind!r}")


def scale_fills(codes: Sequence[str], *, kind: str) -> dict[str, Fill]:
    """The fill of each code of a scale (in the scale's order), for charts and their legends."""
    return dict(zip(codes, _scale_fills(kind, len(codes)), strict=True))


def score_fills(low: int, high: int) -> dict[int, Fill]:
    """Fills of a score scale whose highest score is the best (satisfaction 1 不満 … 5 満足:
    citizens' ratings and the surveys' 5-step questions), as an ordinal scale read from the top."""
    scores = list(range(high, low - 1, -1))
    fills = scale_fills([str(score) for score in scores], kind=ORDINAL)
    return {score: fills[str(score)] for score in scores}


def fill_of(code: str, fills: dict[str, Fill], *, extra_index: int = 0) -> Fill:
    """The fill of one value: its scale's, the blank fill for 未記入, else a neutral one.

    ``extra_index`` numbers the values outside the scale, so that two of them differ.
    """
    if code == BLANK_CODE:
        return BLANK_FILL
    if code in fills:
        return fills[code]
    return EXTRA_FILLS[extra_index % len(EXTRA_FILLS)]

"""Inline SVG charts drawn on the server: the geometry every chart of the project shares.

Charts are computed here and drawn by small templates as inline ``<svg>``: no JavaScript, no
chart library, nothing fetched (a closed LGWAN network has no CDN), and they print. This module
only does geometry — scales, ticks, bars, stacked segments — in SVG user units; the callers
(``hoshin.portal.charts``, ``hoshin.voices.views.stats_charts``, ``hoshin.surveys.charts``) add
the words: titles, the ``<desc>`` that states every figure for screen readers, and a table
with the same numbers next to each chart.

Layouts:

- ``row_bars``: one horizontal bar per row (counts per category, shares of respondents,
  mean progress rates per node), with a vertical grid;
- ``column_bars``: one vertical column per category (counts per month);
- ``grouped_columns``: several columns per category (target and actual per fiscal year),
  where a missing value leaves a gap with a short text instead of a zero-height bar;
- ``stacked_row``: one 100% bar cut into segments (grade or direction distribution), with a
  label inside each segment wide enough to hold it.

Segments carry the fill of their category from ``hoshin.lib.palette`` (a colour *and* a
pattern per category value, the same in every chart), so that categories differ in more than
colour (WCAG 1.4.1) and labels on them keep a 4.5:1 contrast (dark fills take white text, light
fills dark text).
"""

import math
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from hoshin.lib import palette


def _r(value: float) -> float:
    """SVG coordinates to a tenth of a unit: enough for the eye, short in the HTML."""
    return round(value, 1)


# Fills of categories (colour, pattern, text colour) come from ``hoshin.lib.palette``: one fill
# per category value, whatever is drawn beside it.
Fill = palette.Fill


# ---- scales ----------------------------------------------------------------------------------


def nice_step(span: float, steps: int = 4, *, integer: bool = False) -> float:
    """A round step (1, 2, 2.5, 5 × 10ⁿ) such that ``steps`` steps cover ``span``.

    ``integer`` scales (counts) never use a fractional step.
    """
    if span <= 0:
        return 1.0
    raw = span / steps
    magnitude = 10 ** math.floor(math.log10(raw))
    if integer and magnitude < 1:
        magnitude = 1
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * magnitude
        if raw <= step and (not integer or step == int(step)):
            return float(step)
    return 10.0 * magnitude


@dataclass(frozen=True)
class Scale:
    """A linear axis from ``low`` to ``high`` (both multiples of ``step``; zero always inside)."""

    low: float
    high: float
    step: float

    def ticks(self) -> list[float]:
        count = round((self.high - self.low) / self.step)
        return [round(self.low + i * self.step, 9) for i in range(count + 1)]

    def at(self, value: float, start: float, end: float) -> float:
        """The coordinate of ``value`` on an axis drawn from ``start`` (low) to ``end`` (high)."""
        return start + (value - self.low) / (self.high - self.low) * (end - start)


def linear_scale(
    values: Sequence[float], *, steps: int = 4, integer: bool = False, minimum_high: float = 0
) -> Scale:
    """A scale from zero (or the lowest negative value) to a round value above the highest."""
    low = min(0.0, *values) if values else 0.0
    high = max(0.0, minimum_high, *values) if values else max(minimum_high, 0.0)
    if high == low:
        high = low + (steps if integer else 1)
    step = nice_step(high - low, steps, integer=integer)
    return Scale(math.floor(low / step) * step, math.ceil(high / step) * step, step)


def text_width(text: str, font_size: float = 15) -> float:
    """An estimate of the drawn width of ``text``: full-width characters 1 em, others 0.6 em."""
    wide = sum(1 for char in text if unicodedata.east_asian_width(char) in "WF")
    return (wide + (len(text) - wide) * 0.6) * font_size


def shorten(label: str, limit: int) -> str:
    """A label cut to ``limit`` characters with an ellipsis (the table beside has it whole)."""
    return label if len(label) <= limit else label[: limit - 1] + "…"


# ---- shapes ----------------------------------------------------------------------------------


@dataclass
class Tick:
    """A grid line and its label."""

    value: float
    label: str
    x1: float
    y1: float
    x2: float
    y2: float
    label_x: float
    label_y: float

    @property
    def x(self) -> float:  # vertical grid lines: the line's x
        return self.x1

    @property
    def y(self) -> float:  # horizontal grid lines: the line's y
        return self.y1


@dataclass
class Bar:
    """A rectangle with its category label and its value label."""

    label: str
    value_label: str
    x: float
    y: float
    width: float
    height: float
    label_x: float = 0.0
    label_y: float = 0.0
    value_x: float = 0.0
    value_y: float = 0.0
    value: float | None = None
    missing: bool = False  # no value: draw the value label only (e.g. "なし")
    series: int = 0  # index of the series (grouped columns)
    fill: Fill | None = None  # a category's fill (hoshin.lib.palette); None: the chart's colour


def _format_tick(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.6g}"


def x_ticks(
    scale: Scale,
    *,
    left: float,
    right: float,
    top: float,
    bottom: float,
    label: Callable[[float], str] = _format_tick,
) -> list[Tick]:
    """Vertical grid lines of a horizontal axis, labelled under the plot."""
    ticks = []
    for value in scale.ticks():
        x = _r(scale.at(value, left, right))
        ticks.append(Tick(value, label(value), x, top, x, bottom, x, _r(bottom + 22)))
    return ticks


def y_ticks(
    scale: Scale,
    *,
    left: float,
    right: float,
    top: float,
    bottom: float,
    label: Callable[[float], str] = _format_tick,
) -> list[Tick]:
    """Horizontal grid lines of a vertical axis, labelled left of the plot."""
    ticks = []
    for value in scale.ticks():
        y = _r(scale.at(value, bottom, top))
        ticks.append(Tick(value, label(value), left, y, right, y, left - 8, _r(y + 5)))
    return ticks


def row_bars(
    values: Sequence[float],
    labels: Sequence[str],
    value_labels: Sequence[str],
    *,
    scale: Scale,
    left: float,
    right: float,
    top: float,
    row_height: float,
    thickness: float,
    label_gap: float = 8,
    bar_offset: float | None = None,
) -> list[Bar]:
    """One horizontal bar per row, starting at zero; value labels just past the bar's end.

    Bars are centred in their rows unless ``bar_offset`` places them (room for a label above).
    """
    zero = scale.at(0.0, left, right)
    offset = (row_height - thickness) / 2 if bar_offset is None else bar_offset
    bars = []
    for index, (value, label, value_label) in enumerate(
        zip(values, labels, value_labels, strict=True)
    ):
        y = top + index * row_height + offset
        end = scale.at(value, left, right)
        text_y = _r(y + thickness / 2 + 5)
        bars.append(
            Bar(
                label=label,
                value_label=value_label,
                x=_r(min(zero, end)),
                y=_r(y),
                width=_r(abs(end - zero)),
                height=_r(thickness),
                label_x=_r(left - label_gap),
                label_y=text_y,
                value_x=_r(max(zero, end) + 6),
                value_y=text_y,
                value=value,
                series=index,
            )
        )
    return bars


def column_bars(
    values: Sequence[float],
    labels: Sequence[str],
    value_labels: Sequence[str],
    *,
    scale: Scale,
    left: float,
    right: float,
    top: float,
    bottom: float,
    max_width: float = 36,
    fill: float = 0.6,
) -> list[Bar]:
    """One vertical column per category, centred in equal slots; value labels above."""
    slot = (right - left) / max(len(values), 1)
    width = min(max_width, slot * fill)
    zero = scale.at(0.0, bottom, top)
    bars = []
    for index, (value, label, value_label) in enumerate(
        zip(values, labels, value_labels, strict=True)
    ):
        center = left + slot * (index + 0.5)
        end = scale.at(value, bottom, top)
        bars.append(
            Bar(
                label=label,
                value_label=value_label,
                x=_r(center - width / 2),
                y=_r(min(zero, end)),
                width=_r(width),
                height=_r(abs(zero - end)),
                label_x=_r(center),
                label_y=_r(bottom + 22),
                value_x=_r(center),
                value_y=_r(min(zero, end) - 6),
                value=value,
                series=index,
            )
        )
    return bars


@dataclass
class ColumnGroup:
    """The columns of one category (e.g. one fiscal year) and where its label goes."""

    center: float
    bars: list[Bar] = field(default_factory=list)


def grouped_columns(
    groups: Sequence[Sequence[float | None]],
    value_labels: Sequence[Sequence[str]],
    *,
    scale: Scale,
    left: float,
    right: float,
    top: float,
    bottom: float,
    max_width: float = 48,
    fill: float = 0.64,
    gap: float = 4,
    missing_label: str = "",
    min_height: float = 1.0,
) -> list[ColumnGroup]:
    """Side-by-side columns per category; ``None`` draws ``missing_label`` instead of a bar.

    A value that rounds to zero height still gets ``min_height`` so that "0" is visibly drawn.
    """
    slot = (right - left) / max(len(groups), 1)
    per_group = max((len(group) for group in groups), default=1)
    width = min(max_width, slot * fill / per_group)
    zero = scale.at(0.0, bottom, top)
    result = []
    for index, (group, labels) in enumerate(zip(groups, value_labels, strict=True)):
        center = left + slot * (index + 0.5)
        start = center - (len(group) * width + (len(group) - 1) * gap) / 2
        column_group = ColumnGroup(center=_r(center))
        for series, (value, value_label) in enumerate(zip(group, labels, strict=True)):
            x = start + series * (width + gap)
            bar = Bar(
                label="",
                value_label=value_label,
                x=_r(x),
                y=0.0,
                width=_r(width),
                height=0.0,
                label_x=_r(x + width / 2),
                value_x=_r(x + width / 2),
                value=value,
                series=series,
            )
            if value is None:
                bar.missing = True
                bar.value_label = missing_label
                bar.value_y = _r(zero - 6)
            else:
                end = scale.at(value, bottom, top)
                bar.y = _r(min(end, zero))
                bar.height = _r(max(abs(zero - end), min_height))
                bar.value_y = _r(end - 6 if value >= 0 else end + 18)
            bar.label_y = bar.value_y
            column_group.bars.append(bar)
        result.append(column_group)
    return result


@dataclass
class Segment:
    """One part of a 100% bar; ``label`` is empty when the segment is too narrow to hold it."""

    name: str
    count: float
    share: float  # 0–1
    x: float
    width: float
    fill: Fill
    label: str = ""
    label_x: float = 0.0


def stacked_row(
    parts: Sequence[tuple[str, float, Fill]],
    *,
    x: float,
    width: float,
    label: Callable[[str, float], str],
    font_size: float = 15,
) -> list[Segment]:
    """Segments of a bar ``width`` wide, in order, for the non-zero parts (name, count, fill).

    Each segment is labelled (``label(name, count)``) when the text fits inside it; the table
    next to the chart always has every figure. Each part's fill is its category's
    (``hoshin.lib.palette``), so a category looks the same whatever else is drawn.
    """
    total = sum(part[1] for part in parts)
    segments: list[Segment] = []
    if total <= 0:
        return segments
    cursor = x
    for name, count, fill in parts:
        if count <= 0:
            continue
        share = count / total
        segment_width = width * share
        text = label(name, count)
        fits = text_width(text, font_size) + 8 <= segment_width
        segments.append(
            Segment(
                name=name,
                count=count,
                share=share,
                x=_r(cursor),
                width=_r(segment_width),
                fill=fill,
                label=text if fits else "",
                label_x=_r(cursor + segment_width / 2),
            )
        )
        cursor += segment_width
    return segments

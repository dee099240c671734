"""Bar charts of the voice statistics, drawn on the server as inline SVG.

``hoshin/portal/charts.py`` draws target-vs-actual pairs of one indicator; counts per category
need plain bars, so the geometry is here and the drawing reuses the portal's chart styles
(``.chart__*`` in site.css). The template ``voices/stats/_chart.html`` draws it with a title
and a description for screen readers, and the same numbers follow in a table.
"""

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _

from hoshin.voices.selectors.stats import Breakdown

WIDTH = 640
QUARTER_MONTHS = ("4月", "7月", "10月", "1月")
LABEL_CHARS = 11  # longer labels are cut in the drawing (the table has them in full)


@dataclass
class Bar:
    label: str  # as drawn (maybe shortened)
    full_label: str
    count: int
    value_label: str
    x: float
    y: float
    width: float
    height: float
    label_x: float
    label_y: float
    value_x: float
    value_y: float
    sublabel: str = ""  # the year under a month's column (January and the first month)


@dataclass
class Tick:
    x1: float
    y1: float
    x2: float
    y2: float
    label: str
    label_x: float
    label_y: float


@dataclass
class Chart:
    id: str
    title: str
    desc: str
    width: int
    height: int
    vertical: bool
    bars: list[Bar]
    ticks: list[Tick]
    axis: tuple[float, float, float, float]


def _nice_max(value: int, steps: int = 4) -> tuple[int, int]:
    """(top of the scale, step): a round step such that ``steps`` steps cover ``value``."""
    if value <= 0:
        return steps, 1
    raw = value / steps
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * magnitude
        if raw <= step and step == int(step):
            break
    step = max(int(step), 1)
    return step * math.ceil(value / step), step


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def _describe(breakdown: Breakdown) -> str:
    parts = [f"{row.label} {row.count:,}件" for row in breakdown.rows]
    return f"{breakdown.title}。" + "、".join(parts) + f"。合計{breakdown.total:,}件。"


def bar_chart(breakdown: Breakdown, *, chart_id: str, vertical: bool = False) -> Chart | None:
    """Horizontal bars (one per row), or vertical columns for months; None when all are 0."""
    if not breakdown.rows or breakdown.total == 0:
        return None
    top_value, step = _nice_max(max(row.count for row in breakdown.rows))
    return (_columns if vertical else _rows)(breakdown, chart_id, top_value, step)


def _rows(breakdown: Breakdown, chart_id: str, top_value: int, step: int) -> Chart:
    left, right, top, row_height = 180, 72, 12, 30
    height = top + row_height * len(breakdown.rows) + 36
    plot_bottom = top + row_height * len(breakdown.rows)
    span = WIDTH - left - right

    def x_of(value: float) -> float:
        return round(left + value / top_value * span, 1)

    bars = []
    for index, row in enumerate(breakdown.rows):
        y = top + index * row_height + 5
        end = x_of(row.count)
        bars.append(
            Bar(
                label=_short(row.label),
                full_label=row.label,
                count=row.count,
                value_label=f"{row.count:,}",
                x=left,
                y=y,
                width=round(max(end - left, 0), 1),
                height=row_height - 10,
                label_x=left - 8,
                label_y=y + 15,
                value_x=end + 6,
                value_y=y + 15,
            )
        )
    ticks = [
        Tick(
            x1=x_of(value),
            y1=top,
            x2=x_of(value),
            y2=plot_bottom,
            label=f"{value:,}",
            label_x=x_of(value),
            label_y=plot_bottom + 22,
        )
        for value in range(0, top_value + 1, step)
    ]
    return Chart(
        id=chart_id,
        title=breakdown.title + _("（単位：件）"),
        desc=_describe(breakdown),
        width=WIDTH,
        height=height,
        vertical=False,
        bars=bars,
        ticks=ticks,
        axis=(left, top, left, plot_bottom),
    )


def _columns(breakdown: Breakdown, chart_id: str, top_value: int, step: int) -> Chart:
    left, right, top, bottom = 56, 12, 24, 48
    height = 300
    plot_bottom = height - bottom
    slot = (WIDTH - left - right) / len(breakdown.rows)
    width = min(36.0, slot * 0.6)

    def y_of(value: float) -> float:
        return round(plot_bottom - value / top_value * (plot_bottom - top), 1)

    bars = []
    for index, row in enumerate(breakdown.rows):
        center = left + slot * (index + 0.5)
        y = y_of(row.count)
        year, _sep, month = row.label.rpartition("年")
        if len(breakdown.rows) > 12 and month not in QUARTER_MONTHS:
            month = ""  # a long period: label the start of each quarter only (the table has all)
        bars.append(
            Bar(
                label=month,
                sublabel=f"{year}年" if year else "",
                full_label=row.label,
                count=row.count,
                value_label=f"{row.count:,}",
                x=round(center - width / 2, 1),
                y=y,
                width=round(width, 1),
                height=round(plot_bottom - y, 1),
                label_x=round(center, 1),
                label_y=plot_bottom + 22,
                value_x=round(center, 1),
                value_y=y - 6,
            )
        )
    ticks = [
        Tick(
            x1=left,
            y1=y_of(value),
            x2=WIDTH - right,
            y2=y_of(value),
            label=f"{value:,}",
            label_x=left - 8,
            label_y=y_of(value) + 5,
        )
        for value in range(0, top_value + 1, step)
    ]
    return Chart(
        id=chart_id,
        title=breakdown.title + _("（単位：件）"),
        desc=_describe(breakdown),
        width=WIDTH,
        height=height,
        vertical=True,
        bars=bars,
        ticks=ticks,
        axis=(left, plot_bottom, WIDTH - right, plot_bottom),
    )

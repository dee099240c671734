"""Bar charts of the voice statistics, drawn on the server as inline SVG.

The geometry comes from ``hoshin.lib.svgcharts`` (shared with the portal's and the surveys'
charts); this module adds the words and the month labels. The template
``voices/stats/_chart.html`` draws it with a title and a description for screen readers, and
the same numbers follow in a table.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from hoshin.lib import palette, svgcharts
from hoshin.voices.selectors.stats import Breakdown

WIDTH = 640
QUARTER_MONTHS = ("4月", "7月", "10月", "1月")
LABEL_CHARS = 11  # longer labels are cut in the drawing (the table has them in full)


@dataclass
class Bar(svgcharts.Bar):
    full_label: str = ""
    count: int = 0
    sublabel: str = ""  # the year under a month's column (January and the first month)


@dataclass
class Chart:
    id: str
    title: str
    desc: str
    width: int
    height: int
    vertical: bool
    bars: list[Bar]
    ticks: list[svgcharts.Tick]
    axis: tuple[float, float, float, float]


def _describe(breakdown: Breakdown) -> str:
    parts = [f"{row.label} {row.count:,}件" for row in breakdown.rows]
    return f"{breakdown.title}。" + "、".join(parts) + f"。合計{breakdown.total:,}件。"


# Breakdowns whose rows are categories with a look of their own (hoshin.lib.palette): each bar
# takes its category's fill, the same on every page; the other breakdowns use one colour.
CATEGORY_KINDS = {"status": palette.NOMINAL}


def bar_chart(breakdown: Breakdown, *, chart_id: str, vertical: bool = False) -> Chart | None:
    """Horizontal bars (one per row), or vertical columns for months; None when all are 0."""
    if not breakdown.rows or breakdown.total == 0:
        return None
    scale = svgcharts.linear_scale([row.count for row in breakdown.rows], integer=True)
    chart = (_columns if vertical else _rows)(breakdown, chart_id, scale)
    kind = CATEGORY_KINDS.get(breakdown.id)
    if kind is not None:
        fills = palette.scale_fills([row.key for row in breakdown.rows], kind=kind)
        for bar, row in zip(chart.bars, breakdown.rows, strict=True):
            bar.fill = fills[row.key]
    return chart


def _chart(breakdown, chart_id, *, height, vertical, bars, ticks, axis) -> Chart:
    return Chart(
        id=chart_id,
        title=breakdown.title + _("（単位：件）"),
        desc=_describe(breakdown),
        width=WIDTH,
        height=height,
        vertical=vertical,
        bars=bars,
        ticks=ticks,
        axis=axis,
    )


def _rows(breakdown: Breakdown, chart_id: str, scale: svgcharts.Scale) -> Chart:
    left, right, top, row_height = 180, WIDTH - 72, 12, 30
    plot_bottom = top + row_height * len(breakdown.rows)
    counts = [row.count for row in breakdown.rows]
    drawn = svgcharts.row_bars(
        counts,
        [svgcharts.shorten(row.label, LABEL_CHARS) for row in breakdown.rows],
        [f"{count:,}" for count in counts],
        scale=scale,
        left=left,
        right=right,
        top=top,
        row_height=row_height,
        thickness=row_height - 10,
    )
    bars = [
        Bar(**vars(bar), full_label=row.label, count=row.count)
        for bar, row in zip(drawn, breakdown.rows, strict=True)
    ]
    ticks = svgcharts.x_ticks(scale, left=left, right=right, top=top, bottom=plot_bottom)
    return _chart(
        breakdown,
        chart_id,
        height=plot_bottom + 36,
        vertical=False,
        bars=bars,
        ticks=ticks,
        axis=(left, top, left, plot_bottom),
    )


def _columns(breakdown: Breakdown, chart_id: str, scale: svgcharts.Scale) -> Chart:
    left, right, top, height = 56, WIDTH - 12, 24, 300
    plot_bottom = height - 48
    labels, sublabels = [], []
    for row in breakdown.rows:
        year, _sep, month = row.label.rpartition("年")
        if len(breakdown.rows) > 12 and month not in QUARTER_MONTHS:
            month = ""  # a long period: label the start of each quarter only (the table has all)
        labels.append(month)
        sublabels.append(f"{year}年" if year else "")
    counts = [row.count for row in breakdown.rows]
    drawn = svgcharts.column_bars(
        counts,
        labels,
        [f"{count:,}" for count in counts],
        scale=scale,
        left=left,
        right=right,
        top=top,
        bottom=plot_bottom,
    )
    bars = [
        Bar(**vars(bar), full_label=row.label, count=row.count, sublabel=sublabel)
        for bar, row, sublabel in zip(drawn, breakdown.rows, sublabels, strict=True)
    ]
    ticks = svgcharts.y_ticks(scale, left=left, right=right, top=top, bottom=plot_bottom)
    return _chart(
        breakdown,
        chart_id,
        height=height,
        vertical=True,
        bars=bars,
        ticks=ticks,
        axis=(left, plot_bottom, right, plot_bottom),
    )

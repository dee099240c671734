"""Server-side horizontal bar charts of survey results, drawn as inline SVG by a template.

``templates/surveys/staff/_bar_chart.html`` draws the geometry computed here with
``hoshin.lib.svgcharts`` (shared with the portal's and the voice statistics' charts): no
JavaScript, nothing fetched. The SVG has ``role="img"`` with a title and a description that
state every figure, and the page prints the same numbers in a table next to it. Bars run on a
fixed 0–100% axis so that charts of different questions compare at a glance.
"""

from dataclasses import dataclass
from decimal import Decimal

from hoshin.lib import svgcharts
from hoshin.lib.numbers import format_rate

WIDTH = 480
LEFT = 18
PLOT_WIDTH = 330  # 100% of respondents
ROW_HEIGHT = 50  # label line + bar + gap
BAR_HEIGHT = 20
BAR_OFFSET = 22  # the choice's label sits above its bar
TOP = 8
AXIS_SPACE = 28
LABEL_CHARS = 26  # longer choice labels are shortened in the drawing (the table has them whole)
PERCENT = svgcharts.Scale(low=0, high=100, step=25)


class Bar(svgcharts.Bar):
    @property
    def value_text(self) -> str:
        return self.value_label


@dataclass
class BarChart:
    id: str
    title: str
    desc: str
    width: int
    height: int
    left: int
    plot_width: int
    bar_height: int
    bars: list[Bar]
    ticks: list[svgcharts.Tick]
    axis_top: float
    axis_bottom: float
    tick_label_y: float


@dataclass
class ChartRow:
    label: str
    count: int
    share: Decimal | None  # count ÷ respondents, None when nobody responded
    fill: svgcharts.Fill | None = None  # a scale point's look (hoshin.lib.palette), else None


def value_text(row: ChartRow) -> str:
    """``42件（21.0%）``: how each bar and the chart's description state a figure."""
    return f"{row.count:,}件（{format_rate(row.share)}）"


def bar_chart(*, chart_id: str, title: str, rows: list[ChartRow], note: str = "") -> BarChart:
    """The geometry of a chart with one bar per row; ``note`` ends the description."""
    drawn = svgcharts.row_bars(
        # A multiple-choice share can pass 100%: the bar stops at the axis, the text says it.
        [min(max(float(row.share or 0), 0.0), 1.0) * 100 for row in rows],
        [svgcharts.shorten(row.label, LABEL_CHARS) for row in rows],
        [value_text(row) for row in rows],
        scale=PERCENT,
        left=LEFT,
        right=LEFT + PLOT_WIDTH,
        top=TOP,
        row_height=ROW_HEIGHT,
        thickness=BAR_HEIGHT,
        bar_offset=BAR_OFFSET,
    )
    bars = []
    for bar, row in zip(drawn, rows, strict=True):
        bar.label_y = bar.y - 6
        bar.fill = row.fill
        bars.append(Bar(**vars(bar)))
    axis_bottom = TOP + len(rows) * ROW_HEIGHT
    figures = "、".join(f"{row.label} {value_text(row)}" for row in rows)
    desc = f"{figures}。{note}" if note else f"{figures}。"
    return BarChart(
        id=chart_id,
        title=title,
        desc=desc,
        width=WIDTH,
        height=int(axis_bottom + AXIS_SPACE),
        left=LEFT,
        plot_width=PLOT_WIDTH,
        bar_height=BAR_HEIGHT,
        bars=bars,
        ticks=svgcharts.x_ticks(
            PERCENT,
            left=LEFT,
            right=LEFT + PLOT_WIDTH,
            top=TOP,
            bottom=axis_bottom,
            label=lambda value: f"{value:.0f}%",
        ),
        axis_top=TOP,
        axis_bottom=axis_bottom,
        tick_label_y=axis_bottom + 20,
    )

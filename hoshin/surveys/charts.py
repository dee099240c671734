"""Server-side horizontal bar charts of survey results, drawn as inline SVG by a template.

``templates/surveys/staff/_bar_chart.html`` draws the geometry computed here: no JavaScript,
nothing fetched. The SVG has ``role="img"`` with a title and a description that state every
figure, and the page prints the same numbers in a table next to it. Bars run on a fixed
0–100% axis so that charts of different questions compare at a glance.
"""

from dataclasses import dataclass
from decimal import Decimal

from hoshin.lib.numbers import format_rate

WIDTH = 480
LEFT = 18
PLOT_WIDTH = 330  # 100% of respondents
ROW_HEIGHT = 50  # label line + bar + gap
BAR_HEIGHT = 20
TOP = 8
AXIS_SPACE = 28
LABEL_CHARS = 26  # longer choice labels are shortened in the drawing (the table has them whole)
TICKS = (0, 25, 50, 75, 100)


@dataclass
class Bar:
    label: str
    value_text: str
    y: float
    label_y: float
    width: float
    value_x: float
    value_y: float


@dataclass
class Tick:
    x: float
    label: str


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
    ticks: list[Tick]
    axis_top: float
    axis_bottom: float
    tick_label_y: float


@dataclass
class ChartRow:
    label: str
    count: int
    share: Decimal | None  # count ÷ respondents, None when nobody responded


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def value_text(row: ChartRow) -> str:
    """``42件（21.0%）``: how each bar and the chart's description state a figure."""
    return f"{row.count:,}件（{format_rate(row.share)}）"


def bar_chart(*, chart_id: str, title: str, rows: list[ChartRow], note: str = "") -> BarChart:
    """The geometry of a chart with one bar per row; ``note`` ends the description."""
    bars = []
    for index, row in enumerate(rows):
        top = TOP + index * ROW_HEIGHT
        share = float(row.share or 0)
        width = round(PLOT_WIDTH * min(max(share, 0.0), 1.0), 1)
        bar_y = top + 22
        bars.append(
            Bar(
                label=_short(row.label),
                value_text=value_text(row),
                y=bar_y,
                label_y=top + 16,
                width=width,
                value_x=LEFT + width + 6,
                value_y=bar_y + 15,
            )
        )
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
        ticks=[Tick(x=LEFT + PLOT_WIDTH * t / 100, label=f"{t}%") for t in TICKS],
        axis_top=TOP,
        axis_bottom=axis_bottom,
        tick_label_y=axis_bottom + 20,
    )

"""Server-side charts: the geometry of an indicator's target-vs-actual bar chart.

The template ``portal/_indicator_chart.html`` draws it as inline SVG (no JavaScript, no
library, nothing fetched), with a title and a description read by screen readers, and the
same numbers follow in a table. Bars are told apart by fill *and* pattern, not colour alone.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from hoshin.evaluations.models import Direction
from hoshin.evaluations.selectors.public import IndicatorSeries
from hoshin.lib.fiscal import format_fiscal_year
from hoshin.lib.numbers import format_quantity

# A narrow drawing: on a phone it shrinks less, so its text stays legible.
WIDTH = 480
HEIGHT = 300
LEFT, RIGHT, TOP, BOTTOM = 64, 12, 52, 56  # plot margins: axis labels, legend, year labels


@dataclass
class Bar:
    kind: str  # "target" or "actual"
    x: float
    width: float
    y: float = 0.0
    height: float = 0.0
    label: str = ""
    label_x: float = 0.0
    label_y: float = 0.0
    missing: bool = False  # no value: a short text instead of a bar


@dataclass
class Group:
    center: float
    era_label: str  # 令和6年度
    year_label: str  # (2024)
    bars: list[Bar] = field(default_factory=list)


@dataclass
class Tick:
    y: float
    label: str
    label_y: float = 0.0


@dataclass
class Chart:
    id: str
    title: str
    desc: str
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    ticks: list[Tick]
    groups: list[Group]
    zero_y: float
    tick_x: float = LEFT - 8
    value_font_size: int = 15  # smaller when many years share the width
    baseline_y: float | None = None
    baseline_label: str = ""


def _nice_step(span: float, steps: int = 4) -> float:
    raw = span / steps
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _value_text(value: Decimal | None, unit: str) -> str:
    return f"{format_quantity(value)}{unit}" if value is not None else "なし"


def _describe(series: IndicatorSeries) -> str:
    unit = series.unit
    parts = [
        f"{point.fy_label}は目標値{_value_text(point.target, unit)}、"
        f"実績値{_value_text(point.actual, unit)}"
        for point in series.points
    ]
    text = f"{series.name}の年度ごとの目標値と実績値。" + "。".join(parts) + "。"
    baseline = series.points[-1].baseline if series.points else None
    if baseline is not None:
        text += f"基準値は{_value_text(baseline, unit)}。"
    if series.direction == Direction.LOWER:
        text += "値が低いほど良い指標です。"
    return text


def indicator_chart(series: IndicatorSeries, *, chart_id: str) -> Chart | None:
    """Grouped bars (target, actual) per published year; None when there is nothing to draw."""
    if not series.has_values:
        return None
    values = [
        float(v)
        for point in series.points
        for v in (point.target, point.actual, point.baseline)
        if v is not None
    ]
    low, high = min(0.0, *values), max(0.0, *values)
    if high == low:
        high = low + 1
    step = _nice_step(high - low)
    low = math.floor(low / step) * step
    high = math.ceil(high / step) * step
    plot_top, plot_bottom = TOP, HEIGHT - BOTTOM
    plot_left, plot_right = LEFT, WIDTH - RIGHT

    def y_of(value: float) -> float:
        return plot_bottom - (value - low) / (high - low) * (plot_bottom - plot_top)

    ticks = []
    n_ticks = round((high - low) / step)
    for i in range(n_ticks + 1):
        value = low + i * step
        label = format_quantity(Decimal(str(round(value, 6))))
        y = round(y_of(value), 1)
        ticks.append(Tick(y=y, label=label, label_y=round(y + 5, 1)))

    zero_y = y_of(0.0)
    slot = (plot_right - plot_left) / len(series.points)
    bar_width = min(48.0, slot * 0.32)
    groups = []
    for index, point in enumerate(series.points):
        center = plot_left + slot * (index + 0.5)
        group = Group(
            center=round(center, 1),
            era_label=format_fiscal_year(point.fy, western=False),
            year_label=f"（{point.fy}年度）",
        )
        for offset, kind, value in ((-1, "target", point.target), (0, "actual", point.actual)):
            x = center + offset * bar_width + (-2 if offset else 2)
            bar = Bar(
                kind=kind,
                x=round(x, 1),
                width=round(bar_width, 1),
                label_x=round(x + bar_width / 2, 1),
            )
            if value is None:
                bar.missing = True
                bar.label = "なし"
                bar.label_y = round(zero_y - 6, 1)
            else:
                top = y_of(float(value))
                bar.y = round(min(top, zero_y), 1)
                bar.height = round(max(abs(zero_y - top), 1.0), 1)
                bar.label = format_quantity(value)
                bar.label_y = round(top - 6 if float(value) >= 0 else top + 18, 1)
            group.bars.append(bar)
        groups.append(group)

    baseline = series.points[-1].baseline
    chart = Chart(
        id=chart_id,
        title=f"{series.name}の目標値と実績値の推移"
        + (f"（単位：{series.unit}）" if series.unit else ""),
        desc=_describe(series),
        width=WIDTH,
        height=HEIGHT,
        left=plot_left,
        right=plot_right,
        top=plot_top,
        bottom=plot_bottom,
        ticks=ticks,
        groups=groups,
        zero_y=round(zero_y, 1),
        value_font_size=15 if slot >= 130 else 12,
    )
    if baseline is not None:
        chart.baseline_y = round(y_of(float(baseline)), 1)
        chart.baseline_label = f"基準値 {format_quantity(baseline)}"
    return chart

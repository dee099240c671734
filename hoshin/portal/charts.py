"""Charts of the public portal, drawn on the server as inline SVG (``hoshin.lib.svgcharts``).

- ``indicator_chart``: one indicator's target (hatched) and actual (solid) per published year,
  with the baseline as a dashed line (the action page; ``portal/_indicator_chart.html``);
- ``distribution_chart``: 100% bars of the overall grades, future directions and progress
  statuses of one plan or node (the plan page; ``portal/_distribution_chart.html``);
- ``mini_bar``: a node's grades as one small 100% bar (the plan outline's one line per node);
- ``progress_chart``: the mean progress rate of each node below a plan or node, with a line
  at 100% (the plan page; ``portal/_progress_chart.html``).

Every chart has a title and a description stating every figure (read by screen readers via
``role="img"``), and its template is followed by a table with the same numbers. Nothing is
told apart by colour alone: target bars are hatched, segments carry labels, patterns and a
legend.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.html import conditional_escape, format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext, pgettext

from hoshin.evaluations.models import Direction
from hoshin.evaluations.selectors.public import IndicatorSeries
from hoshin.evaluations.selectors.public_plan import GradeCount, NodeResult
from hoshin.lib import svgcharts
from hoshin.lib.fiscal import era_names
from hoshin.lib.numbers import format_quantity, format_rate

# A narrow drawing: on a phone it shrinks less, so its text stays legible.
WIDTH = 480
HEIGHT = 300
LEFT, RIGHT, TOP, BOTTOM = 64, 12, 52, 56  # plot margins: axis labels, legend, year labels


# ---- target vs actual of one indicator ------------------------------------------------------


@dataclass
class Group:
    center: float
    era_label: str  # 令和6年度
    year_label: str  # (2024年度)
    bars: list[svgcharts.Bar] = field(default_factory=list)  # series 0 target, 1 actual


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
    ticks: list[svgcharts.Tick]
    groups: list[Group]
    zero_y: float
    value_font_size: int = 15  # smaller when many years share the width
    baseline_y: float | None = None
    baseline_label: str = ""


def _value_text(value: Decimal | None, unit: str) -> str:
    return f"{format_quantity(value)}{unit}" if value is not None else _("なし")


def _describe(series: IndicatorSeries) -> str:
    unit = series.unit
    parts = [
        _("%(fy)sは目標値%(target)s、実績値%(actual)s。")
        % {
            "fy": point.fy_label,
            "target": _value_text(point.target, unit),
            "actual": _value_text(point.actual, unit),
        }
        for point in series.points
    ]
    text = _("%(name)sの年度ごとの目標値と実績値。") % {"name": series.name} + "".join(parts)
    baseline = series.points[-1].baseline if series.points else None
    if baseline is not None:
        text += _("基準値は%(value)s。") % {"value": _value_text(baseline, unit)}
    if series.direction == Direction.LOWER:
        text += _("値が低いほど良い指標です。")
    return text


def _quantity_tick(value: float) -> str:
    return format_quantity(Decimal(str(round(value, 6))))


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
    scale = svgcharts.linear_scale(values)
    plot_left, plot_right, plot_top, plot_bottom = LEFT, WIDTH - RIGHT, TOP, HEIGHT - BOTTOM
    column_groups = svgcharts.grouped_columns(
        [[_float(point.target), _float(point.actual)] for point in series.points],
        [[format_quantity(point.target), format_quantity(point.actual)] for point in series.points],
        scale=scale,
        left=plot_left,
        right=plot_right,
        top=plot_top,
        bottom=plot_bottom,
        missing_label=_("なし"),
    )
    groups = [
        Group(
            center=column_group.center,
            # xgettext:no-python-format
            era_label=pgettext("chart axis", "%(era)s年度") % era_names(point.fy),
            year_label=_("（%(fy)s年度）") % {"fy": point.fy},
            bars=column_group.bars,
        )
        for point, column_group in zip(series.points, column_groups, strict=True)
    ]
    slot = (plot_right - plot_left) / len(series.points)
    chart = Chart(
        id=chart_id,
        title=_("%(name)sの目標値と実績値の推移") % {"name": series.name}
        + (_("（単位：%(unit)s）") % {"unit": series.unit} if series.unit else ""),
        desc=_describe(series),
        width=WIDTH,
        height=HEIGHT,
        left=plot_left,
        right=plot_right,
        top=plot_top,
        bottom=plot_bottom,
        ticks=svgcharts.y_ticks(
            scale,
            left=plot_left,
            right=plot_right,
            top=plot_top,
            bottom=plot_bottom,
            label=_quantity_tick,
        ),
        groups=groups,
        zero_y=round(scale.at(0.0, plot_bottom, plot_top), 1),
        value_font_size=15 if slot >= 130 else 12,
    )
    baseline = series.points[-1].baseline
    if baseline is not None:
        chart.baseline_y = round(scale.at(float(baseline), plot_bottom, plot_top), 1)
        chart.baseline_label = _("基準値 %(value)s") % {"value": format_quantity(baseline)}
    return chart


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


# ---- distributions of grades, directions and statuses ---------------------------------------

# Narrower than the indicator chart: on a phone the drawing shrinks to ~330 px and its 14–15
# unit text must stay legible; the legend wraps instead.
DISTRIBUTION_WIDTH = 360
BAR_LEFT = 8
BAR_WIDTH = DISTRIBUTION_WIDTH - 16
ROW_LABEL_HEIGHT = 26  # the row's name above its bar
BAR_THICKNESS = 30
LEGEND_LINE = 24
LEGEND_FONT = 14
SWATCH = 14


@dataclass
class LegendItem:
    x: float  # the swatch
    y: float  # the text's baseline
    text: str
    fill: svgcharts.Fill

    @property
    def swatch_y(self) -> float:
        return self.y - SWATCH + 2

    @property
    def text_x(self) -> float:
        return self.x + SWATCH + 6


@dataclass
class DistributionRow:
    name: str  # 総合評価
    total: int
    counts: list[GradeCount]
    label_y: float = 0.0
    bar_y: float = 0.0
    text_y: float = 0.0
    segments: list[svgcharts.Segment] = field(default_factory=list)
    legend: list[LegendItem] = field(default_factory=list)

    @property
    def shares(self) -> list[tuple[GradeCount, Decimal | None]]:
        """Each non-zero count with its share of the row's sheets, for the table (a row of
        "0 / 0.0%" per unused value says nothing; the scale's meanings are listed apart)."""
        return [
            (item, Decimal(item.count) / self.total if self.total else None)
            for item in self.counts
            if item.count
        ]


@dataclass
class DistributionChart:
    id: str
    title: str
    desc: str
    width: int
    height: int
    bar_left: float
    bar_width: float
    bar_thickness: float
    rows: list[DistributionRow]
    caption: str = ""  # the title as HTML, the subject marked lang="ja"


def _caption(message: str, subject: str, fy_label: str) -> str:
    """The title as the table's caption: the plan or node name (database content) marked
    lang="ja", which an English page must say; <svg><title> cannot hold markup."""
    return format_html(
        conditional_escape(_(message))
        .replace("%(subject)s", "{subject}")
        .replace("%(fy)s", "{fy}"),
        subject=format_html('<span lang="ja">{}</span>', subject),
        fy=fy_label,
    )


def _count_text(count: int) -> str:
    return ngettext("%(count)s件", "%(count)s件", count) % {"count": f"{count:,}"}


def _legend(segments: list[svgcharts.Segment], *, top: float) -> tuple[list[LegendItem], float]:
    """Legend entries wrapped into lines of the chart's width; returns them and the next y."""
    legend, x, y = [], BAR_LEFT, top
    for segment in segments:
        text = f"{segment.name} {_count_text(int(segment.count))}"
        width = SWATCH + 6 + svgcharts.text_width(text, LEGEND_FONT) + 16
        if x > BAR_LEFT and x + width > BAR_LEFT + BAR_WIDTH:
            x, y = BAR_LEFT, y + LEGEND_LINE
        legend.append(LegendItem(x=round(x, 1), y=y, text=text, fill=segment.fill))
        x += width
    return legend, y + LEGEND_LINE


def distribution_chart(
    rows: list[tuple[str, list[GradeCount]]], *, chart_id: str, subject: str, fy_label: str
) -> DistributionChart | None:
    """100% bars, one per non-empty row (総合評価, 今後の方向性, 進捗状況); None when all are empty.

    ``subject`` names what is counted (the plan or the node) in the title and description.
    """
    chart_rows: list[DistributionRow] = []
    y = 8.0
    for name, counts in rows:
        total = sum(item.count for item in counts)
        if not total:
            continue
        row = DistributionRow(name=name, total=total, counts=counts)
        row.label_y = y + 18
        row.bar_y = y + ROW_LABEL_HEIGHT
        row.text_y = row.bar_y + BAR_THICKNESS / 2 + 5
        row.segments = svgcharts.stacked_row(
            [(item.grade.label, item.count, item.fill) for item in counts],
            x=BAR_LEFT,
            width=BAR_WIDTH,
            label=lambda label, count: f"{label} {count:,}",
        )
        row.legend, y = _legend(row.segments, top=row.bar_y + BAR_THICKNESS + 22)
        y += 4
        chart_rows.append(row)
    if not chart_rows:
        return None
    # Punctuation of a sentence read aloud: Japanese 「：」「、」「。」, English ": ", ", ", ". ".
    colon, comma, stop = pgettext("list", "："), pgettext("list", "、"), pgettext("list", "。")
    desc = "".join(
        f"{row.name}{colon}"
        + comma.join(f"{c.grade.label} {_count_text(c.count)}" for c in row.counts)
        + stop
        for row in chart_rows
    )
    return DistributionChart(
        id=chart_id,
        title=_("%(subject)sの評価結果の内訳（%(fy)s）") % {"subject": subject, "fy": fy_label},
        caption=_caption(gettext_noop("%(subject)sの評価結果の内訳（%(fy)s）"), subject, fy_label),
        desc=desc,
        width=DISTRIBUTION_WIDTH,
        height=int(y),
        bar_left=BAR_LEFT,
        bar_width=BAR_WIDTH,
        bar_thickness=BAR_THICKNESS,
        rows=chart_rows,
    )


# ---- one line per node: a small 100% bar of its grades --------------------------------------

MINI_WIDTH = 100  # viewBox units; CSS sets the drawn size


def mini_bar(counts: list[GradeCount]) -> list[svgcharts.Segment]:
    """Segments of a node's one-line grade bar (no labels: the counts are written beside it)."""
    return svgcharts.stacked_row(
        [(item.grade.label, item.count, item.fill) for item in counts],
        x=0,
        width=MINI_WIDTH,
        label=lambda label, count: "",
    )


# ---- mean progress rate of the nodes below -------------------------------------------------

PROGRESS_WIDTH = 400
PROGRESS_LABEL_CHARS = 8
PROGRESS_LEFT = 130  # room for the node's label
PROGRESS_RIGHT = 62  # room for the value past the bar
PROGRESS_ROW = 34


@dataclass
class ProgressRow:
    label: str  # the node's level, number and title
    sheets: int
    rate: Decimal | None
    rate_label: str


@dataclass
class ProgressChart:
    id: str
    title: str
    desc: str
    width: int
    height: int
    rows: list[ProgressRow]
    bars: list[svgcharts.Bar]
    ticks: list[svgcharts.Tick]
    axis: tuple[float, float, float, float]
    target_x: float  # the 100% line
    plot_top: float
    plot_bottom: float
    caption: str = ""  # the title as HTML, the subject marked lang="ja"


def progress_chart(
    rows: list[tuple[str, NodeResult]], *, chart_id: str, subject: str, fy_label: str
) -> ProgressChart | None:
    """Horizontal bars of each row's mean progress rate (%); None unless two rows have one."""
    shown = [
        ProgressRow(
            label=label,
            sheets=result.sheets,
            rate=result.mean_progress_rate,
            rate_label=format_rate(result.mean_progress_rate),
        )
        for label, result in rows
        if result.sheets
    ]
    if sum(1 for row in shown if row.rate is not None) < 2:
        return None  # one figure needs no chart: the summary above states it
    percents = [float(row.rate) * 100 if row.rate is not None else 0.0 for row in shown]
    scale = svgcharts.linear_scale(percents, minimum_high=100)
    top, left, right = 8, PROGRESS_LEFT, PROGRESS_WIDTH - PROGRESS_RIGHT
    bottom = top + PROGRESS_ROW * len(shown)
    bars = svgcharts.row_bars(
        percents,
        [svgcharts.shorten(row.label, PROGRESS_LABEL_CHARS) for row in shown],
        [row.rate_label if row.rate is not None else _("算出不可") for row in shown],
        scale=scale,
        left=left,
        right=right,
        top=top,
        row_height=PROGRESS_ROW,
        thickness=20,
    )
    for bar, row in zip(bars, shown, strict=True):
        bar.missing = row.rate is None
    desc = (
        pgettext("list", "、")
        .join(
            f"{row.label} {row.rate_label if row.rate is not None else _('算出不可')}"
            for row in shown
        )
        .replace("△", _("マイナス"))
    )  # read aloud, the sign must be a word
    return ProgressChart(
        id=chart_id,
        title=_("%(subject)sの平均進捗率（%(fy)s）") % {"subject": subject, "fy": fy_label},
        caption=_caption(gettext_noop("%(subject)sの平均進捗率（%(fy)s）"), subject, fy_label),
        desc=desc + pgettext("list", "。") + _("100%は目標どおりの進捗です。"),
        width=PROGRESS_WIDTH,
        height=bottom + 36,
        rows=shown,
        bars=bars,
        ticks=svgcharts.x_ticks(
            scale, left=left, right=right, top=top, bottom=bottom, label=lambda v: f"{v:,.0f}%"
        ),
        axis=(
            round(scale.at(0.0, left, right), 1),
            top,
            round(scale.at(0.0, left, right), 1),
            bottom,
        ),
        target_x=round(scale.at(100.0, left, right), 1),
        plot_top=top,
        plot_bottom=bottom,
    )

"""The annual report of a plan (評価結果報告書): cover, contents, summary, the tree, every sheet.

Built into a temporary file that the view streams. The sheets are read a chunk at a time and
turned into flowables at once; the summary is computed from the same sheets while they are
read, so its numbers always match the pages that follow.
"""

import datetime
import math
import tempfile

from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, PageBreak, Spacer, Table

from hoshin.lib import palette
from hoshin.lib.city import city_name
from hoshin.lib.fiscal import format_date, format_fiscal_year
from hoshin.lib.numbers import format_rate
from hoshin.lib.pdf import JapaneseDocument
from hoshin.reports.pdf_layout import ReportDocTemplate, add_report_styles, table_of_contents
from hoshin.reports.selectors import (
    AnnualPlan,
    AnnualTotals,
    ScaleCount,
    annual_sheets_public,
    distribution,
)
from hoshin.reports.sheet_pdf import WIDTH, sheet_flowables

OUTLINE_LEVELS = {"h1": 0, "group": 1, "sheet_title": 2}


def _bar_chart(
    document: JapaneseDocument, title: str, counts: list[ScaleCount], *, scale, kind: str
) -> Drawing:
    """A bar chart of counts per category (the same numbers follow as a table).

    Each bar has its category's colour from ``hoshin.lib.palette``, as on the portal's charts
    (the categories are named under the bars; reportlab draws no patterns).
    """
    width, height = 85 * mm, 62 * mm
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 12 * mm, 10 * mm
    chart.width, chart.height = width - 16 * mm, height - 20 * mm
    chart.data = [[row.count for row in counts] or [0]]
    chart.categoryAxis.categoryNames = [document.text(row.item.label) for row in counts] or [""]
    largest = max([row.count for row in counts] or [0])
    step = max(1, math.ceil(largest / 5))
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueStep = step
    chart.valueAxis.valueMax = max(step, step * math.ceil(largest / step))
    for labels in (chart.categoryAxis.labels, chart.valueAxis.labels, chart.barLabels):
        labels.fontName = document.font_name
        labels.fontSize = 7
    if len(counts) > 5:  # 拡充 … 統合: smaller labels so that 休止・廃止 fits its bar
        chart.categoryAxis.labels.fontSize = 5.5
    chart.categoryAxis.labels.angle = 0
    chart.barLabelFormat = "%d"
    chart.barLabels.nudge = 6
    fills = palette.scale_fills([item.code for item in scale], kind=kind)
    chart.bars[0].strokeColor = colors.HexColor(palette.INK)
    chart.bars[0].strokeWidth = 0.5
    unknown = 0
    for index, row in enumerate(counts):
        fill = palette.fill_of(row.item.code, fills, extra_index=unknown)
        unknown += row.item.code not in fills and bool(row.item.code)
        chart.bars[(0, index)].fillColor = colors.HexColor(fill.colour)
    drawing.add(chart)
    drawing.add(
        String(
            width / 2,
            height - 6 * mm,
            document.text(title),
            fontName=document.font_name,
            fontSize=9,
            textAnchor="middle",
        )
    )
    return drawing


def _count_table(document: JapaneseDocument, heading: str, counts: list[ScaleCount], total: int):
    rows = [[heading, _("意味"), _("件数"), _("割合")]]
    for row in counts:
        share = format_rate(row.count / total) if total else "－"
        rows.append([row.item.label, row.item.meaning, f"{row.count:,}", share])
    rows.append([_("合計"), "", f"{total:,}", format_rate(1) if total else "－"])
    return document.table(
        rows, col_widths=[20 * mm, 35 * mm, 14 * mm, 16 * mm], header_rows=1, right_cols=(2, 3)
    )


def _summary(document: JapaneseDocument, annual: AnnualPlan, totals: AnnualTotals) -> list:
    grades = distribution(annual.grade_scale, totals.grades, totals.grade_labels)
    directions = distribution(annual.direction_scale, totals.directions, totals.direction_labels)
    count = totals.total.sheets
    text = _("%(fy)sに公表した評価結果は%(count)s件です。") % {
        "fy": annual.fy_label,
        "count": f"{count:,}",
    }
    if totals.indicators:
        text += _(
            "指標%(indicators)s件のうち%(met)s件が目標を達成し、平均進捗率は%(rate)sです。"
        ) % {
            "indicators": f"{totals.indicators:,}",
            "met": f"{totals.targets_met:,}",
            "rate": format_rate(totals.total.mean_progress_rate),
        }
    charts = Table(
        [
            [
                _bar_chart(
                    document,
                    _("総合評価の分布"),
                    grades,
                    scale=annual.grade_scale,
                    kind=palette.ORDINAL,
                ),
                _bar_chart(
                    document,
                    _("今後の方向性の分布"),
                    directions,
                    scale=annual.direction_scale,
                    kind=palette.NOMINAL,
                ),
            ],
            [
                _count_table(document, _("総合評価"), grades, count),
                _count_table(document, _("今後の方向性"), directions, count),
            ],
        ],
        colWidths=[WIDTH / 2, WIDTH / 2],
        style=[("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)],
    )
    codes = [row.item for row in grades]
    rows = [[_("上位の階層"), _("件数"), *(item.label for item in codes), _("平均進捗率")]]
    for node_id, label in annual.top_nodes:
        result = totals.by_top_node.get(node_id)
        if result is None:
            continue
        rows.append(
            [
                label,
                f"{result.sheets:,}",
                *(f"{result.grades.get(item.code, 0):,}" for item in codes),
                format_rate(result.mean_progress_rate),
            ]
        )
    grade_width = 12 * mm
    first = WIDTH - 14 * mm - 20 * mm - grade_width * len(codes)
    progress = document.table(
        rows,
        col_widths=[first, 14 * mm, *[grade_width] * len(codes), 20 * mm],
        header_rows=1,
        right_cols=range(1, len(codes) + 3),
    )
    return [
        document.para(_("1 評価結果の概要"), "h1"),
        document.para(text),
        Spacer(1, 3 * mm),
        charts,
        CondPageBreak(40 * mm),
        document.para(_("上位の階層ごとの評価結果（総合評価の件数と平均進捗率）"), "h3"),
        progress,
        document.para(
            _(
                "平均進捗率は、進捗率を算出できる指標（基準値・目標値・実績値がそろい、目標値が基準値と異なるもの）の平均です。"
            ),
            "small",
        ),
    ]


def _tree(document: JapaneseDocument, annual: AnnualPlan, totals: AnnualTotals) -> list:
    rows = [[_("体系・取組"), _("担当課"), _("総合評価")]]
    indent = []
    for number, line in enumerate(annual.tree, start=1):
        label = ("・" if line.is_action else "") + line.label
        grade = totals.grade_of.get(line.action_id, "") if line.is_action else ""
        rows.append([label, line.departments, grade])
        indent.append(("LEFTPADDING", (0, number), (0, number), 3 + line.depth * 8))
        if not line.is_action:
            indent.append(("BACKGROUND", (0, number), (-1, number), "#f1f4f7"))
    table = document.table(
        rows,
        col_widths=[WIDTH - 55 * mm - 18 * mm, 55 * mm, 18 * mm],
        header_rows=1,
        extra_style=indent,
    )
    return [
        document.para(_("2 計画の体系"), "h1"),
        document.para(
            _("総合評価の欄は、%(fy)sに評価結果を公表した取組の総合評価です。")
            % {"fy": annual.fy_label},
            "small",
        ),
        table,
    ]


def _cover(document: JapaneseDocument, annual: AnnualPlan, today: datetime.date) -> list:
    city = city_name()
    return [
        Spacer(1, 60 * mm),
        document.para(annual.plan.name, "title"),
        document.para(format_fiscal_year(annual.fy), "subtitle"),
        document.para(_("評価結果報告書"), "title"),
        Spacer(1, 70 * mm),
        document.para(format_date(today), "subtitle"),
        *([document.para(city, "subtitle")] if city else []),
        PageBreak(),
        document.para(_("目次"), "h2"),
        table_of_contents(document),
        PageBreak(),
    ]


def annual_report_pdf(annual: AnnualPlan, *, today: datetime.date):
    """The report as a temporary file positioned at its start (the caller closes it)."""
    with JapaneseDocument(size=9) as document:
        add_report_styles(document)
        totals = AnnualTotals()
        sheets: list = [PageBreak(), document.para(_("3 評価シート"), "h1")]
        group = None
        for number, report in enumerate(annual_sheets_public(annual=annual)):
            top = annual.top_node_of.get(report.action_id)
            totals.add(report, top_node_id=top)
            if number:
                sheets.append(PageBreak())
            if top != group:
                group = top
                label = dict(annual.top_nodes).get(top, "")
                sheets.append(document.para(label, "group"))
            sheets += sheet_flowables(document, report, title_style="sheet_title")
        story = [
            *_cover(document, annual, today),
            *_summary(document, annual, totals),
            PageBreak(),
            *_tree(document, annual, totals),
            *sheets,
        ]
        title = f"{annual.plan.name} {annual.fy_label} " + _("評価結果報告書")
        target = tempfile.TemporaryFile()  # noqa: SIM115 — the response streams and closes it
        try:
            template = ReportDocTemplate(
                target,
                document=document,
                title=title,
                footer=title,
                outline_levels=OUTLINE_LEVELS,
                cover=True,
            )
            with document.font():
                template.build_story(story)
        except BaseException:
            target.close()
            raise
    target.seek(0)
    return target

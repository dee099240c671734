"""The evaluation sheet (事務事業評価シート) of one action and year as printed pages.

The layout follows the sheets Japanese cities publish: a header block (plan, 施策 path, number
and title, department, year), then 1 目的, 2 取組内容, 3 指標, 4 コスト, 5 評価, 6 所見. It prints
exactly the fields the action page shows (PublicSheet), with the same rules for what appears.
"""

import tempfile

from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from hoshin.lib.fiscal import format_date
from hoshin.lib.numbers import format_amount, format_quantity, format_rate
from hoshin.lib.pdf import HEADER_FILL, JapaneseDocument
from hoshin.reports.pdf_layout import ReportDocTemplate, add_report_styles
from hoshin.reports.selectors import SheetReport

WIDTH = 180 * mm  # A4 less the margins
LABEL = 30 * mm


def _label_rows(document: JapaneseDocument, rows: list[tuple[str, str]]):
    """A two-column table of label / text, skipping empty texts."""
    rows = [(label, value) for label, value in rows if value]
    if not rows:
        return None
    return document.table(
        [[label, value] for label, value in rows],
        col_widths=[LABEL, WIDTH - LABEL],
        header_cols=1,
    )


def _section(document: JapaneseDocument, title: str, *flowables) -> list:
    """A numbered section heading kept with the start of its content."""
    content = [f for f in flowables if f is not None]
    if not content:
        return []
    return [KeepTogether([document.para(title, "h3"), content[0]]), *content[1:]]


def _header(document: JapaneseDocument, report: SheetReport) -> list:
    sheet = report.sheet
    rows = [
        [_("計画"), report.plan_name, "", ""],
        [_("施策体系"), " ＞ ".join(report.path), "", ""],
        [_("番号"), report.action_number or "－", _("評価年度"), sheet.fy_label],
        [_("取組名"), f"{report.action_number} {report.action_title}".strip(), "", ""],
        [_("内容"), report.action_text, "", ""],
        [
            _("担当課"),
            report.department or "－",
            _("公表日"),
            format_date(sheet.published_on) if sheet.published_on else "－",
        ],
    ]
    if not report.action_title:  # the heading is the start of the text: print the text once
        del rows[3]
    spans = [n for n, row in enumerate(rows) if row[2] == ""]
    return [
        document.table(
            rows,
            col_widths=[LABEL, WIDTH - 2 * LABEL - 58 * mm, LABEL, 58 * mm],
            header_cols=1,
            extra_style=[
                *(("SPAN", (1, n), (3, n)) for n in spans),
                *(
                    ("BACKGROUND", (2, n), (2, n), HEADER_FILL)
                    for n in range(len(rows))
                    if n not in spans
                ),
            ],
        )
    ]


def _indicators(document: JapaneseDocument, sheet) -> list:
    if not sheet.indicators:
        return []
    rows = [
        [_("指標名"), _("単位"), _("基準値"), _("目標値"), _("実績値"), _("進捗率"), _("達成率")]
    ]
    for indicator in sheet.indicators:
        kind = indicator.kind_label + (
            "・" + _("低いほど良い") if indicator.direction == "lower" else ""
        )
        progress = format_rate(indicator.progress_rate)
        if indicator.note and indicator.progress_rate is None:
            progress += f"\n{indicator.note}"
        achievement = format_rate(indicator.achievement_rate)
        if indicator.target_met:
            achievement += "\n" + _("目標達成")
        rows.append(
            [
                f"{indicator.name}\n（{kind}）",
                indicator.unit,
                format_quantity(indicator.baseline),
                format_quantity(indicator.target),
                format_quantity(indicator.actual),
                progress,
                achievement,
            ]
        )
    number = 21 * mm
    table = document.table(
        rows,
        col_widths=[WIDTH - 14 * mm - 5 * number, 14 * mm, *[number] * 5],
        header_rows=1,
        right_cols=(2, 3, 4, 5, 6),
    )
    hint = document.para(
        _(
            "進捗率＝（実績値－基準値）÷（目標値－基準値）、達成率＝実績値÷目標値"
            "（低いほど良い指標は目標値÷実績値）。"
        ),
        "small",
    )
    return _section(document, _("3 指標"), table, hint)


def _cost(document: JapaneseDocument, sheet) -> list:
    cost = sheet.cost
    if cost is None:
        return []
    rows = [["", *(column.label for column in cost.columns)]]
    for row in cost.rows:
        quantity = row.kind in ("years", "unit")
        rows.append(
            [row.label, *(format_quantity(v) if quantity else format_amount(v) for v in row.values)]
        )
    label = 60 * mm
    column = (WIDTH - label) / max(len(cost.columns), 1)
    table = document.table(
        rows,
        col_widths=[label, *[column] * len(cost.columns)],
        header_rows=1,
        header_cols=1,
        right_cols=range(1, len(cost.columns) + 1),
    )
    # The unit cost and year each column used (evaluations.figures), as on the action page.
    hint = cost.unit_cost_note + _("総コスト＝事業費＋人件費。")
    if cost.missing_unit_cost:
        hint += _("人件費単価が未設定のため、人件費と総コストを算出できない欄があります（－）。")
    return _section(document, _("4 コスト（単位：千円）"), table, document.para(hint, "small"))


def _evaluation(document: JapaneseDocument, sheet) -> list:
    flowables = []
    if sheet.viewpoints:
        rows = [[_("評価の視点"), _("評価"), _("評価の意味")]]
        for item in sheet.viewpoints:
            name = item.viewpoint.label
            if item.viewpoint.meaning:
                name += f"\n{item.viewpoint.meaning}"
            rows.append(
                [
                    name,
                    item.score.label if item.score else "－",
                    item.score.meaning if item.score else "",
                ]
            )
        flowables.append(
            document.table(
                rows, col_widths=[90 * mm, 20 * mm, 70 * mm], header_rows=1, right_cols=(1,)
            )
        )
    facts: list[tuple[str, str]] = []
    if sheet.overall_grade:
        grade = sheet.overall_grade
        facts.append((_("総合評価"), f"{grade.label}　{grade.meaning}".strip()))
    if sheet.future_direction:
        direction = sheet.future_direction
        facts.append(
            (
                _("今後の方向性"),
                direction.label + (f"（{direction.meaning}）" if direction.meaning else ""),
            )
        )
    progress = "progress" in sheet.blocks
    if progress and sheet.progress_status:
        facts.append((_("進捗状況"), sheet.progress_status.label))
    if progress and sheet.progress_grade:
        grade = sheet.progress_grade
        facts.append((_("進捗評価"), f"{grade.label}　{grade.meaning}".strip()))
    if progress and sheet.effect_total is not None:
        parts = []
        if sheet.effect_savings is not None:
            parts.append(_("歳出削減") + f" {format_amount(sheet.effect_savings)}" + _("千円"))
        if sheet.effect_revenue is not None:
            parts.append(_("歳入確保") + f" {format_amount(sheet.effect_revenue)}" + _("千円"))
        parts.append(_("合計") + f" {format_amount(sheet.effect_total)}" + _("千円"))
        facts.append((_("効果額"), "　".join(parts)))
    if facts:
        if flowables:
            flowables.append(Spacer(1, 2 * mm))
        flowables.append(_label_rows(document, facts))
    return _section(document, _("5 評価"), *flowables)


def sheet_flowables(document: JapaneseDocument, report: SheetReport, *, title_style: str) -> list:
    """The flowables of one sheet; its title paragraph uses ``title_style`` (for the TOC)."""
    sheet = report.sheet
    story = [
        document.para(_("事務事業評価シート") + "　" + sheet.fy_label, "small"),
        document.para(report.action_heading, title_style),
        *_header(document, report),
    ]
    if sheet.has_purpose:
        story += _section(
            document,
            _("1 目的"),
            _label_rows(
                document,
                [
                    (_("対象（誰・何を）"), sheet.purpose_target),
                    (_("意図（どのような状態にしたいか）"), sheet.purpose_intent),
                    (_("手段（何をするか）"), sheet.purpose_means),
                    (_("根拠法令等"), sheet.legal_basis),
                    (_("実施方法"), sheet.delivery_method),
                ],
            ),
        )
    if sheet.activities:
        story += _section(
            document,
            _("2 取組内容（実施したこと）"),
            _label_rows(document, [(_("取組内容"), sheet.activities)]),
        )
    story += _indicators(document, sheet)
    story += _cost(document, sheet)
    story += _evaluation(document, sheet)
    story += _section(
        document,
        _("6 所見・改善策"),
        _label_rows(
            document,
            [
                (_("担当課の所見"), sheet.department_comment),
                (_("改善策（次年度の取組）"), sheet.improvement_plan),
                (_("二次評価の所見"), sheet.review_comment),
            ],
        ),
    )
    return story


def sheet_pdf(report: SheetReport) -> bytes:
    """The sheet as a PDF (one or two A4 pages for a sheet of ordinary length)."""
    with JapaneseDocument(size=8.5) as document:
        add_report_styles(document)
        story = sheet_flowables(document, report, title_style="sheet_title")
        title = f"{report.action_heading} {report.sheet.fy_label} " + _("事務事業評価シート")
        with tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024) as target:
            template = ReportDocTemplate(
                target,
                document=document,
                title=title,
                footer=f"{report.plan_name}　{report.sheet.fy_label}",
                outline_levels={"sheet_title": 0},
            )
            with document.font():
                template.build_story(story)
            target.seek(0)
            return target.read()

"""Staff workbooks: a plan's tree, and the sheets of one year with a summary tab.

Japanese headers, frozen header rows, column widths and number formats, so the file opens in
Excel ready to filter. Numbers are written as numbers (千円, %) so staff can sum them; text is
written as text cells (``hoshin.lib.spreadsheets``), so an indicator named "=…" is never a formula.
"""

import tempfile
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from hoshin.evaluations import figures
from hoshin.evaluations.models import CostKind, EvaluationSheet, Stage
from hoshin.evaluations.selectors.public import ScaleValue
from hoshin.lib.fiscal import format_fiscal_year
from hoshin.lib.spreadsheets import xlsx_append, xlsx_put
from hoshin.plans import selectors as plan_selectors
from hoshin.plans.models import Plan
from hoshin.reports.selectors import distribution, tree_order

HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
HEADER_FONT = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
MONEY = "#,##0;[Red]△#,##0"
QUANTITY = "#,##0.##;[Red]△#,##0.##"
PERCENT = "0.0%"


def _header(sheet, titles: list[str], widths: list[int], *, row: int = 1) -> None:
    for column, (title, width) in enumerate(zip(titles, widths, strict=True), start=1):
        cell = xlsx_put(sheet, row, column, title)
        cell.fill, cell.font, cell.alignment = HEADER_FILL, HEADER_FONT, WRAP
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = f"A{row + 1}"  # a string: sheet.cell() would create an empty row
    sheet.auto_filter.ref = f"A{row}:{get_column_letter(len(titles))}{row}"


def _save(workbook: Workbook):
    """The workbook in a temporary file positioned at its start (the caller closes it)."""
    target = tempfile.TemporaryFile()  # noqa: SIM115 — the response streams and closes it
    workbook.save(target)
    target.seek(0)
    return target


# ---- the plan -------------------------------------------------------------------------------


def plan_workbook(*, plan: Plan):
    """One row per action: the levels of the tree as columns, then the action and departments."""
    tree = plan_selectors.plan_tree(plan=plan)
    depth = 0
    stack = [(root, 0) for root in tree]
    while stack:
        node, level = stack.pop()
        depth = max(depth, level + 1)
        stack.extend((child, level + 1) for child in node.children)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "計画の体系"
    xlsx_append(sheet, [f"{plan.name}（{plan.period_label or '期間未設定'}）"])
    sheet["A1"].font = Font(bold=True, size=12)
    levels = [plan.level_name(d) for d in range(depth)]
    titles = [*levels, "番号", "取組名", "内容", "担当課", "主管課", "重点事業", "公開"]
    _header(sheet, titles, [28] * depth + [8, 30, 60, 30, 18, 30, 6], row=2)
    published = "公開" if plan.is_published else "非公開"

    def walk(tree_node, path: list[str]) -> None:
        path = [*path, tree_node.node.label]
        for action in tree_node.actions:
            lines = list(action.responsibilities.all())
            xlsx_append(
                sheet,
                [
                    *path,
                    *[""] * (depth - len(path)),
                    action.number,
                    action.title,
                    action.text,
                    "、".join(line.label for line in lines),
                    "、".join(line.label for line in lines if line.is_lead),
                    "、".join(f"{p.symbol}{p.title}" for p in action.key_projects.all()),
                    published,
                ],
            )
        if not tree_node.actions and not tree_node.children:  # a node without actions yet
            xlsx_append(sheet, [*path, *[""] * (depth - len(path))])
        for child in tree_node.children:
            walk(child, path)

    for root in tree:
        walk(root, [])
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = WRAP
    return _save(workbook)


# ---- the sheets of one year -----------------------------------------------------------------

SHEET_TITLES = [
    ("番号", 8),
    ("階層", 28),
    ("取組・施策", 40),
    ("担当課", 18),
    ("段階", 16),
    ("総合評価", 8),
    ("今後の方向性", 12),
    ("進捗状況", 10),
    ("進捗評価", 8),
    ("指標", 50),
    ("平均進捗率", 10),
    ("事業費 予算（千円）", 14),
    ("事業費 決算（千円）", 14),
    ("次年度予算（千円）", 14),
    ("人工（決算）", 10),
    ("人件費（決算・千円）", 14),
    ("総コスト（決算・千円）", 14),
    ("効果額 計（千円）", 12),
    ("公表日", 12),
]
INDICATOR_TITLES = [
    ("取組・施策", 40),
    ("担当課", 18),
    ("段階", 16),
    ("種別", 10),
    ("指標名", 36),
    ("単位", 8),
    ("基準値", 12),
    ("目標値", 12),
    ("実績値", 12),
    ("進捗率", 10),
    ("達成率", 10),
]


def _subject(sheet: EvaluationSheet) -> tuple[str, str, str]:
    """(number, level path, heading) of the sheet's action or node."""
    if sheet.action_id:
        node = sheet.action.node
        # The number has a column of its own: the title alone (or the start of the text).
        return sheet.action.number, node.label, sheet.action.title or sheet.action.heading
    return sheet.node.number, "", sheet.node.label


def _label(sheet: EvaluationSheet, scale: str, code: str) -> str:
    return sheet.scale_label(scale, code) if code else ""


def _number(value: Decimal | None):
    return None if value is None else float(value)


def annual_workbook(*, plan: Plan, fy: int, sheets):
    """The 集計 tab (stages, grades, directions) and one row per sheet and per indicator."""
    order = tree_order(plan=plan)
    rows = sorted(
        sheets,
        key=lambda s: order.get(("action", s.action_id) if s.action_id else ("node", s.node_id), 0),
    )
    unit_costs = figures.unit_costs_around([fy])
    workbook = Workbook()
    summary = workbook.active
    summary.title = "集計"
    details = workbook.create_sheet("評価シート")
    indicators = workbook.create_sheet("指標")
    _header(details, [t for t, _ in SHEET_TITLES], [w for _, w in SHEET_TITLES])
    _header(indicators, [t for t, _ in INDICATOR_TITLES], [w for _, w in INDICATOR_TITLES])
    grades: dict[str, int] = {}
    directions: dict[str, int] = {}
    stages: dict[str, int] = {}
    grade_labels: dict[str, str] = {}
    direction_labels: dict[str, str] = {}
    for sheet in rows:
        number, path, heading = _subject(sheet)
        department = sheet.department.name if sheet.department_id else "（企画担当）"
        stage = str(Stage(sheet.stage).label)
        stages[sheet.stage] = stages.get(sheet.stage, 0) + 1
        grades[sheet.overall_grade] = grades.get(sheet.overall_grade, 0) + 1
        directions[sheet.future_direction] = directions.get(sheet.future_direction, 0) + 1
        grade_labels[sheet.overall_grade] = _label(sheet, "grades", sheet.overall_grade)
        direction_labels[sheet.future_direction] = _label(
            sheet, "directions", sheet.future_direction
        )
        costs = {line.kind: line for line in sheet.costs.all()}
        actual_line = costs.get(CostKind.ACTUAL)
        actual = (
            None
            if actual_line is None
            else figures.cost_figures(
                actual_line, kind=CostKind.ACTUAL, sheet_fy=fy, unit_costs=unit_costs
            )
        )
        rates = [i.progress_rate for i in sheet.indicators.all() if i.progress_rate is not None]
        effect = None
        if sheet.effect_savings is not None or sheet.effect_revenue is not None:
            effect = (sheet.effect_savings or 0) + (sheet.effect_revenue or 0)
        xlsx_append(
            details,
            [
                number,
                path,
                heading,
                department,
                stage,
                _label(sheet, "grades", sheet.overall_grade),
                _label(sheet, "directions", sheet.future_direction),
                _label(sheet, "progress_statuses", sheet.progress_status),
                _label(sheet, "progress_grades", sheet.progress_grade),
                "\n".join(
                    f"{i.name}：実績 {i.actual if i.actual is not None else '－'}"
                    f"／目標 {i.target if i.target is not None else '－'}{i.unit}"
                    for i in sheet.indicators.all()
                ),
                _number(figures.data_rate(sum(rates) / len(rates))) if rates else None,
                *(
                    _number(costs[kind].project_cost) if kind in costs else None
                    for kind in (CostKind.BUDGET, CostKind.ACTUAL, CostKind.NEXT_BUDGET)
                ),
                _number(actual.person_years) if actual else None,
                _number(actual.staff_cost) if actual else None,
                _number(actual.total_cost) if actual else None,
                _number(effect),
                sheet.published_at.date() if sheet.published_at else None,
            ],
        )
        line = details.max_row
        details.cell(line, 11).number_format = PERCENT
        for column in range(12, 19):
            details.cell(line, column).number_format = MONEY if column != 15 else QUANTITY
        details.cell(line, 19).number_format = "yyyy/mm/dd"
        for indicator in sheet.indicators.all():
            xlsx_append(
                indicators,
                [
                    heading,
                    department,
                    stage,
                    indicator.get_kind_display(),
                    indicator.name,
                    indicator.unit,
                    _number(indicator.baseline),
                    _number(indicator.target),
                    _number(indicator.actual),
                    _number(figures.data_rate(indicator.progress_rate)),
                    _number(figures.data_rate(indicator.achievement_rate)),
                ],
            )
            row = indicators.max_row
            for column in (7, 8, 9):
                indicators.cell(row, column).number_format = QUANTITY
            for column in (10, 11):
                indicators.cell(row, column).number_format = PERCENT
    for row in details.iter_rows(min_row=2, max_col=10):
        for cell in row:
            cell.alignment = WRAP
    _summary(
        summary,
        plan=plan,
        fy=fy,
        total=len(rows),
        stages=stages,
        grades=distribution(_scale(rows, "grades"), grades, grade_labels),
        directions=distribution(_scale(rows, "directions"), directions, direction_labels),
    )
    return _save(workbook)


def _scale(sheets: list[EvaluationSheet], name: str) -> list[ScaleValue]:
    """The scale frozen in the first sheet (all sheets of a year share the plan's template)."""
    for sheet in sheets:
        items = (sheet.scales or {}).get(name)
        if items:
            return [ScaleValue(i["code"], i.get("label") or i["code"]) for i in items]
    return []


def _summary(summary, *, plan: Plan, fy: int, total: int, stages, grades, directions) -> None:
    xlsx_append(summary, [f"{plan.name} {format_fiscal_year(fy)} 評価シートの集計"])
    summary["A1"].font = Font(bold=True, size=12)
    xlsx_append(
        summary,
        ["この表は、あなたが閲覧できる評価シートと公表済みの評価シートを集計したものです。"],
    )
    xlsx_append(summary, [])
    _header(summary, ["区分", "項目", "件数"], [16, 36, 10], row=4)
    xlsx_append(summary, ["合計", "評価シート", total])
    for stage in Stage:
        xlsx_append(summary, ["段階", str(stage.label), stages.get(stage.value, 0)])
    for row in grades:
        xlsx_append(summary, ["総合評価", row.item.label, row.count])
    for row in directions:
        xlsx_append(summary, ["今後の方向性", row.item.label, row.count])

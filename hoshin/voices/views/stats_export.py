"""The voice statistics as files for the yearly report: CSV (UTF-8 with BOM, or CP932) and XLSX.

Both are built from the same tables (``report_tables``) as the page shows, so a figure in the
file is the figure on the screen. CSV stacks the tables one after another, each headed by its
title; the workbook has a sheet per table. Shares are numbers (percent in CSV, a percentage
format in Excel) so that staff can compute with them. Encodings (a CP932 file is refused when
a name holds a character CP932 lacks), formula escaping and text cells follow
``hoshin.lib.spreadsheets``.
"""

import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from hoshin.lib.spreadsheets import UTF8_BOM, CsvWriter, xlsx_append
from hoshin.voices.selectors.stats import VoiceStats

SHEET_NAMES = {
    "channel": "受付経路別",
    "kind": "種別",
    "category": "分類別",
    "department": "主管課別",
    "month": "月別",
    "status": "状況別",
    "reply_time": "回答日数",
}


@dataclass
class ReportTable:
    id: str
    title: str
    header: list[str]
    rows: list[list] = field(default_factory=list)  # str, int, float (share 0–1) or None
    share_columns: tuple[int, ...] = ()  # columns holding a 0–1 share
    note: str = ""


def _days(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def report_tables(stats: VoiceStats) -> list[ReportTable]:
    """The summary table, then one count table per breakdown, each with its total row."""
    reply = stats.reply
    period = stats.period
    summary = ReportTable(
        id="summary",
        title=_("概要"),
        header=[_("項目"), _("値"), _("単位")],
        rows=[
            [_("対象期間"), period.label, ""],
            [_("期間の初日"), f"{period.start:%Y-%m-%d}", ""],
            [_("期間の末日"), f"{period.end:%Y-%m-%d}", ""],
            [_("集計日"), f"{stats.today:%Y-%m-%d}", ""],
            [_("受付件数"), stats.total, _("件")],
            [_("回答済み"), stats.answered, _("件")],
            [_("対応中（現在）"), stats.open_now, _("件")],
            [_("うち回答期限を過ぎているもの"), stats.overdue_now, _("件")],
            [_("回答までの日数 中央値（暦日）"), _days(reply.median_days), _("日")],
            [_("回答までの日数 90パーセンタイル（暦日）"), _days(reply.p90_days), _("日")],
            [_("回答までの日数 中央値（開庁日）"), _days(reply.median_office_days), _("日")],
            [
                _("回答までの日数 90パーセンタイル（開庁日）"),
                _days(reply.p90_office_days),
                _("日"),
            ],
            [_("回答期限のある回答"), reply.with_due, _("件")],
            [_("うち期限内に回答"), reply.in_time, _("件")],
            [_("期限内の回答の割合"), reply.in_time_share, "%"],
        ],
        share_columns=(),
        note=_(
            "回答までの日数は受付日から回答日まで。90パーセンタイルは回答の9割がその日数以内に"
            "済んだことを表します。開庁日は土日・祝日・年末年始を除いた日数です。"
        ),
    )
    tables = [summary]
    for breakdown in stats.breakdowns:
        rows = [[row.label, row.count, row.share] for row in breakdown.rows]
        rows.append([_("合計"), breakdown.total, 1.0 if breakdown.total else None])
        tables.append(
            ReportTable(
                id=breakdown.id,
                title=breakdown.title,
                header=[breakdown.column, _("件数"), _("割合")],
                rows=rows,
                share_columns=(2,),
                note=breakdown.note,
            )
        )
    return tables


# ---- CSV -------------------------------------------------------------------------------------


def _csv_value(value) -> str:
    """Numbers as the page shows them (one decimal for days and percents); None as empty."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def _csv_rows(stats: VoiceStats) -> list[tuple[list, str]]:
    """(cells, table title) per line; cells keep their types, so only text is escaped."""
    lines: list[tuple[list, str]] = [([_("市民の声 統計"), stats.period.label], "")]
    for table in report_tables(stats):
        lines.append(([], table.title))
        lines.append(([f"■{table.title}"], table.title))
        header = list(table.header)
        for column in table.share_columns:
            header[column] = _("割合（%）")
        lines.append((header, table.title))
        for row in table.rows:
            cells = []
            for column, value in enumerate(row):
                if value is not None and (
                    column in table.share_columns or (column == 1 and _is_summary_share(table, row))
                ):
                    value = round(value * 100, 1)
                cells.append(value)
            lines.append((cells, table.title))
        if table.note:
            lines.append(([f"※{table.note}"], table.title))
    return lines


def _is_summary_share(table: ReportTable, row: list) -> bool:
    return table.id == "summary" and row[-1] == "%" and isinstance(row[1], float)


def stats_csv(stats: VoiceStats, *, encoding: str = UTF8_BOM) -> bytes:
    """The report as CSV for Excel: UTF-8 with BOM (every character) or CP932 (Shift_JIS).

    CP932 raises CsvEncodingError naming the line, the column, the table and the character
    when a label (a category or department name) holds a character CP932 lacks.
    """
    writer = CsvWriter(encoding=encoding, text=_csv_value)
    lines = [writer.row(cells, label=title) for cells, title in _csv_rows(stats)]
    return writer.encode("".join(lines))


# ---- XLSX ------------------------------------------------------------------------------------


def stats_xlsx(stats: VoiceStats) -> bytes:
    """The report as an Excel workbook: 概要, then one sheet per count table."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    bold = Font(bold=True)
    for index, table in enumerate(report_tables(stats)):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = SHEET_NAMES.get(table.id, table.title)[:31]
        xlsx_append(sheet, [f"{_('市民の声 統計')} {stats.period.label}：{table.title}"])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append([])
        xlsx_append(sheet, table.header)
        for cell in sheet[3]:
            cell.font = bold
        for row in table.rows:
            values = list(row)
            if _is_summary_share(table, row):
                values[2] = ""
            xlsx_append(sheet, values)
            excel_row = sheet.max_row
            for column in table.share_columns:
                sheet.cell(excel_row, column + 1).number_format = "0.0%"
            if _is_summary_share(table, row):
                sheet.cell(excel_row, 2).number_format = "0.0%"
            elif table.id == "summary" and isinstance(row[1], float):
                sheet.cell(excel_row, 2).number_format = "0.0"
            if row and row[0] == _("合計") and table.id != "summary":
                for cell in sheet[excel_row]:
                    cell.font = bold
        if table.note:
            sheet.append([])
            xlsx_append(sheet, [f"※{table.note}"])
        sheet.column_dimensions["A"].width = 44 if table.id == "summary" else 28
        for column in range(2, len(table.header) + 1):
            sheet.column_dimensions[get_column_letter(column)].width = 16
        for row in sheet.iter_rows(min_row=4):
            row[0].alignment = Alignment(wrap_text=False)
        sheet.freeze_panes = "A4"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

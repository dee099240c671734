"""The XLSX PlanFormat: the first sheet other than ``計画情報`` is the table.

Sheet ``計画情報`` carries the plan metadata. Merged cells, formulas and old .xls files are refused
with a message saying how to fix the workbook.
"""

from collections.abc import Iterable

from hoshin.lib.spreadsheets import SpreadsheetReadError, xlsx_open
from hoshin.plans.formats.base import ParsedPlan, PlanFormat, PlanFormatError, register
from hoshin.plans.formats.tabular.columns import META_SHEET
from hoshin.plans.formats.tabular.metadata import _read_metadata
from hoshin.plans.formats.tabular.rows import _cell_text, _Places, _TableReader


class _SheetPlaces(_Places):
    def __init__(self, sheet: str):
        self.sheet = sheet

    def row(self, row: int) -> str:
        return f"{self.sheet}!{row}行目"

    def cell(self, row: int, column: int, header: str = "") -> str:
        from openpyxl.utils import get_column_letter

        return f"{self.sheet}!{get_column_letter(column + 1)}{row}" + (
            f"({header})" if header else ""
        )


@register
class XlsxFormat(PlanFormat):
    name = "xlsx"
    label = "Excel（.xlsx）"

    def sniff(self, data: bytes, filename: str) -> bool:
        if filename.lower().endswith((".xlsx", ".xlsm")):
            return True
        return data.startswith(b"PK\x03\x04") and b"xl/" in data[:65536]

    def parse(self, data: bytes, filename: str) -> ParsedPlan:
        workbook = _load_workbook(data)
        sheets = [ws for ws in workbook.worksheets if ws.title != META_SHEET]
        if not sheets:
            raise PlanFormatError(f"「{META_SHEET}」以外のシートがありません。")
        sheet = sheets[0]
        reader = _TableReader(ParsedPlan(format_name=self.name), _SheetPlaces(sheet.title))
        level_names = None
        if META_SHEET in workbook.sheetnames:
            level_names = _read_meta_sheet(workbook[META_SHEET], reader.plan)
        _reject_merged(sheet)
        header_seen = False
        for row, cells in _sheet_rows(sheet):
            if not header_seen:
                if any(cells):
                    reader.read_header(row, cells)
                    header_seen = True
                continue
            reader.read_row(row, cells)
        if not header_seen:
            raise PlanFormatError(
                f"シート「{sheet.title}」に見出し行がありません（空のシートです）。"
            )
        return reader.finish(level_names)


def _load_workbook(data: bytes):
    """The workbook, after the bounded check of ``lib.spreadsheets`` (one policy for uploads)."""
    try:
        return xlsx_open(data)
    except SpreadsheetReadError as exc:
        raise PlanFormatError(str(exc)) from None


def _reject_merged(sheet) -> None:
    ranges = sorted(sheet.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col))
    if ranges:
        listed = "、".join(f"{sheet.title}!{r.coord}" for r in ranges[:5])
        raise PlanFormatError(
            f"結合されたセルがあります（{listed}）。セルの結合を解除してください"
            "（空欄にしたセルは「上と同じ」として読みます）。",
            where=f"{sheet.title}!{ranges[0].coord}",
        )


def _sheet_rows(sheet) -> Iterable[tuple[int, list[str]]]:
    for cells in sheet.iter_rows():
        row = []
        for cell in cells:
            if cell.data_type == "f":
                raise PlanFormatError(
                    f"数式が入っています（{str(cell.value)[:40]}）。数式のセルはコピーして"
                    "「値の貼り付け」で値に置き換えてから取り込んでください。",
                    where=f"{sheet.title}!{cell.coordinate}",
                )
            row.append(_cell_text(cell.value))
        if cells:
            yield cells[0].row, row


def _read_meta_sheet(sheet, plan: ParsedPlan) -> list[str] | None:
    _reject_merged(sheet)
    level_names = None
    for row, cells in _sheet_rows(sheet):
        key = cells[0] if cells else ""
        if not key or key in ("key", "項目") or key.startswith("#"):
            continue
        raw = sheet.cell(row=row, column=2).value
        names = _read_metadata(plan, key, raw, f"{sheet.title}!B{row}")
        level_names = names if names is not None else level_names
    return level_names

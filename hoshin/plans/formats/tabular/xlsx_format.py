"""The XLSX PlanFormat: the first sheet other than ``計画情報`` is the table.

Sheet ``計画情報`` carries the plan metadata. Merged cells, formulas and old .xls files are refused
with a message saying how to fix the workbook.
"""

import io
import warnings
from collections.abc import Iterable

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
    import openpyxl

    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise PlanFormatError(
            "古い Excel 形式（.xls）のファイルです。Excel で開き「Excel ブック (*.xlsx)」で"
            "保存し直してください。"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it drops
            return openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    except Exception as exc:  # openpyxl raises many kinds of error on a damaged file
        raise PlanFormatError(
            "Excel ブック（.xlsx）として読めません。Excel で開き「Excel ブック (*.xlsx)」で"
            f"保存し直してください（{type(exc).__name__}）。"
        ) from None


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

"""The CSV PlanFormat: UTF-8 (with or without BOM) or CP932, comma- or tab-separated.

Leading ``#key=value`` lines carry the plan metadata; the first other non-empty row is the header.
A cell the exporter wrote with an apostrophe in front (a text starting like a formula, see
``hoshin.lib.spreadsheets``) is read without it, so export → import gives back the same text.
"""

import re
from collections.abc import Iterable

from hoshin.lib.encodings import DecodeError, decode_text
from hoshin.lib.spreadsheets import SpreadsheetReadError, csv_rows, csv_unescape
from hoshin.plans.formats.base import ParsedPlan, PlanFormat, PlanFormatError, register
from hoshin.plans.formats.tabular.columns import FIRST_FIXED_COLUMN
from hoshin.plans.formats.tabular.metadata import _read_metadata
from hoshin.plans.formats.tabular.rows import _cell_text, _Places, _TableReader


class _CsvPlaces(_Places):
    def row(self, row: int) -> str:
        return f"{row}行目"

    def cell(self, row: int, column: int, header: str = "") -> str:
        return f"{row}行目 {column + 1}列目" + (f"({header})" if header else "")


@register
class CsvFormat(PlanFormat):
    name = "csv"
    label = "CSV（UTF-8・Shift_JIS）"

    def sniff(self, data: bytes, filename: str) -> bool:
        if filename.lower().endswith((".csv", ".tsv")):
            return True
        head = data[:4096]
        return FIRST_FIXED_COLUMN.encode() in head and "実施内容".encode() in head

    def parse(self, data: bytes, filename: str) -> ParsedPlan:
        try:
            text = decode_text(data)
        except DecodeError as exc:
            message = str(exc)
            match = re.match(r"^(\d+)行目: (.*)$", message, re.DOTALL)
            if match:
                raise PlanFormatError(match.group(2), where=f"{match.group(1)}行目") from None
            raise PlanFormatError(message) from None
        delimiter = "\t" if filename.lower().endswith(".tsv") else _guess_delimiter(text)
        reader = _TableReader(ParsedPlan(format_name=self.name), _CsvPlaces())
        level_names = None
        header_width = 0
        for row, cells in _csv_rows(text, delimiter):
            if not header_width:
                if not any(cells):
                    continue
                if cells[0].startswith("#"):
                    # Excel pads every row to the widest one; a value may contain the delimiter.
                    while cells and not cells[-1]:
                        cells = cells[:-1]
                    line = delimiter.join(cells)[1:]
                    if "=" in line:
                        key, _, value = line.partition("=")
                        names = _read_metadata(reader.plan, key, value, f"{row}行目")
                        level_names = names if names is not None else level_names
                    continue
                header_width = len(cells)
                reader.read_header(row, cells)
                continue
            if not any(cells):
                continue
            if len(cells) != header_width:
                raise PlanFormatError(
                    f"列の数が見出しと合いません（見出しは{header_width}列、この行は{len(cells)}列）。"
                    "区切りの「,」が多すぎるか足りません。値に「,」や改行を含むときは"
                    ' "…" で囲んでください。',
                    where=f"{row}行目",
                )
            reader.read_row(row, cells)
        if not header_width:
            raise PlanFormatError("見出し行がありません（CSVが空です）。")
        return reader.finish(level_names)


def _guess_delimiter(text: str) -> str:
    for line in text.split("\n"):
        if line.strip() and not line.startswith("#"):
            return "\t" if "\t" in line and "," not in line else ","
    return ","


def _csv_rows(text: str, delimiter: str) -> Iterable[tuple[int, list[str]]]:
    """Rows as (line where the row starts, cleaned cells), within the upload limits."""
    rows = csv_rows(text, delimiter=delimiter)
    while True:
        try:
            line, cells = next(rows)
        except StopIteration:
            return
        except SpreadsheetReadError as exc:
            message = str(exc)
            match = re.match(r"^(\d+)行目: (.*)$", message, re.DOTALL)
            if match:
                raise PlanFormatError(match.group(2), where=f"{match.group(1)}行目") from None
            raise PlanFormatError(message) from None
        yield line, [_cell_text(csv_unescape(cell)) for cell in cells]

"""Reading an uploaded template (CSV in UTF-8/BOM/CP932, or XLSX) into cells that know where
they are, through the bounded readers of ``hoshin.lib.spreadsheets``."""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from hoshin.finance.errors import FinanceError
from hoshin.lib.encodings import DecodeError, decode_text
from hoshin.lib.numbers import Figure, NumberError, parse_figure
from hoshin.lib.spreadsheets import SpreadsheetReadError, csv_rows, csv_unescape, xlsx_open


class TableError(FinanceError):
    """A template that cannot be read; the message starts with the cell (``健全化判断比率!D3``
    or ``3行目 D列``)."""


@dataclass(frozen=True)
class Row:
    """One data row: its cells, and how to name one of them in a message."""

    cells: list
    line: int
    sheet: str = ""  # empty for CSV

    def where(self, column: int, title: str) -> str:
        letter = get_column_letter(column + 1)
        if self.sheet:
            place = f"{self.sheet}!{letter}{self.line}"
        else:
            place = _("%(line)s行目 %(column)s列") % {"line": self.line, "column": letter}
        return f"{place}（{title}）" if title else place

    def text(self, column: int) -> str:
        value = self.cells[column] if column < len(self.cells) else None
        return "" if value is None else str(value).strip()

    def figure(self, column: int, title: str, *, units: tuple[str, ...] = ()) -> Figure:
        value = self.cells[column] if column < len(self.cells) else None
        try:
            return parse_figure(value, units=units)
        except NumberError as exc:
            raise TableError(f"{self.where(column, title)}: {exc}") from None


def read_rows(data: bytes, filename: str, *, titles: Sequence[str], sheet: str) -> Iterator[Row]:
    """The data rows of an upload after its header row has been checked against ``titles``
    (a moved, missing or extra column is refused naming it). Blank rows are skipped."""
    if filename.lower().endswith(".xlsx"):
        rows = _xlsx_rows(data, sheet)
    else:
        try:
            text = decode_text(data)
        except DecodeError as exc:
            raise TableError(str(exc)) from None
        rows = (
            Row([csv_unescape(cell) for cell in cells], line)
            for line, cells in _guard(csv_rows(text))
        )
    header = next(rows, None)
    if header is None:
        raise TableError(_("ファイルに見出しの行がありません。"))
    _check_header(header, titles)
    for row in rows:
        if any(cell not in (None, "") for cell in row.cells):
            yield row


def _guard(rows):
    try:
        yield from rows
    except SpreadsheetReadError as exc:
        raise TableError(str(exc)) from None


def _xlsx_rows(data: bytes, sheet: str) -> Iterator[Row]:
    try:
        workbook = xlsx_open(data)
    except SpreadsheetReadError as exc:
        raise TableError(str(exc)) from None
    if sheet not in workbook.sheetnames:
        raise TableError(
            _("シート「%(sheet)s」がありません（あるシート: %(names)s）。")
            % {"sheet": sheet, "names": "、".join(workbook.sheetnames)}
        )
    worksheet = workbook[sheet]
    merged = sorted(str(cells) for cells in worksheet.merged_cells.ranges)
    if merged:
        # A merged cell hides which row a value belongs to: refuse rather than guess.
        raise TableError(
            _("%(sheet)s!%(range)s: 結合されたセルがあります。結合を解除してください。")
            % {"sheet": sheet, "range": merged[0]}
        )
    for number, cells in enumerate(worksheet.iter_rows(), start=1):
        row = Row([cell.value for cell in cells], number, sheet)
        for column, cell in enumerate(cells):
            if cell.data_type == "f":
                # A formula's value is not in the file (openpyxl does not compute it).
                raise TableError(
                    _("%(where)s: 数式は読み込めません。値を入力してください。")
                    % {"where": row.where(column, "")}
                )
        yield row


def _check_header(header: Row, titles: Sequence[str]) -> None:
    found = [header.text(column) for column in range(max(len(header.cells), len(titles)))]
    while found and not found[-1]:
        found.pop()
    for column, title in enumerate(titles):
        if column >= len(found) or found[column] != title:
            there = found[column] if column < len(found) else ""
            raise TableError(
                _(
                    "%(where)s: 見出しは「%(title)s」のはずですが「%(found)s」です。列の順序を様式どおりにしてください。"
                )
                % {"where": header.where(column, title), "title": title, "found": there}
            )
    if len(found) > len(titles):
        raise TableError(
            _("%(where)s: 様式にない列です。")
            % {"where": header.where(len(titles), found[len(titles)])}
        )

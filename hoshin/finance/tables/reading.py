"""Reading an uploaded template (CSV in UTF-8/BOM/CP932, or XLSX) into cells that know where
they are, through the bounded readers of ``hoshin.lib.spreadsheets``."""

import datetime
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from hoshin.finance.errors import FinanceError
from hoshin.lib.encodings import DecodeError, decode_text
from hoshin.lib.fiscal import FiscalYearError, parse_fiscal_year
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

    @property
    def label(self) -> str:
        """The row itself, for messages about the whole row."""
        if self.sheet:
            return f"{self.sheet}!{self.line}行目"
        return _("%(line)s行目") % {"line": self.line}

    def fiscal_year(self, column: int, title: str) -> int:
        """A fiscal year as staff type it (2024, 2024年度, 令和6年度, R6) or a number cell."""
        value = self.cells[column] if column < len(self.cells) else None
        text = str(int(value)) if isinstance(value, int | float) else self.text(column)
        try:
            return parse_fiscal_year(text)
        except (FiscalYearError, ValueError) as exc:
            raise TableError(f"{self.where(column, title)}: {exc}") from None

    def text(self, column: int) -> str:
        value = self.cells[column] if column < len(self.cells) else None
        return "" if value is None else str(value).strip()

    def figure(self, column: int, title: str, *, units: tuple[str, ...] = ()) -> Figure:
        value = self.cells[column] if column < len(self.cells) else None
        try:
            return parse_figure(value, units=units)
        except NumberError as exc:
            raise TableError(f"{self.where(column, title)}: {exc}") from None

    def required(self, column: int, title: str, *, units: tuple[str, ...] = ()) -> Figure:
        """A figure that must be a number (not empty, not "－")."""
        figure = self.figure(column, title, units=units)
        if figure.value is None:
            raise TableError(
                _("%(where)s: 数値を入力してください。") % {"where": self.where(column, title)}
            )
        return figure

    def whole(self, column: int, title: str, *, units: tuple[str, ...] = ()) -> int:
        """A whole number (years, counts)."""
        value = self.required(column, title, units=units).value
        if value != value.to_integral_value():
            raise TableError(
                _("%(where)s: 整数で入力してください。") % {"where": self.where(column, title)}
            )
        return int(value)

    def date(self, column: int, title: str) -> datetime.date:
        """A date: an Excel date cell, or text such as 2025-05-20 or 2025/5/20."""
        value = self.cells[column] if column < len(self.cells) else None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = unicodedata.normalize("NFKC", self.text(column))
        match = _DATE.fullmatch(text)
        try:
            if match:
                return datetime.date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
        raise TableError(
            _("%(where)s: 「%(text)s」は日付として読めません（例: 2025-05-20）。")
            % {"where": self.where(column, title), "text": self.text(column)}
        )

    def choice(self, column: int, title: str, choices) -> str:
        """The code of a choice typed as its label (or its code)."""
        text = unicodedata.normalize("NFKC", self.text(column))
        for value, label in choices:
            if text in (str(value), unicodedata.normalize("NFKC", str(label))):
                return value
        raise TableError(
            _("%(where)s: 「%(text)s」は選べません（%(labels)s）。")
            % {
                "where": self.where(column, title),
                "text": self.text(column),
                "labels": "、".join(str(label) for _value, label in choices),
            }
        )


_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")


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

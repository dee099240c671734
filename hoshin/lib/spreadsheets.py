"""Files for spreadsheets: the one policy for every CSV and XLSX hoshin writes, staff and public.

**Encodings.** CSV is UTF-8 with a BOM (the default: every character, and the BOM is how Excel
knows the file is UTF-8) or CP932 (Shift_JIS as Windows writes it, for older tools). A CP932
file is written only if every cell comes back unchanged after encoding and decoding; the first
cell that does not stops the export with one message naming the line, the column, the row and
the character (``CsvEncodingError``). Nothing is ever replaced: a 〓 or ? in a name or a figure
of an official file is an error nobody sees. Being encodable is not enough: Python writes
〜 U+301C with the bytes of ～ U+FF5E, so the text must come back the same.

**Formulas.** Excel and LibreOffice run a CSV cell that starts with ``=``, ``+``, ``-``, ``@``,
a tab or a CR as a formula, so a citizen's ``=HYPERLINK(…)`` would become a live link in a
staff member's spreadsheet (CSV injection). A text cell starting like that is written with an
apostrophe in front. Only text is escaped: numbers are passed as numbers, so -5 stays a number.
A text that already starts with apostrophes before such a character gets one more, so
``csv_unescape`` (the plan CSV import) gives back exactly the text that was written.

XLSX cells have types: text is always a string cell (never a formula), with the exact text and,
when it starts like a formula, Excel's own mark for "typed with an apostrophe" (quotePrefix), so
it stays text when someone edits the cell in Excel. No apostrophe is added to the value, so a
workbook uploaded again (plan workbook, sheet workbook) gives back the same text. A cell cannot
hold C0 control characters other than tab, LF and CR: workbooks that hoshin reads back refuse
them (``exact=True``; the caller names the cell), reports and open data drop them.
"""

import csv
import re
from collections.abc import Callable, Iterable, Sequence

from django.utils.translation import gettext as _

UTF8_BOM = "utf-8-sig"
CP932 = "cp932"
CSV_ENCODINGS = (UTF8_BOM, CP932)  # the codecs; the first is the default
# What a URL parameter or an option may say (case-insensitive) → the codec.
ENCODING_NAMES = {
    "utf-8": UTF8_BOM,
    "utf8": UTF8_BOM,
    "utf-8-sig": UTF8_BOM,
    "cp932": CP932,
    "shift_jis": CP932,
    "sjis": CP932,
    "windows-31j": CP932,
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TITLE_CHARS = 30  # a column title in a message (a survey question can be a paragraph)

# The C0 controls an XLSX cell cannot hold: openpyxl's ILLEGAL_CHARACTERS_RE, kept here so that
# importing this module does not load openpyxl.
_XLSX_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


class CsvEncodingError(ValueError):
    """A CSV cannot be written in the chosen encoding; the message says where and why."""


class XlsxTextError(ValueError):
    """A text holds a control character an XLSX cell cannot hold (the caller names the cell)."""


def csv_encoding(name: str) -> str | None:
    """The codec for an encoding name a user gave (``utf-8``, ``sjis`` …), None if unknown."""
    return ENCODING_NAMES.get(name.strip().lower())


# ---- formulas ----------------------------------------------------------------------------------


def csv_escape(text: str) -> str:
    """The text as a CSV cell: an apostrophe in front when a spreadsheet would run it."""
    if text.lstrip("'").startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_unescape(text: str) -> str:
    """What ``csv_escape`` was given: a CSV cell read back without the added apostrophe."""
    if text.startswith("'") and text.lstrip("'").startswith(FORMULA_STARTS):
        return text[1:]
    return text


# ---- CSV ---------------------------------------------------------------------------------------


def plain_text(value) -> str:
    """The default cell text of a value that is not text: empty for None, else str()."""
    return "" if value is None else str(value)


class _Line:
    """A file-like object whose write() hands back the line csv.writer formatted."""

    def write(self, text: str) -> str:
        return text


def _survives_cp932(text: str) -> bool:
    try:
        return text.encode(CP932).decode(CP932) == text
    except UnicodeEncodeError:
        return False


class CsvWriter:
    """Rows → CSV lines for Excel (CRLF, quoted as Excel quotes) under the policy above.

    ``row()`` returns the line; join them and ``encode()``, or stream them. A ``str`` value is
    text and escaped; any other value becomes ``text(value)`` (numbers, dates, None) unescaped.
    ``header`` names the columns in messages. With CP932 each row is checked as it is formatted,
    so a refusal names the line (as a text editor counts them, the same as the plan CSV import:
    a cell with line breaks spans several), the column and the row's ``label``.
    """

    def __init__(
        self,
        *,
        encoding: str = UTF8_BOM,
        header: Sequence[str] = (),
        text: Callable[[object], str] = plain_text,
    ):
        if encoding not in CSV_ENCODINGS:
            raise CsvEncodingError(
                _("文字コード「%(name)s」は使えません: %(names)s")
                % {"name": encoding, "names": "、".join(CSV_ENCODINGS)}
            )
        self.encoding = encoding
        self.header = list(header)
        self._text = text
        self._writer = csv.writer(_Line(), lineterminator="\r\n")
        self.line = 1  # the line the next row starts on

    def row(self, values: Iterable, *, label: str = "", columns: Sequence[str] = ()) -> str:
        """One row as a CSV line; ``columns`` names its cells when they are not the header's."""
        cells = [
            csv_escape(value) if isinstance(value, str) else self._text(value) for value in values
        ]
        line = self._writer.writerow(cells)
        if self.encoding == CP932 and not _survives_cp932(line):
            self._refuse(cells, label, columns or self.header)
        self.line += line.count("\n")
        return line

    def encode(self, text: str) -> bytes:
        """The joined lines as the file's bytes (with the BOM for UTF-8)."""
        return text.encode(self.encoding)

    def _refuse(self, cells: list[str], label: str, titles: Sequence[str]) -> None:
        for index, cell in enumerate(cells):
            for char in cell:
                if not _survives_cp932(char):
                    raise CsvEncodingError(
                        cp932_message(
                            line=self.line,
                            column=index + 1,
                            title=titles[index] if index < len(titles) else "",
                            label=label,
                            char=char,
                        )
                    )


def cp932_message(*, line: int, column: int, title: str, label: str, char: str) -> str:
    """The one refusal message: where (line, column, its title, the row) and which character."""
    if len(title) > TITLE_CHARS:
        title = title[:TITLE_CHARS] + "…"
    return _(
        "%(line)s行目 %(column)s列目%(title)s%(label)s: 「%(char)s」(U+%(code)04X) は"
        " Shift_JIS（CP932）で書けません。UTF-8（BOM付き）で書き出してください"
        "（Excel でそのまま開けます）。"
    ) % {
        "line": line,
        "column": column,
        "title": f"({title})" if title else "",
        "label": f"（{label}）" if label else "",
        "char": char,
        "code": ord(char),
    }


# ---- XLSX --------------------------------------------------------------------------------------


def xlsx_text(text: str, *, exact: bool = False) -> str:
    """The text an XLSX cell can hold: control characters dropped, or refused when ``exact``."""
    if not _XLSX_ILLEGAL.search(text):
        return text
    if exact:
        raise XlsxTextError(_("Excel のセルに入れられない制御文字があります。"))
    return _XLSX_ILLEGAL.sub("", text)


def xlsx_set(cell, value, *, exact: bool = False):
    """Put ``value`` into an openpyxl cell; a ``str`` is always a text cell, never a formula."""
    if not isinstance(value, str):
        cell.value = value
        return cell
    cell.value = xlsx_text(value, exact=exact)
    # openpyxl makes a str starting with "=" a formula; the type is set after the value.
    cell.data_type = "s"
    if value.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell


def xlsx_put(ws, row: int, column: int, value, *, exact: bool = False):
    """``ws.cell(row, column, value)`` with ``value`` written by ``xlsx_set``; the cell."""
    return xlsx_set(ws.cell(row=row, column=column), value, exact=exact)


def xlsx_cell(ws, value, *, exact: bool = False):
    """A cell for ``ws.append`` (also in write-only mode) holding ``value`` as ``xlsx_set`` does."""
    from openpyxl.cell import WriteOnlyCell

    return xlsx_set(WriteOnlyCell(ws), value, exact=exact)


def xlsx_row(ws, values: Iterable, *, exact: bool = False) -> list:
    """The values for ``ws.append``: each ``str`` as a text cell, other values as they are."""
    return [
        xlsx_cell(ws, value, exact=exact) if isinstance(value, str) else value for value in values
    ]


def xlsx_append(ws, values: Iterable, *, exact: bool = False) -> None:
    """``ws.append(values)`` with each ``str`` written as a text cell."""
    ws.append(xlsx_row(ws, values, exact=exact))

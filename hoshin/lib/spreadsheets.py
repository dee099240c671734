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
import io
import re
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

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


# ---- reading uploads: bounded before anything is built -----------------------------------------
#
# Every parser of an uploaded file (plan import, sheet workbook) reads through these functions,
# so a crafted file is refused by its size, its shape or its nesting before openpyxl, csv or json
# builds anything of it: a merged range of 16 million cells, a declared dimension of a whole
# sheet, 2 million plain cells, a zip bomb or 100,000 nested brackets each cost a scan of the
# bytes, not minutes of CPU and gigabytes of memory. The limits are settings (README).


class SpreadsheetReadError(ValueError):
    """An uploaded file cannot be read (damaged, old .xls); the caller names the file."""


class UploadLimitError(SpreadsheetReadError):
    """An uploaded file exceeds a limit; the message names what exceeded which limit."""


@dataclass(frozen=True)
class ReadLimits:
    """How big an uploaded file may be; ``from_settings()`` gives the configured ones."""

    rows: int = 20_000  # highest row number of a sheet; data rows of a CSV; lines of a text
    columns: int = 500  # highest column number of a sheet; fields of a CSV row
    cells: int = 200_000  # rows × columns of every sheet's used range together; JSON values
    depth: int = 64  # JSON nesting
    xlsx_uncompressed: int = 50 * 1024 * 1024  # all XML parts together, unpacked
    xlsx_members: int = 1_000  # parts in the zip
    xlsx_ratio: int = 100  # unpacked ÷ packed of a part larger than 1 MB

    @classmethod
    def from_settings(cls) -> "ReadLimits":
        from django.conf import settings

        return cls(
            rows=settings.HOSHIN_UPLOAD_MAX_ROWS,
            columns=settings.HOSHIN_UPLOAD_MAX_COLUMNS,
            cells=settings.HOSHIN_UPLOAD_MAX_CELLS,
            depth=settings.HOSHIN_UPLOAD_MAX_DEPTH,
            xlsx_uncompressed=settings.HOSHIN_XLSX_MAX_UNCOMPRESSED_BYTES,
            xlsx_members=settings.HOSHIN_XLSX_MAX_MEMBERS,
            xlsx_ratio=settings.HOSHIN_XLSX_MAX_RATIO,
        )


def _limit(what: str, value, limit) -> UploadLimitError:
    return UploadLimitError(
        _("%(what)sが上限を超えています（%(value)s、上限 %(limit)s）。")
        % {"what": what, "value": f"{value:,}", "limit": f"{limit:,}"}
    )


XLSX_UNREADABLE = (
    "Excel ブック（.xlsx）として読めません。Excel で開き「Excel ブック (*.xlsx)」で"
    "保存し直してください（%(error)s）。"
)
XLS_OLD = (
    "古い Excel 形式（.xls）のファイルです。Excel で開き「Excel ブック (*.xlsx)」で"
    "保存し直してください。"
)
_PART_RATIO_FROM = 1024 * 1024  # small parts compress oddly; only large ones can be bombs


# What the zip module raises for a damaged or unsupported archive (found by fuzzing: a bad CRC,
# a truncated stream, an unknown compression or "version needed to extract").
_ZIP_UNREADABLE = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    NotImplementedError,
    RuntimeError,
)


def xlsx_check(data: bytes, limits: ReadLimits | None = None) -> dict[str, list[str]]:
    """Refuse a workbook over ``limits`` before building it; each part's merged ranges.

    Looks at the zip (parts, unpacked size, compression ratio) and streams every XML part
    once: a DTD is refused, and cells, rows, ``<dimension>`` and ``<mergeCell ref>`` of every
    sheet count towards the rows, columns and cells (used range) limits. Memory stays at one
    chunk; time is proportional to what is read before the first limit is hit.
    """
    limits = limits or ReadLimits.from_settings()
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise SpreadsheetReadError(_(XLS_OLD))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except _ZIP_UNREADABLE as exc:
        raise SpreadsheetReadError(_(XLSX_UNREADABLE) % {"error": type(exc).__name__}) from None
    if len(members) > limits.xlsx_members:
        raise _limit(_("ブック内のファイル数"), len(members), limits.xlsx_members)
    declared = sum(member.file_size for member in members)
    if declared > limits.xlsx_uncompressed:
        raise _limit(_("展開後のサイズ（バイト）"), declared, limits.xlsx_uncompressed)
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > _PART_RATIO_FROM and ratio > limits.xlsx_ratio:
            raise _limit(_("%s の圧縮率") % member.filename, int(ratio), limits.xlsx_ratio)
    from hoshin.lib.xlsx_scan import SheetScan, scan_part, sheet_names

    budget, merges, left = [0], {}, limits.xlsx_uncompressed
    names = sheet_names(archive)
    for member in members:
        if not member.filename.endswith((".xml", ".rels")):
            continue
        scan = SheetScan(names.get(member.filename, member.filename), limits, budget)
        try:
            with archive.open(member) as stream:
                left -= scan_part(stream, scan, left)
        except SpreadsheetReadError:
            raise
        except _ZIP_UNREADABLE as exc:
            raise SpreadsheetReadError(_(XLSX_UNREADABLE) % {"error": type(exc).__name__}) from None
        if scan.merges:
            merges[member.filename] = scan.merges
    return merges


def xlsx_open(data: bytes, limits: ReadLimits | None = None):
    """The openpyxl workbook of an upload, after ``xlsx_check`` (SpreadsheetReadError if not).

    Formulas are kept as formulas (``data_only=False``) so that readers can refuse them.
    """
    xlsx_check(data, limits)
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about extensions it drops
            return openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    except Exception as exc:  # openpyxl raises many kinds of error on a damaged file
        raise SpreadsheetReadError(_(XLSX_UNREADABLE) % {"error": type(exc).__name__}) from None


def csv_rows(text: str, *, delimiter: str = ",", limits: ReadLimits | None = None):
    """``csv.reader`` rows of ``text`` with the row, field-count and cell limits applied.

    Yields ``(line, cells)``: the line where the row starts, as an editor counts it. A field
    longer than the csv module's ``field_size_limit`` (128 KiB) is a ``SpreadsheetReadError``.
    """
    limits = limits or ReadLimits.from_settings()
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line, rows, cells = 1, 0, 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise SpreadsheetReadError(
                _("%(line)s行目: CSVとして読めません（%(error)s）。") % {"line": line, "error": exc}
            ) from None
        rows, cells = rows + 1, cells + len(row)
        if rows > limits.rows:
            raise _limit(_("CSV の行数"), rows, limits.rows)
        if len(row) > limits.columns:
            raise _limit(_("%s行目の列数") % line, len(row), limits.columns)
        if cells > limits.cells:
            raise _limit(_("CSV のセルの数"), cells, limits.cells)
        yield line, row
        line = reader.line_num + 1


def text_lines_check(text: str, limits: ReadLimits | None = None) -> None:
    """Refuse a text file with more lines than the row limit, before it is split."""
    limits = limits or ReadLimits.from_settings()
    lines = text.count("\n") + 1
    if lines > limits.rows:
        raise _limit(_("行数"), lines, limits.rows)


# Strings (with their escapes) are skipped by the depth scan: brackets inside them are text.
_JSON_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
_JSON_BRACKETS = re.compile(r"[\[\]{}]")


def json_check(text: str, limits: ReadLimits | None = None) -> None:
    """Refuse JSON nested deeper than ``limits.depth`` or with more values than ``limits.cells``.

    A pre-scan of the text, counting brackets outside strings, so that ``json.loads`` never
    recurses deeper than the limit (100,000 nested brackets are a message, not a RecursionError).
    """
    limits = limits or ReadLimits.from_settings()
    bare = _JSON_STRING.sub('""', text)
    values = bare.count(",") + 1
    if values > limits.cells:
        raise _limit(_("JSON の値の数"), values, limits.cells)
    depth = 0
    for match in _JSON_BRACKETS.finditer(bare):
        if match.group() in "[{":
            depth += 1
            if depth > limits.depth:
                line = bare.count("\n", 0, match.start()) + 1
                raise UploadLimitError(
                    _("JSON の入れ子が深すぎます（%(line)s行目で%(depth)s段、上限 %(limit)s段）。")
                    % {"line": line, "depth": depth, "limit": limits.depth}
                )
        else:
            depth -= 1


def json_load(text: str, *, limits: ReadLimits | None = None, **options):
    """``json.loads(text, **options)`` after ``json_check`` (JSONDecodeError as json raises it)."""
    import json

    json_check(text, limits)
    return json.loads(text, **options)

"""Writing dataset rows as CSV, JSON and XLSX without holding the whole file in memory.

CSV and JSON are generators of byte chunks for a StreamingHttpResponse; XLSX is written by
openpyxl in write-only mode to a temporary file (a zip cannot be streamed as it is built).
Values keep their types in the rows; here they become text: dates in ISO 8601, decimals
without exponent or trailing zeros, booleans as true/false, None as an empty cell (CSV) or
null (JSON).
"""

import csv
import datetime
import json
import re
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from hoshin.opendata.base import Dataset

CSV_ENCODINGS = {"utf-8": "utf-8-sig", "cp932": "cp932"}  # ?encoding= value → codec
CHUNK_CHARS = 64 * 1024
# Characters an XLSX cell cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE: C0 controls but tab,
# line feed and carriage return).
XLSX_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


class EncodingError(ValueError):
    """A value cannot be written in the requested encoding; the message says where."""


def decimal_text(value: Decimal) -> str:
    """1234, 0.8333, -12.5: no exponent, no trailing zeros."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, datetime.datetime):
        return (
            timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
        )
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _chunked(pieces: Iterable[str], encoding: str) -> Iterator[bytes]:
    buffer, size = [], 0
    for piece in pieces:
        buffer.append(piece)
        size += len(piece)
        if size >= CHUNK_CHARS:
            yield "".join(buffer).encode(encoding)
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer).encode(encoding)


# ---- CSV -------------------------------------------------------------------------------------


class _Line:
    """A file-like object whose write() hands back the line csv.writer formatted."""

    def write(self, text: str) -> str:
        return text


def csv_chunks(dataset: Dataset, rows: Iterable[dict], *, encoding: str) -> Iterator[bytes]:
    """The header (column names) and one line per row, CRLF as Excel writes them.

    ``encoding`` is ``utf-8-sig`` (the BOM tells Excel it is UTF-8) or ``cp932``; call
    ``check_cp932`` first for the latter, as an error cannot be reported once streaming began.
    """
    writer = csv.writer(_Line(), lineterminator="\r\n")

    def lines() -> Iterator[str]:
        yield writer.writerow(dataset.column_names)
        for row in rows:
            yield writer.writerow([cell_text(value) for value in row.values()])

    # The codec writes the BOM once, before the first chunk.
    if encoding == "utf-8-sig":
        first = True
        for chunk in _chunked(lines(), "utf-8"):
            yield (b"\xef\xbb\xbf" + chunk) if first else chunk
            first = False
        if first:
            yield b"\xef\xbb\xbf"
    else:
        yield from _chunked(lines(), encoding)


def check_cp932(dataset: Dataset, rows: Iterable[dict]) -> None:
    """EncodingError naming the first value CP932 cannot hold unchanged (row, column, char).

    Python maps some characters one way only (〜 U+301C is written as ～ U+FF5E), so a value
    must survive encode + decode, not merely encode.
    """
    key = dataset.columns[0]
    for number, row in enumerate(rows, start=1):
        for name, value in row.items():
            if not isinstance(value, str) or not value:
                continue
            try:
                if value.encode("cp932").decode("cp932") == value:
                    continue
            except UnicodeEncodeError:
                pass
            char = next(c for c in value if not _cp932_keeps(c))
            raise EncodingError(
                _(
                    "%(row)s行目（%(key)s=%(id)s）の %(column)s 列の「%(char)s」(U+%(code)04X) は "
                    "Shift_JIS（CP932）で表せません。encoding=cp932 を外して UTF-8"
                    "（BOM付き、Excel でそのまま開けます）でダウンロードしてください。"
                )
                % {
                    "row": number + 1,
                    "key": key.name,
                    "id": row.get(key.name),
                    "column": name,
                    "char": char,
                    "code": ord(char),
                }
            )


def _cp932_keeps(char: str) -> bool:
    try:
        return char.encode("cp932").decode("cp932") == char
    except UnicodeEncodeError:
        return False


# ---- JSON ------------------------------------------------------------------------------------


def json_value(value) -> str:
    """One JSON value; decimals as exact number literals (a float would round 18 digits)."""
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return json.dumps(cell_text(value))
    return json.dumps(value, ensure_ascii=False)


def json_chunks(dataset: Dataset, rows: Iterable[dict], *, meta: dict) -> Iterator[bytes]:
    """``{"dataset": …, "license": …, "columns": [...], "rows": [{…}, …]}`` in UTF-8."""
    head = {
        "dataset": dataset.name,
        "title": str(dataset.title),
        **meta,
        "columns": [
            {"name": c.name, "label": str(c.label), "type": c.type} for c in dataset.columns
        ],
    }

    def pieces() -> Iterator[str]:
        yield json.dumps(head, ensure_ascii=False)[:-1] + ', "rows": ['
        separator = "\n"
        for row in rows:
            body = ", ".join(f"{json.dumps(k)}: {json_value(v)}" for k, v in row.items())
            yield f"{separator}{{{body}}}"
            separator = ",\n"
        yield "\n]}\n"

    yield from _chunked(pieces(), "utf-8")


# ---- XLSX ------------------------------------------------------------------------------------


def xlsx_file(dataset: Dataset, rows: Iterable[dict], *, notes: list[tuple[str, str]]):
    """A temporary file (deleted when closed) holding the workbook, positioned at its start.

    Sheet 1 is the data (column names in row 1); sheet 説明 lists the columns and ``notes``
    (licence, attribution, source). Text is stored as text, so "=…" never becomes a formula;
    control characters an XLSX cell cannot hold are dropped (CSV and JSON keep them).
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(dataset.name)
    bold = Font(bold=True)

    def text_cell(ws, value: str, *, font=None) -> WriteOnlyCell:
        cell = WriteOnlyCell(ws, value=XLSX_ILLEGAL.sub("", value))
        cell.data_type = "s"
        if font is not None:
            cell.font = font
        return cell

    def typed_cell(ws, value):
        if value is None:
            return None
        if isinstance(value, str):
            return text_cell(ws, value)
        if isinstance(value, datetime.datetime):
            return cell_text(value)  # Excel has no time zones: ISO text keeps the offset
        return value  # int, Decimal, date and bool are native Excel values

    sheet.freeze_panes = "A2"
    sheet.append([text_cell(sheet, name, font=bold) for name in dataset.column_names])
    for row in rows:
        sheet.append([typed_cell(sheet, value) for value in row.values()])

    about = workbook.create_sheet(_("説明"))
    about.append(
        [text_cell(about, str(t), font=bold) for t in (_("列名"), _("項目"), _("型"), _("説明"))]
    )
    for column in dataset.columns:
        about.append(
            [
                text_cell(about, str(v))
                for v in (column.name, column.label, column.type, column.description)
            ]
        )
    about.append([])
    for label, value in notes:
        about.append([text_cell(about, str(label), font=bold), text_cell(about, str(value))])

    # Returned open: FileResponse closes (and so deletes) it once the response is sent.
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    workbook.save(handle)
    handle.seek(0)
    return handle


def csv_check_rows(dataset: Dataset, filters: dict) -> None:
    """Run check_cp932 over a fresh pass of the rows (the stream makes its own pass)."""
    check_cp932(dataset, dataset.rows(dataset.queryset(filters)))

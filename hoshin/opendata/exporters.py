"""Writing dataset rows as CSV, JSON and XLSX without holding the whole file in memory.

CSV and JSON are generators of byte chunks for a StreamingHttpResponse; XLSX is written by
openpyxl in write-only mode to a temporary file (a zip cannot be streamed as it is built).
Values keep their types in the rows; here they become text: dates in ISO 8601, decimals
without exponent or trailing zeros, booleans as true/false, None as an empty cell (CSV) or
null (JSON). Encodings, the CP932 refusal, formula escaping and XLSX text cells follow
``hoshin.lib.spreadsheets``, as in every file hoshin writes.
"""

import datetime
import json
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from hoshin.lib.spreadsheets import CP932, UTF8_BOM, CsvWriter, xlsx_cell
from hoshin.opendata.base import DEFAULT_HEADERS, Dataset

CHUNK_CHARS = 64 * 1024
# Part of the key of kept downloads (hoshin.changes.downloads): bump it when the same data gives
# other bytes (2: formula escaping in CSV, quotePrefix in XLSX; 3: Japanese CSV headers, label
# columns with the scale's words, subjects never cut).
FILE_REVISION = 3


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


def _csv_lines(
    dataset: Dataset, rows: Iterable[dict], *, encoding: str, headers: str = DEFAULT_HEADERS
) -> Iterator[str]:
    """The header (``Dataset.headings``) and one line per row; a refusal names the row's key."""
    heading = dataset.headings(headers)
    writer = CsvWriter(encoding=encoding, header=heading, text=cell_text)
    key = dataset.columns[0].name
    yield writer.row(heading)
    for row in rows:
        yield writer.row(row.values(), label=f"{key}={row.get(key)}")


def csv_chunks(
    dataset: Dataset, rows: Iterable[dict], *, encoding: str, headers: str = DEFAULT_HEADERS
) -> Iterator[bytes]:
    """The CSV as byte chunks, CRLF as Excel writes them.

    ``encoding`` is ``utf-8-sig`` (the BOM tells Excel it is UTF-8) or ``cp932``; call
    ``csv_check_rows`` first for the latter, as an error cannot be reported once streaming began.
    ``headers`` is ``ja`` (Japanese column names, the default) or ``en`` (the machine names).
    """
    lines = _csv_lines(dataset, rows, encoding=encoding, headers=headers)
    # The codec writes the BOM once, before the first chunk.
    if encoding == UTF8_BOM:
        first = True
        for chunk in _chunked(lines, "utf-8"):
            yield (b"\xef\xbb\xbf" + chunk) if first else chunk
            first = False
        if first:
            yield b"\xef\xbb\xbf"
    else:
        yield from _chunked(lines, encoding)


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
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(dataset.name)
    bold = Font(bold=True)

    def text_cell(ws, value: str, *, font=None):
        cell = xlsx_cell(ws, value)
        if font is not None:
            cell.font = font
        return cell

    def typed_cell(ws, value):
        if value is None:
            return None
        if isinstance(value, str):
            return text_cell(ws, value)
        if isinstance(value, datetime.datetime):
            return text_cell(ws, cell_text(value))  # no time zones in Excel: ISO text keeps them
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


def csv_check_rows(dataset: Dataset, filters: dict, *, headers: str = DEFAULT_HEADERS) -> None:
    """CsvEncodingError if the CP932 file cannot be written: a pass of its own over the rows.

    The stream makes its own pass; this one comes first because an error cannot be reported
    once the first byte is sent.
    """
    rows = dataset.rows(dataset.queryset(filters))
    for _line in _csv_lines(dataset, rows, encoding=CP932, headers=headers):
        pass

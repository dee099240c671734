"""Hand-made hostile uploads (issue 10, finding 2 and the RecursionError), built in memory.

Each builder returns the bytes of a file an attacker could upload; the tests of every parser
(lib, plan import, sheet workbook) and ``bench/parsers.py`` refuse them. Built with zipfile and
plain strings, so even 2 million cells take about a second.
"""

import functools
import io
import zipfile

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{doctype}'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    "{dimension}<sheetData>{rows}</sheetData>{merges}</worksheet>"
)


def workbook(
    rows: str = '<row r="1"><c r="A1" t="inlineStr"><is><t>見出し</t></is></c></row>',
    *,
    merges: tuple[str, ...] = (),
    dimension: str = "",
    doctype: str = "",
    extra: dict[str, bytes] | None = None,
    name: str = "Sheet1",
) -> bytes:
    """A one-sheet .xlsx whose sheet XML holds ``rows`` (``<row>`` elements) and ``merges``."""
    merge_xml = (
        f'<mergeCells count="{len(merges)}">'
        + "".join(f'<mergeCell ref="{ref}"/>' for ref in merges)
        + "</mergeCells>"
        if merges
        else ""
    )
    sheet = SHEET.format(
        doctype=doctype,
        dimension=f'<dimension ref="{dimension}"/>' if dimension else "",
        rows=rows,
        merges=merge_xml,
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK.format(name=name))
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        for member, data in (extra or {}).items():
            archive.writestr(member, data)
    return buffer.getvalue()


@functools.cache
def merge_bomb(ref: str = "A1000:XFD1015") -> bytes:
    """The 14 KB file of the report: one merged range of 16 rows × 16,384 columns."""
    return workbook(merges=(ref,))


@functools.cache
def dimension_bomb() -> bytes:
    """A sheet that declares the whole grid (openpyxl's read-only mode would pad to it)."""
    return workbook(dimension="A1:XFD1048576")


@functools.cache
def plain_cells(count: int = 2_000_000, columns: int = 100) -> bytes:
    """``count`` plain number cells, ``columns`` a row, cells without ``r`` as Excel allows."""
    # Different numbers, so that the file packs like the report's 5.7 MB, not like a zip bomb.
    row = "<c><v>%d</v></c>" * columns
    rows = "".join(
        f'<row r="{r}">' + row % tuple(range(r * 7919, r * 7919 + columns)) + "</row>"
        for r in range(1, count // columns + 1)
    )
    return workbook(rows)


@functools.cache
def zip_bomb(megabytes: int = 60) -> bytes:
    """A part of ``megabytes`` MB of zeros that packs to a few dozen KB."""
    return workbook(extra={"xl/media/zeros.xml": b"\0" * (megabytes * 1024 * 1024)})


@functools.cache
def entity_bomb() -> bytes:
    """The "billion laughs": entities that expand to gigabytes if a parser resolves them."""
    entities = '<!ENTITY a0 "ha">' + "".join(
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)
    )
    return workbook(
        rows='<row r="1"><c r="A1" t="inlineStr"><is><t>&a9;</t></is></c></row>',
        doctype=f"<!DOCTYPE worksheet [{entities}]>",
    )


@functools.cache
def nested_json(depth: int = 100_000) -> bytes:
    """100,000 nested brackets: a RecursionError (a 500) for a json.loads without a limit."""
    return b'{"sheets": ' + b"[" * depth + b"]" * depth + b"}"


BOMBS = {
    "merge A1000:XFD1015": merge_bomb,
    "merge A1000:XFD1048576": lambda: merge_bomb("A1000:XFD1048576"),
    "dimension A1:XFD1048576": dimension_bomb,
    "2 million plain cells": plain_cells,
    "zip bomb": zip_bomb,
    "entity bomb": entity_bomb,
}

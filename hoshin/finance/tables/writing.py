"""Writing a template: the same titles and cells as CSV or XLSX (``hoshin.lib.spreadsheets``)."""

import io
from collections.abc import Iterable, Sequence

from hoshin.lib.spreadsheets import CsvWriter, xlsx_append


def table_csv(*, titles: Sequence[str], rows: Iterable[tuple[list, str]], encoding: str) -> bytes:
    """The header and ``(cells, label)`` rows as CSV bytes; ``label`` names a row that CP932
    cannot hold in the refusal message."""
    writer = CsvWriter(encoding=encoding, header=titles)
    lines = [writer.row(titles)]
    lines += [writer.row(cells, label=label) for cells, label in rows]
    return writer.encode("".join(lines))


def table_xlsx(*, sheet: str, titles: Sequence[str], rows: Iterable[tuple[list, str]]) -> bytes:
    """The header and rows as an XLSX workbook with one sheet named ``sheet``."""
    import openpyxl

    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    xlsx_append(worksheet, titles)
    for cells, _label in rows:
        xlsx_append(worksheet, cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()

"""The bulk round trip: a department's sheets of one plan and year as one XLSX (or JSON) file.

Download with ``export_workbook`` / ``export_json``, read an upload with ``read_upload`` (a
Preview: every change field by field, or every error by tab/row/column), save it with
``hoshin.evaluations.services.bulk.upload_apply`` (all sheets or none). The layout is
documented in ``docs/sheet-workbook.md``; the modules:

- ``layout``: tabs, columns (stable keys + Japanese labels), the info keys;
- ``export``: the queries, values as staff read them, the JSON writer;
- ``workbook``: the XLSX writer;
- ``readers`` (``xlsx_reader``, ``json_reader``, ``content``): XLSX/JSON → values by path
  with their places (no database);
- ``preview``: the checks against the database and the user's rights;
- ``errors``: places (``評価シート!F7（総合評価）``, ``$.sheets[0].fields.overall_grade``) and errors.
"""

from hoshin.evaluations.bulk.errors import BulkExportError, BulkFormatError, Place, UploadError
from hoshin.evaluations.bulk.export import export_json, export_scope
from hoshin.evaluations.bulk.preview import FieldChange, Preview, SheetChange, read_upload
from hoshin.evaluations.bulk.workbook import export_workbook

__all__ = [
    "BulkExportError",
    "BulkFormatError",
    "FieldChange",
    "Place",
    "Preview",
    "SheetChange",
    "UploadError",
    "export_json",
    "export_scope",
    "export_workbook",
    "read_upload",
]

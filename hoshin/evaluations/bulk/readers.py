"""Reading an upload: XLSX or JSON, chosen by the file name (or the first bytes).

See ``content`` for what the readers produce; ``preview`` checks it against the database.
"""

from hoshin.evaluations.bulk.content import UploadContent
from hoshin.evaluations.bulk.errors import BulkFormatError
from hoshin.evaluations.bulk.json_reader import read_json
from hoshin.evaluations.bulk.xlsx_reader import read_xlsx


def read_file(data: bytes, filename: str) -> UploadContent:
    """Read an upload, choosing XLSX or JSON by the file name (or the first bytes)."""
    if not data or not data.strip():
        raise BulkFormatError("ファイルが空です。")
    name = (filename or "").lower()
    if name.endswith(".json"):
        return read_json(data)
    if name.endswith((".xlsx", ".xlsm")) or data.startswith(b"PK\x03\x04"):
        return read_xlsx(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return read_xlsx(data)  # says how to resave an old .xls
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return read_json(data)
    raise BulkFormatError(
        "Excel ブック（.xlsx）でも JSON でもありません。書き出したファイルをそのまま使ってください。"
    )

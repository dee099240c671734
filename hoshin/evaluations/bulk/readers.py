"""Reading an upload: XLSX or JSON, chosen by the file name (or the first bytes).

See ``content`` for what the readers produce; ``preview`` checks it against the database.
"""

from django.conf import settings

from hoshin.evaluations.bulk.content import UploadContent
from hoshin.evaluations.bulk.errors import BulkFormatError
from hoshin.evaluations.bulk.json_reader import read_json
from hoshin.evaluations.bulk.xlsx_reader import read_xlsx


def check_upload_size(size: int) -> None:
    """Refuse a file over SHEET_UPLOAD_MAX_BYTES (the page, the command and the store ask here)."""
    limit = settings.SHEET_UPLOAD_MAX_BYTES
    if size > limit:
        raise BulkFormatError(f"ファイルが大きすぎます（上限 {limit // (1024 * 1024)} MB）。")


def read_file(data: bytes, filename: str) -> UploadContent:
    """Read an upload, choosing XLSX or JSON by the file name (or the first bytes)."""
    check_upload_size(len(data))
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

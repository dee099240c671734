"""Where a value sits in an uploaded file, and the errors that name that place."""

from dataclasses import dataclass


class BulkFormatError(ValueError):
    """The file cannot be read as a sheet workbook at all (not XLSX/JSON, empty, another file)."""


class BulkExportError(ValueError):
    """The sheets cannot be written (no such year, a value Excel cannot hold)."""


def column_letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


@dataclass(frozen=True)
class Place:
    """A cell (``評価シート!F7（総合評価）``), a row (``指標!5行目``) or a JSON path (``$.sheets[0]``)."""

    tab: str = ""
    row: int | None = None
    column: int | None = None
    header: str = ""
    json_path: str = ""

    def __str__(self) -> str:
        if self.json_path:
            return self.json_path
        suffix = f"（{self.header}）" if self.header else ""
        if self.row is None:
            return f"{self.tab}{suffix}"
        if self.column is None:
            return f"{self.tab}!{self.row}行目{suffix}"
        return f"{self.tab}!{column_letter(self.column)}{self.row}{suffix}"

    @property
    def cell(self) -> str:
        """The cell without its header, e.g. ``F7``."""
        return f"{column_letter(self.column)}{self.row}" if self.column else ""


def places_text(places: list[Place]) -> str:
    """Several cells of one row or object: ``評価シート!F7, G7（総合評価、今後の方向性）``."""
    if not places:
        return ""
    if len(places) == 1:
        return str(places[0])
    first = places[0]
    headers = "、".join(p.header for p in places if p.header)
    if first.json_path:
        return "、".join(p.json_path for p in places)
    if all(p.column for p in places):
        cells = ", ".join(p.cell for p in places)
        return f"{first.tab}!{cells}（{headers}）"
    return f"{first.tab}!{first.row}行目（{headers}）"


@dataclass(frozen=True)
class UploadError:
    """One thing wrong with an upload, at its place: nothing is applied while any exists."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message

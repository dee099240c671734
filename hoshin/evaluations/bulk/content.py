"""What the readers produce: an upload's values by path, each with its place in the file.

The readers (``xlsx_reader``, ``json_reader``) know the layout, not the database: they find
each sheet's id, version and raw values and remember where each value stands (tab, row,
column or JSON path). ``preview``
checks the values against the database and the user's rights. A file that cannot be read at
all raises BulkFormatError; a bad cell is collected as an UploadError and reading goes on, so
that every mistake is reported at once.
"""

import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from hoshin.evaluations.bulk import layout
from hoshin.evaluations.bulk.errors import BulkFormatError, Place, UploadError
from hoshin.evaluations.models import CostKind
from hoshin.lib.fiscal import FiscalYearError, parse_fiscal_year

NOT_OURS = (
    "評価シートの一括入力用に書き出したファイルではありません。"
    "「一括入力（Excel）」の画面または export_sheets で書き出したファイルに入力してください。"
)


@dataclass
class FileInfo:
    """What the file says about itself (tab 情報 / the JSON's top level)."""

    plan_id: int | None = None
    plan_name: str = ""
    fy: int | None = None
    department_id: int | None = None
    department_name: str = ""
    exported_at: str = ""
    exported_by: str = ""
    sheet_count: int | None = None
    places: dict[str, Place] = field(default_factory=dict)


@dataclass
class SheetInput:
    """One sheet's values in the file, by path, each with its place."""

    sheet_id: int
    place: Place | None = None  # its row on the main tab / its object in JSON
    version: int | None = None
    version_place: Place | None = None
    values: dict[str, object] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)
    indicator_rows: dict[int, Place] = field(default_factory=dict)
    cost_rows: dict[str, Place] = field(default_factory=dict)
    other_rows: list[Place] = field(default_factory=list)  # rows outside the main tab

    @property
    def any_place(self) -> Place:
        return self.place or (self.other_rows[0] if self.other_rows else Place())


@dataclass
class UploadContent:
    format_name: str
    info: FileInfo
    sheets: dict[int, SheetInput] = field(default_factory=dict)
    errors: list[UploadError] = field(default_factory=list)

    def error(self, place, message: str) -> None:
        self.errors.append(UploadError(str(place), message))

    def sheet(self, sheet_id: int) -> SheetInput:
        return self.sheets.setdefault(sheet_id, SheetInput(sheet_id=sheet_id))


def is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_id(value) -> int | None:
    """An id or version as typed: 12, 12.0, "12", "１２"; ValueError otherwise."""
    if is_empty(value):
        return None
    if isinstance(value, bool):
        raise ValueError
    try:
        number = Decimal(unicodedata.normalize("NFKC", str(value)).strip())
    except InvalidOperation:
        raise ValueError from None
    if not number.is_finite() or number != number.to_integral_value() or number < 1:
        raise ValueError
    return int(number)


def cost_kind(value) -> str | None:
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    for kind in CostKind:
        if text in (kind.value, unicodedata.normalize("NFKC", str(kind.label))):
            return kind.value
    return None


def read_info_values(raw: dict[str, tuple[object, Place]], content: UploadContent) -> None:
    """The info values, from the info tab or the JSON's top level (shared checks)."""
    info = content.info
    info.places = {key: place for key, (_, place) in raw.items()}
    marker = raw.get("format", (None, None))[0]
    if str(marker or "").strip() != layout.FORMAT_NAME:
        raise BulkFormatError(NOT_OURS)
    version, place = raw.get("format_version", (None, Place()))
    try:
        format_version = parse_id(version)
    except ValueError:
        format_version = None
    if format_version is None or format_version > layout.FORMAT_VERSION:
        raise BulkFormatError(
            f"{place}: このファイルの形式（第{version}版）は読めません。もう一度書き出してください。"
        )
    for key, attribute, label in (
        ("plan_id", "plan_id", "計画ID"),
        ("department_id", "department_id", "部署ID"),
        ("sheet_count", "sheet_count", "シート数"),
    ):
        value, place = raw.get(key, (None, Place()))
        try:
            setattr(info, attribute, parse_id(value) if key != "sheet_count" else _count(value))
        except ValueError:
            content.error(place, f"{label}「{value}」が読めません。変更しないでください。")
    if info.plan_id is None:
        where = raw.get("plan_id", (None, Place(layout.INFO_TAB)))[1]
        content.error(where, "計画IDがありません。書き出したファイルをそのまま使ってください。")
    value, place = raw.get("fiscal_year", (None, Place(layout.INFO_TAB)))
    try:
        info.fy = parse_fiscal_year(str(value if value is not None else ""))
    except FiscalYearError as exc:
        content.error(place, f"年度が読めません（{exc}）。")
    for key, attribute in (
        ("plan", "plan_name"),
        ("department", "department_name"),
        ("exported_at", "exported_at"),
        ("exported_by", "exported_by"),
    ):
        value = raw.get(key, (None, None))[0]
        setattr(info, attribute, "" if value is None else str(value))


def _count(value) -> int | None:
    if is_empty(value):
        return None
    if str(value).strip() == "0":
        return 0
    return parse_id(value)

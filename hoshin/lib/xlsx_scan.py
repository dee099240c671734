"""The streaming scan behind ``spreadsheets.xlsx_check``: one pass over each XML part of a
workbook, with expat (no DTD, no entities), counting what openpyxl would build.

Kept apart from the policy module for size only; callers use ``hoshin.lib.spreadsheets``.
"""

import pyexpat
import re
import zipfile
import zlib

from django.utils.translation import gettext as _

from hoshin.lib.spreadsheets import (
    XLSX_UNREADABLE,
    ReadLimits,
    SpreadsheetReadError,
    UploadLimitError,
    _limit,
)

_REF = re.compile(r"\$?([A-Za-z]{1,3})?\$?(\d+)?")


def _ref_corner(ref: str) -> tuple[int, int]:
    """(row, column) of a cell reference such as ``XFD1048576``; 0 for a part left out."""
    match = _REF.fullmatch(ref.strip())
    if not match:
        return 0, 0
    letters, digits = match.groups()
    column = 0
    for char in (letters or "").upper():
        column = column * 26 + ord(char) - 64
    return int(digits or 0), column


class SheetScan:
    """A streaming look at one XML part: cells, rows, ``<dimension>`` and ``<mergeCell>``.

    A cell or row without ``r`` follows the previous one, as Excel and openpyxl place it.
    """

    def __init__(self, name: str, limits: ReadLimits, budget: list[int]):
        self.name, self.limits, self.budget = name, limits, budget
        self.max_row = self.max_column = self.row = self.column = 0
        self.elements = self.merged = 0
        self.merges: list[str] = []

    def start(self, tag: str, attrs: dict) -> None:
        self.elements += 1
        if self.elements > self.limits.cells * 4 + 10_000:
            raise _limit(_("%sの XML の要素数") % self.name, self.elements, self.limits.cells * 4)
        local = tag.rpartition(" ")[2]
        if local == "v" or local == "t":  # most elements of a sheet: nothing to check
            return
        if local == "row":
            ref = attrs.get("r", "")
            self.row, self.column = int(ref) if ref.isdigit() else self.row + 1, 0
            self._extend(self.row, 0)
        elif local == "c":
            row, column = _ref_corner(attrs["r"]) if "r" in attrs else (0, 0)
            self.row, self.column = row or self.row, column or self.column + 1
            self._extend(self.row, self.column)
        elif local == "dimension" or local == "mergeCell":
            ref = attrs.get("ref", "")
            what = f'{local} ref="{ref[:40]}"'
            corners = [_ref_corner(corner) for corner in ref.split(":")[:2]]
            for row, column in corners:
                self._extend(row, column, what)
            if local == "mergeCell" and corners:
                self.merges.append(ref)
                # openpyxl builds a cell for every merged position, overlapping ranges again.
                (top, left), (bottom, right) = corners[0], corners[-1]
                self.merged += (abs(bottom - top) + 1) * (abs(right - left) + 1)
                if self.merged > self.limits.cells:
                    raise _limit(
                        _("%sの結合セルの面積") % f"{self.name}（{what}）",
                        self.merged,
                        self.limits.cells,
                    )

    def _extend(self, row: int, column: int, what: str = "") -> None:
        if row <= self.max_row and column <= self.max_column:
            return  # inside the used range already counted
        where = f"{self.name}" + (f"（{what}）" if what else "")
        if row > self.limits.rows:
            raise _limit(_("%sの行数") % where, row, self.limits.rows)
        if column > self.limits.columns:
            raise _limit(_("%sの列数") % where, column, self.limits.columns)
        old_area = self.max_row * self.max_column
        self.max_row, self.max_column = max(self.max_row, row), max(self.max_column, column)
        self.budget[0] += self.max_row * self.max_column - old_area
        if self.budget[0] > self.limits.cells:
            raise _limit(
                _("%sまでのセルの数（使われている範囲の行数×列数、シートの合計）") % where,
                self.budget[0],
                self.limits.cells,
            )


def _no_entities(*_args) -> None:
    # No part of a workbook has a DTD; one would be the way to an entity-expansion bomb.
    raise UploadLimitError(_("XML に DTD・実体宣言があります（Excel のブックにはありません）。"))


def scan_part(stream, scan: SheetScan, size_limit: int) -> int:
    parser = pyexpat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = scan.start
    parser.StartDoctypeDeclHandler = _no_entities
    parser.EntityDeclHandler = _no_entities
    read = 0
    try:
        while chunk := stream.read(256 * 1024):
            read += len(chunk)
            if read > size_limit:
                raise _limit(_("展開後のサイズ"), read, size_limit)
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except pyexpat.ExpatError as exc:
        raise SpreadsheetReadError(_(XLSX_UNREADABLE) % {"error": f"{scan.name}: {exc}"}) from None
    return read


def sheet_names(archive) -> dict[str, str]:
    """Part name → ``シート「…」`` for messages, from the workbook and its relationships."""
    found: dict[str, dict[str, str]] = {"sheet": {}, "Relationship": {}}

    def start(tag: str, attrs: dict) -> None:
        local = tag.rsplit(" ", 1)[-1]
        if local == "sheet":
            rel = next((v for k, v in attrs.items() if k.endswith(" id")), "")
            found["sheet"][rel] = attrs.get("name", "")
        elif local == "Relationship":
            found["Relationship"][attrs.get("Id", "")] = attrs.get("Target", "")

    for part in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
        try:
            if archive.getinfo(part).file_size > 1024 * 1024:
                return {}
            parser = pyexpat.ParserCreate(namespace_separator=" ")
            parser.StartElementHandler = start
            parser.StartDoctypeDeclHandler = _no_entities
            parser.EntityDeclHandler = _no_entities
            parser.Parse(archive.read(part), True)
        except UploadLimitError:
            raise
        except (
            KeyError,
            ValueError,
            OSError,
            RuntimeError,
            zlib.error,
            zipfile.BadZipFile,
            pyexpat.ExpatError,
        ):
            return {}  # the scan and openpyxl will say what is wrong
    targets = found["Relationship"]
    return {
        "xl/" + targets[rel].removeprefix("/xl/").removeprefix("/"): _("シート「%s」") % name
        for rel, name in found["sheet"].items()
        if rel in targets
    }

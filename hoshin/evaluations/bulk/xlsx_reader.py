"""Reading the sheet workbook (XLSX): the info tab, then the data tabs by their column keys.

Merged cells and formulas are errors at their place, and their cells are not read.
"""

from dataclasses import dataclass

from hoshin.evaluations.bulk import layout
from hoshin.evaluations.bulk.content import (
    NOT_OURS,
    FileInfo,
    UploadContent,
    cost_kind,
    is_empty,
    parse_id,
    read_info_values,
)
from hoshin.evaluations.bulk.errors import BulkFormatError, Place
from hoshin.evaluations.models import CostKind
from hoshin.lib.spreadsheets import SpreadsheetReadError, xlsx_open


def _load_workbook(data: bytes):
    """The workbook, after the bounded check of ``lib.spreadsheets`` (one policy for uploads)."""
    try:
        return xlsx_open(data)
    except SpreadsheetReadError as exc:
        raise BulkFormatError(str(exc)) from None


def read_xlsx(data: bytes) -> UploadContent:
    workbook = _load_workbook(data)
    if layout.INFO_TAB not in workbook.sheetnames:
        raise BulkFormatError(f"タブ「{layout.INFO_TAB}」がありません。{NOT_OURS}")
    content = UploadContent(format_name="xlsx", info=FileInfo())
    _read_info(workbook[layout.INFO_TAB], content)
    if layout.MAIN_TAB not in workbook.sheetnames:
        raise BulkFormatError(
            f"タブ「{layout.MAIN_TAB}」がありません。タブの名前を変えずに保存してください。"
        )
    _read_main(workbook[layout.MAIN_TAB], content)
    if layout.INDICATOR_TAB in workbook.sheetnames:
        _read_indicators(workbook[layout.INDICATOR_TAB], content)
    if layout.COST_TAB in workbook.sheetnames:
        _read_costs(workbook[layout.COST_TAB], content)
    return content


def _merged_cells(ws, content: UploadContent) -> set[tuple[int, int]]:
    """Merged ranges are errors; their cells are not read (a merge blanks all but one)."""
    cells = set()
    for merged in sorted(ws.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
        content.error(
            f"{ws.title}!{merged.coord}",
            "結合されたセルがあります。セルの結合を解除し、1つのセルに1つの値を入力してください。",
        )
        for row in range(merged.min_row, merged.max_row + 1):
            for column in range(merged.min_col, merged.max_col + 1):
                cells.add((row, column))
    return cells


def _formula(cell) -> bool:
    return cell.data_type == "f"


FORMULA_MESSAGE = (
    "数式が入っています（{formula}）。数式は取り込めません。セルをコピーして"
    "「値の貼り付け」で値に置き換えてください。"
)


def _read_info(ws, content: UploadContent) -> None:
    merged = _merged_cells(ws, content)
    raw: dict[str, tuple[object, Place]] = {}
    for row in ws.iter_rows(min_row=1, max_col=2):
        key_cell, value_cell = row[0], row[1] if len(row) > 1 else None
        key = str(key_cell.value or "").strip()
        if key not in layout.INFO_FIELDS or value_cell is None:
            continue
        place = Place(ws.title, value_cell.row, 2, layout.INFO_FIELDS[key])
        if (value_cell.row, 2) in merged:
            continue
        if _formula(value_cell):
            content.error(place, FORMULA_MESSAGE.format(formula=str(value_cell.value)[:40]))
            continue
        raw[key] = (value_cell.value, place)
    read_info_values(raw, content)


@dataclass
class _Column:
    index: int  # 1-based
    key: str
    header: str


def _columns(ws, content: UploadContent, *, read_only: set[str], editable) -> list[_Column]:
    """The keyed columns of a data tab; an unknown key is an error, a keyless column ignored."""
    keys = next(ws.iter_rows(min_row=layout.KEY_ROW, max_row=layout.KEY_ROW), ())
    labels = next(ws.iter_rows(min_row=layout.LABEL_ROW, max_row=layout.LABEL_ROW), ())
    columns, seen = [], {}
    for cell in keys:
        key = str(cell.value).strip() if cell.value is not None else ""
        if not key:
            continue
        label_cell = labels[cell.column - 1] if cell.column - 1 < len(labels) else None
        header = (
            str(label_cell.value).strip() if label_cell is not None and label_cell.value else key
        )
        place = Place(ws.title, cell.row, cell.column, header)
        if key in seen:
            content.error(place, f"列のキー「{key}」が2回あります（{seen[key]}列と重複）。")
            continue
        seen[key] = cell.column_letter
        if key in read_only or editable(key):
            columns.append(_Column(cell.column, key, header))
        else:
            content.error(
                place,
                f"列のキー「{key}」は分かりません。1行目（非表示）のキーは変更しないでください。",
            )
    return columns


def _rows(ws, content: UploadContent, columns: list[_Column], *, read: set[str]):
    """Each non-empty data row as {key: (value, place)}; formulas and merged cells are errors."""
    merged = _merged_cells(ws, content)
    wanted = [c for c in columns if c.key in read]
    if not wanted:
        return
    last_column = max(c.index for c in wanted)
    for cells in ws.iter_rows(min_row=layout.FIRST_DATA_ROW, max_col=last_column):
        if not cells:
            continue
        row = cells[0].row
        values, bad = {}, False
        for column in wanted:
            cell = cells[column.index - 1]
            place = Place(ws.title, row, column.index, column.header)
            if (row, column.index) in merged:
                bad = True
                continue
            if _formula(cell):
                content.error(place, FORMULA_MESSAGE.format(formula=str(cell.value)[:40]))
                bad = True
                continue
            values[column.key] = (cell.value, place)
        if bad or any(not is_empty(value) for value, _ in values.values()):
            yield row, values


def _required_id(values, key: str, label: str, content: UploadContent, row_place: Place):
    value, place = values.get(key, (None, row_place))
    try:
        number = parse_id(value)
    except ValueError:
        content.error(place, f"{label}「{value}」が読めません。{label}は変更しないでください。")
        return None
    if number is None:
        content.error(
            place,
            f"{label}が空です。行を追加して新しいシート・指標を作ることはできません"
            "（新しい指標は評価シートの画面で追加してください）。",
        )
    return number


def _read_main(ws, content: UploadContent) -> None:
    columns = _columns(
        ws, content, read_only=layout.MAIN_READ_ONLY_KEYS, editable=layout.main_editable_key
    )
    keys = {c.key for c in columns}
    for required, label in (("sheet_id", "シートID"), ("version", "版")):
        if required not in keys:
            raise BulkFormatError(
                f"タブ「{ws.title}」に列「{label}」がありません。列を削除しないでください。"
            )
    read = {"sheet_id", "version"} | {k for k in keys if layout.main_editable_key(k)}
    rows: dict[int, int] = {}
    for row, values in _rows(ws, content, columns, read=read):
        row_place = Place(ws.title, row)
        sheet_id = _required_id(values, "sheet_id", "シートID", content, row_place)
        if sheet_id is None:
            continue
        if sheet_id in rows:
            content.error(
                values["sheet_id"][1],
                f"シートID {sheet_id} の行が2つあります（{rows[sheet_id]}行目と{row}行目）。",
            )
            continue
        rows[sheet_id] = row
        entry = content.sheet(sheet_id)
        entry.place = Place(ws.title, row, None, f"シートID {sheet_id}")
        version, entry.version_place = values.get("version", (None, row_place))
        try:
            entry.version = parse_id(version)
        except ValueError:
            entry.version = None
        if entry.version is None:
            content.error(
                entry.version_place, f"版「{version or ''}」が読めません。変更しないでください。"
            )
        for key, (value, place) in values.items():
            if layout.main_editable_key(key):
                entry.values[key] = value
                entry.places[key] = place


def _read_indicators(ws, content: UploadContent) -> None:
    columns = _columns(
        ws,
        content,
        read_only=layout.INDICATOR_READ_ONLY_KEYS,
        editable=lambda key: key in layout.INDICATOR_EDITABLE_KEYS,
    )
    keys = {c.key for c in columns}
    if not {"sheet_id", "indicator_id"} <= keys:
        raise BulkFormatError(
            f"タブ「{ws.title}」に列「シートID」「指標ID」がありません。列を削除しないでください。"
        )
    read = {"sheet_id", "indicator_id"} | (keys & layout.INDICATOR_EDITABLE_KEYS)
    seen: dict[int, int] = {}
    for row, values in _rows(ws, content, columns, read=read):
        row_place = Place(ws.title, row)
        sheet_id = _required_id(values, "sheet_id", "シートID", content, row_place)
        indicator_id = _required_id(values, "indicator_id", "指標ID", content, row_place)
        if sheet_id is None or indicator_id is None:
            continue
        if indicator_id in seen:
            content.error(
                values["indicator_id"][1],
                f"指標ID {indicator_id} の行が2つあります（{seen[indicator_id]}行目と{row}行目）。",
            )
            continue
        seen[indicator_id] = row
        entry = content.sheet(sheet_id)
        entry.indicator_rows[indicator_id] = row_place
        entry.other_rows.append(row_place)
        for key, (value, place) in values.items():
            if key in layout.INDICATOR_EDITABLE_KEYS:
                path = f"indicator.{indicator_id}.{key}"
                entry.values[path] = value
                entry.places[path] = place


def _read_costs(ws, content: UploadContent) -> None:
    columns = _columns(
        ws,
        content,
        read_only=layout.COST_READ_ONLY_KEYS,
        editable=lambda key: key in layout.COST_EDITABLE_KEYS,
    )
    keys = {c.key for c in columns}
    if not {"sheet_id", "kind"} <= keys:
        raise BulkFormatError(
            f"タブ「{ws.title}」に列「シートID」「区分」がありません。列を削除しないでください。"
        )
    read = {"sheet_id", "kind"} | (keys & layout.COST_EDITABLE_KEYS)
    seen: dict[tuple[int, str], int] = {}
    for row, values in _rows(ws, content, columns, read=read):
        row_place = Place(ws.title, row)
        sheet_id = _required_id(values, "sheet_id", "シートID", content, row_place)
        if sheet_id is None:
            continue
        raw_kind, kind_place = values.get("kind", (None, row_place))
        kind = cost_kind(raw_kind)
        if kind is None:
            allowed = "、".join(str(k.label) for k in CostKind)
            content.error(kind_place, f"区分「{raw_kind or ''}」が分かりません（{allowed}）。")
            continue
        if (sheet_id, kind) in seen:
            content.error(
                kind_place,
                f"シートID {sheet_id} の「{CostKind(kind).label}」の行が2つあります"
                f"（{seen[sheet_id, kind]}行目と{row}行目）。",
            )
            continue
        seen[sheet_id, kind] = row
        entry = content.sheet(sheet_id)
        entry.cost_rows[kind] = row_place
        entry.other_rows.append(row_place)
        for key, (value, place) in values.items():
            if key in layout.COST_EDITABLE_KEYS:
                path = f"cost.{kind}.{key}"
                entry.values[path] = value
                entry.places[path] = place

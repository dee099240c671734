"""Plans as a table: CSV (UTF-8 with or without BOM, CP932) and Excel (.xlsx).

One row per action (or per node, for a node's own details). The layout is documented in
``docs/plan-file-formats.md``; in short::

    大項目 | 中項目 | 取組 | 取組名 | 番号 | 実施内容 | 担当課 | 主要事業 | めざす姿 | 課題 | 目的 | 注記

The columns before ``取組名`` are the levels, headed with the plan's level names. A level cell
holds "number title" (``1 市民参画…``, ``(1)行政情報…``, ``方策1 …``) or just a title, or
``number｜title`` when the title itself starts like a number. A level cell may repeat the one
above or be left empty ("same as above"). A row whose action columns are empty describes the
deepest node named on it (めざす姿 / 課題 / 目的 / 注記 of that node).

Plan metadata goes into leading ``#key=value`` lines of a CSV and into a second sheet
``計画情報`` of a workbook. The cell codecs below are shared with ``hoshin.plans.exporters``,
which checks every value it writes reads back the same, so export → import is lossless.
"""

import csv
import datetime
import io
import re
import warnings
from collections.abc import Iterable

from hoshin.lib.encodings import DecodeError, decode_text
from hoshin.lib.fiscal import FiscalYearError, parse_fiscal_year
from hoshin.plans.formats.base import (
    ParsedAction,
    ParsedKeyProject,
    ParsedNode,
    ParsedNote,
    ParsedPlan,
    PlanFormat,
    PlanFormatError,
    register,
)
from hoshin.plans.models import Action, KeyProject, Note, Plan, PlanKind, PlanNode

# Fixed columns after the level columns: header → field. Order is the export order.
COLUMNS = {
    "取組名": "title",
    "番号": "number",
    "実施内容": "text",
    "担当課": "departments",
    "主要事業": "key_projects",
    "めざす姿": "vision",
    "課題": "challenges",
    "目的": "purpose",
    "注記": "notes",
}
FIRST_FIXED_COLUMN = "取組名"
ACTION_FIELDS = ("title", "number", "text", "departments", "key_projects")
NODE_DETAIL_FIELDS = ("vision", "challenges", "purpose")

META_SHEET = "計画情報"
DATA_SHEET = "計画体系"
# Plan metadata: key (written by the exporter) → label (also accepted when reading).
META_FIELDS = {
    "kind": "種別",
    "level_names": "階層の名称",
    "action_level_name": "取組の名称",
    "source_title": "原資料の表題",
    "owner_office": "担当",
    "contact": "問い合わせ先",
    "source_updated_on": "原資料の更新日",
    "start_fy": "計画期間（開始年度）",
    "end_fy": "計画期間（終了年度）",
}
_META_BY_LABEL = {label: key for key, label in META_FIELDS.items()}

_SPACE = "[ \t\u3000]"
# How a level cell's number looks: 1, 1-2, 1., (1), ①, Ⅱ, 第1章, 方策1, 手法2 …
_NUMBER = (
    r"[(（]\d+[)）]"
    r"|第\d+(?:章|節|款|項)?"
    r"|\d+(?:[-－.．]\d+)*[.．]?"
    r"|[①-⑳]"
    r"|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+"
    r"|(?:方策|手法|施策|政策|基本目標|基本施策|基本方針|基本事業|重点施策|重点目標|取組|柱|分野|目標)\d+"
)
_LEVEL_CELL = re.compile(rf"^(?P<number>{_NUMBER}){_SPACE}*(?P<title>\S.*)$", re.DOTALL)
# Written by the exporter when "number title" would not read back as it was.
NUMBER_SEPARATOR = "｜"
_CONTINUING = "○◯〇"
_NEW = "★☆"
_BULLET = "・"
_NOTE_MARK = "※"
_DEPARTMENT_SEPARATOR = re.compile(r"[\n、]")


class CellError(ValueError):
    """A cell value that cannot be read (or, when exporting, written so that it reads back)."""


# ---------------------------------------------------------------------------------------------
# Cell codecs: parse_* read a cell, format_* write one and prove it reads back the same.


def split_level_cell(text: str) -> tuple[str, str]:
    """``(1)行政情報…`` → ("(1)", "行政情報…"); ``番号｜名称`` splits at the bar; else no number."""
    if NUMBER_SEPARATOR in text:
        number, title = text.split(NUMBER_SEPARATOR, 1)
        return number.strip(), title.strip()
    match = _LEVEL_CELL.match(text)
    if match:
        return match.group("number"), match.group("title").strip()
    return "", text


def format_level_cell(number: str, title: str) -> str:
    for cell in (f"{number} {title}" if number else title, f"{number}{NUMBER_SEPARATOR}{title}"):
        if split_level_cell(cell) == (number, title):
            return cell
    raise CellError(f"番号「{number}」と名称「{title}」を一つのセルに書き分けられません。")


def parse_departments(text: str) -> list[str]:
    return [label.strip() for label in _DEPARTMENT_SEPARATOR.split(text) if label.strip()]


def format_departments(labels: list[str]) -> str:
    return _checked("\n".join(labels), labels, parse_departments, "担当課")


def parse_key_projects(text: str) -> list[ParsedKeyProject]:
    projects = []
    for line in _lines(text):
        mark, title = line[0], line[1:].strip()
        if mark not in _CONTINUING + _NEW:
            raise CellError(
                f"主要事業「{line}」の先頭に ○（継続）か ★（新規）を付けてください（1行に1事業）。"
            )
        if not title:
            raise CellError(f"主要事業「{line}」に事業名がありません。")
        projects.append(ParsedKeyProject(title=title, is_new=mark in _NEW))
    return projects


def format_key_projects(projects: list[ParsedKeyProject]) -> str:
    text = "\n".join(f"{'★' if p.is_new else '○'}{p.title}" for p in projects)
    return _checked(text, projects, parse_key_projects, "主要事業")


def parse_challenges(text: str) -> list[str]:
    """One item a line; when lines start with ・, each ・ starts an item and other lines continue it."""
    lines = text.split("\n")
    if not any(line.strip().startswith(_BULLET) for line in lines):
        return _lines(text)
    items: list[list[str]] = []
    for line in lines:
        stripped = line.strip()
        if stripped.startswith(_BULLET) or not items:
            items.append([stripped.removeprefix(_BULLET).strip()])
        else:
            items[-1].append(stripped)
    return [text for text in ("\n".join(item).strip() for item in items) if text]


def format_challenges(items: list[str]) -> str:
    if any("\n" in item or item.startswith(_BULLET) for item in items):
        text = "\n".join(_BULLET + item for item in items)
    else:
        text = "\n".join(items)
    return _checked(text, items, parse_challenges, "課題")


def parse_notes(text: str) -> list[ParsedNote]:
    """``※用語：説明`` lines; lines not starting with ※ continue the previous note's body."""
    notes: list[tuple[str, list[str]]] = []
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped.startswith(_NOTE_MARK):
            head = stripped.removeprefix(_NOTE_MARK)
            separator = "：" if "：" in head else ":"
            term, _, body = head.partition(separator)
            if not term.strip():
                raise CellError(f"注記「{stripped}」に用語がありません（※用語：説明）。")
            notes.append((term.strip(), [body.strip()]))
        elif notes:
            notes[-1][1].append(stripped)
        elif stripped:
            raise CellError(f"注記は「※用語：説明」の形で書いてください（「{stripped}」）。")
    return [ParsedNote(term=term, body="\n".join(body).strip()) for term, body in notes]


def format_notes(notes: list[ParsedNote]) -> str:
    text = "\n".join(f"{_NOTE_MARK}{note.term}：{note.body}" for note in notes)
    return _checked(text, notes, parse_notes, "注記")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def _checked(text: str, value, parse, column: str) -> str:
    try:
        same = parse(text) == value
    except CellError:
        same = False
    if not same:
        raise CellError(
            f"{column}の内容を表の1セルに書き戻せません（改行や区切り記号を含みます）。"
        )
    return text


# ---------------------------------------------------------------------------------------------
# Plan metadata (#key=value lines, sheet 計画情報).


def metadata_items(parsed: ParsedPlan) -> list[tuple[str, str]]:
    """The plan's metadata as (key, text) pairs in META_FIELDS order, for the exporters."""
    values = {
        "kind": str(parsed.kind),
        "level_names": "、".join(parsed.level_names),
        "action_level_name": parsed.action_level_name,
        "source_title": parsed.source_title,
        "owner_office": parsed.owner_office,
        "contact": parsed.contact,
        "source_updated_on": parsed.source_updated_on.isoformat()
        if parsed.source_updated_on
        else "",
        "start_fy": "" if parsed.start_fy is None else str(parsed.start_fy),
        "end_fy": "" if parsed.end_fy is None else str(parsed.end_fy),
    }
    return [(key, values[key]) for key in META_FIELDS]


_DATE = re.compile(r"^(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})日?$")


def _read_metadata(plan: ParsedPlan, key_text: str, value, where: str) -> list[str] | None:
    """Set one metadata value on ``plan``; returns the level names when that key is given."""
    key = key_text.strip()
    key = key if key in META_FIELDS else _META_BY_LABEL.get(key, "")
    if not key:
        plan.warnings.append(f"{where}: 計画情報「{key_text}」は不明な項目なので無視しました。")
        return None
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        if key != "source_updated_on":
            value = value.isoformat()
    elif value is None:
        value = ""
    elif isinstance(value, float) and value.is_integer():
        value = str(int(value))
    else:
        value = str(value).replace("\r\n", "\n").strip()
    if key == "kind":
        kinds = {k.value: k.value for k in PlanKind} | {str(k.label): k.value for k in PlanKind}
        if value not in kinds:
            choices = "、".join(f"{k.value}（{k.label}）" for k in PlanKind)
            raise PlanFormatError(
                f"種別「{value}」は使えません。使える種別: {choices}", where=where
            )
        plan.kind = kinds[value]
    elif key == "level_names":
        return [name.strip() for name in re.split(r"[、,，]", value) if name.strip()]
    elif key in ("start_fy", "end_fy"):
        try:
            setattr(plan, key, parse_fiscal_year(value) if value else None)
        except FiscalYearError as exc:
            raise PlanFormatError(str(exc), where=where) from None
    elif key == "source_updated_on":
        if isinstance(value, datetime.date) or not value:
            plan.source_updated_on = value or None
        else:
            match = _DATE.match(value)
            try:
                plan.source_updated_on = datetime.date(*map(int, match.groups())) if match else None
            except ValueError:
                match = None
            if not match:
                raise PlanFormatError(
                    f"更新日「{value}」を日付として読めません。例: 2024-03-01", where=where
                )
    else:
        _check_length(value, Plan, key, where)
        setattr(plan, key, value)
    return None


def _check_length(value: str, model, field: str, where: str) -> None:
    limit = model._meta.get_field(field).max_length
    if limit and len(value) > limit:
        label = model._meta.get_field(field).verbose_name
        raise PlanFormatError(
            f"{label}が長すぎます（{len(value)}文字、上限{limit}文字）。", where=where
        )


# ---------------------------------------------------------------------------------------------
# Rows → tree, shared by CSV and XLSX.


class _Places:
    """How a format names a row and a cell in messages."""

    def row(self, row: int) -> str:
        raise NotImplementedError

    def cell(self, row: int, column: int, header: str = "") -> str:
        raise NotImplementedError


class _CsvPlaces(_Places):
    def row(self, row: int) -> str:
        return f"{row}行目"

    def cell(self, row: int, column: int, header: str = "") -> str:
        return f"{row}行目 {column + 1}列目" + (f"({header})" if header else "")


class _SheetPlaces(_Places):
    def __init__(self, sheet: str):
        self.sheet = sheet

    def row(self, row: int) -> str:
        return f"{self.sheet}!{row}行目"

    def cell(self, row: int, column: int, header: str = "") -> str:
        from openpyxl.utils import get_column_letter

        return f"{self.sheet}!{get_column_letter(column + 1)}{row}" + (
            f"({header})" if header else ""
        )


class _TableReader:
    """Builds the tree from the header row and the data rows of one table."""

    def __init__(self, plan: ParsedPlan, places: _Places):
        self.plan = plan
        self.places = places
        self.headers: list[str] = []
        self.level_count = 0
        self.columns: dict[str, int] = {}  # field → column index
        self.path: list[ParsedNode] = []

    # -- header

    def read_header(self, row: int, cells: list[str]) -> None:
        while cells and not cells[-1]:
            cells = cells[:-1]
        self.headers = cells
        if FIRST_FIXED_COLUMN not in cells:
            raise PlanFormatError(
                f"見出し行に「{FIRST_FIXED_COLUMN}」の列がありません。見出しは左から階層名"
                f"（例: 大項目、中項目、取組）、{'、'.join(COLUMNS)} の順に並べてください。",
                where=self.places.row(row),
            )
        self.level_count = cells.index(FIRST_FIXED_COLUMN)
        if self.level_count == 0:
            raise PlanFormatError(
                f"「{FIRST_FIXED_COLUMN}」より左に階層の列（例: 大項目、中項目）が一つもありません。",
                where=self.places.cell(row, 0, FIRST_FIXED_COLUMN),
            )
        for index, header in enumerate(cells):
            place = self.places.cell(row, index)
            if not header:
                raise PlanFormatError("見出しが空です。", where=place)
            if index < self.level_count:
                if header in COLUMNS:
                    raise PlanFormatError(
                        f"「{header}」は「{FIRST_FIXED_COLUMN}」より右に置いてください"
                        f"（「{FIRST_FIXED_COLUMN}」より左は階層の列です）。",
                        where=place,
                    )
                continue
            field = COLUMNS.get(header)
            if field is None:
                raise PlanFormatError(
                    f"見出し「{header}」は読めません。使える見出し: {'、'.join(COLUMNS)}"
                    f"（階層の列は「{FIRST_FIXED_COLUMN}」より左に置きます）。",
                    where=place,
                )
            if field in self.columns:
                raise PlanFormatError(f"見出し「{header}」が二つあります。", where=place)
            self.columns[field] = index
        if "text" not in self.columns:
            raise PlanFormatError(
                "見出し行に「実施内容」の列がありません。", where=self.places.row(row)
            )
        names = cells[: self.level_count]
        # Columns the exporter added for levels the plan has no name for are not level names.
        while names and names[-1] == f"第{len(names)}階層":
            names = names[:-1]
        self.plan.level_names = names

    # -- data rows

    def read_row(self, row: int, cells: list[str]) -> None:
        if len(cells) > len(self.headers):
            for index in range(len(self.headers), len(cells)):
                if cells[index]:
                    raise PlanFormatError(
                        "見出しのない列に値があります。", where=self.places.cell(row, index)
                    )
            cells = cells[: len(self.headers)]
        cells = cells + [""] * (len(self.headers) - len(cells))
        if not any(cells):
            return
        values = {field: cells[index] for field, index in self.columns.items()}
        node = self._node_for(row, cells[: self.level_count])
        if any(values.get(field) for field in ACTION_FIELDS):
            self._read_action(row, node, values)
        else:
            notes = self._parse(parse_notes, row, values, "notes")
            for note in notes:
                _check_length(note.term, Note, "term", self._place(row, "notes"))
            node.notes.extend(notes)
        self._read_node_details(row, node, values)

    def _place(self, row: int, field: str) -> str:
        index = self.columns[field]
        return self.places.cell(row, index, self.headers[index])

    def _parse(self, parse, row: int, values: dict[str, str], field: str):
        try:
            return parse(values.get(field, ""))
        except CellError as exc:
            raise PlanFormatError(str(exc), where=self._place(row, field)) from None

    def _node_for(self, row: int, cells: list[str]) -> ParsedNode:
        filled = [index for index, cell in enumerate(cells) if cell]
        if not filled:
            if not self.path:
                raise PlanFormatError(
                    f"最初のデータ行に階層（{self.headers[0]}）が書かれていません。",
                    where=self.places.cell(row, 0, self.headers[0]),
                )
            return self.path[-1]
        deepest = filled[-1]
        changed = False
        for depth in range(deepest + 1):
            cell = cells[depth]
            if not cell:
                # Empty means "same as above"; there must be something above, under the same parent.
                if changed or depth >= len(self.path):
                    raise PlanFormatError(
                        f"{self.headers[depth]}が空欄で、上の行にもありません"
                        f"（{self.headers[deepest]}「{cells[deepest]}」の上の階層を書いてください）。",
                        where=self.places.cell(row, depth, self.headers[depth]),
                    )
                continue
            number, title = split_level_cell(cell)
            place = self.places.cell(row, depth, self.headers[depth])
            if not title:
                raise PlanFormatError(
                    "名称がありません（「番号 名称」の形で書きます）。", where=place
                )
            current = self.path[depth] if depth < len(self.path) else None
            if (
                not changed
                and current is not None
                and (current.number, current.title)
                == (
                    number,
                    title,
                )
            ):
                continue
            _check_length(number, PlanNode, "number", place)
            _check_length(title, PlanNode, "title", place)
            node = ParsedNode(title=title, depth=depth, number=number, line=row)
            siblings = self.path[depth - 1].children if depth else self.plan.roots
            siblings.append(node)
            del self.path[depth:]
            self.path.append(node)
            changed = True
        del self.path[deepest + 1 :]
        return self.path[deepest]

    def _read_action(self, row: int, node: ParsedNode, values: dict[str, str]) -> None:
        text = values.get("text", "")
        if not text:
            field = next(f for f in ACTION_FIELDS if values.get(f))
            header = self.headers[self.columns[field]]
            raise PlanFormatError(
                f"{header}が書かれていますが、実施内容が空です（実施内容は必須です）。",
                where=self._place(row, "text"),
            )
        title, number = values.get("title", ""), values.get("number", "")
        if "title" in self.columns:
            _check_length(title, Action, "title", self._place(row, "title"))
        if "number" in self.columns:
            _check_length(number, Action, "number", self._place(row, "number"))
        key_projects = self._parse(parse_key_projects, row, values, "key_projects")
        for project in key_projects:
            _check_length(project.title, KeyProject, "title", self._place(row, "key_projects"))
        notes = self._parse(parse_notes, row, values, "notes")
        for note in notes:
            _check_length(note.term, Note, "term", self._place(row, "notes"))
        node.actions.append(
            ParsedAction(
                text=text,
                title=title,
                number=number,
                departments=parse_departments(values.get("departments", "")),
                key_projects=key_projects,
                notes=notes,
                line=row,
            )
        )

    def _read_node_details(self, row: int, node: ParsedNode, values: dict[str, str]) -> None:
        """めざす姿 / 課題 / 目的 of the row's node; a repeated value must equal the first one."""
        for field in NODE_DETAIL_FIELDS:
            if not values.get(field):
                continue
            value = (
                self._parse(parse_challenges, row, values, field)
                if field == "challenges"
                else values[field]
            )
            current = getattr(node, field)
            if current and current != value:
                header = self.headers[self.columns[field]]
                label = f"{node.number} {node.title}".strip()
                raise PlanFormatError(
                    f"「{label}」の{header}が、前の行（{node.line}行目から）と違う内容で"
                    "もう一度書かれています。一つにまとめてください。",
                    where=self._place(row, field),
                )
            setattr(node, field, value)

    def finish(self, metadata_level_names: list[str] | None) -> ParsedPlan:
        if metadata_level_names is not None and metadata_level_names != self.plan.level_names:
            self.plan.warnings.append(
                f"計画情報の階層の名称（{'、'.join(metadata_level_names)}）が見出し"
                f"（{'、'.join(self.plan.level_names)}）と違います。見出しを使いました。"
            )
        plan = self.plan
        if plan.start_fy is not None and plan.end_fy is not None and plan.start_fy > plan.end_fy:
            raise PlanFormatError(
                f"計画期間の終了年度（{plan.end_fy}）が開始年度（{plan.start_fy}）より前です。"
            )
        return plan


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date() if value.time() == datetime.time() else value
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


# ---------------------------------------------------------------------------------------------
# CSV


@register
class CsvFormat(PlanFormat):
    name = "csv"
    label = "CSV（UTF-8・Shift_JIS）"

    def sniff(self, data: bytes, filename: str) -> bool:
        if filename.lower().endswith((".csv", ".tsv")):
            return True
        head = data[:4096]
        return FIRST_FIXED_COLUMN.encode() in head and "実施内容".encode() in head

    def parse(self, data: bytes, filename: str) -> ParsedPlan:
        try:
            text = decode_text(data)
        except DecodeError as exc:
            message = str(exc)
            match = re.match(r"^(\d+)行目: (.*)$", message, re.DOTALL)
            if match:
                raise PlanFormatError(match.group(2), where=f"{match.group(1)}行目") from None
            raise PlanFormatError(message) from None
        delimiter = "\t" if filename.lower().endswith(".tsv") else _guess_delimiter(text)
        reader = _TableReader(ParsedPlan(format_name=self.name), _CsvPlaces())
        level_names = None
        header_width = 0
        for row, cells in _csv_rows(text, delimiter):
            if not header_width:
                if not any(cells):
                    continue
                if cells[0].startswith("#"):
                    # Excel pads every row to the widest one; a value may contain the delimiter.
                    while cells and not cells[-1]:
                        cells = cells[:-1]
                    line = delimiter.join(cells)[1:]
                    if "=" in line:
                        key, _, value = line.partition("=")
                        names = _read_metadata(reader.plan, key, value, f"{row}行目")
                        level_names = names if names is not None else level_names
                    continue
                header_width = len(cells)
                reader.read_header(row, cells)
                continue
            if not any(cells):
                continue
            if len(cells) != header_width:
                raise PlanFormatError(
                    f"列の数が見出しと合いません（見出しは{header_width}列、この行は{len(cells)}列）。"
                    "区切りの「,」が多すぎるか足りません。値に「,」や改行を含むときは"
                    ' "…" で囲んでください。',
                    where=f"{row}行目",
                )
            reader.read_row(row, cells)
        if not header_width:
            raise PlanFormatError("見出し行がありません（CSVが空です）。")
        return reader.finish(level_names)


def _guess_delimiter(text: str) -> str:
    for line in text.split("\n"):
        if line.strip() and not line.startswith("#"):
            return "\t" if "\t" in line and "," not in line else ","
    return ","


def _csv_rows(text: str, delimiter: str) -> Iterable[tuple[int, list[str]]]:
    """Rows as (line where the row starts, cleaned cells)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise PlanFormatError(f"CSVとして読めません（{exc}）。", where=f"{line}行目") from None
        yield line, [_cell_text(cell) for cell in cells]
        line = reader.line_num + 1


# ---------------------------------------------------------------------------------------------
# XLSX


@register
class XlsxFormat(PlanFormat):
    name = "xlsx"
    label = "Excel（.xlsx）"

    def sniff(self, data: bytes, filename: str) -> bool:
        if filename.lower().endswith((".xlsx", ".xlsm")):
            return True
        return data.startswith(b"PK\x03\x04") and b"xl/" in data[:65536]

    def parse(self, data: bytes, filename: str) -> ParsedPlan:
        workbook = _load_workbook(data)
        sheets = [ws for ws in workbook.worksheets if ws.title != META_SHEET]
        if not sheets:
            raise PlanFormatError(f"「{META_SHEET}」以外のシートがありません。")
        sheet = sheets[0]
        reader = _TableReader(ParsedPlan(format_name=self.name), _SheetPlaces(sheet.title))
        level_names = None
        if META_SHEET in workbook.sheetnames:
            level_names = _read_meta_sheet(workbook[META_SHEET], reader.plan)
        _reject_merged(sheet)
        header_seen = False
        for row, cells in _sheet_rows(sheet):
            if not header_seen:
                if any(cells):
                    reader.read_header(row, cells)
                    header_seen = True
                continue
            reader.read_row(row, cells)
        if not header_seen:
            raise PlanFormatError(
                f"シート「{sheet.title}」に見出し行がありません（空のシートです）。"
            )
        return reader.finish(level_names)


def _load_workbook(data: bytes):
    import openpyxl

    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise PlanFormatError(
            "古い Excel 形式（.xls）のファイルです。Excel で開き「Excel ブック (*.xlsx)」で"
            "保存し直してください。"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it drops
            return openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    except Exception as exc:  # openpyxl raises many kinds of error on a damaged file
        raise PlanFormatError(
            "Excel ブック（.xlsx）として読めません。Excel で開き「Excel ブック (*.xlsx)」で"
            f"保存し直してください（{type(exc).__name__}）。"
        ) from None


def _reject_merged(sheet) -> None:
    ranges = sorted(sheet.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col))
    if ranges:
        listed = "、".join(f"{sheet.title}!{r.coord}" for r in ranges[:5])
        raise PlanFormatError(
            f"結合されたセルがあります（{listed}）。セルの結合を解除してください"
            "（空欄にしたセルは「上と同じ」として読みます）。",
            where=f"{sheet.title}!{ranges[0].coord}",
        )


def _sheet_rows(sheet) -> Iterable[tuple[int, list[str]]]:
    for cells in sheet.iter_rows():
        row = []
        for cell in cells:
            if cell.data_type == "f":
                raise PlanFormatError(
                    f"数式が入っています（{str(cell.value)[:40]}）。数式のセルはコピーして"
                    "「値の貼り付け」で値に置き換えてから取り込んでください。",
                    where=f"{sheet.title}!{cell.coordinate}",
                )
            row.append(_cell_text(cell.value))
        if cells:
            yield cells[0].row, row


def _read_meta_sheet(sheet, plan: ParsedPlan) -> list[str] | None:
    _reject_merged(sheet)
    level_names = None
    for row, cells in _sheet_rows(sheet):
        key = cells[0] if cells else ""
        if not key or key in ("key", "項目") or key.startswith("#"):
            continue
        raw = sheet.cell(row=row, column=2).value
        names = _read_metadata(plan, key, raw, f"{sheet.title}!B{row}")
        level_names = names if names is not None else level_names
    return level_names

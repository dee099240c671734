"""Rows → tree, shared by CSV and XLSX: the header row, the data rows, and cell values as text.

_TableReader reads the header (level columns, then the fixed columns) and builds the
ParsedPlan tree one data row at a time; _Places is how a format names a row or cell in messages.
"""

import datetime

from hoshin.plans.formats.base import ParsedAction, ParsedNode, ParsedPlan, PlanFormatError
from hoshin.plans.formats.tabular.columns import (
    ACTION_FIELDS,
    COLUMNS,
    FIRST_FIXED_COLUMN,
    NODE_DETAIL_FIELDS,
    CellError,
    parse_challenges,
    parse_departments,
    parse_key_projects,
    parse_notes,
    split_level_cell,
)
from hoshin.plans.models import Action, KeyProject, Note, PlanNode


def _check_length(value: str, model, field: str, where: str) -> None:
    limit = model._meta.get_field(field).max_length
    if limit and len(value) > limit:
        label = model._meta.get_field(field).verbose_name
        raise PlanFormatError(
            f"{label}が長すぎます（{len(value)}文字、上限{limit}文字）。", where=where
        )


class _Places:
    """How a format names a row and a cell in messages."""

    def row(self, row: int) -> str:
        raise NotImplementedError

    def cell(self, row: int, column: int, header: str = "") -> str:
        raise NotImplementedError


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

"""Writing a plan to a file: JSON, CSV (UTF-8 with BOM or CP932) and XLSX.

Every writer takes a ParsedPlan (``selectors.plan_to_parsed(plan=...)``) and returns bytes that
the matching import format reads back to the same ParsedPlan. When a value cannot be written so
that it reads back unchanged (a character CP932 lacks, a line break where the table has none),
the writer raises PlanExportError naming the row and column instead of writing a lossy file.
Encodings, formula escaping and text cells follow ``hoshin.lib.spreadsheets``; the CSV import
removes the apostrophe the escaping adds, and XLSX keeps the exact text.
"""

import io
import json
from dataclasses import dataclass

from hoshin.lib.spreadsheets import (
    UTF8_BOM,
    CsvEncodingError,
    CsvWriter,
    XlsxTextError,
    xlsx_put,
)
from hoshin.plans.formats.base import ParsedAction, ParsedNode, ParsedPlan
from hoshin.plans.formats.json_tree import default_level_name
from hoshin.plans.formats.tabular.columns import (
    COLUMNS,
    DATA_SHEET,
    META_SHEET,
    CellError,
    format_challenges,
    format_departments,
    format_key_projects,
    format_level_cell,
    format_notes,
)
from hoshin.plans.formats.tabular.metadata import META_FIELDS, metadata_items


class PlanExportError(Exception):
    """The plan cannot be written in the requested format without losing something."""


# ---------------------------------------------------------------------------------------------
# JSON


def export_json(parsed: ParsedPlan) -> bytes:
    """The plan in the JSON shape of ``formats/json_tree.py`` (UTF-8, indented)."""

    def node(n: ParsedNode) -> dict:
        return {
            "title": n.title,
            "level": _level_name(parsed, n.depth),
            "number": n.number,
            "vision": n.vision,
            "challenges": list(n.challenges),
            "purpose": n.purpose,
            "notes": [{"term": note.term, "body": note.body} for note in n.notes],
            "actions": [action(a) for a in n.actions],
            "children": [node(child) for child in n.children],
        }

    def action(a: ParsedAction) -> dict:
        return {
            "title": a.title,
            "number": a.number,
            "text": a.text,
            "departments": list(a.departments),
            "key_projects": [
                {"title": kp.title, "status": "new" if kp.is_new else "continuing"}
                for kp in a.key_projects
            ],
            "notes": [{"term": note.term, "body": note.body} for note in a.notes],
        }

    document = {
        "plan": {
            "kind": str(parsed.kind),
            "level_names": list(parsed.level_names),
            "action_level_name": parsed.action_level_name,
            "source_title": parsed.source_title,
            "owner_office": parsed.owner_office,
            "contact": parsed.contact,
            "source_updated_on": parsed.source_updated_on.isoformat()
            if parsed.source_updated_on
            else None,
            "start_fy": parsed.start_fy,
            "end_fy": parsed.end_fy,
        },
        "nodes": [node(root) for root in parsed.roots],
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _level_name(parsed: ParsedPlan, depth: int) -> str:
    names = parsed.level_names
    return names[depth] if depth < len(names) else default_level_name(depth)


# ---------------------------------------------------------------------------------------------
# Table rows shared by CSV and XLSX


@dataclass
class _Row:
    cells: list[str]
    label: str  # what the row is, for messages


def table_rows(parsed: ParsedPlan) -> tuple[list[str], list[_Row]]:
    """The header and the rows of the table layout (see ``formats/tabular/columns.py``).

    Every row repeats its node's ancestors in the level columns. A node gets a row of its own
    when it has details (めざす姿 / 課題 / 目的 / 注記) or nothing else would create it.
    """
    depth = max((node.depth for node in parsed.walk()), default=0) + 1
    level_count = max(len(parsed.level_names), depth, 1)
    header = [_level_name(parsed, d) for d in range(level_count)] + list(COLUMNS)
    rows: list[_Row] = []

    def cell(label: str, column: str, write, value) -> str:
        try:
            return write(value)
        except CellError as exc:
            raise PlanExportError(f"{label} の{column}: {exc}") from None

    def row(levels: list[str], values: dict[str, str], label: str) -> _Row:
        return _Row(levels + [values.get(field, "") for field in COLUMNS.values()], label)

    def visit(node: ParsedNode, path: list[str], previous: ParsedNode | None) -> None:
        label = f"{node.number} {node.title}".strip()
        if not node.title:
            raise PlanExportError(f"名称のない節があります（番号「{node.number}」）。")
        if previous is not None and (previous.number, previous.title) == (node.number, node.title):
            raise PlanExportError(
                f"同じ番号・名称の節「{label}」が続いています。表では一つの節として読まれるため"
                "書き出せません。名称を変えるか JSON で書き出してください。"
            )
        path = [*path, cell(label, "階層", lambda n: format_level_cell(n.number, n.title), node)]
        levels = path + [""] * (level_count - len(path))
        if (
            node.vision
            or node.challenges
            or node.purpose
            or node.notes
            or not (node.actions or node.children)
        ):
            details = {
                "vision": node.vision,
                "challenges": cell(label, "課題", format_challenges, node.challenges),
                "purpose": node.purpose,
                "notes": cell(label, "注記", format_notes, node.notes),
            }
            rows.append(row(levels, details, label))
        for index, action in enumerate(node.actions, 1):
            action_label = f"{label} の{index}番目の{parsed.action_level_name or '取組'}"
            if not action.text:
                raise PlanExportError(f"{action_label}: 実施内容が空です。")
            values = {
                "title": action.title,
                "number": action.number,
                "text": action.text,
                "departments": cell(action_label, "担当課", format_departments, action.departments),
                "key_projects": cell(
                    action_label, "主要事業", format_key_projects, action.key_projects
                ),
                "notes": cell(action_label, "注記", format_notes, action.notes),
            }
            rows.append(row(levels, values, action_label))
        previous_child = None
        for child in node.children:
            visit(child, path, previous_child)
            previous_child = child

    previous_root = None
    for root in parsed.roots:
        visit(root, [], previous_root)
        previous_root = root
    return header, rows


# ---------------------------------------------------------------------------------------------
# CSV


def export_csv(parsed: ParsedPlan, *, encoding: str = UTF8_BOM) -> bytes:
    """The table as CSV for Excel: ``#key=value`` metadata lines, the header, one row per line.

    ``encoding`` is ``utf-8-sig`` (UTF-8 with BOM, every character) or ``cp932`` (Shift_JIS,
    fails naming the line and column of the first character it cannot hold).
    """
    try:
        header, rows = table_rows(parsed)
        writer = CsvWriter(encoding=encoding, header=header)
        lines = [
            writer.row([f"#{key}={value}"], columns=[META_FIELDS[key]])
            for key, value in metadata_items(parsed)
        ]
        lines.append(writer.row(header, label="見出し"))
        lines.extend(writer.row(row.cells, label=row.label) for row in rows)
    except CsvEncodingError as exc:
        raise PlanExportError(str(exc)) from None
    return writer.encode("".join(lines))


# ---------------------------------------------------------------------------------------------
# XLSX


def export_xlsx(parsed: ParsedPlan) -> bytes:
    """The table as an Excel workbook: sheet 計画体系 (the table) and sheet 計画情報 (metadata)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    header, rows = table_rows(parsed)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = DATA_SHEET
    wrap = Alignment(wrap_text=True, vertical="top")

    def put(ws, row: int, column: int, value: str, label: str) -> None:
        try:
            # Exact text cells: the import reads back what was written, "=…" included.
            target = xlsx_put(ws, row, column, value, exact=True)
        except XlsxTextError as exc:
            where = f"{ws.title}!{get_column_letter(column)}{row}"
            raise PlanExportError(f"{where}（{label}）: {exc}") from None
        if "\n" in value:
            target.alignment = wrap

    for column, title in enumerate(header, 1):
        put(sheet, 1, column, title, "見出し")
        sheet.cell(row=1, column=column).font = Font(bold=True)
    for row_index, row in enumerate(rows, 2):
        for column, value in enumerate(row.cells, 1):
            if value:
                put(sheet, row_index, column, value, row.label)
    sheet.freeze_panes = "A2"
    widths = {"実施内容": 60, "めざす姿": 40, "課題": 40, "目的": 40, "注記": 30, "担当課": 16}
    for column, title in enumerate(header, 1):
        sheet.column_dimensions[get_column_letter(column)].width = widths.get(title, 20)

    info = workbook.create_sheet(META_SHEET)
    for column, title in enumerate(("key", "値", "項目"), 1):
        put(info, 1, column, title, "見出し")
        info.cell(row=1, column=column).font = Font(bold=True)
    for row_index, (key, value) in enumerate(metadata_items(parsed), 2):
        put(info, row_index, 1, key, META_FIELDS[key])
        if value:
            put(info, row_index, 2, value, META_FIELDS[key])
        put(info, row_index, 3, META_FIELDS[key], META_FIELDS[key])
    info.column_dimensions["A"].width = 20
    info.column_dimensions["B"].width = 60
    info.column_dimensions["C"].width = 24

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


EXPORTERS = {
    "json": export_json,
    "csv": export_csv,
    "xlsx": export_xlsx,
}

"""The table layout and the cell codecs shared by the CSV/XLSX importers and the exporters.

Column headers → fields, the sheet names, and one parse_*/format_* pair per kind of cell:
level cells ("number title"), 担当課, 主要事業, 課題 and 注記. ``format_*`` raises CellError
unless the text it writes reads back the same.
"""

import re

from hoshin.plans.formats.base import ParsedKeyProject, ParsedNote

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

"""A plan as JSON: the shape other tools rely on (documented in ``docs/plan-file-formats.md``)::

    {"plan": {"kind", "level_names", "action_level_name", "source_title", "owner_office",
              "contact", "source_updated_on", "start_fy", "end_fy"},
     "nodes": [{"title", "level", "number", "vision", "challenges", "purpose", "notes",
                "children": [...], "actions": [{"title", "number", "text", "departments",
                                                "key_projects", "notes"}]}]}

Every value is checked; a problem is reported with its JSON path, e.g.
``nodes[0].children[2].actions[1].text: 必須です``.
"""

import datetime
import json

from hoshin.lib.fiscal import MAX_FY, MIN_FY
from hoshin.lib.spreadsheets import UploadLimitError, json_load
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

PLAN_KEYS = (
    "kind",
    "level_names",
    "action_level_name",
    "source_title",
    "owner_office",
    "contact",
    "source_updated_on",
    "start_fy",
    "end_fy",
)
NODE_KEYS = (
    "title",
    "level",
    "number",
    "vision",
    "challenges",
    "purpose",
    "notes",
    "children",
    "actions",
)
ACTION_KEYS = ("title", "number", "text", "departments", "key_projects", "notes")
KEY_PROJECT_STATUSES = {"new": True, "continuing": False}
# Deeper than this is a mistake (or an attack on the parser), not a plan.
MAX_DEPTH = 20


def default_level_name(depth: int) -> str:
    """The name a level without a name gets (same as ``Plan.level_name``)."""
    return f"第{depth + 1}階層"


def _error(path: str, message: str) -> PlanFormatError:
    return PlanFormatError(message, where=path)


def _object(value, path: str, keys: tuple[str, ...]) -> dict:
    if not isinstance(value, dict):
        raise _error(path, "オブジェクト（{…}）で指定してください。")
    unknown = [key for key in value if key not in keys]
    if unknown:
        raise _error(
            f"{path}.{unknown[0]}" if path else unknown[0],
            f"不明なキーです。使えるキー: {', '.join(keys)}",
        )
    return value


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _string(obj: dict, key: str, path: str, *, required=False, limit: tuple | None = None) -> str:
    value = obj.get(key)
    where = _join(path, key)
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise _error(where, "文字列で指定してください。")
    value = value.strip()
    if required and not value:
        raise _error(where, "必須です。")
    if limit is not None:
        model, field = limit
        max_length = model._meta.get_field(field).max_length
        if max_length and len(value) > max_length:
            raise _error(where, f"長すぎます（{len(value)}文字、上限{max_length}文字）。")
    return value


def _list(obj: dict, key: str, path: str) -> list:
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise _error(_join(path, key), "配列（[…]）で指定してください。")
    return value


def _strings(obj: dict, key: str, path: str) -> list[str]:
    items = []
    for index, item in enumerate(_list(obj, key, path)):
        if not isinstance(item, str) or not item.strip():
            raise _error(f"{_join(path, key)}[{index}]", "空でない文字列で指定してください。")
        items.append(item.strip())
    return items


def _fiscal_year(obj: dict, key: str, path: str) -> int | None:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise _error(_join(path, key), "西暦の年度を数値で指定してください（例: 2023）。")
    if not MIN_FY <= value <= MAX_FY:
        raise _error(_join(path, key), f"{MIN_FY}〜{MAX_FY} の範囲で指定してください。")
    return value


def _notes(obj: dict, path: str) -> list[ParsedNote]:
    notes = []
    for index, item in enumerate(_list(obj, "notes", path)):
        where = f"{_join(path, 'notes')}[{index}]"
        item = _object(item, where, ("term", "body"))
        notes.append(
            ParsedNote(
                term=_string(item, "term", where, required=True, limit=(Note, "term")),
                body=_string(item, "body", where),
            )
        )
    return notes


class _Reader:
    def __init__(self):
        self.plan = ParsedPlan(format_name=JsonFormat.name)
        self.level_names_given = False
        self.seen_levels: dict[int, tuple[str, str]] = {}  # depth → (name, path) when derived

    def read(self, document) -> ParsedPlan:
        document = _object(document, "", ("plan", "nodes"))
        if "nodes" not in document:
            raise _error("nodes", "必須です（計画の階層の配列）。")
        if "plan" in document:
            self._read_plan(_object(document["plan"], "plan", PLAN_KEYS))
        nodes = _list(document, "nodes", "")
        self.plan.roots = [
            self._read_node(item, f"nodes[{index}]", 0) for index, item in enumerate(nodes)
        ]
        if not self.level_names_given and self.seen_levels:
            self.plan.level_names = [
                self.seen_levels[d][0] if d in self.seen_levels else default_level_name(d)
                for d in range(max(self.seen_levels) + 1)
            ]
        return self.plan

    def _read_plan(self, obj: dict) -> None:
        plan = self.plan
        kind = obj.get("kind", PlanKind.OTHER)
        if kind not in PlanKind.values:
            raise _error("plan.kind", f"{', '.join(PlanKind.values)} のどれかを指定してください。")
        plan.kind = kind
        if "level_names" in obj:
            plan.level_names = _strings(obj, "level_names", "plan")
            self.level_names_given = True
        if obj.get("action_level_name") is not None:
            plan.action_level_name = _string(
                obj, "action_level_name", "plan", limit=(Plan, "action_level_name")
            )
        plan.source_title = _string(obj, "source_title", "plan", limit=(Plan, "source_title"))
        plan.owner_office = _string(obj, "owner_office", "plan", limit=(Plan, "owner_office"))
        plan.contact = _string(obj, "contact", "plan")
        updated = obj.get("source_updated_on")
        if updated is not None:
            try:
                plan.source_updated_on = datetime.date.fromisoformat(updated)
            except (TypeError, ValueError):
                raise _error(
                    "plan.source_updated_on", '日付を "YYYY-MM-DD" の文字列で指定してください。'
                ) from None
        plan.start_fy = _fiscal_year(obj, "start_fy", "plan")
        plan.end_fy = _fiscal_year(obj, "end_fy", "plan")
        if plan.start_fy is not None and plan.end_fy is not None and plan.start_fy > plan.end_fy:
            raise _error("plan.end_fy", "開始年度（start_fy）より前です。")

    def _read_node(self, item, path: str, depth: int) -> ParsedNode:
        if depth >= MAX_DEPTH:
            raise _error(path, f"階層が深すぎます（{MAX_DEPTH}段まで）。")
        obj = _object(item, path, NODE_KEYS)
        self._check_level(obj, path, depth)
        node = ParsedNode(
            title=_string(obj, "title", path, required=True, limit=(PlanNode, "title")),
            depth=depth,
            number=_string(obj, "number", path, limit=(PlanNode, "number")),
            vision=_string(obj, "vision", path),
            challenges=_strings(obj, "challenges", path),
            purpose=_string(obj, "purpose", path),
            notes=_notes(obj, path),
        )
        node.actions = [
            self._read_action(action, f"{path}.actions[{index}]")
            for index, action in enumerate(_list(obj, "actions", path))
        ]
        node.children = [
            self._read_node(child, f"{path}.children[{index}]", depth + 1)
            for index, child in enumerate(_list(obj, "children", path))
        ]
        return node

    def _check_level(self, obj: dict, path: str, depth: int) -> None:
        level = obj.get("level")
        if level is None:
            return
        where = f"{path}.level"
        if not isinstance(level, str):
            raise _error(where, "文字列で指定してください。")
        if not self.level_names_given:
            # No plan.level_names: the nodes' level names define them, and must agree.
            seen = self.seen_levels.setdefault(depth, (level, where))
            if seen[0] != level:
                raise _error(
                    where, f"同じ階層の {seen[1]} は「{seen[0]}」です。階層名をそろえてください。"
                )
            return
        names = self.plan.level_names
        expected = names[depth] if depth < len(names) else default_level_name(depth)
        if level != expected:
            if depth < len(names):
                hint = f"plan.level_names によればこの階層は「{expected}」です（入れ子の深さを確かめてください）。"
            else:
                hint = f"plan.level_names に{depth + 1}番目の階層名「{level}」を加えてください。"
            raise _error(where, hint)

    def _read_action(self, item, path: str) -> ParsedAction:
        obj = _object(item, path, ACTION_KEYS)
        projects = []
        for index, project in enumerate(_list(obj, "key_projects", path)):
            where = f"{path}.key_projects[{index}]"
            project = _object(project, where, ("title", "status"))
            status = project.get("status")
            if status not in KEY_PROJECT_STATUSES:
                raise _error(
                    f"{where}.status", '"new"（★）か "continuing"（○）を指定してください。'
                )
            projects.append(
                ParsedKeyProject(
                    title=_string(
                        project, "title", where, required=True, limit=(KeyProject, "title")
                    ),
                    is_new=KEY_PROJECT_STATUSES[status],
                )
            )
        return ParsedAction(
            text=_string(obj, "text", path, required=True),
            title=_string(obj, "title", path, limit=(Action, "title")),
            number=_string(obj, "number", path, limit=(Action, "number")),
            departments=_strings(obj, "departments", path),
            key_projects=projects,
            notes=_notes(obj, path),
        )


@register
class JsonFormat(PlanFormat):
    name = "json"
    label = "JSON"

    def sniff(self, data: bytes, filename: str) -> bool:
        if filename.lower().endswith(".json"):
            return True
        return data[:1024].removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"{")

    def parse(self, data: bytes, filename: str) -> ParsedPlan:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise PlanFormatError(
                "JSON は UTF-8 で保存してください（UTF-8 として読めない文字があります）。",
                where=f"{line}行目",
            ) from None
        try:
            document = json_load(text)
        except UploadLimitError as exc:
            raise PlanFormatError(str(exc)) from None
        except json.JSONDecodeError as exc:
            raise PlanFormatError(
                f"JSON として読めません（{exc.msg}）。", where=f"{exc.lineno}行目 {exc.colno}列目"
            ) from None
        return _Reader().read(document)

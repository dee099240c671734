"""Reading the JSON form of the sheet workbook; errors are reported at their JSON path."""

import json
from decimal import Decimal

from hoshin.evaluations import fields as sheet_fields
from hoshin.evaluations.bulk import layout
from hoshin.evaluations.bulk.content import (
    NOT_OURS,
    FileInfo,
    UploadContent,
    parse_id,
    read_info_values,
)
from hoshin.evaluations.bulk.errors import BulkFormatError, Place
from hoshin.evaluations.models import CostKind
from hoshin.lib.spreadsheets import UploadLimitError, json_load


def _json_key(path: str, key: str) -> str:
    return f"{path}.{key}" if key.isidentifier() else f"{path}['{key}']"


def read_json(data: bytes) -> UploadContent:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BulkFormatError("JSON ファイルは UTF-8 で保存してください。") from None
    try:
        document = json_load(text, parse_float=Decimal)
    except UploadLimitError as exc:
        raise BulkFormatError(str(exc)) from None
    except json.JSONDecodeError as exc:
        raise BulkFormatError(
            f"JSON として読めません（{exc.lineno}行目 {exc.colno}文字目: {exc.msg}）。"
        ) from None
    if not isinstance(document, dict):
        raise BulkFormatError(NOT_OURS)
    content = UploadContent(format_name="json", info=FileInfo())
    plan = document.get("plan") if isinstance(document.get("plan"), dict) else {}
    department = document.get("department")
    department = department if isinstance(department, dict) else {}
    raw = {
        "format": (document.get("format"), Place(json_path="$.format")),
        "format_version": (document.get("format_version"), Place(json_path="$.format_version")),
        "plan_id": (plan.get("id"), Place(json_path="$.plan.id")),
        "plan": (plan.get("name"), Place(json_path="$.plan.name")),
        "fiscal_year": (document.get("fiscal_year"), Place(json_path="$.fiscal_year")),
        "department_id": (department.get("id"), Place(json_path="$.department.id")),
        "department": (department.get("name"), Place(json_path="$.department.name")),
        "exported_at": (document.get("exported_at"), Place(json_path="$.exported_at")),
        "exported_by": (document.get("exported_by"), Place(json_path="$.exported_by")),
    }
    read_info_values(raw, content)
    sheets = document.get("sheets")
    if not isinstance(sheets, list):
        content.error("$.sheets", "シートの一覧（配列）がありません。")
        return content
    for index, item in enumerate(sheets):
        _read_json_sheet(item, f"$.sheets[{index}]", content)
    return content


def _json_scalar(value, path: str, content: UploadContent) -> bool:
    if isinstance(value, (dict, list)):
        content.error(path, "値は文字列か数値で書いてください。")
        return False
    return True


def _json_id(item: dict, key: str, path: str, label: str, content: UploadContent) -> int | None:
    value = item.get(key)
    try:
        number = parse_id(value)
    except ValueError:
        number = None
    if number is None:
        content.error(_json_key(path, key), f"{label}「{value}」が読めません。")
    return number


def _read_json_sheet(item, path: str, content: UploadContent) -> None:
    if not isinstance(item, dict):
        content.error(path, "シートはオブジェクトで書いてください。")
        return
    sheet_id = _json_id(item, "id", path, "シートID", content)
    if sheet_id is None:
        return
    if sheet_id in content.sheets:
        content.error(f"{path}.id", f"シートID {sheet_id} が2回あります。")
        return
    entry = content.sheet(sheet_id)
    entry.place = Place(json_path=path)
    entry.version_place = Place(json_path=f"{path}.version")
    entry.version = _json_id(item, "version", path, "版", content)
    fields = item.get("fields", {})
    if not isinstance(fields, dict):
        content.error(f"{path}.fields", "fields はオブジェクトで書いてください。")
        fields = {}
    for key, value in fields.items():
        where = _json_key(f"{path}.fields", key)
        if not layout.main_editable_key(key):
            content.error(where, f"項目「{key}」はありません。")
        elif _json_scalar(value, where, content):
            entry.values[key] = value
            entry.places[key] = Place(json_path=where)
    indicators = item.get("indicators", [])
    if not isinstance(indicators, list):
        content.error(f"{path}.indicators", "indicators は配列で書いてください。")
        indicators = []
    for index, indicator in enumerate(indicators):
        where = f"{path}.indicators[{index}]"
        if not isinstance(indicator, dict):
            content.error(where, "指標はオブジェクトで書いてください。")
            continue
        indicator_id = _json_id(indicator, "id", where, "指標ID", content)
        if indicator_id is None:
            continue
        entry.indicator_rows[indicator_id] = Place(json_path=where)
        for key, value in indicator.items():
            if key in ("id", "previous"):
                continue
            field_path = _json_key(where, key)
            if key not in sheet_fields.INDICATOR_FIELDS:
                content.error(field_path, f"指標の項目「{key}」はありません。")
            elif _json_scalar(value, field_path, content):
                entry.values[f"indicator.{indicator_id}.{key}"] = value
                entry.places[f"indicator.{indicator_id}.{key}"] = Place(json_path=field_path)
    costs = item.get("costs", {})
    if not isinstance(costs, dict):
        content.error(f"{path}.costs", "costs はオブジェクトで書いてください。")
        costs = {}
    for kind, line in costs.items():
        where = _json_key(f"{path}.costs", kind)
        if kind not in CostKind.values:
            content.error(
                where, f"コストの区分「{kind}」はありません（{'、'.join(CostKind.values)}）。"
            )
            continue
        if not isinstance(line, dict):
            content.error(where, "コストの区分はオブジェクトで書いてください。")
            continue
        entry.cost_rows[kind] = Place(json_path=where)
        for key, value in line.items():
            field_path = _json_key(where, key)
            if key not in sheet_fields.COST_FIELDS:
                content.error(field_path, f"コストの項目「{key}」はありません。")
            elif _json_scalar(value, field_path, content):
                entry.values[f"cost.{kind}.{key}"] = value
                entry.places[f"cost.{kind}.{key}"] = Place(json_path=field_path)

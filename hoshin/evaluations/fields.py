"""The catalogue of a sheet's editable values, addressed by path, with their parsing rules.

Forms, the XLSX round trip and commands all read and write a sheet through these paths, so a
rule (money is a whole, non-negative number of 千円; a grade must be in the sheet's scale …)
exists once. Paths:

- ``purpose_target``, ``overall_grade`` … — a field of the sheet (SCALAR_FIELDS);
- ``viewpoint.<code>`` — the score of one viewpoint;
- ``indicator.<id>.<field>`` — name, unit, kind, direction, baseline, target, actual;
- ``cost.<kind>.<field>`` — national … general, person_years of the budget/actual/next_budget line.
"""

import datetime
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from hoshin.evaluations.models import (
    CostKind,
    CostLine,
    DeliveryMethod,
    Direction,
    EvaluationSheet,
    Indicator,
    IndicatorKind,
)
from hoshin.lib.fiscal import fiscal_year_of

# Fields of the sheet itself, in form order, with the block they belong to.
SCALAR_FIELDS: dict[str, str] = {
    "purpose_target": "purpose",
    "purpose_intent": "purpose",
    "purpose_means": "purpose",
    "legal_basis": "purpose",
    "delivery_method": "purpose",
    "activities": "",
    "overall_grade": "viewpoints",
    "future_direction": "viewpoints",
    "department_comment": "viewpoints",
    "improvement_plan": "",
    "progress_status": "progress",
    "progress_grade": "progress",
    "effect_savings": "progress",
    "effect_revenue": "progress",
}
MONEY_FIELDS = {"effect_savings", "effect_revenue", *CostLine.FUNDING_FIELDS}
# Free texts long enough to need several lines: a textarea on the form, a tall wrapped cell in the
# workbook.
LONG_TEXT_FIELDS = frozenset(
    {
        "purpose_target",
        "purpose_intent",
        "purpose_means",
        "activities",
        "department_comment",
        "improvement_plan",
    }
)
INDICATOR_FIELDS = ("name", "unit", "kind", "direction", "baseline", "target", "actual")
COST_FIELDS = (*CostLine.FUNDING_FIELDS, "person_years")
# Effect amounts may be negative (printed △); costs never are.
SIGNED_MONEY = {"effect_savings", "effect_revenue"}
MAX_MONEY = Decimal(10) ** 15 - 1
# Free text (TextField) has no column limit; a sheet's answer is never tens of pages, and every
# way in (form, autosave, workbook, JSON, API) must refuse the same length.
TEXT_MAX_LENGTH = 100_000
PERCENT_UNITS = {"%", "％", "パーセント"}


class FieldError(ValueError):
    """A value that cannot be stored; the message says why in words staff understand."""


@dataclass(frozen=True)
class FieldInfo:
    path: str
    label: str


def sheet_paths(
    sheet: EvaluationSheet, indicators: list[Indicator] | None = None
) -> list[FieldInfo]:
    """Every editable path of the sheet, in form order, honouring the sheet's blocks."""
    infos = []
    for name, block in SCALAR_FIELDS.items():
        if block and not sheet.has_block(block):
            continue
        infos.append(FieldInfo(name, str(EvaluationSheet._meta.get_field(name).verbose_name)))
        if name == "activities" and sheet.has_block("viewpoints"):
            infos += [
                FieldInfo(f"viewpoint.{vp['code']}", f"評価の視点：{vp['label']}")
                for vp in sheet.scales.get("viewpoints", [])
            ]
    if sheet.has_block("indicators"):
        rows = indicators if indicators is not None else list(sheet.indicators.all())
        for number, indicator in enumerate(rows, start=1):
            for field in INDICATOR_FIELDS:
                label = Indicator._meta.get_field(field).verbose_name
                infos.append(
                    FieldInfo(f"indicator.{indicator.pk}.{field}", f"指標{number}：{label}")
                )
    if sheet.has_block("cost"):
        for kind in CostKind:
            for field in COST_FIELDS:
                label = CostLine._meta.get_field(field).verbose_name
                infos.append(FieldInfo(f"cost.{kind.value}.{field}", f"{kind.label}：{label}"))
    return infos


def path_block(path: str) -> str:
    """The template block a path belongs to ("" for fields every sheet has)."""
    head = path.split(".", 1)[0]
    if head == "viewpoint":
        return "viewpoints"
    if head == "indicator":
        return "indicators"
    if head == "cost":
        return "cost"
    return SCALAR_FIELDS.get(head, "")


def hidden_path_label(sheet: EvaluationSheet, path: str) -> str:
    """The label of a path whose block the sheet's template leaves out (as if it had it)."""
    head, _, rest = path.partition(".")
    if head in SCALAR_FIELDS:
        return str(EvaluationSheet._meta.get_field(head).verbose_name)
    if head == "viewpoint":
        labels = {vp["code"]: vp["label"] for vp in (sheet.scales or {}).get("viewpoints", [])}
        return f"評価の視点：{labels.get(rest, rest)}"
    if head == "indicator" and rest.count(".") == 1:
        field = rest.split(".")[1]
        if field in INDICATOR_FIELDS:
            return f"指標：{Indicator._meta.get_field(field).verbose_name}"
    if head == "cost" and rest.count(".") == 1:
        kind, field = rest.split(".")
        if kind in CostKind.values and field in COST_FIELDS:
            return f"{CostKind(kind).label}：{CostLine._meta.get_field(field).verbose_name}"
    return path


def parse_decimal(raw, *, allow_negative: bool = False, whole: bool = False) -> Decimal | None:
    """Read a number typed by staff: full-width digits, commas, △ or ▲ for minus; '' → None."""
    if raw is None:
        return None
    if isinstance(raw, (int, Decimal)):
        value = Decimal(raw)
    elif isinstance(raw, float):
        value = Decimal(str(raw))
    else:
        text = unicodedata.normalize("NFKC", str(raw)).strip().replace(",", "")
        if text in ("", "-", "－"):
            return None
        negative = text[0] in "△▲"
        if negative:
            text = "-" + text[1:].strip()
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise FieldError(f"「{raw}」は数値ではありません。") from None
    if not value.is_finite():
        raise FieldError(f"「{raw}」は数値ではありません。")
    if value < 0 and not allow_negative:
        raise FieldError("負の値は入力できません。")
    if whole and value != value.to_integral_value():
        raise FieldError("千円単位の整数で入力してください。")
    if abs(value) > MAX_MONEY:
        raise FieldError("値が大きすぎます。")
    return value


def _choice(raw, items: list[dict], what: str) -> str:
    """A code of a scale, accepting the code or the label as typed (A / 拡充)."""
    text = unicodedata.normalize("NFKC", str(raw or "")).strip()
    if not text:
        return ""
    for item in items:
        if text in (item["code"], unicodedata.normalize("NFKC", item["label"])):
            return item["code"]
    allowed = "、".join(item["label"] for item in items)
    raise FieldError(f"「{raw}」は{what}の区分にありません（{allowed}）。")


def _text(raw, *, max_length: int | None) -> str:
    text = "" if raw is None else str(raw).replace("\r\n", "\n").strip()
    # Control characters (NUL above all: PostgreSQL refuses it) never belong in a sheet;
    # line breaks and tabs do.
    for char in text:
        if unicodedata.category(char) == "Cc" and char not in "\n\t":
            raise FieldError(f"制御文字（U+{ord(char):04X}）は使えません。")
    limit = max_length or TEXT_MAX_LENGTH
    if len(text) > limit:
        raise FieldError(f"{len(text)}文字あります（上限{limit}文字）。")
    return text


def _model_choice(raw, choices, what: str) -> str:
    items = [{"code": value, "label": str(label)} for value, label in choices]
    return _choice(raw, items, what)


def parse_value(sheet: EvaluationSheet, path: str, raw):
    """Convert one raw value (form text, XLSX cell) for ``path``; FieldError if it is wrong."""
    parts = path.split(".")
    scales = sheet.scales or {}
    if parts[0] == "viewpoint" and len(parts) == 2:
        return _choice(raw, scales.get("viewpoint_scale", []), "評価の視点")
    if parts[0] == "indicator" and len(parts) == 3:
        return _indicator_value(parts[2], raw)
    if parts[0] == "cost" and len(parts) == 3:
        if parts[2] == "person_years":
            value = parse_decimal(raw)
            if value is not None and value != value.quantize(Decimal("0.01")):
                raise FieldError("人工は小数第2位までで入力してください。")
            return value or Decimal(0)
        return parse_decimal(raw, whole=True) or Decimal(0)
    name = parts[0]
    if name == "overall_grade":
        return _choice(raw, scales.get("grades", []), "総合評価")
    if name == "future_direction":
        return _choice(raw, scales.get("directions", []), "今後の方向性")
    if name == "progress_status":
        return _choice(raw, scales.get("progress_statuses", []), "進捗状況")
    if name == "progress_grade":
        return _choice(raw, scales.get("progress_grades", []), "進捗評価")
    if name == "delivery_method":
        return _model_choice(raw, DeliveryMethod.choices, "実施方法")
    if name in SIGNED_MONEY:
        return parse_decimal(raw, allow_negative=True, whole=True)
    if name in SCALAR_FIELDS:
        return _text(raw, max_length=EvaluationSheet._meta.get_field(name).max_length)
    raise FieldError(f"項目「{path}」はありません。")


def _indicator_value(field: str, raw):
    if field in ("baseline", "target", "actual"):
        value = parse_decimal(raw, allow_negative=True)
        # The column holds 4 decimals and 14 integer digits (QUANTITY): refuse rather than round
        # (an Excel cell can carry 0.30000000000000004).
        if value is not None and value != value.quantize(Decimal("0.0001")):
            raise FieldError("小数第4位までで入力してください。")
        if value is not None and abs(value) >= Decimal(10) ** 14:
            raise FieldError("値が大きすぎます。")
        return value
    if field == "kind":
        return _model_choice(raw, IndicatorKind.choices, "指標の種別") or IndicatorKind.OUTCOME
    if field == "direction":
        return _model_choice(raw, Direction.choices, "指標の方向") or Direction.HIGHER
    if field in ("name", "unit"):
        value = _text(raw, max_length=Indicator._meta.get_field(field).max_length)
        if field == "name" and not value:
            raise FieldError("指標名を入力してください。")
        return value
    raise FieldError(f"指標の項目「{field}」はありません。")


def check_consistency(
    sheet: EvaluationSheet, values: dict, *, today: datetime.date | None = None
) -> dict[str, str]:
    """Rules between values of one sheet, given its complete would-be values; path → message."""
    errors: dict[str, str] = {}
    today = today or datetime.date.today()
    future = sheet.cycle.fy > fiscal_year_of(today)
    indicator_ids = {path.split(".")[1] for path in values if path.startswith("indicator.")}
    for indicator_id in indicator_ids:
        prefix = f"indicator.{indicator_id}."
        unit = values.get(prefix + "unit") or ""
        target, actual = values.get(prefix + "target"), values.get(prefix + "actual")
        if actual is not None and target is None:
            errors[prefix + "actual"] = (
                "目標値のない指標に実績値は入力できません。先に目標値を入力してください。"
            )
        if actual is not None and future:
            errors[prefix + "actual"] = "まだ始まっていない年度の実績値は入力できません。"
        if unit.strip() in PERCENT_UNITS:
            for field in ("baseline", "target", "actual"):
                value = values.get(prefix + field)
                if value is not None and not 0 <= value <= 100:
                    errors[prefix + field] = "単位が％の値は0から100の範囲で入力してください。"
    if future:
        for field in COST_FIELDS:
            value = values.get(f"cost.actual.{field}")
            if value:
                errors[f"cost.actual.{field}"] = "まだ始まっていない年度の決算額は入力できません。"
    return errors


def warnings_for(values: dict) -> dict[str, str]:
    """Legal but noteworthy values (a target equal to its baseline): path → message."""
    notes = {}
    for path, value in values.items():
        if path.startswith("indicator.") and path.endswith(".target"):
            baseline = values.get(path[: -len("target")] + "baseline")
            if value is not None and baseline is not None and value == baseline:
                notes[path] = (
                    "目標値が基準値と同じです（維持目標）。進捗率は算出されず、達成率のみ表示します。"
                )
    return notes

"""Configuring a plan's evaluation template and the yearly staff unit cost (人件費単価).

A template change reaches only sheets that are still being written (draft / returned): their
frozen ``scales`` are refreshed. Sheets that have left their department (submitted, approved,
final, published) keep the scales they were written with, so a published result never changes
because the planning office edited a list afterwards.
"""

import unicodedata
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max

from hoshin.audit.services import audit_record
from hoshin.evaluations import defaults
from hoshin.evaluations.fields import FieldError, parse_decimal
from hoshin.evaluations.models import (
    EvaluationSheet,
    EvaluationTemplate,
    SheetRevision,
    StaffUnitCost,
    Stage,
)
from hoshin.evaluations.services.cycle import template_for
from hoshin.lib.fiscal import MAX_FY, MIN_FY, format_fiscal_year
from hoshin.org.roles import is_planning_office
from hoshin.plans.models import Plan

# The scales of a template, in form order.
SCALE_FIELDS = (
    "viewpoints",
    "viewpoint_scale",
    "grades",
    "directions",
    "progress_statuses",
    "progress_grades",
)
# A block of the sheet needs these scales to be non-empty.
SCALES_OF_BLOCK = {
    "viewpoints": ("viewpoints", "viewpoint_scale", "grades", "directions"),
    "progress": ("progress_statuses", "progress_grades"),
}
# Codes are stored in sheet columns of this length (EvaluationSheet.overall_grade …).
CODE_MAX_LENGTH = {
    "viewpoints": 30,
    "viewpoint_scale": 10,
    "grades": 10,
    "directions": 30,
    "progress_statuses": 30,
    "progress_grades": 10,
}
LABEL_MAX_LENGTH = 50
MEANING_MAX_LENGTH = 200
# Characters a code may not contain: "." separates field paths (viewpoint.<code>), "|" items.
FORBIDDEN_IN_CODE = set(".|") | {" ", "\t", "\u3000"}


def scale_label(name: str) -> str:
    return str(EvaluationTemplate._meta.get_field(name).verbose_name)


def plan_level_count(*, plan: Plan) -> int:
    """How many levels the plan's tree has (named levels, or the deepest node if deeper)."""
    deepest = plan.nodes.aggregate(deepest=Max("depth"))["deepest"]
    return max(len(plan.level_names or []), 0 if deepest is None else deepest + 1)


def _check_scale(name: str, items) -> list[str]:
    """Problems of one scale, each naming the item (1-based) it is about."""
    if not isinstance(items, list):
        return ["区分の一覧として読めません。"]
    problems = []
    codes: dict[str, int] = {}
    labels: dict[str, int] = {}
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            problems.append(f"{number}件目: 「コード|名称|説明」の形で入力してください。")
            continue
        code = str(item.get("code", "")).strip()
        label = str(item.get("label", "")).strip()
        meaning = str(item.get("meaning", "") or "").strip()
        where = f"{number}件目"
        if not code:
            problems.append(f"{where}: コードが空です。")
        elif set(code) & FORBIDDEN_IN_CODE:
            problems.append(f"{where}: コード「{code}」に空白・「.」・「|」は使えません。")
        elif len(code) > CODE_MAX_LENGTH[name]:
            problems.append(
                f"{where}: コード「{code}」が長すぎます（上限{CODE_MAX_LENGTH[name]}文字）。"
            )
        elif code in codes:
            problems.append(f"{where}: コード「{code}」が{codes[code]}件目と重複しています。")
        else:
            codes[code] = number
        if not label:
            problems.append(f"{where}: 名称が空です。")
        elif len(label) > LABEL_MAX_LENGTH:
            problems.append(f"{where}: 名称が長すぎます（上限{LABEL_MAX_LENGTH}文字）。")
        elif _folded(label) in labels:
            problems.append(
                f"{where}: 名称「{label}」が{labels[_folded(label)]}件目と重複しています。"
            )
        else:
            labels[_folded(label)] = number
        if len(meaning) > MEANING_MAX_LENGTH:
            problems.append(f"{where}: 説明が長すぎます（上限{MEANING_MAX_LENGTH}文字）。")
    # Staff may type a code or a label (fields._choice): one must not mean two items.
    for label, number in labels.items():
        other = codes.get(label)
        if other is not None and other != number:
            problems.append(
                f"{number}件目: 名称「{label}」が{other}件目のコードと同じため、入力時に区別できません。"
            )
    return problems


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def _clean_scale(items: list[dict]) -> list[dict]:
    return [
        {
            "code": str(item["code"]).strip(),
            "label": str(item["label"]).strip(),
            "meaning": str(item.get("meaning", "") or "").strip(),
        }
        for item in items
    ]


def template_check(*, plan: Plan, values: dict) -> dict[str, list[str]]:
    """Every problem of would-be template values, by field name (empty when they may be saved)."""
    errors: dict[str, list[str]] = {}
    for name in SCALE_FIELDS:
        problems = _check_scale(name, values.get(name))
        if problems:
            errors[name] = problems
    blocks = values.get("blocks")
    if not isinstance(blocks, list):
        errors["blocks"] = ["シートの構成を選んでください。"]
        blocks = []
    else:
        unknown = [str(block) for block in blocks if block not in defaults.ALL_BLOCKS]
        if unknown:
            errors["blocks"] = [f"不明な構成です: {'、'.join(unknown)}"]
    for block, scales in SCALES_OF_BLOCK.items():
        if block not in blocks:
            continue
        for name in scales:
            if name not in errors and not values.get(name):
                errors[name] = [
                    f"「{defaults.ALL_BLOCKS[block]}」を使う場合は、1件以上入力してください。"
                ]
    depths = values.get("node_depths")
    levels = plan_level_count(plan=plan)
    if not isinstance(depths, list) or not all(isinstance(d, int) for d in depths):
        errors["node_depths"] = ["階層は数値で指定してください。"]
    else:
        outside = sorted({d for d in depths if not 0 <= d < levels})
        if outside:
            errors["node_depths"] = [
                f"この計画の階層は{levels}段階です（0～{levels - 1}）。範囲外: "
                + "、".join(str(d) for d in outside)
                if levels
                else "この計画にはまだ階層がありません。"
            ]
        elif len(set(depths)) != len(depths):
            errors["node_depths"] = ["同じ階層が重複しています。"]
    return errors


@dataclass
class TemplateSaved:
    template: EvaluationTemplate
    changed: list[str]  # names of the fields that changed
    sheets_refreshed: int  # draft / returned sheets whose frozen scales were replaced
    values_cleared: int  # values of those sheets no longer in their scale, cleared


@transaction.atomic
def template_update(
    *,
    plan: Plan,
    by,
    viewpoints: list[dict],
    viewpoint_scale: list[dict],
    grades: list[dict],
    directions: list[dict],
    blocks: list[str],
    progress_statuses: list[dict],
    progress_grades: list[dict],
    node_depths: list[int],
) -> TemplateSaved:
    """Replace the plan's template; sheets still being written follow it, the others never do."""
    if not is_planning_office(user=by):
        raise PermissionDenied("評価シートの様式は企画担当だけが変更できます。")
    values = {
        "viewpoints": viewpoints,
        "viewpoint_scale": viewpoint_scale,
        "grades": grades,
        "directions": directions,
        "blocks": blocks,
        "progress_statuses": progress_statuses,
        "progress_grades": progress_grades,
        "node_depths": node_depths,
    }
    errors = template_check(plan=plan, values=values)
    if errors:
        raise ValidationError(errors)
    for name in SCALE_FIELDS:
        values[name] = _clean_scale(values[name])
    values["blocks"] = [block for block in defaults.ALL_BLOCKS if block in blocks]
    values["node_depths"] = sorted(node_depths)

    template = template_for(plan=plan)
    template = EvaluationTemplate.objects.select_for_update().get(pk=template.pk)
    changed = [name for name, value in values.items() if getattr(template, name) != value]
    if not changed:
        return TemplateSaved(template=template, changed=[], sheets_refreshed=0, values_cleared=0)
    for name, value in values.items():
        setattr(template, name, value)
    template.save()
    refreshed, cleared = _refresh_open_sheets(template=template, by=by)
    audit_record(
        actor=by,
        verb="template.update",
        target=template,
        summary=f"{plan.name} の評価様式を更新（作成中のシート {refreshed} 件に反映）",
        data={"fields": changed, "sheets_refreshed": refreshed, "values_cleared": cleared},
    )
    return TemplateSaved(
        template=template, changed=changed, sheets_refreshed=refreshed, values_cleared=cleared
    )


def template_reset_to_defaults(*, plan: Plan, by) -> TemplateSaved:
    """Put the plan's template back to the defaults of defaults.py (no node evaluation)."""
    return template_update(
        plan=plan, by=by, node_depths=[], **EvaluationTemplate.default_values(plan=plan)
    )


def sheets_following_template(*, plan: Plan) -> dict[str, int]:
    """How many of the plan's sheets a template change would reach, and how many keep theirs."""
    counts = {"refreshed": 0, "frozen": 0}
    rows = (
        EvaluationSheet.objects.filter(cycle__plan=plan)
        .values("stage")
        .annotate(n=Count("id"))
        .values_list("stage", "n")
    )
    for stage, n in rows:
        counts["refreshed" if stage in Stage.editable() else "frozen"] += n
    return counts


def _refresh_open_sheets(*, template: EvaluationTemplate, by) -> tuple[int, int]:
    """Give draft / returned sheets the new scales; clear values the new scales no longer have."""
    scales = template.snapshot()
    codes = {name: {item["code"] for item in scales[name]} for name in SCALE_FIELDS}
    sheets = list(
        EvaluationSheet.objects.select_for_update().filter(
            cycle__plan=template.plan, stage__in=Stage.editable()
        )
    )
    cleared_total = 0
    revisions = []
    for sheet in sheets:
        sheet.scales = scales
        changes = {}
        for name, scale in (
            ("overall_grade", "grades"),
            ("future_direction", "directions"),
            ("progress_status", "progress_statuses"),
            ("progress_grade", "progress_grades"),
        ):
            value = getattr(sheet, name)
            if value and value not in codes[scale]:
                changes[name] = [value, ""]
                setattr(sheet, name, "")
        kept = {}
        for code, score in (sheet.viewpoint_scores or {}).items():
            if code in codes["viewpoints"] and score in codes["viewpoint_scale"]:
                kept[code] = score
            else:
                changes[f"viewpoint.{code}"] = [score, ""]
        sheet.viewpoint_scores = kept
        if changes:
            # The sheet's values changed: a new version, so an open form cannot overwrite them.
            sheet.version += 1
            cleared_total += len(changes)
            revisions.append(
                SheetRevision(
                    sheet=sheet, version=sheet.version, by=by, changes=changes, source="template"
                )
            )
    EvaluationSheet.objects.bulk_update(
        sheets,
        [
            "scales",
            "overall_grade",
            "future_direction",
            "progress_status",
            "progress_grade",
            "viewpoint_scores",
            "version",
        ],
        batch_size=500,
    )
    SheetRevision.objects.bulk_create(revisions)
    return len(sheets), cleared_total


def staff_unit_cost_check(*, fy, amount) -> dict[str, str]:
    """Problems of a would-be unit cost, by field (``fy``, ``amount``); empty when it may be set."""
    errors = {}
    if not isinstance(fy, int) or not MIN_FY <= fy <= MAX_FY:
        errors["fy"] = "年度が正しくありません。"
    try:
        value = parse_decimal(amount, whole=True)
    except FieldError as exc:
        errors["amount"] = str(exc)
    else:
        if value is None:
            errors["amount"] = "単価を入力してください。"
    if errors:
        return errors
    existing = StaffUnitCost.objects.filter(fy=fy).values_list("amount", flat=True).first()
    published = _published_using(fy)
    if existing is not None and existing != value and published is not None:
        errors["amount"] = (
            f"{format_fiscal_year(published)}の評価結果を公表済みのため変更できません。"
            "公表済みの人件費が変わってしまいます。公表を取り下げてから変更してください。"
        )
    return errors


@transaction.atomic
def staff_unit_cost_set(*, fy: int, amount, by) -> StaffUnitCost:
    """Set the cost of one person-year in ``fy`` (千円); refused once that year or the
    year before is published (see ``_published_using``)."""
    if not is_planning_office(user=by):
        raise PermissionDenied("人件費単価は企画担当だけが設定できます。")
    errors = staff_unit_cost_check(fy=fy, amount=amount)
    if errors:
        raise ValidationError(errors)
    value = parse_decimal(amount, whole=True)
    existing = StaffUnitCost.objects.select_for_update().filter(fy=fy).first()
    if existing is not None and existing.amount == value:
        return existing
    old = existing.amount if existing else None
    unit_cost, _ = StaffUnitCost.objects.update_or_create(fy=fy, defaults={"amount": value})
    audit_record(
        actor=by,
        verb="unit_cost.set",
        target=unit_cost,
        summary=f"{format_fiscal_year(fy)}の人件費単価を{value:,}千円に設定",
        data={"fy": fy, "old": None if old is None else str(old), "new": str(value)},
    )
    return unit_cost


@transaction.atomic
def staff_unit_cost_delete(*, unit_cost: StaffUnitCost, by) -> None:
    """Remove a year's unit cost (refused like a change)."""
    if not is_planning_office(user=by):
        raise PermissionDenied("人件費単価は企画担当だけが設定できます。")
    published = _published_using(unit_cost.fy)
    if published is not None:
        raise ValidationError(
            f"{format_fiscal_year(published)}の評価結果を公表済みのため削除できません。"
        )
    fy, amount = unit_cost.fy, unit_cost.amount
    audit_record(
        actor=by,
        verb="unit_cost.delete",
        target=unit_cost,
        summary=f"{format_fiscal_year(fy)}の人件費単価（{amount:,}千円）を削除",
        data={"fy": fy, "old": str(amount)},
    )
    unit_cost.delete()


def _published_using(fy: int) -> int | None:
    """The published year whose staff costs use ``fy``'s unit cost, if any: ``fy`` itself, or the
    year before, whose next year's budget is priced at ``fy``'s unit cost (evaluations.figures).
    Setting a missing unit cost stays allowed: it replaces a fallback or an unknown figure."""
    published = set(
        EvaluationSheet.objects.filter(stage=Stage.PUBLISHED, cycle__fy__in=(fy, fy - 1))
        .order_by()
        .values_list("cycle__fy", flat=True)
        .distinct()
    )
    return next((year for year in (fy, fy - 1) if year in published), None)

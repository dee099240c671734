"""What a download holds (ExportScope), how values read in a cell, and the JSON writer.

A department's sheets of one plan and year as one XLSX workbook (``workbook``) or one JSON
file (here). Both carry the same content (see ``docs/sheet-workbook.md``): the info (plan, year, department,
time of export), one entry per sheet with its id, version and values by path, its indicators
and its cost lines. The values come from ``services.sheets.sheet_values`` and are read back by
``fields.parse_value``, so an untouched file uploads as "no changes".
"""

import datetime
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from hoshin.evaluations import fields as sheet_fields
from hoshin.evaluations.bulk import layout
from hoshin.evaluations.bulk.errors import BulkExportError
from hoshin.evaluations.models import (
    CostKind,
    DeliveryMethod,
    Direction,
    EvaluationCycle,
    EvaluationSheet,
    Indicator,
    IndicatorKind,
)
from hoshin.evaluations.selectors.access import can_edit, own_department_ids, user_sees_all_sheets
from hoshin.evaluations.services.errors import SheetPermissionError
from hoshin.evaluations.services.sheets import as_text, sheet_values
from hoshin.lib.fiscal import format_fiscal_year
from hoshin.org.models import Department
from hoshin.org.selectors import department_units
from hoshin.plans.models import Plan

MODEL_CHOICES = {
    "delivery_method": DeliveryMethod,
    "kind": IndicatorKind,
    "direction": Direction,
}


@dataclass
class ExportScope:
    """Everything an export writes, read with a fixed number of queries."""

    cycle: EvaluationCycle
    department: Department | None
    sheets: list[EvaluationSheet]
    editable: dict[int, bool]
    previous_indicators: dict[tuple[int, object], Indicator]
    exported_at: datetime.datetime
    exported_by: object = None
    values: dict[int, dict] = field(default_factory=dict)

    @property
    def plan(self) -> Plan:
        return self.cycle.plan


def _may_export(user, department: Department | None) -> bool:
    if user_sees_all_sheets(user=user):
        return True
    return department is not None and department.pk in own_department_ids(user=user)


def export_scope(
    *, plan: Plan, fy: int, department: Department | None = None, user=None, now=None
) -> ExportScope:
    """The sheets of ``plan`` in ``fy`` (of ``department`` and its units, or all).

    With a ``user``, only what they may download: their own departments' sheets, or any (and
    all at once) for those who see every department. Without one (``export_sheets``, run by the
    operator) everything.
    """
    if user is not None and not _may_export(user, department):
        raise SheetPermissionError("この部署の評価シートを書き出す権限がありません。")
    cycle = EvaluationCycle.objects.select_related("plan").filter(plan=plan, fy=fy).first()
    if cycle is None:
        raise BulkExportError(f"{plan.name}の{format_fiscal_year(fy)}はまだ開始していません。")
    sheets = (
        EvaluationSheet.objects.filter(cycle=cycle)
        .select_related("action", "node", "department", "previous")
        .prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.order_by("position", "id")),
            "costs",
        )
        .order_by("id")
    )
    if department is not None:
        sheets = sheets.filter(department_id__in=department_units(department_ids={department.pk}))
    sheets = list(sheets)
    for sheet in sheets:
        sheet.cycle = cycle  # one cycle for all: no query per sheet for str() and checks
    previous_ids = [s.previous_id for s in sheets if s.previous_id]
    previous_indicators = {
        (i.sheet_id, i.series): i for i in Indicator.objects.filter(sheet_id__in=previous_ids)
    }
    editable = {
        s.pk: can_edit(user=user, sheet=s) if user is not None else s.is_editable_stage
        for s in sheets
    }
    return ExportScope(
        cycle=cycle,
        department=department,
        sheets=sheets,
        editable=editable,
        previous_indicators=previous_indicators,
        exported_at=now or timezone.now(),
        exported_by=user,
        values={s.pk: sheet_values(sheet=s) for s in sheets},
    )


# ---------------------------------------------------------------------------------------------
# Values as staff read them


def display_value(sheet: EvaluationSheet, path: str, value):
    """A stored value as written into a cell: labels for codes, numbers as numbers."""
    if value is None or value == "":
        return None
    name = path.rsplit(".", 1)[-1] if path.startswith("indicator.") else path
    if path.startswith("viewpoint."):
        return sheet.scale_label("viewpoint_scale", value)
    if name in layout.SCALE_OF_FIELD:
        return sheet.scale_label(layout.SCALE_OF_FIELD[name], value)
    if name in MODEL_CHOICES:
        choices = MODEL_CHOICES[name]
        return str(choices(value).label) if value in choices.values else value
    if isinstance(value, Decimal):
        return cell_number(value)
    return value


def cell_number(value: Decimal):
    """An int or float when Excel holds it exactly, else the digits as text (read back alike)."""
    if value == value.to_integral_value() and abs(value) < 2**53:
        return int(value)
    as_float = float(value)
    if Decimal(str(as_float)) == value:
        return as_float
    return as_text(value)


def subject_number(sheet: EvaluationSheet) -> str:
    return sheet.action.number if sheet.action_id else sheet.node.number


def subject_text(sheet: EvaluationSheet) -> str:
    """The action's text (with its title), or the node's title for a 施策評価 sheet."""
    if sheet.action_id:
        action = sheet.action
        return f"{action.title}\n{action.text}" if action.title else action.text
    return sheet.node.title


def department_label(sheet: EvaluationSheet) -> str:
    return sheet.department.name if sheet.department_id else "（企画担当）"


def main_columns(scope: ExportScope) -> list[layout.Column]:
    """Read-only columns, then the union of the sheets' scalar and viewpoint paths, in form order."""
    seen: dict[str, str] = {}
    for sheet in scope.sheets:
        for info in sheet_fields.sheet_paths(sheet, indicators=[]):
            if not info.path.startswith(("indicator.", "cost.")):
                seen.setdefault(info.path, info.label)
    # Scalar fields in catalogue order, the viewpoints right after 今年度の取組内容 (as the form).
    ordered = []
    viewpoints = [p for p in seen if p.startswith("viewpoint.")]
    for name in sheet_fields.SCALAR_FIELDS:
        if name in seen:
            ordered.append(name)
        if name == "activities":
            ordered += viewpoints
    columns = list(layout.MAIN_LEADING)
    for path in ordered:
        if path == "overall_grade":
            columns += layout.MAIN_PREVIOUS
        columns.append(layout.main_column(path, seen[path]))
    return columns


def sheet_has_path(sheet: EvaluationSheet, path: str) -> bool:
    if path.startswith("viewpoint."):
        codes = {vp["code"] for vp in (sheet.scales or {}).get("viewpoints", [])}
        return sheet.has_block("viewpoints") and path.split(".", 1)[1] in codes
    block = sheet_fields.SCALAR_FIELDS.get(path)
    return block is not None and (not block or sheet.has_block(block))


def choice_labels(sheet: EvaluationSheet, key: str) -> tuple[str, ...]:
    """The labels a choice column offers for this sheet (its frozen scale)."""
    if key.startswith("viewpoint."):
        items = (sheet.scales or {}).get("viewpoint_scale", [])
    elif key in layout.SCALE_OF_FIELD:
        items = (sheet.scales or {}).get(layout.SCALE_OF_FIELD[key], [])
    elif key in MODEL_CHOICES:
        return tuple(str(label) for label in MODEL_CHOICES[key].labels)
    else:
        return ()
    return tuple(str(item["label"]) for item in items)


# ---------------------------------------------------------------------------------------------
# JSON


def export_json(
    *, plan: Plan, fy: int, department: Department | None = None, user=None, now=None
) -> bytes:
    """The same content as the workbook, as nested objects (values as stored: codes, decimals as text)."""
    scope = export_scope(plan=plan, fy=fy, department=department, user=user, now=now)
    return json.dumps(json_document(scope), ensure_ascii=False, indent=2).encode("utf-8")


def _json_value(value):
    return as_text(value) if isinstance(value, Decimal) else value


def json_document(scope: ExportScope) -> dict:
    by = scope.exported_by
    return {
        "format": layout.FORMAT_NAME,
        "format_version": layout.FORMAT_VERSION,
        "plan": {"id": scope.plan.pk, "name": scope.plan.name},
        "fiscal_year": scope.cycle.fy,
        "fiscal_year_label": format_fiscal_year(scope.cycle.fy),
        "department": (
            {"id": scope.department.pk, "name": scope.department.name} if scope.department else None
        ),
        "exported_at": timezone.localtime(scope.exported_at).isoformat(timespec="seconds"),
        "exported_by": getattr(by, "username", "") if by is not None else "",
        "sheets": [_json_sheet(scope, sheet) for sheet in scope.sheets],
    }


def _json_sheet(scope: ExportScope, sheet: EvaluationSheet) -> dict:
    values = scope.values[sheet.pk]
    previous = sheet.previous
    fields = {
        info.path: _json_value(values.get(info.path))
        for info in sheet_fields.sheet_paths(sheet, indicators=[])
        if not info.path.startswith(("indicator.", "cost."))
    }
    document = {
        "id": sheet.pk,
        "version": sheet.version,
        "number": subject_number(sheet),
        "subject": subject_text(sheet),
        "department": department_label(sheet),
        "stage": sheet.stage,
        "stage_label": sheet.get_stage_display(),
        "editable": scope.editable[sheet.pk],
        "fields": fields,
        "previous": (
            {
                "overall_grade": previous.overall_grade,
                "future_direction": previous.future_direction,
            }
            if previous is not None
            else None
        ),
    }
    if sheet.has_block("indicators"):
        indicators = []
        for indicator in sheet.indicators.all():
            last = scope.previous_indicators.get((sheet.previous_id, indicator.series))
            item = {"id": indicator.pk}
            for name in sheet_fields.INDICATOR_FIELDS:
                item[name] = _json_value(values.get(f"indicator.{indicator.pk}.{name}"))
            item["previous"] = (
                {"target": _json_value(last.target), "actual": _json_value(last.actual)}
                if last is not None
                else None
            )
            indicators.append(item)
        document["indicators"] = indicators
    if sheet.has_block("cost"):
        order = {kind: index for index, kind in enumerate(CostKind.values)}
        document["costs"] = {
            line.kind: {
                name: _json_value(values.get(f"cost.{line.kind}.{name}"))
                for name in sheet_fields.COST_FIELDS
            }
            for line in sorted(sheet.costs.all(), key=lambda line: order.get(line.kind, 99))
        }
    return document

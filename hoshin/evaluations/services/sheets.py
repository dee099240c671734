"""Reading and saving a sheet's values, with conflict detection and a field-level history."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from hoshin.audit.services import audit_record
from hoshin.evaluations import defaults
from hoshin.evaluations import fields as sheet_fields
from hoshin.evaluations.models import (
    CostLine,
    EvaluationSheet,
    Indicator,
    IndicatorKind,
    SheetRevision,
)
from hoshin.evaluations.selectors.access import can_edit
from hoshin.evaluations.services.errors import (
    SheetConflictError,
    SheetPermissionError,
    SheetValidationError,
)


def sheet_values(*, sheet: EvaluationSheet) -> dict:
    """Every editable value of the sheet by path (see ``fields``), typed."""
    values = {name: getattr(sheet, name) for name in sheet_fields.SCALAR_FIELDS}
    for viewpoint in (sheet.scales or {}).get("viewpoints", []):
        values[f"viewpoint.{viewpoint['code']}"] = (sheet.viewpoint_scores or {}).get(
            viewpoint["code"], ""
        )
    for indicator in sheet.indicators.all():
        for name in sheet_fields.INDICATOR_FIELDS:
            values[f"indicator.{indicator.pk}.{name}"] = getattr(indicator, name)
    for line in sheet.costs.all():
        for name in sheet_fields.COST_FIELDS:
            values[f"cost.{line.kind}.{name}"] = getattr(line, name)
    return values


def as_text(value) -> str | None:
    """A value as stored in revisions and shown in diffs (Decimal without trailing zeros)."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


@dataclass
class SaveResult:
    sheet: EvaluationSheet
    changes: dict[str, list] = field(default_factory=dict)
    warnings: dict[str, str] = field(default_factory=dict)


def sheet_parse(
    *, sheet: EvaluationSheet, raw: dict[str, object], today: datetime.date | None = None
) -> tuple[dict, dict, dict[str, str]]:
    """Parse and check raw values against the sheet: (new values, changes, warnings).

    Raises SheetValidationError listing every wrong field; used by saves and by previews.
    A value of a block the sheet's template leaves out (the sheet still has the column) is
    refused here, so that no caller — form, autosave, workbook, JSON, API — can store what the
    sheet page never shows.
    """
    current = sheet_values(sheet=sheet)
    labels = {info.path: info.label for info in sheet_fields.sheet_paths(sheet)}
    errors: dict[str, str] = {}
    merged = dict(current)
    for path, value in raw.items():
        if path not in current:
            errors[path] = "このシートにない項目です。"
            continue
        if path not in labels:
            block = defaults.ALL_BLOCKS.get(sheet_fields.path_block(path), "")
            labels[path] = sheet_fields.hidden_path_label(sheet, path)
            errors[path] = f"このシートの様式には「{block}」の欄がないため、入力できません。"
            continue
        try:
            merged[path] = sheet_fields.parse_value(sheet, path, value)
        except sheet_fields.FieldError as exc:
            errors[path] = str(exc)
    if not errors:
        errors.update(sheet_fields.check_consistency(sheet, merged, today=today))
    if errors:
        raise SheetValidationError(errors, labels)
    changes = {
        path: [as_text(current[path]), as_text(merged[path])]
        for path in raw
        if as_text(current[path]) != as_text(merged[path])
    }
    warnings = {
        path: message for path, message in sheet_fields.warnings_for(merged).items() if path in raw
    }
    return merged, changes, warnings


@transaction.atomic
def sheet_update(
    *,
    sheet: EvaluationSheet,
    by,
    raw: dict[str, object],
    expected_version: int,
    source: str = "form",
    today: datetime.date | None = None,
) -> SaveResult:
    """Save values typed by ``by``; refuses a stale version instead of overwriting silently."""
    sheet = _locked(sheet)
    _check_can_write(sheet, by=by, expected_version=expected_version)
    merged, changes, warnings = sheet_parse(sheet=sheet, raw=raw, today=today)
    if not changes:
        return SaveResult(sheet=sheet, warnings=warnings)
    _apply(sheet, merged, changes)
    _new_revision(sheet, by=by, changes=changes, source=source)
    return SaveResult(sheet=sheet, changes=changes, warnings=warnings)


def _check_can_write(sheet: EvaluationSheet, *, by, expected_version: int) -> None:
    """Refuse a write by the wrong person or at the wrong stage, or from a stale page."""
    if not can_edit(user=by, sheet=sheet):
        raise SheetPermissionError(
            "このシートを編集する権限がないか、編集できる段階ではありません。"
        )
    if sheet.version != expected_version:
        missed = list(
            sheet.revisions.filter(version__gt=expected_version)
            .select_related("by")
            .order_by("version")
        )
        raise SheetConflictError(current_version=sheet.version, revisions=missed)


def _locked(sheet: EvaluationSheet) -> EvaluationSheet:
    # Indicators and costs come along: parsing, the diff and the write all read them (a bulk
    # upload saves hundreds of sheets in a row). The sheet's lock guards them: every write
    # to them locks the sheet first. ``of=("self",)``: PostgreSQL cannot lock the nullable
    # side of the outer joins to department and action, and need not.
    return (
        EvaluationSheet.objects.select_for_update(of=("self",))
        .select_related("cycle__plan", "department", "action")
        .prefetch_related("indicators", "costs")
        .get(pk=sheet.pk)
    )


def _new_revision(sheet: EvaluationSheet, *, by, changes: dict, source: str) -> SheetRevision:
    sheet.version += 1
    sheet.save(update_fields=["version", "updated_at"])
    revision = SheetRevision.objects.create(
        sheet=sheet, version=sheet.version, by=by, changes=changes, source=source
    )
    audit_record(
        actor=by,
        verb="sheet.update",
        target=sheet,
        summary=f"評価シート「{sheet}」を更新（{len(changes)}項目）",
        data={"version": sheet.version, "source": source, "paths": sorted(changes)},
    )
    return revision


def _apply(sheet: EvaluationSheet, merged: dict, changes: dict) -> None:
    scalar = [p for p in changes if p in sheet_fields.SCALAR_FIELDS]
    for path in scalar:
        setattr(sheet, path, merged[path])
    if any(p.startswith("viewpoint.") for p in changes):
        sheet.viewpoint_scores = {
            p.split(".", 1)[1]: v for p, v in merged.items() if p.startswith("viewpoint.") and v
        }
        scalar.append("viewpoint_scores")
    if scalar:
        sheet.save(update_fields=[*scalar, "updated_at"])
    indicators = {str(i.pk): i for i in sheet.indicators.all()}
    touched_indicators = {}
    costs = {line.kind: line for line in sheet.costs.all()}
    touched_costs = {}
    for path in changes:
        parts = path.split(".")
        if parts[0] == "indicator":
            indicator = indicators[parts[1]]
            setattr(indicator, parts[2], merged[path])
            touched_indicators.setdefault(parts[2], set()).add(indicator)
        elif parts[0] == "cost":
            line = costs[parts[1]]
            setattr(line, parts[2], merged[path])
            touched_costs.setdefault(parts[2], set()).add(line)
    for name, rows in touched_indicators.items():
        Indicator.objects.bulk_update(list(rows), [name])
    for name, rows in touched_costs.items():
        CostLine.objects.bulk_update(list(rows), [name])


@transaction.atomic
def indicator_add(
    *,
    sheet: EvaluationSheet,
    by,
    name: str,
    expected_version: int,
    kind: str = IndicatorKind.OUTCOME,
    unit: str = "",
) -> Indicator:
    """Add an indicator to a draft sheet (a new series, tracked in later years)."""
    sheet = _locked(sheet)
    _check_can_write(sheet, by=by, expected_version=expected_version)
    try:
        name = sheet_fields.parse_value(sheet, "indicator.0.name", name)
        unit = sheet_fields.parse_value(sheet, "indicator.0.unit", unit)
        kind = sheet_fields.parse_value(sheet, "indicator.0.kind", kind)
    except sheet_fields.FieldError as exc:
        raise SheetValidationError({"indicator.new": str(exc)}) from None
    position = sheet.indicators.count()
    indicator = Indicator.objects.create(
        sheet=sheet, position=position, kind=kind, name=name, unit=unit
    )
    _new_revision(sheet, by=by, changes={f"indicator.{indicator.pk}": [None, name]}, source="form")
    return indicator


@transaction.atomic
def indicator_remove(*, indicator: Indicator, by, expected_version: int) -> None:
    """Remove an indicator from a draft sheet; the history keeps its last values."""
    sheet = _locked(indicator.sheet)
    _check_can_write(sheet, by=by, expected_version=expected_version)
    last = {f: as_text(getattr(indicator, f)) for f in sheet_fields.INDICATOR_FIELDS}
    indicator.delete()
    _new_revision(sheet, by=by, changes={f"indicator.{indicator.pk}": [last, None]}, source="form")

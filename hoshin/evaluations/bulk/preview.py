"""Checking an uploaded file against the database: every change field by field, or every error.

``read_upload`` is the one entry point for the web page, the command and scripts. It never
writes; ``services.bulk.upload_apply`` saves a preview that has no errors.

Checks, each reported at its tab/row/column (XLSX) or JSON path:

- the file's plan and year (tab 情報) are those the user chose (web) and exist;
- each sheet id exists, the user may see it (``selectors.access.sheets_visible_to``; one they
  may not see is "not found", word for word) and it belongs to that plan, year and department (a row copied from
  another department's or last year's file is refused);
- each sheet's version is its current one (a sheet saved since the download is refused, as the
  form refuses a stale page) — also when the file would not change it, so that a file applied
  once cannot be uploaded again;
- each value parses (``fields.parse_value``) and the sheet's values stay consistent
  (``fields.check_consistency``), through ``services.sheets.sheet_parse``;
- a sheet whose values differ must be editable by the user (``selectors.access.can_edit``).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch

from hoshin.evaluations import fields as sheet_fields
from hoshin.evaluations.bulk.content import SheetInput, UploadContent, is_empty
from hoshin.evaluations.bulk.errors import Place, UploadError, places_text
from hoshin.evaluations.bulk.export import display_value
from hoshin.evaluations.bulk.readers import read_file
from hoshin.evaluations.models import (
    CostKind,
    EvaluationCycle,
    EvaluationSheet,
    Indicator,
    SheetRevision,
    Stage,
)
from hoshin.evaluations.selectors.access import can_edit, is_editor_of, sheets_visible_to
from hoshin.evaluations.services.errors import SheetValidationError
from hoshin.evaluations.services.sheets import sheet_parse
from hoshin.lib.fiscal import format_fiscal_year
from hoshin.org.models import Department
from hoshin.org.selectors import department_units
from hoshin.plans.models import Plan

EMPTY = "（空欄）"


@dataclass
class FieldChange:
    path: str
    label: str
    where: str
    old: str
    new: str


@dataclass
class SheetChange:
    """One sheet's changes, ready for ``sheet_update`` (raw values of the changed paths)."""

    sheet: EvaluationSheet
    expected_version: int
    raw: dict[str, object]
    places: dict[str, Place]
    place: Place | None
    version_place: Place | None
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"シートID {self.sheet.pk}「{sheet_subject(self.sheet)}」"


@dataclass
class Preview:
    filename: str
    format_name: str
    plan: Plan | None = None
    cycle: EvaluationCycle | None = None
    department: Department | None = None
    department_name: str = ""
    exported_at: str = ""
    exported_by: str = ""
    sheet_count: int = 0
    sheets: list[SheetChange] = field(default_factory=list)
    errors: list[UploadError] = field(default_factory=list)
    warnings: list[UploadError] = field(default_factory=list)
    today: datetime.date | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def source(self) -> str:
        """What revisions record as the way the values came in."""
        return self.format_name

    @property
    def field_count(self) -> int:
        return sum(len(item.changes) for item in self.sheets)

    @property
    def unchanged_count(self) -> int:
        return self.sheet_count - len(self.sheets)

    @property
    def fy_label(self) -> str:
        return format_fiscal_year(self.cycle.fy) if self.cycle else ""


def sheet_subject(sheet: EvaluationSheet) -> str:
    return sheet.action.heading if sheet.action_id else str(sheet.node)


def read_upload(
    data: bytes,
    filename: str,
    *,
    user,
    plan: Plan | None = None,
    fy: int | None = None,
    today: datetime.date | None = None,
) -> Preview:
    """Read an uploaded XLSX/JSON and compare it with the database (BulkFormatError if unreadable).

    ``plan`` and ``fy``, when given, are what the user meant to upload: a file of another plan
    or year is refused as a whole.
    """
    content = read_file(data, filename)
    return preview_content(content, filename=filename, user=user, plan=plan, fy=fy, today=today)


def preview_content(
    content: UploadContent,
    *,
    filename: str,
    user,
    plan: Plan | None = None,
    fy: int | None = None,
    today: datetime.date | None = None,
) -> Preview:
    info = content.info
    preview = Preview(
        filename=filename,
        format_name=content.format_name,
        errors=list(content.errors),
        department_name=info.department_name,
        exported_at=info.exported_at,
        exported_by=info.exported_by,
        sheet_count=sum(1 for entry in content.sheets.values() if entry.place is not None),
        today=today,
    )
    if not _check_info(content, preview, plan=plan, fy=fy):
        return preview
    sheets = _load_sheets(list(content.sheets), user=user)
    stale = [
        sheet_id
        for sheet_id, entry in content.sheets.items()
        if sheet_id in sheets
        and entry.version is not None
        and entry.version != sheets[sheet_id].version
    ]
    missed = _revisions_since(stale, content)
    allowed_departments = (
        department_units(department_ids={preview.department.pk}) if preview.department else None
    )
    for sheet_id, entry in content.sheets.items():
        sheet = sheets.get(sheet_id)
        if not _check_identity(entry, sheet, preview, allowed_departments):
            continue
        if entry.version is None:
            continue  # unreadable version: already an error
        if entry.version != sheet.version:
            preview.errors.append(
                UploadError(str(entry.version_place), _stale_message(entry, sheet, missed))
            )
            continue
        _compare(entry, sheet, preview, user=user)
    if info.sheet_count is not None and preview.sheet_count < info.sheet_count:
        preview.warnings.append(
            UploadError(
                "",
                f"書き出した {info.sheet_count} 件のうち {preview.sheet_count} 件のシートがファイルにあります"
                "（行のないシートは変更しません）。",
            )
        )
    return preview


def _check_info(content: UploadContent, preview: Preview, *, plan, fy) -> bool:
    """The file's plan, year and department exist and are those the user chose."""
    info = content.info
    places = info.places
    if info.plan_id is None or info.fy is None:
        return False
    file_plan = Plan.objects.filter(pk=info.plan_id).first()
    if file_plan is None:
        preview.errors.append(
            UploadError(
                str(places.get("plan_id", "")),
                f"計画ID {info.plan_id}（{info.plan_name}）の計画はありません。",
            )
        )
        return False
    if plan is not None and file_plan.pk != plan.pk:
        preview.errors.append(
            UploadError(
                str(places.get("plan", places.get("plan_id", ""))),
                f"このファイルは計画「{file_plan.name}」のものです。選んだ計画「{plan.name}」の"
                "ファイルを書き出して入力してください。",
            )
        )
        return False
    if fy is not None and info.fy != fy:
        preview.errors.append(
            UploadError(
                str(places.get("fiscal_year", "")),
                f"このファイルは{format_fiscal_year(info.fy)}のものです。選んだ"
                f"{format_fiscal_year(fy)}のファイルを書き出して入力してください。",
            )
        )
        return False
    cycle = EvaluationCycle.objects.filter(plan=file_plan, fy=info.fy).first()
    if cycle is None:
        preview.errors.append(
            UploadError(
                str(places.get("fiscal_year", "")),
                f"{file_plan.name}の{format_fiscal_year(info.fy)}は開始していません。",
            )
        )
        return False
    preview.plan, preview.cycle = file_plan, cycle
    cycle.plan = file_plan
    if info.department_id is not None:
        preview.department = Department.objects.filter(pk=info.department_id).first()
        if preview.department is None:
            preview.errors.append(
                UploadError(
                    str(places.get("department_id", "")),
                    f"部署ID {info.department_id}（{info.department_name}）の部署はありません。",
                )
            )
            return False
        preview.department_name = preview.department.name
    return True


def _load_sheets(ids: list[int], *, user) -> dict[int, EvaluationSheet]:
    """The file's sheets the user may see, with everything the checks read, in a fixed number
    of queries.

    A sheet the user may not see is left out here, before anything reads it, so it is reported
    exactly as an id that does not exist: its stage, version, editors and values cannot
    influence any message (issue 10, finding 1: the bulk-upload oracle).
    """
    queryset = (
        sheets_visible_to(user=user)
        .filter(pk__in=ids)
        .select_related("cycle__plan", "department", "action", "node")
        .prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.order_by("position", "id")),
            "costs",
        )
    )
    return {sheet.pk: sheet for sheet in queryset}


def _revisions_since(stale: list[int], content: UploadContent) -> dict[int, list[SheetRevision]]:
    missed: dict[int, list[SheetRevision]] = {}
    if not stale:
        return missed
    revisions = SheetRevision.objects.filter(sheet_id__in=stale).select_related("by")
    for revision in revisions.order_by("sheet_id", "version"):
        if revision.version > (content.sheets[revision.sheet_id].version or 0):
            missed.setdefault(revision.sheet_id, []).append(revision)
    return missed


def _stale_message(entry: SheetInput, sheet: EvaluationSheet, missed) -> str:
    names = "、".join(sorted({str(r.by) for r in missed.get(sheet.pk, []) if r.by})) or "他の職員"
    return (
        f"シートID {sheet.pk}「{sheet_subject(sheet)}」は、このファイルを書き出した後に{names}が"
        f"更新しました（ファイルは第{entry.version}版、現在は第{sheet.version}版）。"
        "上書きしないよう取り込みを止めました。もう一度書き出して入力し直してください。"
    )


def _check_identity(entry: SheetInput, sheet, preview: Preview, allowed_departments) -> bool:
    """The row is a sheet of this file's plan, year and department, with its main-tab row."""
    where = str(entry.any_place)
    if sheet is None:
        preview.errors.append(
            UploadError(where, f"シートID {entry.sheet_id} のシートはありません。")
        )
        return False
    cycle = preview.cycle
    if sheet.cycle_id != cycle.pk:
        other = sheet.cycle
        if other.plan_id != cycle.plan_id:
            message = (
                f"シートID {sheet.pk} は計画「{other.plan.name}」のシートです"
                f"（このファイルは「{cycle.plan.name}」）。"
            )
        else:
            message = (
                f"シートID {sheet.pk} は{format_fiscal_year(other.fy)}のシートです"
                f"（このファイルは{format_fiscal_year(cycle.fy)}）。別の年度のファイルから"
                "行を写していないか確認してください。"
            )
        preview.errors.append(UploadError(where, message))
        return False
    if allowed_departments is not None and sheet.department_id not in allowed_departments:
        owner = sheet.department.name if sheet.department_id else "企画担当"
        preview.errors.append(
            UploadError(
                where,
                f"シートID {sheet.pk}「{sheet_subject(sheet)}」は{owner}のシートです"
                f"（このファイルは{preview.department.name}の書き出し）。",
            )
        )
        return False
    if entry.place is None:
        for place in entry.other_rows or [entry.any_place]:
            preview.errors.append(
                UploadError(
                    str(place),
                    f"シートID {sheet.pk} の行がタブ「評価シート」にありません"
                    "（その行を削除した場合は、このシートの指標・コストの行も削除してください）。",
                )
            )
        return False
    return True


def _applicable(entry: SheetInput, sheet: EvaluationSheet, preview: Preview) -> dict[str, object]:
    """The values that belong to this sheet (and filled cells of blocks it lacks, to refuse)."""
    paths = {info.path for info in sheet_fields.sheet_paths(sheet)}
    indicator_ids = {indicator.pk for indicator in sheet.indicators.all()}
    cost_kinds = {line.kind for line in sheet.costs.all()} if sheet.has_block("cost") else set()
    for indicator_id, place in entry.indicator_rows.items():
        if indicator_id not in indicator_ids or not sheet.has_block("indicators"):
            preview.errors.append(
                UploadError(
                    str(place),
                    f"指標ID {indicator_id} はシートID {sheet.pk} の指標ではありません"
                    "（指標の追加・削除は評価シートの画面で行ってください）。",
                )
            )
    for kind, place in entry.cost_rows.items():
        if kind not in cost_kinds:
            preview.errors.append(
                UploadError(
                    str(place),
                    f"シートID {sheet.pk} に「{CostKind(kind).label}」のコスト欄はありません。",
                )
            )
    raw = {}
    for path, value in entry.values.items():
        parts = path.split(".")
        if parts[0] == "indicator" and int(parts[1]) not in indicator_ids:
            continue  # reported once for the row above
        if parts[0] == "cost" and parts[1] not in cost_kinds:
            continue
        # The workbook has a column for every block; a blank cell of a block this sheet's
        # template leaves out is no value. A filled one goes on: sheet_parse refuses it.
        if path in paths or not is_empty(value):
            raw[path] = value
    return raw


def _compare(entry: SheetInput, sheet: EvaluationSheet, preview: Preview, *, user) -> None:
    raw = _applicable(entry, sheet, preview)
    try:
        _merged, changes, warnings = sheet_parse(sheet=sheet, raw=raw, today=preview.today)
    except SheetValidationError as exc:
        for path, message in exc.errors.items():
            preview.errors.append(
                UploadError(str(entry.places.get(path, entry.any_place)), message)
            )
        return
    if not changes:
        return
    for path, message in warnings.items():
        if path in changes:  # notes on values the file leaves as they were are old news
            place = entry.places.get(path, entry.any_place)
            preview.warnings.append(UploadError(str(place), message))
    if not can_edit(user=user, sheet=sheet):
        _refuse(entry, sheet, changes, preview, user=user)
        return
    labels = _labels(sheet)
    preview.sheets.append(
        SheetChange(
            sheet=sheet,
            expected_version=entry.version,
            raw={path: raw[path] for path in changes},
            places={path: entry.places[path] for path in changes if path in entry.places},
            place=entry.place,
            version_place=entry.version_place,
            changes=[
                FieldChange(
                    path=path,
                    label=labels.get(path, path),
                    where=str(entry.places.get(path, "")),
                    old=_shown(sheet, path, old),
                    new=_shown(sheet, path, new),
                )
                for path, (old, new) in changes.items()
            ],
        )
    )


def _refuse(entry: SheetInput, sheet: EvaluationSheet, changes: dict, preview: Preview, *, user):
    """Changed values of a sheet the user may not change: one error per row of the file."""
    if not sheet.is_editable_stage:
        editable = "・".join(str(Stage(stage).label) for stage in sorted(Stage.editable()))
        reason = (
            f"「{sheet.get_stage_display()}」のシートは変更できません"
            f"（変更できるのは{editable}のシートだけです）。"
        )
    elif not is_editor_of(user=user, sheet=sheet):
        owner = sheet.department.name if sheet.department_id else "企画担当"
        reason = f"このシートを編集する権限がありません（{owner}のシートです）。"
    else:
        reason = "このシートは変更できません。"
    by_row: dict[tuple, list[Place]] = {}
    for path in changes:
        place = entry.places.get(path)
        if place is None:
            continue
        key = (place.tab, place.row, place.json_path.rsplit(".", 1)[0] if place.json_path else "")
        by_row.setdefault(key, []).append(place)
    for places in by_row.values():
        preview.errors.append(UploadError(places_text(places), reason))


def _labels(sheet: EvaluationSheet) -> dict[str, str]:
    labels = {info.path: info.label for info in sheet_fields.sheet_paths(sheet)}
    for indicator in sheet.indicators.all():
        for name in sheet_fields.INDICATOR_FIELDS:
            field_label = Indicator._meta.get_field(name).verbose_name
            labels[f"indicator.{indicator.pk}.{name}"] = f"指標「{indicator.name}」：{field_label}"
    return labels


def _shown(sheet: EvaluationSheet, path: str, text) -> str:
    value = display_value(sheet, path, text)
    return EMPTY if value is None or value == "" else str(value)

"""Saving a previewed sheet workbook: every sheet's changes, or none at all.

Each sheet goes through ``services.sheets.sheet_update`` with the version from the file as
``expected_version`` and the file's format as ``source``, so the permission rule, the stale-file
refusal, the checks and the history are the ones of the sheet form. All sheets are saved in
one transaction; every refusal is collected, and if there is any the whole upload is rolled back.
"""

from dataclasses import dataclass, field

from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, transaction
from django.utils import timezone

from hoshin.audit.services import audit_record
from hoshin.evaluations.bulk.errors import UploadError
from hoshin.evaluations.bulk.preview import Preview, SheetChange
from hoshin.evaluations.bulk.readers import check_upload_size
from hoshin.evaluations.models import EvaluationCycle, SheetUpload
from hoshin.evaluations.services.errors import (
    SheetConflictError,
    SheetPermissionError,
    SheetValidationError,
)
from hoshin.evaluations.services.sheets import SaveResult, sheet_update


class BulkApplyError(Exception):
    """Nothing was saved; ``errors`` lists every reason, each at its place in the file."""

    def __init__(self, errors: list[UploadError]):
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))


@dataclass
class ApplyResult:
    results: list[SaveResult] = field(default_factory=list)

    @property
    def sheets(self) -> int:
        return sum(1 for result in self.results if result.changes)

    @property
    def fields(self) -> int:
        return sum(len(result.changes) for result in self.results)


def upload_apply(*, preview: Preview, by, upload: SheetUpload | None = None) -> ApplyResult:
    """Save every change of ``preview`` as ``by``, all or nothing (BulkApplyError lists why not)."""
    if preview.errors:
        raise BulkApplyError(preview.errors)
    result = ApplyResult()
    with transaction.atomic():
        if upload is not None:
            upload = SheetUpload.objects.select_for_update().get(pk=upload.pk)
            if upload.created_by_id != getattr(by, "pk", None):
                # An upload may hold any sheet of its sender's departments: only they apply it.
                raise SheetPermissionError("他の職員が登録した取込は反映できません。")
            if upload.status != SheetUpload.Status.PREVIEWED:
                raise BulkApplyError(
                    [
                        UploadError(
                            "", f"この取込は既に処理済みです（{upload.get_status_display()}）。"
                        )
                    ]
                )
        errors: list[UploadError] = []
        for item in preview.sheets:
            try:
                result.results.append(
                    sheet_update(
                        sheet=item.sheet,
                        by=by,
                        raw=item.raw,
                        expected_version=item.expected_version,
                        source=preview.source,
                        today=preview.today,
                    )
                )
            except (
                SheetConflictError,
                SheetPermissionError,
                SheetValidationError,
                DatabaseError,
            ) as exc:
                # sheet_update runs in its own savepoint: the outer transaction goes on, so that
                # every sheet is tried and every refusal reported.
                errors += _errors_of(item, exc)
        if errors:
            raise BulkApplyError(errors)  # leaves the atomic block: everything rolls back
        if upload is not None:
            upload.status = SheetUpload.Status.APPLIED
            upload.applied_at = timezone.now()
            upload.applied_sheets = result.sheets
            upload.applied_fields = result.fields
            upload.save(update_fields=["status", "applied_at", "applied_sheets", "applied_fields"])
        audit_record(
            actor=by,
            verb="sheets.bulk_apply",
            target=upload if upload is not None else preview.cycle,
            summary=(
                f"{preview.filename} を取り込み、評価シート {result.sheets} 件"
                f"（{result.fields} 項目）を更新"
            ),
            data={
                "cycle": preview.cycle.pk if preview.cycle else None,
                "format": preview.format_name,
                "sheets": [r.sheet.pk for r in result.results if r.changes],
            },
        )
    return result


def _errors_of(item: SheetChange, exc: Exception) -> list[UploadError]:
    where = str(item.place or "")
    if isinstance(exc, SheetValidationError):
        return [
            UploadError(str(item.places.get(path, where)), message)
            for path, message in exc.errors.items()
        ]
    if isinstance(exc, SheetConflictError):
        return [UploadError(str(item.version_place or where), f"{item.label}: {exc}")]
    if isinstance(exc, SheetPermissionError):
        return [UploadError(where, f"{item.label}: {exc}")]
    return [UploadError(where, f"{item.label}: データベースに書き込めませんでした（{exc}）。")]


@transaction.atomic
def sheet_upload_store(
    *, uploaded_file: UploadedFile, cycle: EvaluationCycle | None, by
) -> SheetUpload:
    """Keep an uploaded workbook until its preview is applied (BulkFormatError if too large)."""
    check_upload_size(uploaded_file.size)
    upload = SheetUpload(original_name=uploaded_file.name[:300], cycle=cycle, created_by=by)
    upload.file.save(uploaded_file.name, uploaded_file, save=False)
    upload.save()
    audit_record(
        actor=by,
        verb="sheets.bulk_upload",
        target=upload,
        summary=f"評価シートのファイル「{upload.original_name}」を取込のため登録",
        data={"cycle": cycle.pk if cycle else None},
    )
    return upload


def sheet_upload_bytes(*, upload: SheetUpload) -> bytes:
    """The stored file's content (OSError if the file has gone)."""
    with upload.file.open("rb") as stored:
        return stored.read()

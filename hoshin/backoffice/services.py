"""The back office's two-step plan import: keep the uploaded file, then apply it once confirmed.

Parsing and writing the plan are ``hoshin.plans.formats`` and ``hoshin.plans.services``; this
module only adds the PlanImport row that carries the file between the preview and the confirm.
"""

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from hoshin.audit.services import audit_record
from hoshin.org.models import User
from hoshin.org.roles import is_planning_office
from hoshin.plans import services as plan_services
from hoshin.plans.formats.base import ParsedPlan
from hoshin.plans.formats.detect import parse_plan_file
from hoshin.plans.models import PlanImport
from hoshin.plans.services import ImportSummary, PlanImportError


@transaction.atomic
def plan_import_upload(
    *, uploaded_file: UploadedFile, plan_name: str, create_departments: bool, by: User
) -> PlanImport:
    """Store an uploaded (already parsed and accepted) plan file for preview."""
    if not is_planning_office(user=by):
        raise PermissionDenied("計画の取込は企画担当だけが行えます。")
    entry = PlanImport(
        original_name=uploaded_file.name[:300],
        plan_name=plan_name.strip(),
        create_departments=create_departments,
        created_by=by,
    )
    entry.file.save(uploaded_file.name, uploaded_file, save=False)
    entry.save()
    audit_record(
        actor=by,
        verb="plan_import.upload",
        target=entry,
        summary=f"計画ファイル「{entry.original_name}」を取込のため登録",
        data={"plan_name": entry.plan_name},
    )
    return entry


def plan_import_parse(*, plan_import: PlanImport) -> ParsedPlan:
    """Parse the stored file again (PlanFormatError if it can no longer be read)."""
    with plan_import.file.open("rb") as stored:
        data = stored.read()
    return parse_plan_file(data, plan_import.original_name)


@transaction.atomic
def plan_import_apply(
    *, plan_import: PlanImport, replace: bool, create_departments: bool, by: User
) -> ImportSummary:
    """Write the previewed plan (all or nothing) and mark the import applied."""
    entry = PlanImport.objects.select_for_update().get(pk=plan_import.pk)
    if entry.status != PlanImport.Status.PREVIEWED:
        # details=[] explicitly: PlanImportError.__init__ fails on the default None.
        raise PlanImportError(
            f"この取込は既に処理済みです（{entry.get_status_display()}）。", details=[]
        )
    parsed = plan_import_parse(plan_import=entry)
    summary = plan_services.plan_import(
        parsed=parsed,
        name=entry.plan_name,
        by=by,
        create_departments=create_departments,
        replace=replace,
        source_filename=entry.original_name,
    )
    entry.status = PlanImport.Status.APPLIED
    entry.plan = summary.plan
    entry.create_departments = create_departments
    entry.save(update_fields=["status", "plan", "create_departments"])
    plan_import.refresh_from_db()
    return summary

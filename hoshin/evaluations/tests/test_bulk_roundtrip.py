"""The XLSX round trip: download → edit with openpyxl → upload → preview → apply → stale re-upload."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from hoshin.evaluations import bulk
from hoshin.evaluations.bulk import layout
from hoshin.evaluations.models import (
    CostLine,
    EvaluationSheet,
    Indicator,
    SheetRevision,
    SheetUpload,
)
from hoshin.evaluations.services.bulk import BulkApplyError, upload_apply
from hoshin.evaluations.tests.bulk_support import bulk_world, cell, load, save, state
from hoshin.evaluations.tests.factories import TODAY

pytestmark = pytest.mark.django_db

EXPECTED_PATHS = {
    "overall_grade",
    "future_direction",
    "viewpoint.necessity",
}


@pytest.fixture
def setup(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return bulk_world()


def edit(data: bytes, setup) -> bytes:
    """The edits of a department: grades of two sheets, an indicator's actual, a cost."""
    workbook = load(data)
    cell(workbook, layout.MAIN_TAB, setup.sheet.pk, "overall_grade").value = "A"
    cell(workbook, layout.MAIN_TAB, setup.sheet.pk, "future_direction").value = "拡充"
    cell(workbook, layout.MAIN_TAB, setup.shared.pk, "viewpoint.necessity").value = 3
    cell(
        workbook, layout.INDICATOR_TAB, setup.indicator.pk, "actual", id_key="indicator_id"
    ).value = 550
    cell(
        workbook, layout.COST_TAB, setup.sheet.pk, "national", kind="当年度決算（見込）"
    ).value = 2500
    return save(workbook)


def changed_paths(preview) -> dict[int, set[str]]:
    return {item.sheet.pk: {c.path for c in item.changes} for item in preview.sheets}


def assert_applied(setup):
    sheet = EvaluationSheet.objects.get(pk=setup.sheet.pk)
    assert (sheet.overall_grade, sheet.future_direction) == ("A", "expand")
    assert sheet.version == 4
    assert Indicator.objects.get(pk=setup.indicator.pk).actual == 550
    assert CostLine.objects.get(sheet=sheet, kind="actual").national == 2500
    shared = EvaluationSheet.objects.get(pk=setup.shared.pk)
    assert shared.viewpoint_scores == {"necessity": "3"} and shared.version == 2
    revision = SheetRevision.objects.get(sheet=sheet, version=4)
    assert revision.source == "xlsx" and revision.by == setup.editor
    assert revision.changes == {
        "overall_grade": ["B", "A"],
        "future_direction": ["continue", "expand"],
        f"indicator.{setup.indicator.pk}.actual": [None, "550"],
        "cost.actual.national": ["0", "2500"],
    }
    assert SheetRevision.objects.get(sheet=shared, version=2).source == "xlsx"


def test_round_trip_through_the_web_pages(setup):
    client = Client()
    client.force_login(setup.editor)
    response = client.get(
        reverse("evaluations:bulk_download"),
        {"cycle": setup.cycle.pk, "department": setup.bousai.pk, "file_format": "xlsx"},
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    edited = edit(response.content, setup)

    response = client.post(
        reverse("evaluations:bulk_upload"),
        {"cycle": setup.cycle.pk, "file": SimpleUploadedFile("sheets.xlsx", edited)},
    )
    upload = SheetUpload.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("evaluations:bulk_preview", args=[upload.pk])

    response = client.get(response.url)
    preview = response.context["preview"]
    assert preview.errors == []
    assert changed_paths(preview) == {
        setup.sheet.pk: {
            "overall_grade",
            "future_direction",
            f"indicator.{setup.indicator.pk}.actual",
            "cost.actual.national",
        },
        setup.shared.pk: {"viewpoint.necessity"},
    }
    page = response.content.decode()
    assert "評価シート!" in page and "拡充" in page and "この内容で反映する" in page
    change = next(c for c in preview.sheets[0].changes if c.path == "future_direction")
    assert (change.old, change.new, change.label) == ("継続", "拡充", "今後の方向性")
    assert change.where.startswith("評価シート!") and change.where.endswith("（今後の方向性）")

    response = client.post(reverse("evaluations:bulk_apply", args=[upload.pk]))
    assert response.status_code == 302 and response.url == reverse("evaluations:bulk")
    assert_applied(setup)
    upload.refresh_from_db()
    assert upload.status == SheetUpload.Status.APPLIED
    assert (upload.applied_sheets, upload.applied_fields) == (2, 5)

    # The same file again: the sheets have moved on since it was written.
    before = state()
    response = client.post(
        reverse("evaluations:bulk_upload"),
        {"cycle": setup.cycle.pk, "file": SimpleUploadedFile("sheets.xlsx", edited)},
    )
    again = SheetUpload.objects.exclude(pk=upload.pk).get()
    response = client.get(reverse("evaluations:bulk_preview", args=[again.pk]))
    errors = [str(e) for e in response.context["errors"]]
    assert any("書き出した後に" in e and "第3版" in e and "第4版" in e for e in errors)
    assert "この内容で反映する" not in response.content.decode()
    response = client.post(reverse("evaluations:bulk_apply", args=[again.pk]))
    assert response.status_code == 409
    assert state() == before
    # An applied upload cannot be applied twice either.
    response = client.post(reverse("evaluations:bulk_apply", args=[upload.pk]))
    assert response.status_code == 302 and state() == before


def test_round_trip_through_the_commands(setup, tmp_path):
    path = tmp_path / "sheets.xlsx"
    call_command(
        "export_sheets",
        plan=setup.plan.name,
        fy="令和7年度",
        department="地域防災対策室",
        format_name="xlsx",
        output=str(path),
    )
    path.write_bytes(edit(path.read_bytes(), setup))

    preview = bulk.read_upload(path.read_bytes(), path.name, user=setup.editor, today=TODAY)
    assert preview.errors == [] and len(preview.sheets) == 2

    call_command("import_sheets", str(path), user="editor", dry_run=True)
    assert EvaluationSheet.objects.get(pk=setup.sheet.pk).version == 3

    call_command("import_sheets", str(path), user="editor")
    assert_applied(setup)

    before = state()
    with pytest.raises(CommandError, match="書き出した後に"):
        call_command("import_sheets", str(path), user="editor")
    assert state() == before


def test_untouched_download_has_no_changes(setup):
    data = bulk.export_workbook(plan=setup.plan, fy=2025, department=setup.bousai)
    preview = bulk.read_upload(data, "sheets.xlsx", user=setup.editor, today=TODAY)
    assert preview.errors == [] and preview.sheets == []
    assert preview.sheet_count == 2
    data = bulk.export_json(plan=setup.plan, fy=2025)
    preview = bulk.read_upload(data, "sheets.json", user=setup.planner, today=TODAY)
    assert preview.errors == [] and preview.sheets == [] and preview.sheet_count == 4


def test_json_round_trip_records_source_json(setup, tmp_path):
    import json

    path = tmp_path / "sheets.json"
    # The editor's own department: a sheet they may not see is refused as not found (issue 10).
    call_command(
        "export_sheets",
        plan=setup.plan.name,
        fy="2025",
        department=setup.world.bousai.name,
        format_name="json",
        output=str(path),
    )
    document = json.loads(path.read_text(encoding="utf-8"))
    item = next(s for s in document["sheets"] if s["id"] == setup.sheet.pk)
    item["fields"]["overall_grade"] = "C"
    item["indicators"][0]["actual"] = "12.5"
    item["costs"]["next_budget"]["general"] = 900
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")

    call_command("import_sheets", str(path), user="editor")
    sheet = EvaluationSheet.objects.get(pk=setup.sheet.pk)
    assert sheet.overall_grade == "C"
    assert Indicator.objects.get(pk=setup.indicator.pk).actual == pytest.approx(12.5)
    assert CostLine.objects.get(sheet=sheet, kind="next_budget").general == 900
    assert sheet.revisions.first().source == "json"


def test_apply_is_all_or_nothing_when_a_sheet_changes_after_the_preview(setup):
    from hoshin.evaluations.services.sheets import sheet_update

    data = edit(bulk.export_workbook(plan=setup.plan, fy=2025, department=setup.bousai), setup)
    preview = bulk.read_upload(data, "sheets.xlsx", user=setup.editor, today=TODAY)
    assert preview.errors == [] and len(preview.sheets) == 2
    # Someone saves the second sheet in the form between the preview and the apply.
    sheet_update(
        sheet=setup.shared,
        by=setup.editor,
        raw={"purpose_target": "自主防災組織"},
        expected_version=1,
        today=TODAY,
    )
    before = state()
    with pytest.raises(BulkApplyError) as caught:
        upload_apply(preview=preview, by=setup.editor)
    assert state() == before  # the first sheet's save was rolled back too
    assert len(caught.value.errors) == 1
    assert f"シートID {setup.shared.pk}" in str(caught.value.errors[0])
    assert "評価シート!" in caught.value.errors[0].where

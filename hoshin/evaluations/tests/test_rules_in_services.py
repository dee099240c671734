"""Rules live in the services: every way in gets them, not only the page that used to check.

Each test calls the service directly, the way another caller (a command, a script, the API, a
future view) would, and shows the rule holds there (issue 9, "Rules in services").
"""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from hoshin.api.services import api_token_create
from hoshin.evaluations import bulk
from hoshin.evaluations.bulk.readers import read_file
from hoshin.evaluations.fields import TEXT_MAX_LENGTH
from hoshin.evaluations.models import EvaluationSheet, SheetUpload, Stage
from hoshin.evaluations.services.bulk import sheet_upload_store, upload_apply
from hoshin.evaluations.services.cycle import cycle_set_due_dates, fiscal_year_start
from hoshin.evaluations.services.errors import (
    SheetPermissionError,
    SheetValidationError,
    WorkflowError,
)
from hoshin.evaluations.services.sheets import sheet_update
from hoshin.evaluations.services.workflow import COMMENT_MAX_LENGTH, sheet_transition
from hoshin.evaluations.tests.factories import TODAY, make_world, open_year, sheet_of
from hoshin.evaluations.tests.stage_helpers import fill

pytestmark = pytest.mark.django_db

NO_PROGRESS = ["purpose", "indicators", "cost", "viewpoints"]


@pytest.fixture
def world():
    world = make_world()
    world.cycle = open_year(world)
    return world


@pytest.fixture
def sheet(world):
    return sheet_of(world.cycle, world.bousai_action)


def without_progress_block(sheet: EvaluationSheet) -> EvaluationSheet:
    """The sheet as if frozen from a template without 進捗状況・効果額 (a comprehensive plan)."""
    sheet.scales = {**sheet.scales, "blocks": NO_PROGRESS}
    sheet.save(update_fields=["scales"])
    return EvaluationSheet.objects.get(pk=sheet.pk)


# ---- the block check: one place, every caller --------------------------------------------------


def test_service_refuses_a_value_of_a_block_the_template_leaves_out(world, sheet):
    sheet = without_progress_block(sheet)
    with pytest.raises(SheetValidationError) as refused:
        sheet_update(
            sheet=sheet,
            by=world.editor,
            raw={"activities": "説明会を開いた。", "progress_status": "取組中"},
            expected_version=sheet.version,
            today=TODAY,
        )
    assert set(refused.value.errors) == {"progress_status"}
    message = str(refused.value)
    assert message.startswith("進捗状況: ")  # names the field, not only its path
    assert "「進捗状況・効果額（行財政改革）」の欄がない" in message
    sheet.refresh_from_db()
    assert sheet.version == 1 and sheet.progress_status == "" and sheet.activities == ""


def test_the_same_value_is_accepted_where_the_template_has_the_block(world, sheet):
    result = sheet_update(
        sheet=sheet,
        by=world.editor,
        raw={"progress_status": "取組中"},
        expected_version=sheet.version,
        today=TODAY,
    )
    assert result.changes == {"progress_status": ["", "in_progress"]}


def test_api_gets_the_services_refusal_naming_the_field(world, sheet):
    sheet = without_progress_block(sheet)
    secret = api_token_create(user=world.editor, name="test").secret
    response = Client().patch(
        f"/api/v1/staff/sheets/{sheet.pk}",
        data=json.dumps({"version": 1, "changes": {"effect_savings": "100"}}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 422
    body = response.json()
    (error,) = body["errors"]
    assert error["param"] == "effect_savings"
    assert error["message"] == (
        "効果額（歳出削減・千円）: このシートの様式には「進捗状況・効果額（行財政改革）」の欄が"
        "ないため、入力できません。"
    )
    assert EvaluationSheet.objects.get(pk=sheet.pk).version == 1


def test_json_upload_gets_the_services_refusal(world, sheet):
    sheet = without_progress_block(sheet)
    data = json.loads(bulk.export_json(plan=world.plan, fy=2025, department=world.bousai))
    entry = next(s for s in data["sheets"] if s["id"] == sheet.pk)
    entry["fields"]["progress_status"] = "取組中"
    preview = bulk.read_upload(
        json.dumps(data).encode(), "sheets.json", user=world.editor, today=TODAY
    )
    assert any("欄がないため、入力できません" in str(error) for error in preview.errors)


def test_a_forged_form_post_of_a_hidden_field_stores_nothing(world, sheet):
    sheet = without_progress_block(sheet)
    client = Client()
    client.force_login(world.editor)
    response = client.post(
        reverse("evaluations:sheet_autosave", args=[sheet.pk]),
        {"version": "1", "progress_status": "取組中"},
    )
    assert response.status_code == 200  # the form reads only the fields its page shows
    assert EvaluationSheet.objects.get(pk=sheet.pk).progress_status == ""


# ---- lengths -------------------------------------------------------------------------------------


def test_free_text_has_one_limit_for_every_caller(world, sheet):
    with pytest.raises(SheetValidationError) as refused:
        sheet_update(
            sheet=sheet,
            by=world.editor,
            raw={"activities": "あ" * (TEXT_MAX_LENGTH + 1)},
            expected_version=sheet.version,
            today=TODAY,
        )
    assert f"上限{TEXT_MAX_LENGTH}文字" in refused.value.errors["activities"]


def test_transition_comment_length_and_control_characters_are_the_services(world, sheet):
    sheet = fill(world, sheet)
    sheet = sheet_transition(sheet=sheet, by=world.editor, name="submit")
    with pytest.raises(WorkflowError, match=f"{COMMENT_MAX_LENGTH:,}文字以内"):
        sheet_transition(
            sheet=sheet,
            by=world.head,
            name="return_to_editor",
            comment="x" * (COMMENT_MAX_LENGTH + 1),
        )
    sheet = sheet_transition(sheet=sheet, by=world.head, name="approve")
    with pytest.raises(WorkflowError, match="制御文字"):
        sheet_transition(
            sheet=sheet, by=world.planner, name="finalize", review_comment="良好\x00です"
        )
    assert EvaluationSheet.objects.get(pk=sheet.pk).stage == Stage.APPROVED


# ---- the bulk round trip ---------------------------------------------------------------------


def test_upload_size_limit_holds_for_the_store_and_the_reader(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SHEET_UPLOAD_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("sheets.json", b"{" + b" " * (1024 * 1024) + b"}")
    with pytest.raises(bulk.BulkFormatError, match="上限 1 MB"):
        sheet_upload_store(uploaded_file=big, cycle=world.cycle, by=world.editor)
    with pytest.raises(bulk.BulkFormatError, match="上限 1 MB"):
        read_file(big.read(), "sheets.json")
    assert not SheetUpload.objects.exists()


def test_only_the_sender_applies_an_upload(world, sheet, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    data = bulk.export_json(plan=world.plan, fy=2025, department=world.bousai)
    upload = sheet_upload_store(
        uploaded_file=SimpleUploadedFile("sheets.json", data), cycle=world.cycle, by=world.editor
    )
    second_editor = world.head  # same department, but not the sender
    preview = bulk.read_upload(data, "sheets.json", user=second_editor, today=TODAY)
    with pytest.raises(SheetPermissionError):
        upload_apply(preview=preview, by=second_editor, upload=upload)
    upload.refresh_from_db()
    assert upload.status == SheetUpload.Status.PREVIEWED


def test_a_download_holds_only_the_users_departments(world):
    with pytest.raises(SheetPermissionError):
        bulk.export_json(plan=world.plan, fy=2025, department=world.zaisei, user=world.editor)
    with pytest.raises(SheetPermissionError):  # every department at once: planners only
        bulk.export_workbook(plan=world.plan, fy=2025, department=None, user=world.editor)
    own = json.loads(
        bulk.export_json(plan=world.plan, fy=2025, department=world.bousai, user=world.editor)
    )
    assert own["sheets"]
    everything = json.loads(bulk.export_json(plan=world.plan, fy=2025, user=world.planner))
    assert len(everything["sheets"]) > len(own["sheets"])


# ---- the planning office's year ----------------------------------------------------------------


def test_only_the_planning_office_sets_due_dates(world):
    for user in (world.editor, world.head, world.viewer):
        with pytest.raises(PermissionDenied):
            cycle_set_due_dates(
                cycle=world.cycle, by=user, submit_due=None, approve_due=None, review_due=None
            )


def test_only_the_planning_office_opens_a_year(world):
    with pytest.raises(PermissionDenied):
        fiscal_year_start(plan=world.plan, fy=2026, by=world.editor, today=TODAY)
    assert not world.plan.evaluation_cycles.filter(fy=2026).exists()
    # The command without --user (the operator) and the planning office may.
    assert fiscal_year_start(plan=world.plan, fy=2026, by=None, today=TODAY).cycle.fy == 2026

"""Issue 10, finding 1 (the bulk-upload oracle): a sheet the uploader may not see behaves exactly
like a sheet id that does not exist — same message, same preview page, no version, no editor
names, no stage — through the real upload and preview pages and through ``import_sheets``.

Each test here failed before the fix: a right guess got 「提出済み…」のシートは変更できません,
「…は財政課のシートです」 or, with ``version: 999``, the current version and the editors' names.
"""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from conftest import shared_data
from hoshin.evaluations import bulk
from hoshin.evaluations.models import EvaluationSheet, SheetRevision, Stage
from hoshin.evaluations.tests.bulk_support import bulk_world, state

pytestmark = pytest.mark.django_db

SECRET_EDITOR = "other_editor"  # the 財政課 editor whose name must not leak


@shared_data
def oracle_data():
    world = bulk_world()
    # 財政課's own sheet, submitted and edited twice by its editor: what the attacker probes.
    target = world.zaisei
    EvaluationSheet.objects.filter(pk=target.pk).update(stage=Stage.SUBMITTED, version=3)
    for version in (2, 3):
        SheetRevision.objects.create(
            sheet=target, version=version, by=world.other_editor, changes={"overall_grade": "A"}
        )
    return world


@pytest.fixture
def setup(settings, tmp_path, oracle_data):
    settings.MEDIA_ROOT = tmp_path / "media"
    return oracle_data


def crafted_file(setup, sheet_id: int, *, version: int, department) -> bytes:
    """The uploader's own download, with the department changed and a guessed row added."""
    document = json.loads(bulk.export_json(plan=setup.plan, fy=2025, department=setup.bousai))
    document["department"]["id"] = department.pk
    document["sheets"].append(
        {"id": sheet_id, "version": version, "fields": {"overall_grade": "A"}}
    )
    return json.dumps(document, ensure_ascii=False).encode()


def missing_id() -> int:
    return EvaluationSheet.objects.order_by("-pk").first().pk + 1000


def preview_page(client: Client, setup, data: bytes) -> str:
    """Upload through /staff/sheets/bulk/upload/ and render the preview, as the attacker does."""
    response = client.post(
        reverse("evaluations:bulk_upload"),
        {"cycle": setup.cycle.pk, "file": SimpleUploadedFile("sheets.json", data)},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(response.url).content.decode()
    # What must differ between two uploads: the CSRF token, the upload's id and time, the guess.
    page = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+\d:]*|\d+:\d\d", "T", page)
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
    page = re.sub(r"/sheets/bulk/uploads/\d+/", "/sheets/bulk/uploads/N/", page)
    return re.sub(r"シートID \d+", "シートID N", page)


@pytest.mark.parametrize("who", ["editor", "committee"])
@pytest.mark.parametrize("version", [2, 3, 999])
@pytest.mark.parametrize("department", ["zaisei", "bousai"])
def test_a_right_guess_renders_the_same_page_as_a_wrong_one(setup, who, version, department):
    client = Client()
    client.force_login(getattr(setup, who))
    file_department = getattr(setup.world, department)  # setup.zaisei is 財政課's sheet
    before = state()
    right = preview_page(
        client,
        setup,
        crafted_file(setup, setup.zaisei.pk, version=version, department=file_department),
    )
    wrong = preview_page(
        client,
        setup,
        crafted_file(setup, missing_id(), version=version, department=file_department),
    )
    assert right == wrong
    assert "シートID N のシートはありません" in right, re.sub(
        r"\s+", " ", re.sub(r"<[^>]+>", " ", right)
    )[-3000:]
    for leak in ("提出済み", "財政課のシート", "第3版", str(setup.other_editor), "長期財政計画"):
        assert leak not in right
    assert state() == before


def test_import_sheets_gives_the_same_answer(setup, tmp_path):
    answers = []
    for sheet_id in (setup.zaisei.pk, missing_id()):
        path = tmp_path / "sheets.json"
        path.write_bytes(crafted_file(setup, sheet_id, version=999, department=setup.world.zaisei))
        with pytest.raises(CommandError) as error:
            call_command("import_sheets", str(path), "--user", "editor", "--dry-run")
        answers.append(re.sub(r"シートID \d+", "シートID N", str(error.value)))
    assert answers[0] == answers[1]
    assert "シートID N のシートはありません" in answers[0]


def test_a_visible_sheet_still_gets_its_reason(setup):
    """The fix hides what the user may not see, not what they may: the planner sees the stage."""
    client = Client()
    client.force_login(setup.planner)
    page = preview_page(
        client,
        setup,
        crafted_file(setup, setup.zaisei.pk, version=3, department=setup.world.zaisei),
    )
    assert "提出済み" in page

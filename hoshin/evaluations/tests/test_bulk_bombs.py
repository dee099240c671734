"""Issue 10, finding 2 (spreadsheet bombs) and the nested-JSON RecursionError, on the sheet
workbook: each hand-made bomb is refused through the real upload page and ``import_sheets``,
quickly, with the message of the bounded reading policy, and nothing is stored."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from conftest import shared_data
from hoshin.evaluations import bulk
from hoshin.evaluations.models import SheetUpload
from hoshin.evaluations.tests.bulk_support import bulk_world
from hoshin.lib.tests import bombs

pytestmark = pytest.mark.django_db

FAST = 4.0  # seconds, the whole request (before: 13.5 s, 228 s, or out of memory); shared CPUs
BOMBS = {
    **{name: (build, "sheets.xlsx") for name, build in bombs.BOMBS.items()},
    "100,000 nested brackets": (bombs.nested_json, "sheets.json"),
}
REASONS = {
    "merge A1000:XFD1015": "の列数が上限を超えています（16,384、上限 500）",
    "merge A1000:XFD1048576": "の行数が上限を超えています（1,048,576、上限 20,000）",
    "dimension A1:XFD1048576": "の行数が上限を超えています（1,048,576、上限 20,000）",
    "2 million plain cells": "セルの数（使われている範囲の行数×列数、シートの合計）が上限を超えています",
    "zip bomb": "展開後のサイズ（バイト）が上限を超えています",
    "entity bomb": "XML に DTD・実体宣言があります",
    "100,000 nested brackets": "JSON の入れ子が深すぎます（1行目で65段、上限 64段）",
}


@shared_data
def bomb_world():
    return bulk_world()


@pytest.fixture
def setup(settings, tmp_path, bomb_world):
    settings.MEDIA_ROOT = tmp_path / "media"
    return bomb_world


@pytest.mark.parametrize("name", list(BOMBS))
def test_the_upload_page_refuses_each_bomb_quickly(setup, name):
    build, filename = BOMBS[name]
    data = build()
    client = Client()
    client.force_login(setup.editor)
    # The first request of a process loads templates, catalogues and openpyxl: not the bomb's cost.
    client.post(
        reverse("evaluations:bulk_upload"),
        {"cycle": setup.cycle.pk, "file": SimpleUploadedFile("x.xlsx", bombs.dimension_bomb())},
    )
    started = time.perf_counter()
    response = client.post(
        reverse("evaluations:bulk_upload"),
        {"cycle": setup.cycle.pk, "file": SimpleUploadedFile(filename, data)},
    )
    elapsed = time.perf_counter() - started
    assert response.status_code == 400
    assert REASONS[name] in response.content.decode()
    assert not SheetUpload.objects.exists()
    assert elapsed < FAST, f"{name}: {elapsed:.2f} s"


@pytest.mark.parametrize("name", list(BOMBS))
def test_import_sheets_refuses_each_bomb_quickly(setup, name, tmp_path):
    build, filename = BOMBS[name]
    path = tmp_path / filename
    path.write_bytes(build())
    started = time.perf_counter()
    with pytest.raises(CommandError, match=REASONS[name].replace("（", ".").replace("）", ".")):
        call_command("import_sheets", str(path), "--user", "editor", "--dry-run")
    assert time.perf_counter() - started < FAST


def test_a_stored_bomb_is_refused_again_by_the_preview(setup):
    """An upload kept from before the limits (or with lower limits since) cannot hang the preview."""
    with pytest.raises(bulk.BulkFormatError, match="上限を超えています"):
        bulk.read_upload(bombs.merge_bomb(), "sheets.xlsx", user=setup.editor)

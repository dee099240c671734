"""Issue 10, finding 2 ("the plan import reads files the same way") and the nested-JSON
RecursionError, on the plan import: every hand-made bomb is refused through the back office's
upload and ``import_plan``, quickly, with the reading policy's message; nothing is stored."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from hoshin.lib.tests import bombs
from hoshin.plans.models import Plan, PlanImport

pytestmark = pytest.mark.django_db

FAST = 4.0  # seconds for the whole request (shared CPUs; before: minutes or out of memory)
BOMBS = {
    **{name: (build, "plan.xlsx") for name, build in bombs.BOMBS.items()},
    "100,000 nested brackets": (lambda: b'{"nodes": ' + bombs.nested_json()[11:], "plan.json"),
    "30,000 CSV rows": (
        lambda: "大項目,取組名,実施内容,担当課\r\n".encode() + b"a,b,c,d\r\n" * 30_000,
        "plan.csv",
    ),
    "30,000 text lines": (lambda: "1 市民参画\n".encode() * 30_000, "plan.txt"),
}
REASONS = {
    "merge A1000:XFD1015": "の列数が上限を超えています（16,384、上限 500）",
    "merge A1000:XFD1048576": "の行数が上限を超えています（1,048,576、上限 20,000）",
    "dimension A1:XFD1048576": "の行数が上限を超えています（1,048,576、上限 20,000）",
    "2 million plain cells": "セルの数（使われている範囲の行数×列数、シートの合計）が上限を超えています",
    "zip bomb": "展開後のサイズ（バイト）が上限を超えています",
    "entity bomb": "XML に DTD・実体宣言があります",
    "100,000 nested brackets": "JSON の入れ子が深すぎます",
    "30,000 CSV rows": "CSV の行数が上限を超えています（20,001、上限 20,000）",
    "30,000 text lines": "行数が上限を超えています（30,001、上限 20,000）",
}


@pytest.mark.parametrize("name", list(BOMBS))
def test_the_back_office_import_refuses_each_bomb_quickly(
    client, planner, settings, tmp_path, name
):
    settings.MEDIA_ROOT = tmp_path
    build, filename = BOMBS[name]
    data = build()
    client.force_login(planner)
    url = reverse("backoffice:plan_import")
    client.post(
        url, {"file": SimpleUploadedFile("x.xlsx", bombs.dimension_bomb()), "plan_name": ""}
    )
    started = time.perf_counter()
    response = client.post(url, {"file": SimpleUploadedFile(filename, data), "plan_name": ""})
    elapsed = time.perf_counter() - started
    assert response.status_code == 200  # the form again, with the error
    assert REASONS[name] in response.content.decode()
    assert not PlanImport.objects.exists() and not Plan.objects.exists()
    assert elapsed < FAST, f"{name}: {elapsed:.2f} s"


@pytest.mark.parametrize("name", list(BOMBS))
def test_import_plan_refuses_each_bomb_quickly(tmp_path, name):
    build, filename = BOMBS[name]
    path = tmp_path / filename
    path.write_bytes(build())
    started = time.perf_counter()
    with pytest.raises(CommandError) as caught:
        call_command("import_plan", str(path), "--plan", "爆弾", "--dry-run")
    assert REASONS[name] in str(caught.value)
    assert time.perf_counter() - started < FAST
    assert not Plan.objects.exists()

"""export_sheets and import_sheets: the contract of their options and their messages."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hoshin.evaluations.bulk import layout
from hoshin.evaluations.models import EvaluationSheet
from hoshin.evaluations.tests.bulk_support import bulk_world, cell, load, save, state

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    return bulk_world()


def export(setup, tmp_path, *extra, name="sheets.xlsx") -> tuple:
    path = tmp_path / name
    out = io.StringIO()
    call_command(
        "export_sheets",
        "--plan",
        setup.plan.name,
        *extra,
        "--output",
        str(path),
        stdout=out,
    )
    return path, out.getvalue()


@pytest.mark.parametrize("year", ["2025", "令和7年度", "R7", "２０２５年度"])
def test_export_accepts_the_year_in_either_form(setup, tmp_path, year):
    path, out = export(setup, tmp_path, "--fy", year, "--format", "xlsx")
    assert "令和7年度（2025年度）（全部署）" in out
    workbook = load(path.read_bytes())
    assert workbook[layout.MAIN_TAB].max_row == 2 + 4


def test_export_one_department_as_json(setup, tmp_path):
    path, _ = export(
        setup, tmp_path, "--fy", "2025", "--department", "財政課", "--format", "json", name="s.json"
    )
    document = json.loads(path.read_text(encoding="utf-8"))
    assert [s["id"] for s in document["sheets"]] == [setup.zaisei.pk]
    assert document["department"]["name"] == "財政課"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--plan", "ない計画", "--fy", "2025"], "計画「ない計画」はありません"),
        (["--fy", "来年"], "--fy: "),
        (["--fy", "2030"], "まだ開始していません"),
        (
            ["--fy", "2025", "--department", "観光課"],
            "部署「観光課」は令和7年度（2025年度）にありません",
        ),
    ],
)
def test_export_errors(setup, tmp_path, options, message):
    if "--plan" not in options:
        options = ["--plan", setup.plan.name, *options]
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call_command("export_sheets", *options, "--format", "xlsx", "--output", str(tmp_path / "x"))


def test_import_dry_run_lists_changes_and_saves_nothing(setup, tmp_path):
    path, _ = export(
        setup, tmp_path, "--fy", "2025", "--department", "地域防災対策室", "--format", "xlsx"
    )
    workbook = load(path.read_bytes())
    cell(workbook, layout.MAIN_TAB, setup.sheet.pk, "overall_grade").value = "A"
    path.write_bytes(save(workbook))
    before = state()
    out = io.StringIO()
    call_command("import_sheets", str(path), "--user", "editor", "--dry-run", stdout=out)
    text = out.getvalue()
    assert f"シートID {setup.sheet.pk}「ハザードマップを周知する。」（第3版）" in text
    assert "総合評価 [評価シート!" in text and ": B → A" in text
    assert "変更: シート 1 件、1 項目（変更なし 1 件）" in text
    assert "ドライラン" in text
    assert state() == before
    out = io.StringIO()
    call_command("import_sheets", str(path), "--user", "editor", stdout=out)
    assert "評価シート 1 件（1 項目）を更新しました。" in out.getvalue()
    assert EvaluationSheet.objects.get(pk=setup.sheet.pk).overall_grade == "A"


def test_import_errors_list_every_place_and_save_nothing(setup, tmp_path):
    # The editor's department only: other departments' rows would be "not found" (issue 10).
    path, _ = export(
        setup, tmp_path, "--fy", "2025", "--department", setup.world.bousai.name, "--format", "xlsx"
    )
    workbook = load(path.read_bytes())
    first = cell(workbook, layout.MAIN_TAB, setup.sheet.pk, "overall_grade")
    first.value = "E"
    second = cell(workbook, layout.COST_TAB, setup.sheet.pk, "general", kind="当年度予算")
    second.value = "abc"
    path.write_bytes(save(workbook))
    before = state()
    with pytest.raises(CommandError) as caught:
        call_command("import_sheets", str(path), "--user", "editor", stdout=io.StringIO())
    message = str(caught.value)
    assert "取り込めません（2件）。何も変更していません。" in message
    assert f"評価シート!{first.coordinate}（総合評価）: 「E」" in message
    assert f"コスト!{second.coordinate}（一般財源（千円））: 「abc」" in message
    assert state() == before


def test_import_as_a_user_without_rights(setup, tmp_path):
    path, _ = export(setup, tmp_path, "--fy", "2025", "--format", "xlsx")
    workbook = load(path.read_bytes())
    cell(workbook, layout.MAIN_TAB, setup.sheet.pk, "overall_grade").value = "A"
    path.write_bytes(save(workbook))
    before = state()
    with pytest.raises(CommandError, match="このシートを編集する権限がありません"):
        call_command("import_sheets", str(path), "--user", "head", stdout=io.StringIO())
    # Another department's editor may not even see the sheet: answered as a missing id.
    with pytest.raises(CommandError, match=f"シートID {setup.sheet.pk} のシートはありません"):
        call_command("import_sheets", str(path), "--user", "other_editor", stdout=io.StringIO())
    assert state() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.xlsx", "--user", "editor"], "ファイルを開けません"),
        (["{file}", "--user", "nobody"], "ユーザー「nobody」はいません"),
        (["{empty}", "--user", "editor"], "ファイルが空です"),
    ],
)
def test_import_file_and_user_errors(setup, tmp_path, args, message):
    good, _ = export(setup, tmp_path, "--fy", "2025", "--format", "xlsx")
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    args = [a.format(file=good, empty=empty) for a in args]
    if args[0] == "missing.xlsx":
        args[0] = str(tmp_path / "missing.xlsx")
    with pytest.raises(CommandError, match=message):
        call_command("import_sheets", *args, stdout=io.StringIO())

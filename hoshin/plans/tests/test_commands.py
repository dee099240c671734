"""import_plan and export_plan: dry run, summaries, errors without tracebacks, round trips."""

import io
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hoshin.audit.models import AuditEntry
from hoshin.org.models import Department
from hoshin.plans.exporters import export_csv
from hoshin.plans.models import Action, Plan
from hoshin.plans.selectors import plan_to_parsed
from hoshin.plans.services import plan_import
from hoshin.plans.tests.sample_plans import full_plan

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
REFORM_SEED_NAME = "001_93b4eaf820d612a8.txt"


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def reform_file(tmp_path, reform_seed_bytes) -> Path:
    path = tmp_path / REFORM_SEED_NAME
    path.write_bytes(reform_seed_bytes)
    return path


@pytest.fixture
def sample_csv(tmp_path) -> Path:
    path = tmp_path / "sample.csv"
    path.write_bytes(export_csv(full_plan()))
    return path


# --- import_plan


def test_dry_run_prints_the_tree_and_changes_nothing(sample_csv):
    output = run(
        "import_plan", str(sample_csv), "--plan", "見本", "--dry-run", "--create-departments"
    )
    assert "ドライラン" in output
    assert "柱 自立できる 自治体経営の推進" in output
    assert "\n  方策 方策1 開かれた市政を推進します" in output
    assert "\n    手法 手法1 広報・広聴の充実" in output
    assert "主な取組事項: (1) 広報活動の推進 見やすく親しみやすい広報紙を目指します。" in output
    assert "〔秘書課、①㈱髙﨑課、全庁〕" in output
    assert "主要事業: ★㈱との協働による配信①" in output
    assert "※PDCA マネジメントサイクル: Plan（計画）" in output
    assert "未登録: 秘書課（作成します）" in output
    assert "区分（部署ではない）: 全庁、関係各課など" in output
    assert "問題はありません" in output
    assert Plan.objects.count() == 0
    assert Department.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_dry_run_lists_skipped_lines_and_department_matches(reform_file):
    Department.objects.create(name="総務課", kind="ka")
    Department.objects.create(name="財政課", kind="ka")
    with pytest.raises(CommandError, match="部署マスタにない部署: 地域防災対策室") as info:
        out = io.StringIO()
        call_command("import_plan", str(reform_file), "--plan", "改革", "--dry-run", stdout=out)
    assert "--create-departments" in str(info.value)
    output = out.getvalue()
    assert "大項目 1 市民参画・市民協働の一層の推進" in output
    assert "一致: 総務課" in output
    assert "未登録: 地域防災対策室（--create-departments で作成）" in output
    assert "読み飛ばした行" in output
    assert Plan.objects.count() == 0


def test_dry_run_reports_ambiguous_departments(sample_csv):
    parent_a = Department.objects.create(name="総務部", kind="bu")
    parent_b = Department.objects.create(name="教育部", kind="bu")
    Department.objects.create(name="総務課", kind="ka", parent=parent_a)
    Department.objects.create(name="総務課", kind="ka", parent=parent_b)
    out = io.StringIO()
    with pytest.raises(CommandError, match="複数の部署に一致"):
        call_command(
            "import_plan", str(sample_csv), "--plan", "見本", "--dry-run",
            "--create-departments", stdout=out,
        )  # fmt: skip
    assert "複数に一致: 総務課 → 総務部総務課、教育部総務課" in out.getvalue()


def test_import_prints_a_summary_and_how_to_publish(sample_csv):
    output = run("import_plan", str(sample_csv), "--plan", "見本", "--create-departments")
    plan = Plan.objects.get(name="見本")
    assert not plan.is_published
    assert plan.source_filename == "sample.csv"
    assert "計画「見本」を取り込みました（sample.csv、形式: csv）" in output
    assert "節 7、主な取組事項 4、担当課 8、主要事業 2、注記 2" in output
    assert "作成した部署: 秘書課、①㈱髙﨑課" in output
    assert "まだ公開していません" in output and "--publish" in output


def test_replace_and_publish(sample_csv, reform_file):
    run("import_plan", str(sample_csv), "--plan", "見本", "--create-departments")
    with pytest.raises(CommandError, match="既にあります"):
        run("import_plan", str(reform_file), "--plan", "見本", "--create-departments")
    output = run(
        "import_plan", str(reform_file), "--plan", "見本", "--create-departments",
        "--replace", "--publish",
    )  # fmt: skip
    plan = Plan.objects.get(name="見本")
    assert plan.is_published
    assert plan.kind == "reform"
    assert "既存の計画を置き換えました" in output
    assert "公開しました" in output


def test_forced_format(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_bytes(export_csv(full_plan()))
    run("import_plan", str(path), "--plan", "見本", "--format", "csv", "--create-departments")
    assert Plan.objects.get().nodes.count() == 7
    with pytest.raises(CommandError, match="invalid choice"):
        run("import_plan", str(path), "--plan", "見本", "--format", "pdf")


def test_bad_file_names_file_and_place_and_changes_nothing(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes("大項目,取組名,実施内容,担当課\n1 柱,,,総務課\n".encode())
    with pytest.raises(CommandError) as info:
        run("import_plan", str(path), "--plan", "見本", "--create-departments")
    assert str(info.value).startswith(f"{path}:2行目 3列目(実施内容): 担当課が書かれていますが")
    assert Plan.objects.count() == 0
    assert Department.objects.count() == 0


def test_database_error_is_a_command_error(sample_csv, monkeypatch):
    from django.db import DataError

    def fail(**kwargs):
        raise DataError("value too long for type character varying(500)")

    monkeypatch.setattr("hoshin.plans.management.commands.import_plan.plan_import", fail)
    with pytest.raises(CommandError, match="データベースに書き込めませんでした（value too long"):
        run("import_plan", str(sample_csv), "--plan", "見本")


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="ファイルを開けません"):
        run("import_plan", str(tmp_path / "none.csv"), "--plan", "見本")
    with pytest.raises(CommandError, match="ファイルではありません"):
        run("import_plan", str(tmp_path), "--plan", "見本")


def test_file_over_the_limit_is_refused_before_reading(tmp_path, settings):
    settings.PLAN_IMPORT_MAX_BYTES = 1000
    path = tmp_path / "big.csv"
    path.write_bytes(b"x" * 1001)
    with pytest.raises(CommandError, match="ファイルが大きすぎます"):
        run("import_plan", str(path), "--plan", "見本")


def test_real_51_mb_file_is_refused_at_once(tmp_path, settings):
    # The one test with a real 51 MB file: the limit holds for a file on disk, and the command
    # refuses it from its size without reading it (written in 1 MB chunks, never in memory).
    settings.PLAN_IMPORT_MAX_BYTES = 50 * 1024 * 1024
    path = tmp_path / "huge.csv"
    chunk = ("1 柱,,,取組。,総務課\n" * 40000).encode()[: 1024 * 1024]
    with path.open("wb") as f:
        for _ in range(51):
            f.write(chunk)
    assert path.stat().st_size == 51 * 1024 * 1024
    started = time.perf_counter()
    try:
        with pytest.raises(CommandError) as info:
            run("import_plan", str(path), "--plan", "巨大")
        assert time.perf_counter() - started < 1.0
    finally:
        path.unlink()  # pytest keeps recent tmp_path directories; do not leave 51 MB behind
    assert "ファイルが大きすぎます（51.0 MB、上限 50 MB）" in str(info.value)
    assert Plan.objects.count() == 0


# --- export_plan


@pytest.fixture
def sample_plan() -> Plan:
    return plan_import(parsed=full_plan(), name="見本の計画", create_departments=True).plan


@pytest.mark.parametrize(
    ("format_name", "suffix", "encoding"),
    [("json", "json", None), ("csv", "csv", None), ("csv", "csv", "cp932"), ("xlsx", "xlsx", None)],
)
def test_export_then_import_by_command(sample_plan, tmp_path, format_name, suffix, encoding):
    path = tmp_path / f"plan.{suffix}"
    args = ["export_plan", "--plan", "見本の計画", "--format", format_name, "--output", str(path)]
    if encoding:
        args += ["--encoding", encoding]
    assert "書き出しました" in run(*args)
    run("import_plan", str(path), "--plan", "写し")
    copy_parsed = plan_to_parsed(plan=Plan.objects.get(name="写し"))
    assert copy_parsed == plan_to_parsed(plan=sample_plan)


def test_cp932_csv_export_is_shift_jis(sample_plan, tmp_path):
    path = tmp_path / "plan.csv"
    run("export_plan", "--plan", "見本の計画", "--format", "csv", "--output", str(path), "--encoding", "cp932")  # fmt: skip
    assert "①㈱髙﨑課".encode("cp932") in path.read_bytes()


def test_cp932_export_failure_is_a_command_error(sample_plan, tmp_path):
    Action.objects.filter(plan=sample_plan, title="広聴活動の充実").update(text="9時〜17時")
    with pytest.raises(CommandError, match=r"行目 6列目\(実施内容\).*〜"):
        run(
            "export_plan", "--plan", "見本の計画", "--format", "csv", "--encoding", "cp932",
            "--output", str(tmp_path / "x.csv"),
        )  # fmt: skip
    assert not (tmp_path / "x.csv").exists()


def test_json_export_to_stdout(sample_plan):
    document = json.loads(run("export_plan", "--plan", "見本の計画", "--format", "json"))
    assert document["plan"]["kind"] == "comprehensive"


def test_unknown_plan_lists_existing_names(sample_plan):
    with pytest.raises(CommandError) as info:
        run("export_plan", "--plan", "ない計画", "--format", "json")
    assert "計画「ない計画」はありません" in str(info.value)
    assert "見本の計画" in str(info.value)


def test_encoding_only_for_csv(sample_plan):
    with pytest.raises(CommandError, match="--format csv のときだけ"):
        run("export_plan", "--plan", "見本の計画", "--format", "json", "--encoding", "cp932")


# --- real processes: exit code and stderr as a shell user sees them


@pytest.fixture(scope="module")
def process_env(tmp_path_factory):
    """Environment for manage.py in a subprocess, on a migrated SQLite file of its own."""
    database = tmp_path_factory.mktemp("db") / "hoshin.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "PYTHONIOENCODING": "utf-8"}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    return env, database


def manage(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def table_counts(database: Path) -> tuple[int, int]:
    with sqlite3.connect(database) as connection:
        plans = connection.execute("select count(*) from plans_plan").fetchone()[0]
        departments = connection.execute("select count(*) from org_department").fetchone()[0]
    return plans, departments


def test_process_bad_file_exits_non_zero_with_message_and_no_traceback(process_env, tmp_path):
    env, database = process_env
    path = tmp_path / "bad.xlsx"
    path.write_bytes(b"not a workbook")
    before = table_counts(database)
    result = manage(env, "import_plan", str(path), "--plan", "壊れた計画", "--create-departments")
    assert result.returncode != 0
    assert f"{path}:" in result.stderr
    assert "Excel ブック（.xlsx）として読めません" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert table_counts(database) == before == (0, 0)


def test_process_unknown_departments_exit_non_zero_and_leave_database(process_env, reform_file):
    env, database = process_env
    result = manage(env, "import_plan", str(reform_file), "--plan", "改革")
    assert result.returncode != 0
    assert "部署マスタにない部署" in result.stderr
    assert "Traceback" not in result.stderr
    assert table_counts(database) == (0, 0)


def test_process_export_writes_bytes_to_stdout(process_env, reform_file):
    env, _ = process_env
    imported = manage(
        env, "import_plan", str(reform_file), "--plan", "改革", "--create-departments"
    )
    assert imported.returncode == 0, imported.stderr
    result = subprocess.run(
        [sys.executable, "manage.py", "export_plan", "--plan", "改革", "--format", "xlsx"],
        cwd=ROOT,
        env=env,
        capture_output=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b"PK\x03\x04")


@pytest.mark.django_db
def test_import_plan_sets_the_period_from_era_or_western_years(reform_seed_bytes, tmp_path):
    path = tmp_path / "reform.txt"
    path.write_bytes(reform_seed_bytes)
    call_command(
        "import_plan",
        str(path),
        "--plan",
        "期間つき",
        "--create-departments",
        "--start-fy",
        "令和5年度",
        "--end-fy",
        "2027",
        stdout=io.StringIO(),
    )
    plan = Plan.objects.get(name="期間つき")
    assert (plan.start_fy, plan.end_fy) == (2023, 2027)
    assert plan.period_label == "令和5年度（2023年度）～令和9年度（2027年度）"


@pytest.mark.django_db
def test_import_plan_refuses_an_unreadable_or_reversed_period(reform_seed_bytes, tmp_path):
    path = tmp_path / "reform.txt"
    path.write_bytes(reform_seed_bytes)
    with pytest.raises(CommandError, match="--start-fy: 「平成99年」は平成の期間"):
        call_command("import_plan", str(path), "--plan", "p", "--start-fy", "平成99年")
    with pytest.raises(CommandError, match="終了年度（2020）が開始年度（2023）より前"):
        call_command(
            "import_plan", str(path), "--plan", "p", "--start-fy", "R5", "--end-fy", "2020"
        )
    assert not Plan.objects.exists()

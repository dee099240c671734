"""Backups that restore (issue 10, "What to build" 5 and the bad input "a restore of a truncated
or tampered backup").

The demo data (what `make demo-data` loads, plus uploaded attachments) is seeded ONCE per module
into a database of its own, in a subprocess with its own DATABASE_URL and MEDIA_ROOT: SQLite
files in a temporary folder, or — when the suite runs on PostgreSQL (DATABASE_URL=postgres://…,
as `.ci/run` does) — fresh databases on the same server, so that the pg_dump/pg_restore path is
the one tested. Every step (seed, backup, restore) is a `manage.py` process, as an operator runs
it. The comparison of tables is done here, independently of the code under test.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import dj_database_url
import pytest
from django.conf import settings

from hoshin.jobs.backups import archive

BASE_DIR = Path(settings.BASE_DIR)
ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")

SEED = r"""
import django
django.setup()
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings
from hoshin.voices.models import CitizenVoice
from hoshin.voices.services.attachments import attachments_store, voice_attachments_add

SEEDS = "../shared/seeds"
REFORM = "第6次行財政改革大綱に基づく実施計画"
quiet = {"verbosity": 0, "stdout": open("/dev/null", "w")}
with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
    call_command("migrate", "--no-input", **quiet)
    for seed, plan in (("001_93b4eaf820d612a8.txt", REFORM),
                       ("000_78a06c49d3f23c0e.txt", "総合計画 自立できる自治体経営の推進")):
        call_command("import_plan", f"{SEEDS}/{seed}", "--plan", plan, "--create-departments",
                     "--publish", "--replace", **quiet)
    call_command("create_demo_users", **quiet)
    call_command("seed_demo_evaluations", "--plan", REFORM, **quiet)
    call_command("seed_demo_voices", "--plan", REFORM, **quiet)
    call_command("seed_demo_surveys", **quiet)
    call_command("search_rebuild", **quiet)
pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
for number, voice in enumerate(CitizenVoice.objects.order_by("pk")[:2]):
    uploads = [SimpleUploadedFile(f"写真{number}.pdf", pdf + bytes([number]) * 5000)]
    stored = attachments_store(uploads)
    with transaction.atomic():
        voice_attachments_add(voice=voice, stored=stored)
default_storage.save("plan-imports/2026/04/計画①髙﨑.txt", ContentFile("実施内容 担当課\n".encode()))
"""


class Databases:
    """Throw-away databases for the module: SQLite files, or databases on the PostgreSQL
    server the suite runs on."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.created: list[str] = []
        if ON_POSTGRESQL:
            self.base = dj_database_url.parse(os.environ["DATABASE_URL"])

    def url(self, name: str) -> str:
        if not ON_POSTGRESQL:
            return f"sqlite:///{self.folder / f'{name}.sqlite3'}"
        config = self.base
        auth = config["USER"] + (f":{config['PASSWORD']}" if config.get("PASSWORD") else "")
        return f"postgres://{auth}@{config['HOST']}:{config['PORT']}/{self._pg_name(name)}"

    def _pg_name(self, name: str) -> str:
        return f"hoshin_backup_{os.getpid()}_{name}"

    def _admin(self):
        import psycopg

        config = self.base
        return psycopg.connect(
            host=config["HOST"],
            port=config["PORT"],
            user=config["USER"],
            password=config.get("PASSWORD") or None,
            dbname=config["NAME"],
            autocommit=True,
        )

    def create(self, name: str) -> str:
        """An empty database; its URL."""
        if ON_POSTGRESQL:
            with self._admin() as admin:
                admin.execute(f'CREATE DATABASE "{self._pg_name(name)}" TEMPLATE template0')
            self.created.append(name)
        return self.url(name)

    def drop_all(self) -> None:
        if ON_POSTGRESQL:
            with self._admin() as admin:
                for name in self.created:
                    admin.execute(f'DROP DATABASE IF EXISTS "{self._pg_name(name)}" WITH (FORCE)')

    def contents(self, name: str, *, skip_verb: str | None = None) -> dict[str, tuple]:
        """Every table: (row count, SHA-256 of its sorted rows). ``skip_verb``: audit rows of
        that verb are left out (the restore appends one), and so is the chain head it moves —
        the restored chain is checked with ``audit_verify`` instead."""
        if ON_POSTGRESQL:
            import psycopg

            connect = lambda: psycopg.connect(self.url(name))  # noqa: E731
            list_sql = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        else:
            path = self.folder / f"{name}.sqlite3"
            if not path.exists():
                return {}
            connect = lambda: sqlite3.connect(f"file:{path}?mode=ro", uri=True)  # noqa: E731
            list_sql = "SELECT name FROM sqlite_master WHERE type = 'table'"
        result = {}
        connection = connect()
        try:
            tables = [row[0] for row in connection.execute(list_sql).fetchall()]
            for table in tables:
                if table == "audit_auditchainhead" and skip_verb:
                    continue
                sql = f'SELECT * FROM "{table}"'
                if table == "audit_auditentry" and skip_verb:
                    sql += f" WHERE verb <> '{skip_verb}'"
                if table == "sqlite_sequence":  # the restore's audit entry moves its counter
                    sql += " WHERE name <> 'audit_auditentry'"
                rows = sorted(repr(row) for row in connection.execute(sql).fetchall())
                result[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
            if (
                ON_POSTGRESQL and tables
            ):  # the next ids must survive too (pg_dump keeps sequences apart)
                sequences = connection.execute(
                    "SELECT sequencename, last_value FROM pg_sequences "
                    "WHERE sequencename NOT LIKE 'audit_auditentry%' ORDER BY 1"
                ).fetchall()
                result["(sequences)"] = (len(sequences), repr(sequences))
        finally:
            connection.close()
        return result


def manage(*args, database_url: str, media: Path, check: bool = True):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media),
        "HOSHIN_DOWNLOAD_CACHE_DIR": "",
        "DJANGO_SETTINGS_MODULE": "hoshin.settings",
    }
    command = [sys.executable, *(args if args[0] == "-c" else ["manage.py", *args])]
    result = subprocess.run(command, cwd=BASE_DIR, env=env, capture_output=True, text=True)
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def files_under(folder: Path) -> dict[str, bytes]:
    if not folder.exists():
        return {}
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file()
    }


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The demo seeded once, backed up as a .tar and then as a folder: a backup records its own
    making in the audit log first, so the source stays equal to the last backup."""
    folder = tmp_path_factory.mktemp("backup")
    databases = Databases(folder)
    source = databases.create("source")
    try:
        manage("-c", SEED, database_url=source, media=folder / "media")
        manage(
            "backup",
            "--output",
            folder / "tars",
            "--tar",
            database_url=source,
            media=folder / "media",
        )
        manage("backup", "--output", folder / "out", database_url=source, media=folder / "media")
        yield {
            "folder": folder,
            "databases": databases,
            "source": source,
            "backup": next((folder / "out").iterdir()),
            "tar": next((folder / "tars").iterdir()),
        }
    finally:
        databases.drop_all()


def test_backup_of_the_demo_restores_every_table_and_file(world, tmp_path):
    """Back up the demo, restore it into a fresh database: every table and file is the same."""
    databases, folder = world["databases"], world["folder"]
    backup = world["backup"]
    assert sorted(path.name for path in backup.parent.iterdir()) == [backup.name]  # no leftovers
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["database"]["vendor"] == ("postgresql" if ON_POSTGRESQL else "sqlite")
    assert manifest["migrations"]["voices"] and manifest["tables"]["plans_action"]["rows"] > 50
    media = [entry for entry in manifest["files"] if entry["path"].startswith("media/")]
    assert len(media) == 3  # two attachments and the kept plan file

    target = databases.create("restored")
    result = manage("restore", backup, database_url=target, media=tmp_path / "media")

    assert "すべてのテーブルの行数と内容のハッシュが記録と一致" in result.stdout
    source_tables = databases.contents("source", skip_verb="backup.restore")
    restored_tables = databases.contents("restored", skip_verb="backup.restore")
    assert len(source_tables) > 40
    assert restored_tables == source_tables
    # The restored audit log, with the restore's own entry appended, still verifies.
    assert (
        "検証しました"
        in manage("audit_verify", database_url=target, media=tmp_path / "media").stdout
    )
    assert sum(rows for rows, _hash in source_tables.values()) > 5000
    # The restore is on record in the restored database (and only there).
    with_restore = databases.contents("restored")["audit_auditentry"][0]
    assert with_restore == source_tables["audit_auditentry"][0] + 1
    assert files_under(tmp_path / "media") == files_under(folder / "media")
    assert "plan-imports/2026/04/計画①髙﨑.txt" in files_under(tmp_path / "media")


def test_tar_backup_passes_every_check(world, tmp_path):
    target = world["databases"].create("tar_check")
    result = manage("restore", "--check", world["tar"], database_url=target, media=tmp_path)
    assert "問題はありません" in result.stdout
    assert world["databases"].contents("tar_check") == {}  # --check touches nothing


def _flip_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _first_media(backup: Path) -> Path:
    return sorted(path for path in (backup / "media").rglob("*.pdf"))[0]


def _resign(backup: Path, change) -> None:
    """Edit the manifest the way someone holding SECRET_KEY could: checksum and signature
    recomputed, so only the check that follows can refuse it."""
    manifest = json.loads((backup / "manifest.json").read_text())
    change(manifest)
    archive.write_manifest(backup, manifest)


def _forge(backup: Path) -> str:
    """Tamper a file and recompute the manifest's checksum, but not its signature."""
    victim = _first_media(backup)
    _flip_byte(victim)
    relative = victim.relative_to(backup).as_posix()
    manifest = json.loads((backup / "manifest.json").read_text())
    for entry in manifest["files"]:
        if entry["path"] == relative:
            entry["sha256"] = archive.hash_file(victim)[1]
    data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
    (backup / "manifest.json").write_bytes(data)
    (backup / "manifest.json.sha256").write_text(
        f"{hashlib.sha256(data).hexdigest()}  manifest.json\n"
    )
    return "署名が一致しません"


def _other_vendor(manifest: dict) -> None:
    manifest["database"]["vendor"] = "sqlite" if ON_POSTGRESQL else "postgresql"


def _future_migration(manifest: dict) -> None:
    manifest["migrations"]["voices"].append("9999_from_the_future")


# Each case: how the backup is damaged, and what the refusal must name. Bad input of issue 10:
# "a restore of a truncated or tampered backup (refused, with a message, database untouched)".
DAMAGES = {
    "truncated database": lambda b: (
        _truncate(b / ("database.pgdump" if ON_POSTGRESQL else "database.sqlite3")),
        "database.",
    )[1],
    "tampered byte": lambda b: (
        _flip_byte(_first_media(b)),
        _first_media(b).relative_to(b).as_posix(),
    )[1],
    "removed file": lambda b: (
        (path := _first_media(b)).unlink(),
        path.relative_to(b).as_posix(),
    )[1],
    "extra file": lambda b: ((b / "media" / "extra.txt").write_text("x"), "media/extra.txt")[1],
    "edited manifest": lambda b: (
        (b / "manifest.json").write_text(
            (b / "manifest.json").read_text().replace('"rows": 1', '"rows": 2', 1)
        ),
        "manifest.json のチェックサム",
    )[1],
    "truncated manifest": lambda b: (_truncate(b / "manifest.json"), "manifest.json")[1],
    "missing checksum": lambda b: ((b / "manifest.json.sha256").unlink(), "manifest.json.sha256")[
        1
    ],
    "recomputed checksum, no key": _forge,
    "other database vendor": lambda b: (_resign(b, _other_vendor), "異なる種類のデータベース")[1],
    "newer hoshin": lambda b: (_resign(b, _future_migration), "voices.9999_from_the_future")[1],
}


@pytest.mark.parametrize("damage", DAMAGES, ids=list(DAMAGES))
def test_damaged_backup_is_refused_and_nothing_is_touched(world, tmp_path, damage):
    backup = tmp_path / "backup"
    shutil.copytree(world["backup"], backup)
    expected = DAMAGES[damage](backup)
    name = f"untouched_{len(world['databases'].created)}"
    target = world["databases"].create(name)
    media = tmp_path / "media"

    result = manage("restore", backup, database_url=target, media=media, check=False)

    assert result.returncode != 0
    assert "復元できません" in result.stderr and expected in result.stderr, result.stderr
    assert world["databases"].contents(name) == {}
    if not ON_POSTGRESQL:
        assert not Path(target.removeprefix("sqlite:///")).exists()
    assert not media.exists()


def test_truncated_tar_is_refused(world, tmp_path):
    tar = tmp_path / world["tar"].name
    tar.write_bytes(world["tar"].read_bytes()[: world["tar"].stat().st_size // 2])
    target = world["databases"].create("never_created")
    result = manage("restore", tar, database_url=target, media=tmp_path / "m", check=False)
    assert result.returncode != 0 and "復元できません" in result.stderr
    assert tar.name in result.stderr, result.stderr
    assert world["databases"].contents("never_created") == {}
    assert not (tmp_path / "m").exists()


def test_restore_into_a_database_in_use_is_refused(world, tmp_path):
    """The issue's contract: a restore goes into an empty database, never over live data."""
    before = world["databases"].contents("source")
    result = manage(
        "restore", world["backup"], database_url=world["source"], media=tmp_path, check=False
    )
    assert result.returncode != 0 and "空ではありません" in result.stderr, result.stderr
    assert world["databases"].contents("source") == before

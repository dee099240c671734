"""The database side of a backup: a consistent copy, its restore, and what describes it.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies every page in one step
under a read transaction, so the copy is consistent while the server keeps writing (WAL lets
writers go on meanwhile). PostgreSQL: ``pg_dump`` in custom format, run on a snapshot exported
by a REPEATABLE READ transaction in which the row counts, content hashes and migration state
of the manifest are read too — the manifest describes exactly the dump.

A table's content hash is the sum, modulo 2**256, of the SHA-256 of each row: independent of
row order, so no ORDER BY is needed (some column types have none), and streamed.
"""

import glob
import hashlib
import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connection, connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _

from hoshin.jobs.backups.archive import BackupError

DUMP_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
SUPPORTED = tuple(DUMP_FILES)


def vendor() -> str:
    """The vendor of the default database, refused when backups do not support it."""
    if connection.vendor not in SUPPORTED:
        raise BackupError(
            _("%(vendor)s のデータベースのバックアップには対応していません。")
            % {"vendor": connection.vendor}
        )
    return connection.vendor


def code_migrations() -> dict[str, list[str]]:
    """The migrations this version of the code has, per app."""
    loader = MigrationLoader(None, ignore_no_migrations=True, load=True)
    state: dict[str, list[str]] = {}
    for app, name in loader.disk_migrations:
        state.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(state.items())}


def _applied(rows) -> dict[str, list[str]]:
    state: dict[str, list[str]] = {}
    for app, name in rows:
        state.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(state.items())}


def _canonical(value) -> object:
    return bytes(value) if isinstance(value, memoryview) else value


def _table_hash(cursor, table: str, quote) -> dict:
    cursor.execute(f"SELECT * FROM {quote(table)}")  # names from the catalogue
    rows, total = 0, 0
    while batch := cursor.fetchmany(2000):
        for row in batch:
            digest = hashlib.sha256(repr(tuple(map(_canonical, row))).encode()).digest()
            total = (total + int.from_bytes(digest, "big")) % (1 << 256)
            rows += 1
    return {"rows": rows, "sha256": f"{total:064x}"}


# ---- SQLite -------------------------------------------------------------------------------


def _sqlite_tables(db: sqlite3.Connection) -> list[str]:
    return [
        name
        for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]


def _sqlite_describe(db: sqlite3.Connection) -> dict:
    quote = lambda name: '"' + name.replace('"', '""') + '"'  # noqa: E731
    tables = {name: _table_hash(db.cursor(), name, quote) for name in _sqlite_tables(db)}
    applied = []
    if "django_migrations" in tables:
        applied = db.execute("SELECT app, name FROM django_migrations").fetchall()
    return {"tables": tables, "migrations": _applied(applied)}


def _sqlite_path() -> Path:
    return Path(settings.DATABASES["default"]["NAME"])


def sqlite_dump(destination: Path) -> dict:
    """Copy the live SQLite database to ``destination``; what the copy holds."""
    source_path = _sqlite_path()
    if not source_path.is_file():
        raise BackupError(_("データベースがありません: %(path)s") % {"path": source_path})
    source = sqlite3.connect(source_path, timeout=60)
    target = sqlite3.connect(destination)
    try:
        source.backup(target)  # all pages in one step: one consistent read
        # A self-contained file: no -wal beside it, whatever the source's journal mode.
        target.execute("PRAGMA journal_mode=DELETE")
        if target.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError(_("コピーしたデータベースの整合性検査に失敗しました。"))
        description = _sqlite_describe(target)
    finally:
        target.close()
        source.close()
    return {"server_version": sqlite3.sqlite_version, **description}


def sqlite_tables_in_target() -> list[str]:
    """The tables of the target database, read without creating the file if it is missing."""
    path = _sqlite_path()
    if not path.exists() or path.stat().st_size == 0:
        return []
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return _sqlite_tables(db)
    finally:
        db.close()


def sqlite_restore(dump: Path) -> dict:
    """Copy the backup's database into the (empty) target; what the target now holds."""
    connections.close_all()
    path = _sqlite_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
    target = sqlite3.connect(path)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=WAL")  # as the server opens it (settings.py)
        return _sqlite_describe(target)
    finally:
        target.close()
        source.close()


# ---- PostgreSQL ---------------------------------------------------------------------------


def _pg_major(version_output: str) -> int:
    """15 from "pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"; 0 when unreadable."""
    match = re.search(r"\(PostgreSQL\)\s+(\d+)", version_output)
    return int(match.group(1)) if match else 0


def pg_tool(name: str) -> tuple[str, str]:
    """Path and version of ``pg_dump``/``pg_restore`` fit for the server: its major version, else newer.

    Debian keeps each version under /usr/lib/postgresql/<major>/bin; PATH has one of them.
    An older client than the server is refused (pg_dump would refuse to dump anyway).
    """
    server = connection.pg_version // 10000
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if found := shutil.which(name):
        candidates.append(found)
    versions, labels = {}, {}
    for candidate in candidates:
        try:
            output = subprocess.run(
                [candidate, "--version"], capture_output=True, text=True, timeout=30, check=True
            ).stdout
        except (OSError, subprocess.SubprocessError):
            continue
        versions[candidate] = _pg_major(output)
        labels[candidate] = output.strip()
    fitting = sorted((major, path) for path, major in versions.items() if major >= server)
    if not fitting:
        raise BackupError(
            _(
                "PostgreSQL %(server)s 用の %(name)s が見つかりません（見つかった版: %(found)s）。"
                "サーバーと同じか新しい版のクライアントを入れてください。"
            )
            % {"server": server, "name": name, "found": sorted(set(versions.values())) or "-"}
        )
    exact = [path for major, path in fitting if major == server]
    chosen = exact[0] if exact else fitting[0][1]
    return chosen, labels[chosen]


def _pg_env() -> dict[str, str]:
    """libpq's variables for the default database (no password on a command line)."""
    config = settings.DATABASES["default"]
    env = dict(os.environ)
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")):
        if config.get(key):
            env[variable] = str(config[key])
    if config.get("PASSWORD"):
        env["PGPASSWORD"] = str(config["PASSWORD"])
    if sslmode := config.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = sslmode
    env["PGDATABASE"] = config["NAME"]
    return env


def _run(command: list[str]) -> None:
    result = subprocess.run(command, env=_pg_env(), capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(
            _("%(tool)s が失敗しました: %(error)s")
            % {"tool": Path(command[0]).name, "error": result.stderr.strip()[-2000:]}
        )


def _pg_describe() -> dict:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    described = {}
    for table in sorted(tables):
        with connection.chunked_cursor() as cursor:  # server-side: big tables are streamed
            described[table] = _table_hash(cursor, table, quote)
    with connection.cursor() as cursor:
        applied = []
        if "django_migrations" in described:
            cursor.execute("SELECT app, name FROM django_migrations")
            applied = cursor.fetchall()
    return {"tables": described, "migrations": _applied(applied)}


def postgresql_dump(destination: Path) -> dict:
    """``pg_dump -Fc`` of the default database to ``destination``; what the dump holds."""
    tool, tool_version = pg_tool("pg_dump")
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot(), version()")
            snapshot, server_version = cursor.fetchone()
        description = _pg_describe()
        # Owners and grants are the source server's; the target's own role owns the restore.
        _run([tool, "-Fc", "--no-owner", "--no-acl", f"--snapshot={snapshot}", "-f", destination])
    return {"server_version": server_version, "tool": tool_version, **description}


def postgresql_tables_in_target() -> list[str]:
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor, include_views=True)


def postgresql_restore(dump: Path) -> dict:
    """``pg_restore`` into the (empty) target, all or nothing; what the target now holds."""
    tool, _version = pg_tool("pg_restore")
    connections.close_all()
    _run(
        [
            tool,
            "--no-owner",
            "--no-acl",
            "--exit-on-error",
            "--single-transaction",
            "-d",
            settings.DATABASES["default"]["NAME"],
            dump,
        ]
    )
    return _pg_describe()


def dump(destination_dir: Path) -> tuple[str, dict]:
    """Write the database into ``destination_dir``: (file name, description for the manifest)."""
    name = DUMP_FILES[vendor()]
    describe = sqlite_dump if connection.vendor == "sqlite" else postgresql_dump
    return name, describe(destination_dir / name)


def tables_in_target() -> list[str]:
    return sqlite_tables_in_target() if vendor() == "sqlite" else postgresql_tables_in_target()


def restore(dump_file: Path) -> dict:
    return sqlite_restore(dump_file) if vendor() == "sqlite" else postgresql_restore(dump_file)

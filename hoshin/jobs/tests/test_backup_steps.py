"""The steps of a backup in-process: the SQLite copy while a writer goes on, the temporary
folder renamed at the end, no overwriting, retention. (The whole round trip through
``manage.py`` is in test_backup.py.)"""

import datetime
import sqlite3
import threading
from pathlib import Path

import pytest
from django.utils import timezone

from hoshin.jobs.backups import archive, database, services
from hoshin.jobs.backups.archive import BackupError
from hoshin.jobs.backups.services import backup_create

NOON = timezone.make_aware(datetime.datetime(2026, 12, 2, 12, 0, 0))


def test_sqlite_copy_is_consistent_while_the_server_writes(tmp_path, monkeypatch):
    """The online backup API copies one consistent state while another connection writes."""
    live = tmp_path / "live.sqlite3"
    db = sqlite3.connect(live)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE ledger (id INTEGER PRIMARY KEY, amount INTEGER NOT NULL)")
    db.execute("CREATE TABLE total (value INTEGER NOT NULL)")
    db.execute("INSERT INTO total VALUES (0)")
    db.executemany("INSERT INTO ledger (amount) VALUES (?)", [(1,)] * 20000)
    db.execute("UPDATE total SET value = 20000")
    db.commit()
    db.close()
    monkeypatch.setattr(database, "_sqlite_path", lambda: live)
    stop, written = threading.Event(), []

    def writer():  # every transaction adds a row and keeps the total equal to the sum
        connection = sqlite3.connect(live, timeout=30)
        while not stop.is_set():
            with connection:
                connection.execute("INSERT INTO ledger (amount) VALUES (1)")
                connection.execute("UPDATE total SET value = value + 1")
            written.append(1)
        connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 50:  # the writer is really running before the copy starts
            pass
        described = database.sqlite_dump(tmp_path / "copy.sqlite3")
    finally:
        stop.set()
        thread.join()

    copy = sqlite3.connect(tmp_path / "copy.sqlite3")
    rows = copy.execute("SELECT count(*), sum(amount) FROM ledger").fetchone()
    assert rows[0] == rows[1] == copy.execute("SELECT value FROM total").fetchone()[0]
    assert described["tables"]["ledger"]["rows"] == rows[0]
    assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file
    assert not (tmp_path / "copy.sqlite3-wal").exists()


def _fake_dump(directory: Path) -> tuple[str, dict]:
    (directory / "database.sqlite3").write_bytes(b"data")
    return "database.sqlite3", {"server_version": "x", "tables": {}, "migrations": {}}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "voices").mkdir(parents=True)
    (tmp_path / "media" / "voices" / "写真.pdf").write_bytes(b"%PDF-1.4")
    return tmp_path / "media"


@pytest.mark.django_db
def test_backup_is_renamed_into_place_and_never_overwritten(tmp_path, media, monkeypatch):
    monkeypatch.setattr(database, "dump", _fake_dump)
    output = tmp_path / "backups"

    result = backup_create(output=output, now=NOON)

    assert result.path == output / "hoshin-20261202-120000"
    assert [path.name for path in output.iterdir()] == [result.path.name]
    assert archive.verify_directory(result.path)["media"]["files"] == 1
    assert (result.path / "media" / "voices" / "写真.pdf").read_bytes() == b"%PDF-1.4"
    with pytest.raises(BackupError, match="既にあります"):
        backup_create(output=output, now=NOON)
    assert [path.name for path in output.iterdir()] == [result.path.name]


@pytest.mark.django_db
def test_interrupted_backup_leaves_nothing_that_looks_complete(tmp_path, media, monkeypatch):
    monkeypatch.setattr(database, "dump", _fake_dump)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt  # Ctrl-C, or a full disk, half-way through the files

    monkeypatch.setattr(services, "_copy_media", interrupted)
    output = tmp_path / "backups"
    with pytest.raises(KeyboardInterrupt):
        backup_create(output=output, now=NOON)
    assert list(output.iterdir()) == []


@pytest.mark.django_db
def test_tar_backup_and_retention(tmp_path, media, monkeypatch):
    monkeypatch.setattr(database, "dump", _fake_dump)
    output = tmp_path / "backups"
    (output / ".hoshin-20261201-000000.x.partial").mkdir(parents=True)  # not a backup: kept
    for hour in range(3):
        backup_create(output=output, now=NOON + datetime.timedelta(hours=hour), as_tar=True)

    result = backup_create(output=output, now=NOON + datetime.timedelta(hours=3), keep=2)

    assert sorted(path.name for path in output.iterdir()) == [
        ".hoshin-20261201-000000.x.partial",
        "hoshin-20261202-140000.tar",
        "hoshin-20261202-150000",
    ]
    assert [path.name for path in result.pruned] == [
        "hoshin-20261202-120000.tar",
        "hoshin-20261202-130000.tar",
    ]
    assert (output / "hoshin-20261202-140000.tar").stat().st_mode & 0o077 == 0
    with archive.opened(output / "hoshin-20261202-140000.tar") as unpacked:
        assert archive.verify_directory(unpacked)["files"][0]["path"] == "database.sqlite3"


@pytest.mark.django_db
def test_backup_inside_media_root_is_refused(media, monkeypatch):
    monkeypatch.setattr(database, "dump", _fake_dump)
    with pytest.raises(BackupError, match="MEDIA_ROOT"):
        backup_create(output=media / "backups", now=NOON)


@pytest.mark.django_db
def test_restore_refuses_to_overwrite_a_different_file_in_storage(tmp_path, media, monkeypatch):
    """A file already in the target storage under the same name is never replaced."""
    monkeypatch.setattr(database, "dump", _fake_dump)
    backup = backup_create(output=tmp_path / "backups", now=NOON).path
    stored = media / "voices" / "写真.pdf"

    stored.write_bytes(b"%PDF-1.4 another")
    with pytest.raises(BackupError, match=r"内容の違うファイル.*voices/写真\.pdf"):
        services.backup_check(backup)
    assert stored.read_bytes() == b"%PDF-1.4 another"

    stored.write_bytes(b"%PDF-1.4")  # the same file: accepted, and left as it is
    monkeypatch.setattr(database, "tables_in_target", lambda: [])  # as if the target were empty
    plan = services.backup_check(backup)
    assert (plan.already_there, plan.to_write) == (["voices/写真.pdf"], [])


def test_pg_client_version_is_read_from_its_banner():
    assert database._pg_major("pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)") == 15
    assert database._pg_major("pg_restore (PostgreSQL) 9.6.24") == 9
    assert database._pg_major("garbage") == 0

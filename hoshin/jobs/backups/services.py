"""Backups that restore: ``backup_create``, ``backup_check`` and ``backup_restore``.

The commands ``manage.py backup`` and ``manage.py restore`` call these. The layout of a backup
is in ``archive.py``, the database side in ``database.py``; docs/deploy.md has the schedule and
the restore drill.

- A backup is written into a hidden ``.hoshin-….partial`` folder next to where it goes, read
  back and checked, and only then renamed to ``hoshin-YYYYMMDD-HHMMSS`` (or packed into
  ``hoshin-….tar``): an interrupted backup never leaves anything that looks complete, and an
  existing backup is never overwritten.
- The database is copied first, the files after: a file is stored before the row that points
  to it is committed, so every file the copied database refers to is already there.
- A restore checks everything before it touches anything: the manifest's checksum and
  signature, every file's size and SHA-256, the vendor, the migrations, the files already in
  storage and that the target database is empty. Then the files, then the database; finally
  every table's row count and content hash are compared with the manifest.
"""

import contextlib
import logging
import os
import re
import shutil
import subprocess
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, default_storage, storages
from django.utils import timezone
from django.utils.translation import gettext as _

from hoshin.audit.services import audit_record
from hoshin.jobs.backups import archive, database
from hoshin.jobs.backups.archive import MEDIA_DIR, BackupError

logger = logging.getLogger(__name__)

BACKUP_NAME = re.compile(r"^hoshin-\d{8}-\d{6}(\.tar)?$")


@dataclass
class BackupResult:
    path: Path
    manifest: dict
    vanished: list[str] = field(default_factory=list)  # deleted while the backup ran
    pruned: list[Path] = field(default_factory=list)


@dataclass
class RestorePlan:
    """What a restore of a checked backup will do; nothing has been touched yet."""

    manifest: dict
    to_write: list[dict]  # manifest entries of files to put in storage
    already_there: list[str]  # identical files already in storage
    pending_migrations: list[str]  # in the code, not in the backup: run migrate after


@dataclass
class RestoreResult:
    plan: RestorePlan
    tables: int
    rows: int


def _hoshin_version() -> dict:
    version = revision = None
    try:
        with open(settings.BASE_DIR / "pyproject.toml", "rb") as handle:
            version = tomllib.load(handle)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        pass
    # An installation without git (a wheelhouse on a closed network): the version is enough.
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        revision = subprocess.run(
            ["git", "-C", str(settings.BASE_DIR), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
    return {"hoshin_version": version, "git_revision": revision}


def _storage_names(directory: str = ""):
    """Every file name in the default storage, walking its folders."""
    try:
        folders, files = default_storage.listdir(directory)
    except FileNotFoundError:
        return  # no upload yet: MEDIA_ROOT does not exist
    for name in sorted(files):
        yield f"{directory}/{name}" if directory else name
    for folder in sorted(folders):
        yield from _storage_names(f"{directory}/{folder}" if directory else folder)


def _copy_media(target: Path) -> tuple[list[dict], list[str]]:
    """Copy every stored file under ``target``: (manifest entries, names that vanished)."""
    entries, vanished = [], []
    for name in _storage_names():
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        try:
            with default_storage.open(name, "rb") as source, open(destination, "wb") as copy:
                size, sha256 = archive.hash_stream(source, copy)
        except FileNotFoundError:
            destination.unlink(missing_ok=True)  # deleted after the database was copied
            vanished.append(name)
            continue
        entries.append({"path": f"{MEDIA_DIR}/{name}", "size": size, "sha256": sha256})
    return entries, vanished


def _refuse_backup_inside_media(output: Path) -> None:
    storage = storages["default"]
    if isinstance(storage, FileSystemStorage) and output.resolve().is_relative_to(
        Path(storage.location).resolve()
    ):
        raise BackupError(
            _(
                "バックアップの出力先をアップロードファイルの置き場（MEDIA_ROOT）の中にはできません。"
            )
        )


def _prune(output: Path, keep: int) -> list[Path]:
    """Delete complete backups in ``output`` beyond the newest ``keep``."""
    backups = sorted(path for path in output.iterdir() if BACKUP_NAME.match(path.name))
    pruned = backups[:-keep] if keep > 0 else []
    for path in pruned:
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    return pruned


def backup_create(
    *, output: Path, as_tar: bool = False, keep: int | None = None, now=None
) -> BackupResult:
    """Back up the database and the uploaded files into a new backup under ``output``.

    Returns the new backup's path and manifest. With ``keep``, older backups in ``output``
    beyond the newest ``keep`` are deleted once the new one is complete.
    """
    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    _refuse_backup_inside_media(output)
    now = timezone.localtime(now)
    name = f"hoshin-{now:%Y%m%d-%H%M%S}"
    final = output / (f"{name}.tar" if as_tar else name)
    if final.exists():
        raise BackupError(_("同じ名前のバックアップが既にあります: %(path)s") % {"path": final})
    # Recorded before the copy, so the backup holds the record of its own making.
    audit_record(
        actor=None, verb="backup.create", summary=_("バックアップ %(name)s") % {"name": name}
    )
    work = Path(tempfile.mkdtemp(prefix=f".{name}.", suffix=".partial", dir=output))
    packed = output / f".{name}.tar.partial"
    try:
        dump_name, described = database.dump(work)
        files = [archive.file_entry(work, dump_name)]
        media, vanished = _copy_media(work / MEDIA_DIR)
        manifest = {
            "format": archive.FORMAT,
            "format_version": archive.FORMAT_VERSION,
            "created_at": now.isoformat(),
            **_hoshin_version(),
            "database": {
                "vendor": database.vendor(),
                "file": dump_name,
                "server_version": described["server_version"],
                **({"tool": described["tool"]} if "tool" in described else {}),
            },
            "migrations": described["migrations"],
            "tables": described["tables"],
            "media": {
                "storage": settings.STORAGES["default"]["BACKEND"],
                "files": len(media),
                "bytes": sum(entry["size"] for entry in media),
            },
            "files": files + media,
        }
        archive.write_manifest(work, manifest)
        archive.verify_directory(work)  # read back: what is renamed into place restores
        if as_tar:
            archive.write_tar(work, packed)
            packed.chmod(0o600)  # personal data: readable by the service user only, like work
        if final.exists():
            raise BackupError(_("同じ名前のバックアップが既にあります: %(path)s") % {"path": final})
        os.rename(packed if as_tar else work, final)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        packed.unlink(missing_ok=True)
    pruned = _prune(output, keep) if keep else []
    logger.info("backup %s written (%d files)", final, len(manifest["files"]))
    return BackupResult(path=final, manifest=manifest, vanished=vanished, pruned=pruned)


def _plan(directory: Path, *, check_signature: bool) -> RestorePlan:
    """Every check of a restore, touching nothing: the refusal names what is wrong."""
    manifest = archive.verify_directory(directory, check_signature=check_signature)
    source, target = manifest["database"]["vendor"], database.vendor()
    if source != target:
        raise BackupError(
            _(
                "%(source)s のバックアップを %(target)s のデータベースには復元できません"
                "（異なる種類のデータベースの間の復元には対応していません）。"
            )
            % {"source": source, "target": target}
        )
    code = database.code_migrations()
    backup_migrations = manifest["migrations"]
    unknown = [
        f"{app}.{name}"
        for app, names in backup_migrations.items()
        for name in names
        if name not in code.get(app, [])
    ]
    if unknown:
        raise BackupError(
            _(
                "このバックアップには、この版の hoshin にない移行が適用されています"
                "（新しい版で作られたバックアップです）: %(names)s"
            )
            % {"names": "、".join(unknown[:10])}
        )
    pending = [
        f"{app}.{name}"
        for app, names in code.items()
        for name in names
        if name not in backup_migrations.get(app, [])
    ]
    to_write, already_there, conflicts = [], [], []
    for entry in manifest["files"]:
        if not entry["path"].startswith(f"{MEDIA_DIR}/"):
            continue
        name = entry["path"].removeprefix(f"{MEDIA_DIR}/")
        if not default_storage.exists(name):
            to_write.append(entry)
            continue
        with default_storage.open(name, "rb") as stored:
            _size, sha256 = archive.hash_stream(stored)
        (already_there if sha256 == entry["sha256"] else conflicts).append(name)
    if conflicts:
        raise BackupError(
            _("復元先に同じ名前で内容の違うファイルがあります: %(names)s")
            % {"names": "、".join(conflicts[:10])}
        )
    if tables := database.tables_in_target():
        raise BackupError(
            _(
                "復元先のデータベースが空ではありません（テーブル %(count)d 個: %(names)s …）。"
                "復元は空のデータベースにだけ行います（手順は docs/deploy.md）。"
            )
            % {"count": len(tables), "names": "、".join(sorted(tables)[:3])}
        )
    return RestorePlan(manifest, to_write, already_there, pending)


def backup_check(path: Path, *, check_signature: bool = True) -> RestorePlan:
    """Check the backup at ``path`` and the target as a restore would, and touch nothing."""
    with archive.opened(Path(path)) as directory:
        return _plan(directory, check_signature=check_signature)


def backup_restore(path: Path, *, check_signature: bool = True) -> RestoreResult:
    """Restore the backup at ``path`` into the empty default database and the storage.

    Refused (BackupError, nothing touched) unless every check of ``backup_check`` passes.
    Files first, then the database: a restore that fails half-way leaves the database empty
    and can simply be run again (files already there are skipped).
    """
    with archive.opened(Path(path)) as directory:
        plan = _plan(directory, check_signature=check_signature)
        for entry in plan.to_write:
            name = entry["path"].removeprefix(f"{MEDIA_DIR}/")
            with open(directory / entry["path"], "rb") as handle:
                saved = default_storage.save(name, File(handle, name=name))
            if saved != name:
                raise BackupError(
                    _("ファイルを元の名前で保存できませんでした: %(name)s") % {"name": name}
                )
        manifest = plan.manifest
        restored = database.restore(directory / manifest["database"]["file"])
    expected = manifest["tables"]
    different = sorted(
        table
        for table in set(expected) | set(restored["tables"])
        if expected.get(table) != restored["tables"].get(table)
    )
    if different or restored["migrations"] != manifest["migrations"]:
        raise BackupError(
            _("復元したデータベースが記録と一致しません: %(tables)s")
            % {"tables": "、".join(different[:10]) or "django_migrations"}
        )
    summary = _("バックアップ %(created)s から復元") % {"created": manifest["created_at"]}
    if plan.pending_migrations:
        # The audit table may lack columns until migrate has run; the log keeps the event.
        logger.warning("%s (migrations pending: %d)", summary, len(plan.pending_migrations))
    else:
        audit_record(actor=None, verb="backup.restore", summary=summary)
    return RestoreResult(
        plan=plan,
        tables=len(restored["tables"]),
        rows=sum(table["rows"] for table in restored["tables"].values()),
    )

"""The backup's files on disk: the manifest, its checksum and signature, and their checks.

A backup is a directory (or a .tar of one) holding

    manifest.json          what was backed up: time, version, database vendor, migrations,
                           per-table row counts and content hashes, every file with size and
                           SHA-256
    manifest.json.sha256   the manifest's checksum, in ``sha256sum -c`` format
    manifest.json.hmac     the manifest's HMAC keyed by SECRET_KEY: a backup edited by someone
                           who recomputed the checksums is still refused
    SHA256SUMS             every file's SHA-256 for ``sha256sum -c`` on a machine without
                           hoshin (an off-site copy); a convenience, not read by the restore
    database.sqlite3 | database.pgdump
    media/…                the uploaded files, under their storage names

Nothing here touches the database or the storage: ``verify_directory`` only reads.
"""

import hashlib
import hmac
import json
import os
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

FORMAT = "hoshin-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHECKSUM = "manifest.json.sha256"
SIGNATURE = "manifest.json.hmac"
SUMS = "SHA256SUMS"
METADATA = {MANIFEST, CHECKSUM, SIGNATURE, SUMS}
MEDIA_DIR = "media"
HMAC_SALT = "hoshin.jobs.backups.manifest"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup cannot be written, or a backup cannot (or may not) be restored."""


def hash_stream(source, destination=None) -> tuple[int, str]:
    """Size and SHA-256 of ``source`` (a binary file object), copying it to ``destination``."""
    digest, size = hashlib.sha256(), 0
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if destination is not None:
            destination.write(chunk)
    return size, digest.hexdigest()


def hash_file(path: Path) -> tuple[int, str]:
    with open(path, "rb") as handle:
        return hash_stream(handle)


def file_entry(directory: Path, relative: str) -> dict:
    """The manifest's line for one file of the backup."""
    size, sha256 = hash_file(directory / relative)
    return {"path": relative, "size": size, "sha256": sha256}


def _signature(data: bytes, secret: str) -> str:
    return salted_hmac(HMAC_SALT, data, secret=secret, algorithm="sha256").hexdigest()


def write_manifest(directory: Path, manifest: dict) -> None:
    """Write the manifest, then its checksum and signature (the last files of a backup)."""
    data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
    sums = [f"{entry['sha256']}  {entry['path']}" for entry in manifest["files"]]
    sums.append(f"{hashlib.sha256(data).hexdigest()}  {MANIFEST}")
    (directory / SUMS).write_text("\n".join(sums) + "\n")
    (directory / MANIFEST).write_bytes(data)
    (directory / CHECKSUM).write_text(f"{hashlib.sha256(data).hexdigest()}  {MANIFEST}\n")
    (directory / SIGNATURE).write_text(f"hmac-sha256 {_signature(data, settings.SECRET_KEY)}\n")


def _safe_relative(path: str) -> bool:
    pure = PurePosixPath(path)
    return (
        bool(path)
        and not pure.is_absolute()
        and "\\" not in path
        and all(part not in ("", ".", "..") for part in path.split("/"))
    )


def _files_on_disk(directory: Path) -> set[str]:
    """Every file under ``directory`` as a POSIX path; links and odd entries are refused."""
    found = set()
    for root, dirs, files in os.walk(directory):
        for name in dirs + files:
            full = Path(root) / name
            relative = full.relative_to(directory).as_posix()
            if full.is_symlink() or not (full.is_dir() or full.is_file()):
                raise BackupError(
                    _("バックアップに通常のファイルでないもの（リンクなど）があります: %(path)s")
                    % {"path": relative}
                )
            if full.is_file():
                found.add(relative)
    return found


def _check_signature(data: bytes, directory: Path) -> None:
    try:
        kind, _space, value = (directory / SIGNATURE).read_text().strip().partition(" ")
    except (OSError, UnicodeDecodeError):
        raise BackupError(_("%(name)s がないか読めません。") % {"name": SIGNATURE}) from None
    keys = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    if kind != "hmac-sha256" or not any(
        hmac.compare_digest(value, _signature(data, key)) for key in keys
    ):
        raise BackupError(
            _(
                "%(name)s の署名が一致しません: バックアップが書き換えられたか、別の SECRET_KEY "
                "のサーバーで作られたものです。作成元と同じ SECRET_KEY で復元してください"
                "（作成元が確かな場合に限り --ignore-signature で省略できます）。"
            )
            % {"name": MANIFEST}
        )


def _names(paths: list[str]) -> str:
    shown = "、".join(paths[:5])
    return (
        shown
        if len(paths) <= 5
        else _("%(shown)s ほか %(more)d 件")
        % {
            "shown": shown,
            "more": len(paths) - 5,
        }
    )


def verify_directory(directory: Path, *, check_signature: bool = True) -> dict:
    """The manifest of the backup in ``directory`` once every check has passed.

    Checked, in this order, each failure refused with a message naming the file: the manifest's
    checksum (truncated or edited manifest), its signature, its format, then every file —
    missing, extra, wrong size (truncated) or wrong SHA-256 (tampered).
    """
    try:
        line = (directory / CHECKSUM).read_text().split()
        data = (directory / MANIFEST).read_bytes()
    except FileNotFoundError as exc:
        raise BackupError(
            _("バックアップではないか不完全です: %(name)s がありません。")
            % {"name": Path(exc.filename).name}
        ) from None
    except (OSError, UnicodeDecodeError):
        raise BackupError(_("%(name)s が読めません。") % {"name": CHECKSUM}) from None
    if not line or not hmac.compare_digest(line[0], hashlib.sha256(data).hexdigest()):
        raise BackupError(
            _("%(name)s のチェックサムが一致しません（途中で切れたか書き換えられています）。")
            % {"name": MANIFEST}
        )
    if check_signature:
        _check_signature(data, directory)
    try:
        manifest = json.loads(data)
        entries = {entry["path"]: entry for entry in manifest["files"]}
        known = manifest.get("format") == FORMAT
    except (ValueError, KeyError, TypeError):
        raise BackupError(_("%(name)s の形式が正しくありません。") % {"name": MANIFEST}) from None
    if not known or manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            _("この版の hoshin が読めないバックアップです（%(format)s 版 %(version)s）。")
            % {"format": manifest.get("format"), "version": manifest.get("format_version")}
        )
    for path in entries:
        if not _safe_relative(path) or path in METADATA:
            raise BackupError(_("manifest.json に不正なパスがあります: %(path)s") % {"path": path})
    on_disk = _files_on_disk(directory) - METADATA
    if missing := sorted(set(entries) - on_disk):
        raise BackupError(
            _("バックアップのファイルがありません: %(path)s") % {"path": _names(missing)}
        )
    if extra := sorted(on_disk - set(entries)):
        raise BackupError(
            _("manifest.json に載っていないファイルがあります: %(path)s") % {"path": _names(extra)}
        )
    for path, entry in sorted(entries.items()):
        size, sha256 = hash_file(directory / path)
        if size != entry["size"]:
            raise BackupError(
                _(
                    "ファイルの大きさが記録と違います（途中で切れています）: %(path)s "
                    "（%(size)s バイト、記録は %(expected)s バイト）"
                )
                % {"path": path, "size": size, "expected": entry["size"]}
            )
        if not hmac.compare_digest(sha256, entry["sha256"]):
            raise BackupError(
                _("ファイルの内容が記録と違います（書き換えられています）: %(path)s")
                % {"path": path}
            )
    return manifest


@contextmanager
def opened(path: Path) -> Iterator[Path]:
    """The backup at ``path`` as a directory: itself, or a .tar unpacked into a temporary one."""
    if path.is_dir():
        yield path
        return
    if not path.is_file():
        raise BackupError(_("バックアップが見つかりません: %(path)s") % {"path": path})
    folder = Path(tempfile.mkdtemp(prefix="hoshin-restore-"))
    try:
        try:
            with tarfile.open(path, "r:") as archive:
                # "data": no absolute paths, no "..", no links out, no devices.
                archive.extractall(folder, filter="data")
        except (tarfile.TarError, EOFError, OSError) as exc:
            raise BackupError(
                _("%(name)s を開けません（途中で切れているか壊れています）: %(error)s")
                % {"name": path.name, "error": exc}
            ) from None
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def write_tar(directory: Path, destination: Path) -> None:
    """``directory``'s files, flat at the root of an uncompressed tar at ``destination``."""
    with tarfile.open(destination, "w:", format=tarfile.PAX_FORMAT) as archive:
        for path in sorted(_files_on_disk(directory)):
            archive.add(directory / path, arcname=path, recursive=False)

"""Finished downloads kept on disk, one folder per version of the public data.

Building a CSV of 25,000 sheets or an annual report of a hundred pages takes seconds of CPU;
journalists, programs and citizens download the same files again and again, while the data
changes a few times a year. Used by open data and the annual report PDF. The first request for
a file streams it as it is built and writes it to ``HOSHIN_DOWNLOAD_CACHE_DIR/<version>/``
alongside; the next ones are served from that file. A change to public data gives the data a
new version (hoshin.changes.models.PublicState), so a stale file is never served, and folders
of older versions are removed when a new one is started. A download cut short leaves no file.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.conf import settings
from django.utils.translation import get_language

from hoshin.changes.models import PublicState


def _root() -> Path | None:
    folder = settings.HOSHIN_DOWNLOAD_CACHE_DIR
    return Path(folder) if folder else None


def cache_path(key: str) -> Path | None:
    """Where the file for ``key`` lives at the current data version (None: no caching)."""
    root, state = _root(), PublicState.current()
    if root is None or state is None:
        return None
    # Per language too: a file built for an English reader may hold translated labels, and
    # must never be served to a Japanese one (the page cache keys by language the same way).
    digest = hashlib.sha256(f"{key}\n{get_language() or ''}".encode()).hexdigest()[:32]
    return root / str(state.version) / digest


def _start_version(folder: Path) -> None:
    if folder.is_dir():
        return
    folder.mkdir(parents=True, exist_ok=True)
    for sibling in folder.parent.iterdir():
        if sibling != folder and sibling.is_dir():
            shutil.rmtree(sibling, ignore_errors=True)  # files of an older version of the data


def tee(chunks: Iterable[bytes], path: Path) -> Iterator[bytes]:
    """Yield ``chunks`` and keep a copy at ``path`` once all of them were sent.

    Keeping is best effort: with several servers sharing the folder, another one may start a
    newer version of the data and delete this version's folder meanwhile (``_start_version``).
    Then the copy is dropped and the download still completes; the next request of the old
    version (if any) builds it again.
    """
    try:
        _start_version(path.parent)
        partial = path.with_name(f"{path.name}.{uuid.uuid4().hex}.partial")
        copy = partial.open("wb")
    except OSError:
        yield from chunks
        return
    complete = False
    try:
        with copy:
            for chunk in chunks:
                copy.write(chunk)
                yield chunk
        try:
            os.replace(partial, path)
            complete = True
        except OSError:
            pass  # the folder went away (a newer version): serve without keeping
    finally:
        if not complete:
            partial.unlink(missing_ok=True)


def keep(handle, path: Path) -> None:
    """Copy a finished temporary file (an XLSX workbook) to ``path``; rewind the handle."""
    _start_version(path.parent)
    partial = path.with_name(f"{path.name}.{uuid.uuid4().hex}.partial")
    with partial.open("wb") as copy:
        shutil.copyfileobj(handle, copy)
    os.replace(partial, path)
    handle.seek(0)


def keep_bytes(data: bytes, path: Path) -> None:
    """Write a finished small file (a one-page PDF) to ``path``: temporary name, then rename."""
    _start_version(path.parent)
    partial = path.with_name(f"{path.name}.{uuid.uuid4().hex}.partial")
    partial.write_bytes(data)
    os.replace(partial, path)

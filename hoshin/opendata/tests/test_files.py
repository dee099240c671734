"""Finished downloads are kept per version of the public data and never served stale."""

from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hoshin.changes import downloads
from hoshin.opendata.tests.builders import published_results
from hoshin.plans.models import Action

pytestmark = pytest.mark.django_db


def get(client, dataset: str, fmt: str, **params) -> bytes:
    response = client.get(reverse("opendata:download", args=[dataset, fmt]), params)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def kept_files(settings) -> list[Path]:
    return sorted(Path(settings.HOSHIN_DOWNLOAD_CACHE_DIR).rglob("*"))


def test_the_second_download_is_the_kept_file(client, settings):
    published_results()
    first = get(client, "actions", "csv")
    assert [path for path in kept_files(settings) if path.is_file()]
    with CaptureQueriesContext(connection) as queries:
        second = get(client, "actions", "csv")
    assert second == first
    assert not any("plans_action" in query["sql"] for query in queries)  # no rows read again


def test_a_change_to_public_data_gives_a_fresh_file(client, settings):
    results = published_results()
    get(client, "actions", "json")
    action = Action.objects.filter(plan__is_published=True).first()
    action.text = "新しい取組内容の文言"
    action.save()  # announces the change: a new version of the public data
    assert "新しい取組内容の文言" in get(client, "actions", "json").decode()
    versions = [path for path in Path(settings.HOSHIN_DOWNLOAD_CACHE_DIR).iterdir()]
    assert len(versions) == 1  # the older version's folder was removed
    assert results  # (keeps the builder's objects alive for the test)


def test_each_format_encoding_and_filter_is_its_own_file(client, settings):
    published_results()
    utf8 = get(client, "actions", "csv")
    sjis = get(client, "actions", "csv", encoding="cp932")
    assert utf8.startswith(b"\xef\xbb\xbf") and not sjis.startswith(b"\xef\xbb\xbf")
    get(client, "actions", "xlsx")
    assert get(client, "actions", "csv") == utf8
    assert get(client, "actions", "csv", encoding="cp932") == sjis
    assert len([path for path in kept_files(settings) if path.is_file()]) == 3


def test_a_download_cut_short_leaves_no_file(tmp_path):
    target = tmp_path / "version" / "file"

    def chunks():
        yield b"first"
        yield b"second"

    stream = downloads.tee(chunks(), target)
    assert next(stream) == b"first"
    stream.close()  # the client went away
    assert not target.exists()
    assert not list(target.parent.glob("*.partial"))
    assert list(downloads.tee(chunks(), target)) == [b"first", b"second"]
    assert target.read_bytes() == b"firstsecond"


def test_another_server_starting_a_newer_version_midway_does_not_break_the_download(tmp_path):
    """Several app servers share HOSHIN_DOWNLOAD_CACHE_DIR (issue 10): while one streams a file
    of version 4, another starts version 5 and deletes version 4's folder. The download still
    completes; only the copy is not kept."""
    import shutil

    target = tmp_path / "4" / "file"

    def chunks():
        yield b"first"
        shutil.rmtree(tmp_path / "4")  # the other server's _start_version("5")
        yield b"second"

    assert list(downloads.tee(chunks(), target)) == [b"first", b"second"]
    assert not target.exists()
    # And a folder that cannot be created at all: served, not kept.
    (tmp_path / "blocked").write_bytes(b"")
    assert list(downloads.tee(iter([b"x"]), tmp_path / "blocked" / "5" / "file")) == [b"x"]

"""200 citizens submit at once, over HTTP, against a running server: nothing lost, no gaps.

Each of 200 submissions comes from its own "browser" (cookie jar): GET the form for the CSRF
cookie, token and submission key, POST it, follow the redirect to the thanks page. 20 run
at a time. Then: every response was OK, 200 voices exist, their receipt numbers are exactly
1..200, and every thanks page showed its own number and a secret.

The server: on PostgreSQL (or a file SQLite test database) it is pytest-django's
``live_server``. With the default in-memory SQLite test database, pytest-django's live
server hands ONE shared connection to every request thread (an in-memory database exists
only inside its connection), so concurrent requests would interleave their transactions on
it, which no real deployment does. There the test copies the migrated test database to a
file and serves it from a live-server thread in which each request thread opens its own
connection to that file, as gunicorn workers do in production.
"""

import http.cookiejar
import re
import shutil
import sqlite3
import tempfile
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.db import connection, connections
from django.db.utils import load_backend
from django.test.testcases import LiveServerThread, _StaticFilesHandler

from hoshin.voices.models import CitizenVoice, VoiceCategory

SUBMISSIONS = 200
WORKERS = 20

pytestmark = pytest.mark.django_db(transaction=True)

_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_KEY = re.compile(r'name="submission_key" value="([0-9a-f-]{36})"')
_RECEIPT = re.compile(r'id="receipt-number">(\d{4}-\d{4,})<')
_SECRET = re.compile(r'id="receipt-secret">([A-Za-z0-9_-]+)<')


# ---- a live server whose request threads each have their own connection --------------------


class _OwnConnectionServer(ThreadedWSGIServer):
    """Every request thread opens its own connection to the database file (like a worker)."""

    db_settings: dict = {}

    def process_request_thread(self, request, client_address):
        backend = load_backend(self.db_settings["ENGINE"])
        connections["default"] = backend.DatabaseWrapper(dict(self.db_settings), "default")
        super().process_request_thread(request, client_address)


class _FileDatabaseServerThread(LiveServerThread):
    def __init__(self, db_settings: dict):
        super().__init__("127.0.0.1", _StaticFilesHandler)
        self.db_settings = db_settings

    def _create_server(self, connections_override=None):
        server_class = type("Server", (_OwnConnectionServer,), {"db_settings": self.db_settings})
        return server_class((self.host, self.port), _QuietHandler, allow_reuse_address=False)

    def run(self):
        connections["default"] = load_backend(self.db_settings["ENGINE"]).DatabaseWrapper(
            dict(self.db_settings), "default"
        )
        super().run()


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def _file_database_server():
    """A copy of the in-memory test database in a file, served with one connection per thread."""
    folder = Path(tempfile.mkdtemp(prefix="hoshin-concurrency-"))
    path = folder / "db.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    db_settings = {**connection.settings_dict, "NAME": str(path)}
    memory_connection = connections["default"]
    file_connection = load_backend(db_settings["ENGINE"]).DatabaseWrapper(
        dict(db_settings), "default"
    )
    thread = _FileDatabaseServerThread(db_settings)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    # This thread reads and writes the same file while the server runs.
    connections["default"] = file_connection
    try:
        yield f"http://127.0.0.1:{thread.port}"
    finally:
        thread.terminate()
        file_connection.close()
        connections["default"] = memory_connection
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def server_url(request, settings):
    settings.HOSHIN_PUBLIC_FORM_RATE_LIMIT = 0  # 200 submissions come from one address
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        with _file_database_server() as url:
            yield url
    else:
        yield request.getfixturevalue("live_server").url


# ---- one citizen ---------------------------------------------------------------------------


def _submit_one(base_url: str, index: int, category_id: int) -> dict:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{base_url}/voices/new/", timeout=60) as response:
        form_status = response.status
        page = response.read().decode()
    data = {
        "csrfmiddlewaretoken": _TOKEN.search(page).group(1),
        "submission_key": _KEY.search(page).group(1),
        "kind": "opinion",
        "subject": f"同時送信 {index} 髙﨑𠮷",
        "body": f"{index}番目の市民の意見です。🙂",
        "category": str(category_id),
        "email": "",
        "homepage": "",
    }
    request = urllib.request.Request(
        f"{base_url}/voices/new/",
        data=urllib.parse.urlencode(data).encode(),
        headers={"Referer": f"{base_url}/voices/new/"},
    )
    with opener.open(request, timeout=60) as response:  # follows the 302 to the thanks page
        thanks = response.read().decode()
        return {
            "form_status": form_status,
            "status": response.status,
            "url": response.url,
            "receipt": (m := _RECEIPT.search(thanks)) and m.group(1),
            "secret": (m := _SECRET.search(thanks)) and m.group(1),
            "subject": data["subject"],
        }


def test_200_parallel_submissions_are_all_stored_with_gap_free_numbers(server_url):
    category = VoiceCategory.objects.create(name="その他")
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        results = list(
            pool.map(lambda i: _submit_one(server_url, i, category.pk), range(SUBMISSIONS))
        )

    assert all(r["form_status"] == 200 and r["status"] == 200 for r in results)
    assert all("/voices/thanks/" in r["url"] for r in results)
    receipts = [r["receipt"] for r in results]
    assert all(receipts) and all(r["secret"] for r in results)
    assert len(set(receipts)) == SUBMISSIONS

    voices = list(CitizenVoice.objects.order_by("number").values_list("fy", "number", "subject"))
    assert len(voices) == SUBMISSIONS
    assert [number for _, number, _ in voices] == list(range(1, SUBMISSIONS + 1))
    assert len({fy for fy, _, _ in voices}) == 1
    stored = {f"{fy}-{number:04d}": subject for fy, number, subject in voices}
    # Every writer was shown the number of their own letter.
    assert all(stored[r["receipt"]] == r["subject"] for r in results)

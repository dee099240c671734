"""Benchmark: public voice-form submissions per second against a real server, and their latency.

Run with ``.venv/bin/python bench/voices_submit.py`` (options: ``--submissions 500``,
``--concurrency 16``, ``--workers 2``, ``--threads 4``, ``--time-limit 300``).

What it does:
1. makes a throw-away SQLite database in a temporary folder and migrates it; with
   DATABASE_URL set (e.g. PostgreSQL) it migrates and uses that database instead, and the
   voices it sends stay there;
2. starts gunicorn (``hoshin.wsgi``, ``-w 2 --threads 4``) on a free port of 127.0.0.1 with
   DEBUG=false, ALLOWED_HOSTS=127.0.0.1, a throw-away SECRET_KEY and
   HOSHIN_PUBLIC_FORM_RATE_LIMIT=0 (every submission comes from one address), e-mails to
   Django's dummy backend (the acknowledgement is rendered, nothing is sent);
3. sends N submissions from a thread pool over loopback only (urllib): each is a new
   "browser" (own cookie jar) that GETs the form (CSRF cookie, token, submission key), POSTs
   a letter with an e-mail address and a reply request, and GETs the thanks page the
   redirect points to;
4. reports submissions per second and the latency (p50/p90/p99/max) of the POST and of the
   whole GET–POST–GET cycle, then checks that every thanks page showed a distinct receipt
   number and that the fiscal year's receipt numbers have no gaps or duplicates;
5. stops the server and deletes the temporary folder.

It stops sending when the time limit is reached and exits non-zero when a check fails. It
never contacts anything but its own server on 127.0.0.1.
"""

import argparse
import http.cookiejar
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent

_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_KEY = re.compile(r'name="submission_key" value="([0-9a-f-]{36})"')
_RECEIPT = re.compile(r'id="receipt-number">(\d{4}-\d{4,})<')


@dataclass
class Outcome:
    ok: bool
    post_seconds: float = 0.0
    cycle_seconds: float = 0.0
    receipt: str = ""
    error: str = ""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the 302 comes back as HTTPError; the thanks page is fetched explicitly


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(tmp: Path, database_url: str) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "hoshin.settings",
        "DEBUG": "false",
        "SECRET_KEY": f"bench-{uuid.uuid4().hex}",
        "ALLOWED_HOSTS": "127.0.0.1",
        "HOSHIN_PUBLIC_FORM_RATE_LIMIT": "0",
        # Plain HTTP on loopback: cookies must not be Secure-only or the client drops them.
        "CSRF_COOKIE_SECURE": "false",
        "SESSION_COOKIE_SECURE": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "MEDIA_ROOT": str(tmp / "media"),
        "LOG_LEVEL": "ERROR",
    }
    return env


def wait_until_up(base_url: str, server: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"{base_url}/voices/new/", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer within 30 s")


def submit_one(base_url: str, index: int) -> Outcome:
    """One citizen: GET the form, POST a letter, GET the thanks page."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    started = time.perf_counter()
    try:
        with opener.open(f"{base_url}/voices/new/", timeout=60) as response:
            page = response.read().decode()
        data = {
            "csrfmiddlewaretoken": _TOKEN.search(page).group(1),
            "submission_key": _KEY.search(page).group(1),
            "kind": "opinion",
            "subject": f"ベンチマーク {index} 髙﨑𠮷",
            "body": f"{index}番目の意見です。駅前の歩道を広げてください。🙂\n" * 5,
            "email": f"writer{index}@example.jp",
            "wants_reply": "on",
            "homepage": "",
        }
        request = urllib.request.Request(
            f"{base_url}/voices/new/", data=urllib.parse.urlencode(data).encode()
        )
        post_started = time.perf_counter()
        try:
            with opener.open(request, timeout=60) as response:
                return Outcome(ok=False, error=f"POST answered {response.status}, not 302")
        except urllib.error.HTTPError as error:
            post_seconds = time.perf_counter() - post_started
            location = error.headers.get("Location", "")
            if error.code != 302 or "/voices/thanks/" not in location:
                return Outcome(ok=False, error=f"POST answered {error.code} {location}")
        with opener.open(urllib.parse.urljoin(base_url, location), timeout=60) as response:
            thanks = response.read().decode()
        receipt = _RECEIPT.search(thanks)
        if receipt is None:
            return Outcome(ok=False, error="no receipt number on the thanks page")
        return Outcome(
            ok=True,
            post_seconds=post_seconds,
            cycle_seconds=time.perf_counter() - started,
            receipt=receipt.group(1),
        )
    except Exception as error:  # report, do not stop the run
        return Outcome(ok=False, error=f"{type(error).__name__}: {error}")


def percentiles(values: list[float]) -> str:
    if len(values) < 2:
        return "n/a"
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    ms = [cuts[49] * 1000, cuts[89] * 1000, cuts[98] * 1000, max(values) * 1000]
    return "p50 {:.1f} ms  p90 {:.1f} ms  p99 {:.1f} ms  max {:.1f} ms".format(*ms)


def receipt_numbers(env: dict) -> tuple[int, list[int]]:
    """(fiscal year, its receipt numbers) read from the database the server wrote to."""
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "DEBUG", "SECRET_KEY")})
    os.environ["DJANGO_SETTINGS_MODULE"] = "hoshin.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.utils import timezone

    from hoshin.lib.fiscal import fiscal_year_of
    from hoshin.voices.models import CitizenVoice

    fy = fiscal_year_of(timezone.localdate())
    numbers = list(
        CitizenVoice.objects.filter(fy=fy).order_by("number").values_list("number", flat=True)
    )
    return fy, numbers


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--submissions", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--time-limit", type=float, default=300, help="seconds of sending")
    args = parser.parse_args()

    tmp_dir = tempfile.TemporaryDirectory(prefix="hoshin-bench-voices-")
    tmp = Path(tmp_dir.name)
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite3"
    env = server_env(tmp, database_url)
    engine = database_url.split(":", 1)[0]
    print(f"database: {engine}{' (throw-away)' if 'DATABASE_URL' not in os.environ else ''}")

    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "hoshin.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_until_up(base_url, server)
        _, before = receipt_numbers(env)
        print(
            f"gunicorn -w {args.workers} --threads {args.threads} on {base_url}; "
            f"{args.submissions} submissions, {args.concurrency} at a time"
        )
        deadline = time.monotonic() + args.time_limit

        def bounded(index: int) -> Outcome:
            if time.monotonic() > deadline:
                return Outcome(ok=False, error="time limit reached, not sent")
            return submit_one(base_url, index)

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            outcomes = list(pool.map(bounded, range(args.submissions)))
        wall = time.perf_counter() - started
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

    done = [o for o in outcomes if o.ok]
    failed = [o for o in outcomes if not o.ok]
    print(f"\nsent {len(done)} of {args.submissions} in {wall:.2f} s")
    print(f"submissions per second: {len(done) / wall:.1f}  (GET form + POST + GET thanks)")
    print(f"POST latency:  {percentiles([o.post_seconds for o in done])}")
    print(f"cycle latency: {percentiles([o.cycle_seconds for o in done])}")
    for outcome in failed[:5]:
        print(f"  failed: {outcome.error}")

    fy, after = receipt_numbers(env)
    new_numbers = after[len(before) :]
    receipts = [o.receipt for o in done]
    checks = {
        "every submission answered with a receipt number": not failed,
        "receipt numbers shown are distinct": len(set(receipts)) == len(receipts),
        f"{len(done)} new voices stored": len(after) - len(before) == len(done),
        f"FY{fy} numbers are 1..{len(after)} without gaps": after == list(range(1, len(after) + 1)),
        "numbers shown match the new rows": sorted(int(r.split("-")[1]) for r in receipts)
        == new_numbers,
    }
    print()
    for label, passed in checks.items():
        print(f"[{'ok' if passed else 'FAILED'}] {label}")
    tmp_dir.cleanup()
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""Two app servers on one PostgreSQL database: what must hold between them (issue 10).

    DATABASE_URL=postgres://… .venv/bin/python scripts/two_servers_check.py [--submissions 40]

`.ci/run` runs it after the PostgreSQL test run. It migrates the database given by
DATABASE_URL (the default cache table is created by `migrate` too), seeds a voice category,
starts two gunicorn servers on two free ports against that database and then checks:

1. **Receipt numbers**: ~40 citizens submit the public voice form at once, alternately to
   each server (threads, each its own cookie jar and client address); every one gets a thanks
   page with its receipt number, the numbers are unique across both servers, and the stored
   numbers are gapless.
2. **Rate limits are shared**: the public-form limit (per client address) reached on one
   server holds on the other, and so does the status-page limit (failed look-ups of one
   receipt number): after it, the right secret is refused by the other server as well.
3. **Sign-in lockout is shared**: wrong passwords for one account on server A, each from
   another address, until the account is locked (django-axes, kept in the database); then
   server B refuses the right password too (429, the lockout page), and A and B both keep
   refusing it.

It prints what it checked and exits non-zero, with a message per failure, when anything does
not hold. The database must be a scratch one: the script adds voices to it.
"""

import argparse
import http.cookiejar
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
GUNICORN = BASE_DIR / ".venv" / "bin" / "gunicorn"
PUBLIC_FORM_LIMIT = 3  # per address per hour, on both servers
STATUS_LOOKUP_LIMIT = 3
SIGNIN_FAILURE_LIMIT = 3  # per account, from any address
SIGNIN_PASSWORD = "two-servers-" + secrets.token_urlsafe(12)

# Client addresses of this run: limits of an earlier run on the same database last an hour.
RUN = secrets.randbelow(200) + 20

_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_KEY = re.compile(r'name="submission_key" value="([0-9a-f-]{36})"')
_RECEIPT = re.compile(r'id="receipt-number">(\d{4}-\d{4,})<')
_SECRET = re.compile(r'id="receipt-secret">([A-Za-z0-9_-]+)<')


def server_environment(database_url: str, secret_key: str) -> dict[str, str]:
    """The same production-like settings for both servers (and for this script's own Django)."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": secret_key,  # the same on every server, as in production
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Plain HTTP on loopback: cookies without the Secure flag, no redirect to HTTPS.
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_SSL_REDIRECT": "false",
        # Each simulated citizen has its own address, as behind the city's reverse proxy.
        "HOSHIN_TRUST_X_FORWARDED_FOR": "true",
        "HOSHIN_PUBLIC_FORM_RATE_LIMIT": str(PUBLIC_FORM_LIMIT),
        "HOSHIN_STATUS_LOOKUP_RATE_LIMIT": str(STATUS_LOOKUP_LIMIT),
        "HOSHIN_SIGNIN_FAILURE_LIMIT": str(SIGNIN_FAILURE_LIMIT),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "DB_CONN_MAX_AGE": "0",
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, environment: dict[str, str], log: Path) -> subprocess.Popen:
    command = [
        str(GUNICORN),
        "hoshin.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
        "--threads",
        "4",
        "--timeout",
        "120",
    ]
    handle = log.open("wb")
    return subprocess.Popen(command, cwd=BASE_DIR, env=environment, stdout=handle, stderr=handle)


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(
                f"the server for {url} stopped at start-up (exit {process.returncode})"
            )
        try:
            with urllib.request.urlopen(f"{url}/voices/new/", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)  # a script polling a server it started, not a test
    raise SystemExit(f"the server at {url} did not answer within {seconds:.0f} s")


# ---- one citizen -----------------------------------------------------------------------------


class Citizen:
    """A browser (cookie jar) at one client address."""

    def __init__(self, address: str):
        self.address = address
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, url: str) -> tuple[int, str]:
        request = urllib.request.Request(url, headers={"X-Forwarded-For": self.address})
        return self._open(request)

    def post(self, url: str, data: dict) -> tuple[int, str]:
        request = urllib.request.Request(
            url,
            data=urllib.parse.urlencode(data).encode(),
            headers={"X-Forwarded-For": self.address, "Referer": url},
        )
        return self._open(request)

    def _open(self, request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=120) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def submit_voice(self, server: str, subject: str, category_id: int) -> dict:
        status, page = self.get(f"{server}/voices/new/")
        if status != 200 or not _TOKEN.search(page) or not _KEY.search(page):
            return {"status": status, "receipt": None, "secret": None, "subject": subject}
        data = {
            "csrfmiddlewaretoken": _TOKEN.search(page).group(1),
            "submission_key": _KEY.search(page).group(1),
            "kind": "opinion",
            "subject": subject,
            "body": f"{subject}の本文です。",
            "category": str(category_id),
            "email": "",
            "homepage": "",
        }
        status, thanks = self.post(f"{server}/voices/new/", data)
        return {
            "status": status,
            "receipt": (m := _RECEIPT.search(thanks)) and m.group(1),
            "secret": (m := _SECRET.search(thanks)) and m.group(1),
            "subject": subject,
        }

    def look_up(self, server: str, receipt: str, secret: str) -> int:
        status, page = self.get(f"{server}/voices/status/")
        token = _TOKEN.search(page)
        data = {"receipt_number": receipt, "secret": secret}
        if token:
            data["csrfmiddlewaretoken"] = token.group(1)
        status, _ = self.post(f"{server}/voices/status/", data)
        return status


# ---- the checks ------------------------------------------------------------------------------


def check_receipt_numbers(
    servers: list[str], count: int, category_id: int
) -> tuple[list[str], list[dict]]:
    """Concurrent submissions alternating between the servers: unique, gapless numbers."""
    from hoshin.voices.models import CitizenVoice

    before = set(CitizenVoice.objects.values_list("pk", flat=True))

    def submit(index: int) -> dict:
        citizen = Citizen(f"10.{RUN}.{index // 250}.{index % 250 + 1}")
        return citizen.submit_voice(servers[index % 2], f"二台構成の確認 {index}", category_id)

    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(submit, range(count)))
    problems = [
        f"submission {i} to {servers[i % 2]}: HTTP {r['status']}, no receipt number shown"
        for i, r in enumerate(results)
        if r["status"] != 200 or not r["receipt"] or not r["secret"]
    ]
    receipts = [r["receipt"] for r in results if r["receipt"]]
    if len(set(receipts)) != len(receipts):
        problems.append(f"receipt numbers shown twice: {sorted(receipts)}")
    new = CitizenVoice.objects.exclude(pk__in=before)
    stored = sorted(new.values_list("fy", "number"))
    if len(stored) != count:
        problems.append(f"{count} submissions stored {len(stored)} voices")
    for fy in {fy for fy, _ in stored}:
        numbers = [number for year, number in stored if year == fy]
        earlier = CitizenVoice.objects.filter(fy=fy).exclude(pk__in=new.values("pk"))
        start = max(earlier.values_list("number", flat=True), default=0) + 1
        if numbers != list(range(start, start + len(numbers))):
            problems.append(f"receipt numbers of {fy} are not gapless: {numbers}")
    by_receipt = {
        f"{fy}-{number:04d}": subject
        for fy, number, subject in new.values_list("fy", "number", "subject")
    }
    wrong = [r for r in results if r["receipt"] and by_receipt.get(r["receipt"]) != r["subject"]]
    if wrong:
        problems.append(f"{len(wrong)} writers were shown another letter's receipt number")
    print(
        f"receipt numbers: {len(receipts)} submissions over two servers, numbers {stored[:1]}…{stored[-1:]}"
    )
    return problems, results


def check_rate_limits(servers: list[str], category_id: int, sample: dict) -> list[str]:
    """A limit reached on one server holds on the other (form submissions, status look-ups)."""
    problems = []
    a, b = servers
    citizen = Citizen(f"10.{RUN}.255.1")
    statuses = [
        citizen.submit_voice((a, b)[i % 2], f"制限の確認 {i}", category_id)["status"]
        for i in range(PUBLIC_FORM_LIMIT)
    ]
    over = citizen.submit_voice(b if PUBLIC_FORM_LIMIT % 2 else a, "制限の確認 超過", category_id)
    if statuses != [200] * PUBLIC_FORM_LIMIT or over["status"] != 429:
        problems.append(
            f"public-form limit {PUBLIC_FORM_LIMIT}/h not shared: {statuses} then {over['status']}"
            " (expected the last one refused with 429)"
        )
    guesser = Citizen(f"10.{RUN}.255.2")
    guesses = [
        guesser.look_up(a, sample["receipt"], "WRONGSECRET") for _ in range(STATUS_LOOKUP_LIMIT)
    ]
    right_on_b = guesser.look_up(b, sample["receipt"], sample["secret"])
    if guesses != [200] * STATUS_LOOKUP_LIMIT or right_on_b != 429:
        problems.append(
            f"status-page limit not shared: failures on A {guesses}, then B answered {right_on_b}"
            " (expected 429)"
        )
    print("rate limits: the limit reached on one server held on the other" if not problems else "")
    return problems


def sign_in(citizen: "Citizen", server: str, username: str, password: str) -> int:
    """POST the staff sign-in form; 302 is signed in, 200 a refused password, 429 locked."""
    _, page = citizen.get(f"{server}/staff/login/")
    data = {"username": username, "password": password}
    if token := _TOKEN.search(page):
        data["csrfmiddlewaretoken"] = token.group(1)
    request = urllib.request.Request(
        f"{server}/staff/login/",
        data=urllib.parse.urlencode(data).encode(),
        headers={"X-Forwarded-For": citizen.address, "Referer": f"{server}/staff/login/"},
    )

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(
        NoRedirect,
        *[h for h in citizen.opener.handlers if isinstance(h, urllib.request.HTTPCookieProcessor)],
    )
    try:
        with opener.open(request, timeout=120) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def check_lockout(server_a: str, server_b: str, username: str) -> list[str]:
    """Wrong passwords on ``server_a`` (each from another address, so that only the account's
    own limit counts) until the account is locked; then ``server_b`` must refuse the right
    password as well. Return the problems (empty: it holds)."""
    problems = []
    failures = [
        sign_in(Citizen(f"10.{RUN}.254.{n + 1}"), server_a, username, "wrong-password")
        for n in range(SIGNIN_FAILURE_LIMIT)
    ]
    right_on_b = sign_in(Citizen(f"10.{RUN}.253.1"), server_b, username, SIGNIN_PASSWORD)
    right_on_a = sign_in(Citizen(f"10.{RUN}.253.2"), server_a, username, SIGNIN_PASSWORD)
    if failures[:-1] != [200] * (SIGNIN_FAILURE_LIMIT - 1):
        problems.append(f"wrong passwords on A were not refused with the form again: {failures}")
    if right_on_b != 429 or right_on_a != 429:
        problems.append(
            f"sign-in lockout not shared: after {SIGNIN_FAILURE_LIMIT} failures on A, the right"
            f" password got {right_on_b} on B and {right_on_a} on A (expected 429 on both)"
        )
    else:
        print("sign-in lockout: an account locked on one server was locked on the other")
    return problems


# ---- main ------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=40)
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        print("two_servers_check: DATABASE_URL must name a PostgreSQL database", file=sys.stderr)
        return 2
    environment = server_environment(database_url, secrets.token_urlsafe(50))
    os.environ.update(environment)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoshin.settings")
    sys.path.insert(0, str(BASE_DIR))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    from hoshin.voices.models import VoiceCategory

    category, _ = VoiceCategory.objects.get_or_create(name="その他")
    from django.contrib.auth import get_user_model

    username = f"two-servers-{RUN}-{secrets.token_hex(3)}"
    get_user_model().objects.create_user(username=username, password=SIGNIN_PASSWORD)

    logs = Path(os.environ.get("TMPDIR", "/tmp"))
    ports = [free_port(), free_port()]
    servers = [f"http://127.0.0.1:{port}" for port in ports]
    processes = [
        start_server(port, environment, logs / f"hoshin-two-servers-{port}.log") for port in ports
    ]
    try:
        for url, process in zip(servers, processes, strict=True):
            wait_until_up(url, process)
        print(f"two servers: {servers[0]} and {servers[1]} on {database_url.rsplit('@', 1)[-1]}")
        problems, results = check_receipt_numbers(servers, args.submissions, category.pk)
        sample = next((r for r in results if r["receipt"] and r["secret"]), None)
        if sample is None:
            problems.append("no submission succeeded: cannot check the status-page limit")
        else:
            problems += check_rate_limits(servers, category.pk, sample)
        problems += check_lockout(servers[0], servers[1], username)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
    if problems:
        print("two_servers_check FAILED:", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        print(f"  (server logs: {logs}/hoshin-two-servers-<port>.log)", file=sys.stderr)
        return 1
    print("two_servers_check: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())

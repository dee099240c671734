"""Benchmark: the CPU cost of one sign-in attempt (issue 10, finding 3).

Run with ``.venv/bin/python bench/signin.py``. It uses a throw-away SQLite database (or
DATABASE_URL if set), the production password hasher (PBKDF2, Django's default) and the whole
request path (middleware, form, axes, audit) through Django's test client, and prints the
median CPU time (``time.process_time``, this process only) of:

- a wrong password for an existing account (counted towards its lockout);
- the right password (a signed-in session; the second step, if any, is not included);
- an attempt on a locked account: refused before any password is hashed;
- a wrong password for an account that does not exist (Django hashes a dummy password so
  that the timing does not tell which accounts exist).

Before issue 10 every attempt cost the hashing (~0.75 s measured on the attacked server; the
figure here depends on this machine) and nothing was ever refused.
"""

import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_tmp = tempfile.TemporaryDirectory(prefix="hoshin-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_tmp.name}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoshin.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from axes.models import AccessAttempt  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from hoshin.org.models import User  # noqa: E402

ROUNDS = 9


def cpu_ms(action) -> float:
    """Median CPU milliseconds of ``action()`` over ROUNDS runs."""
    times = []
    for _ in range(ROUNDS):
        start = time.process_time()
        action()
        times.append((time.process_time() - start) * 1000)
    return statistics.median(times)


def attempt(username: str, password: str, address: str, expect: int) -> None:
    response = Client().post(
        "/staff/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )
    assert response.status_code == expect, (username, response.status_code)


def main() -> None:
    setup_test_environment()
    logging.getLogger("django.request").setLevel(logging.ERROR)  # every 429 is a warning
    call_command("migrate", verbosity=0)
    User.objects.create_user("bench-user", password="correct horse battery staple")
    User.objects.create_user("bench-locked", password="correct horse battery staple")
    print(f"hasher: {settings.PASSWORD_HASHERS[0].rsplit('.', 1)[-1]}")

    counter = iter(range(1, 100_000))

    def fresh_address() -> str:
        n = next(counter)
        return f"10.{n // 65536}.{n // 256 % 256}.{n % 256}"

    def wrong() -> None:
        attempt("bench-user", "wrong", fresh_address(), 200)
        AccessAttempt.objects.filter(username="bench-user").delete()  # never lock it here

    def right() -> None:
        attempt("bench-user", "correct horse battery staple", fresh_address(), 302)

    def unknown() -> None:
        attempt("no-such-user", "wrong", fresh_address(), 200)
        AccessAttempt.objects.filter(username="no-such-user").delete()

    for _ in range(settings.HOSHIN_SIGNIN_FAILURE_LIMIT):
        attempt("bench-locked", "wrong", fresh_address(), 200 if _ < 9 else 429)

    def locked() -> None:
        attempt("bench-locked", "correct horse battery staple", fresh_address(), 429)

    figures = [
        ("wrong password", cpu_ms(wrong)),
        ("right password", cpu_ms(right)),
        ("unknown account", cpu_ms(unknown)),
        ("locked account (refused)", cpu_ms(locked)),
    ]
    print(f"CPU per sign-in attempt (median of {ROUNDS}, whole request):")
    for label, value in figures:
        print(f"  {label:<28} {value:8.1f} ms")
    print(f"  locked / wrong: {figures[3][1] / figures[0][1]:.2f}")


if __name__ == "__main__":
    main()

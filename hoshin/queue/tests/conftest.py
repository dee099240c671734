"""The queue's tests use the real database backend and real worker processes.

Worker processes cannot see the test's in-memory database, so those tests run against a SQLite
file of their own, migrated once per session (``queue_template``) and copied per test.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def database_backend(settings):
    """Jobs go to the database queue, as in production (conftest makes them immediate)."""
    settings.TASKS = DATABASE


def queue_env(db_file: Path, **extra) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{db_file}",
        DEBUG="true",
        HOSHIN_TASK_BACKEND="database",
        DJANGO_SETTINGS_MODULE="hoshin.settings",
        PYTHONPATH=str(ROOT),
        **extra,
    )
    return env


def manage(db_file: Path, *args, env_extra=None, **kwargs):
    """Run manage.py against ``db_file`` in a process of its own."""
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=queue_env(db_file, **(env_extra or {})),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        **kwargs,
    )


@pytest.fixture(scope="session")
def queue_template(tmp_path_factory) -> Path:
    """A migrated SQLite file, built once per session."""
    db_file = tmp_path_factory.mktemp("queue-template") / "hoshin.sqlite3"
    done = manage(db_file, "migrate", "--no-input", "-v", "0")
    assert done.returncode == 0, done.stderr
    return db_file


@pytest.fixture
def queue_db(queue_template, tmp_path) -> Path:
    """A fresh copy of the migrated database for one test."""
    db_file = tmp_path / "hoshin.sqlite3"
    shutil.copy(queue_template, db_file)
    return db_file

"""Shared counters: windows, cleanup, and atomic increments from several threads at once.

Issue 10, finding "rate limits count per process": the limits now count in the database; these
tests show that concurrent hits are never lost (the read-add-write of ``DatabaseCache.incr``
loses them, which the last test demonstrates for contrast).
"""

import sqlite3
import threading
from contextlib import contextmanager

import pytest
from django.db import connection, connections
from django.db.utils import load_backend

from hoshin.throttle import counters
from hoshin.throttle.models import Counter


@pytest.mark.django_db
def test_hits_count_up_within_the_window_and_start_again_after_it():
    assert counters.hits("a", now=1000) == 0
    assert [counters.hit("a", seconds=60, now=1000 + i) for i in range(3)] == [1, 2, 3]
    assert counters.hits("a", now=1059) == 3
    assert counters.hits("a", now=1060) == 0  # the window of the first hit has ended
    assert counters.hit("a", seconds=60, now=1061) == 1
    assert counters.hits("a", now=1062) == 1
    assert counters.hits("b", now=1062) == 0


@pytest.mark.django_db
def test_first_in_window_is_true_once():
    assert counters.first_in_window("click", seconds=30)
    assert not counters.first_in_window("click", seconds=30)


@pytest.mark.django_db
def test_cleanup_deletes_ended_windows_only():
    counters.hit("old", seconds=10, now=1000)
    counters.hit("new", seconds=10, now=1005)
    assert counters.cleanup(now=1012) == 1
    assert list(Counter.objects.values_list("name", flat=True)) == ["new"]


@pytest.mark.django_db
def test_long_names_are_bounded():
    name = "x" * 1000
    assert counters.hit(name, seconds=60) == 2 - 1
    assert counters.hits(name) == 1


@contextmanager
def own_connections(tmp_path):
    """Settings for a connection per thread, as each server process has its own.

    PostgreSQL: the test database itself. The in-memory SQLite test database exists only in its
    one connection, so it is copied to a file that every thread opens (as in
    hoshin/voices/tests/test_concurrent_submissions.py).
    """
    db_settings = dict(connection.settings_dict)
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        path = tmp_path / "shared.sqlite3"
        target = sqlite3.connect(path)
        connection.ensure_connection()
        connection.connection.backup(target)
        target.close()
        db_settings["NAME"] = str(path)
        db_settings.pop("TEST", None)
    yield db_settings


def in_threads(work, db_settings: dict, *, threads: int, each: int) -> list:
    """Run ``work`` ``each`` times in ``threads`` threads started together; its results."""
    barrier = threading.Barrier(threads)
    errors, results = [], []

    def run():
        own = load_backend(db_settings["ENGINE"]).DatabaseWrapper(dict(db_settings), "default")
        connections["default"] = own
        try:
            barrier.wait()
            for _ in range(each):
                results.append(work())
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            own.close()

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert not errors, errors
    return results


@pytest.mark.django_db(transaction=True)
def test_concurrent_hits_from_several_threads_are_all_counted(tmp_path):
    with own_connections(tmp_path) as db_settings:
        seen = in_threads(
            lambda: counters.hit("storm", seconds=3600), db_settings, threads=4, each=25
        )
        # Every hit saw a different count: no two requests both believed they were the n-th.
        assert sorted(seen) == list(range(1, 101))
        [total] = in_threads(lambda: counters.hits("storm"), db_settings, threads=1, each=1)
        assert total == 100

"""manage.py run_scheduler: the worker that runs every scheduled job once a day."""

import datetime
import io
import os
import signal
import threading
import time

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from hoshin.jobs.management.commands import run_scheduler
from hoshin.jobs.management.commands.run_scheduler import Job, Scheduler

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


# --- run_scheduler ---------------------------------------------------------------------------


class Clock:
    def __init__(self, start: datetime.datetime):
        self.now = start

    def __call__(self) -> datetime.datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += datetime.timedelta(**delta)


def make_scheduler(clock, results=None, hour=8):
    calls = []

    def job(day):
        calls.append(day)
        return results.pop(0) if results else True

    return Scheduler([Job("send_reminders", hour, job)], now=clock, max_sleep=300), calls


def test_scheduler_runs_once_a_day_at_the_hour():
    clock = Clock(datetime.datetime(2026, 6, 25, 7, 59))
    scheduler, calls = make_scheduler(clock)
    assert scheduler.run_due() == [] and calls == []
    assert scheduler.seconds_to_sleep(clock()) == 60
    clock.advance(minutes=1)
    assert scheduler.run_due() == [("send_reminders", True)]
    clock.advance(hours=5)
    assert scheduler.run_due() == []
    assert scheduler.seconds_to_sleep(clock()) == 300  # capped; next run tomorrow 8:00
    clock.advance(hours=19)
    assert scheduler.run_due() == [("send_reminders", True)]
    assert calls == [datetime.date(2026, 6, 25), datetime.date(2026, 6, 26)]


def test_scheduler_started_after_the_hour_runs_at_once():
    clock = Clock(datetime.datetime(2026, 6, 25, 15, 0))
    scheduler, calls = make_scheduler(clock)
    assert scheduler.run_due() == [("send_reminders", True)]
    assert calls == [datetime.date(2026, 6, 25)]


def test_scheduler_retries_a_failed_run_later_and_survives_exceptions():
    clock = Clock(datetime.datetime(2026, 6, 25, 8, 0))
    calls = []

    def job(day):
        calls.append(clock())
        if len(calls) == 1:
            raise RuntimeError("database away")
        return len(calls) > 2  # the second run could not send every e-mail

    scheduler = Scheduler([Job("send_reminders", 8, job)], now=clock, retry_seconds=900)
    assert scheduler.run_due() == [("send_reminders", False)]
    assert scheduler.seconds_to_sleep(clock()) == 300
    clock.advance(minutes=10)
    assert scheduler.run_due() == []  # not yet
    clock.advance(minutes=5)
    assert scheduler.run_due() == [("send_reminders", False)]  # partial send: retry
    clock.advance(minutes=15)
    assert scheduler.run_due() == [("send_reminders", True)]
    clock.advance(minutes=15)
    assert scheduler.run_due() == []  # done for today
    assert len(calls) == 3


def test_scheduler_rejects_a_bad_hour():
    with pytest.raises(ValueError, match="0–23"):
        Scheduler([Job("x", 24, lambda day: True)])
    with pytest.raises(CommandError):
        run("run_scheduler", "--hour", "25", "--once")


def test_run_forever_ends_when_stopped():
    clock = Clock(datetime.datetime(2026, 6, 25, 9, 0))
    scheduler, calls = make_scheduler(clock)
    threading.Timer(0.1, scheduler.stop.set).start()
    started = time.monotonic()
    scheduler.run_forever()
    assert time.monotonic() - started < 5
    assert len(calls) == 1


def test_run_scheduler_once_fails_loudly_when_the_job_fails(monkeypatch):
    def broken(day):
        raise RuntimeError("database away")

    monkeypatch.setattr(
        run_scheduler, "scheduled_jobs", lambda hour=None: [Job("send_reminders", 0, broken)]
    )
    with pytest.raises(CommandError, match="失敗した処理があります"):
        run("run_scheduler", "--once")


def test_run_scheduler_once_sends_todays_reminders(due_world, settings):
    settings.HOSHIN_REMINDER_DAYS_BEFORE = 10_000  # whatever today is, the due date is near
    out = run("run_scheduler", "--once", "--hour", "0")
    assert "実行した処理: send_reminders" in out
    assert len(mail.outbox) == 2


def test_run_scheduler_stops_on_sigterm(monkeypatch):
    """The worker's sleep ends at once on SIGTERM and the command returns normally."""
    ran = []
    monkeypatch.setattr(
        run_scheduler,
        "scheduled_jobs",
        lambda hour=None: [Job("noop", 0, lambda day: ran.append(day) or True)],
    )
    previous = signal.getsignal(signal.SIGTERM)
    threading.Timer(0.3, os.kill, args=(os.getpid(), signal.SIGTERM)).start()
    started = time.monotonic()
    try:
        out = run("run_scheduler", "--max-sleep", "60")
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert time.monotonic() - started < 10
    assert "定時処理を終了しました" in out
    assert len(ran) == 1


def test_daily_audit_check_logs_the_newest_hash_and_an_error_when_broken(caplog):
    """The scheduler's audit_verify job writes the chain's newest hash outside the database and
    logs an error naming the first broken entry when a row was edited."""
    from hoshin.audit.models import AuditEntry
    from hoshin.audit.services import audit_record
    from hoshin.jobs.schedule import WORK

    for n in range(3):
        audit_record(actor=None, verb="test.event", summary=f"event {n}")
    newest = AuditEntry.objects.order_by("-sequence").first()
    caplog.set_level("INFO", logger="hoshin.jobs.schedule")
    assert WORK["audit_verify"](datetime.date(2026, 12, 2))
    assert newest.entry_hash in caplog.text and "intact" in caplog.text

    caplog.clear()
    AuditEntry.objects.filter(pk=newest.pk).update(summary="rewritten")
    WORK["audit_verify"](datetime.date(2026, 12, 3))
    errors = [r for r in caplog.records if r.levelname == "ERROR"]
    assert errors and "BROKEN" in errors[0].getMessage()

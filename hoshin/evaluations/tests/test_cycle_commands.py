"""The commands of the cycle: start_fiscal_year, send_reminders and the run_scheduler worker."""

import datetime
import io
import os
import signal
import threading
import time

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from hoshin.evaluations.management.commands import run_scheduler
from hoshin.evaluations.management.commands.run_scheduler import Job, Scheduler
from hoshin.evaluations.models import EvaluationCycle, ReminderLog
from hoshin.evaluations.tests.factories import make_world
from hoshin.lib.fiscal import fiscal_year_of
from hoshin.org.models import User

pytestmark = pytest.mark.django_db

THIS_FY = fiscal_year_of(datetime.date.today())


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def world():
    world = make_world()
    world.plan.start_fy, world.plan.end_fy = 2020, 2040
    world.plan.save()
    return world


# --- start_fiscal_year -----------------------------------------------------------------------


def test_start_fiscal_year_opens_the_year_and_prints_counts(world):
    out = run("start_fiscal_year", "--plan", world.plan.name, "--fy", "2024")
    assert "シート 4 件（うち前年度から引き継ぎ 0 件、新規 4 件）" in out
    out = run(
        "start_fiscal_year", "--plan", world.plan.name, "--fy", "令和7年度", "--user", "planner"
    )
    assert "令和7年度（2025年度）" in out and "引き継ぎ 4 件" in out
    cycle = EvaluationCycle.objects.get(plan=world.plan, fy=2025)
    assert cycle.sheets.count() == 4 and cycle.opened_by == world.planner


@pytest.mark.parametrize(
    ("plan", "fy", "message"),
    [
        ("ない計画", "2025", "計画「ない計画」はありません。登録されている計画: 評価テスト計画"),
        (None, str(THIS_FY + 2), "まだ開始できません"),
        (None, "2019", "計画期間"),
        (None, "来年", "年度として読めません"),
    ],
)
def test_start_fiscal_year_refusals(world, plan, fy, message):
    with pytest.raises(CommandError, match=message):
        run("start_fiscal_year", "--plan", plan or world.plan.name, "--fy", fy)
    assert not EvaluationCycle.objects.exists()


def test_start_fiscal_year_twice_is_refused(world):
    run("start_fiscal_year", "--plan", world.plan.name, "--fy", "2025")
    with pytest.raises(CommandError, match="既に開始しています"):
        run("start_fiscal_year", "--plan", world.plan.name, "--fy", "R7")
    assert EvaluationCycle.objects.count() == 1


def test_start_fiscal_year_unknown_user(world):
    with pytest.raises(CommandError, match="ユーザー「nobody」はいません"):
        run("start_fiscal_year", "--plan", world.plan.name, "--fy", "2025", "--user", "nobody")


# --- send_reminders --------------------------------------------------------------------------


@pytest.fixture
def due_world(world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run("start_fiscal_year", "--plan", world.plan.name, "--fy", "2025")
    EvaluationCycle.objects.update(submit_due=datetime.date(2026, 6, 24))
    User.objects.exclude(username="other_editor").update(email="x@city.example.lg.jp")
    return world


def test_send_reminders_dry_run_prints_who_would_get_what(due_world):
    out = run("send_reminders", "--dry-run", "--today", "2026-06-25")
    assert "確認のみ" in out
    assert "送信予定: editor <x@city.example.lg.jp> 期限超過 2 件・期限間近 0 件" in out
    assert "[期限超過] 評価テスト計画 令和7年度 ハザードマップを周知する。（地域防災対策室）" in out
    assert "メールアドレス未登録のため送れません: other_editor（1 件）" in out
    assert mail.outbox == [] and not ReminderLog.objects.exists()


def test_send_reminders_sends_once_a_day(due_world):
    out = run("send_reminders", "--today", "2026-06-25")
    assert "送信 2 通" in out and len(mail.outbox) == 2
    out = run("send_reminders", "--today", "2026-06-25")
    assert "送信 0 通、本日送信済み 2 人" in out and len(mail.outbox) == 2


def test_send_reminders_bad_date(world):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("send_reminders", "--today", "6/25")


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

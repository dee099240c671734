"""A small worker that runs hoshin's scheduled jobs (docs/scheduled-jobs.md lists them all).

    manage.py run_scheduler [--hour H] [--once] [--max-sleep SECONDS]

Its jobs run once a day at HOSHIN_REMINDER_HOUR o'clock local time (TIME_ZONE, Asia/Tokyo),
8 unless configured: the reminder e-mails (``send_reminders``), and for citizens' voices the
reminders (``send_voice_reminders``), the results notices (``notify_voice_writers``) and the
retention job (``purge_personal_data``).

- Started (or restarted) after that hour on a day whose run has not happened yet, it runs at
  once. That can never double an e-mail: ReminderLog allows one digest per person and day.
- If some e-mails could not be sent (the mail server was down) or the job failed, it tries
  again after ``RETRY_SECONDS``; people who already got today's digest are skipped.
- Otherwise it sleeps, waking at least every ``--max-sleep`` seconds to re-check the clock.
- SIGTERM or SIGINT (systemctl stop, Ctrl-C) ends the sleep at once; a job that is running
  finishes first. Exit status 0.

Run it under a process supervisor (systemd ``Restart=on-failure``, a container runtime), or
use the systemd timer in deploy/systemd instead: both call the same service.
"""

import datetime
import logging
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from hoshin.evaluations.services.reminders import reminders_send
from hoshin.throttle import counters
from hoshin.voices.services.loop import voices_notify_results
from hoshin.voices.services.reminders import voice_reminders_send
from hoshin.voices.services.retention import personal_data_purge

logger = logging.getLogger(__name__)

RETRY_SECONDS = 15 * 60


@dataclass
class Job:
    """A job run once a day at ``hour``; ``run(day)`` returns False when it should be retried."""

    name: str
    hour: int
    run: Callable[[datetime.date], bool]


def send_reminders_job(day: datetime.date) -> bool:
    report = reminders_send(today=day)
    logger.info(
        "send_reminders %s: sent %d, already %d, no e-mail %d, failed %d",
        day,
        len(report.sent),
        len(report.already_sent),
        len(report.no_email),
        len(report.failed),
    )
    return not report.failed


def voice_jobs() -> list[tuple[str, Callable[[datetime.date], bool]]]:
    """The citizens' voices jobs (hoshin.voices): reminders, closing the loop, retention."""

    def reminders(day: datetime.date) -> bool:
        return not voice_reminders_send(today=day).failed

    def notify(day: datetime.date) -> bool:
        return not voices_notify_results().failed

    def purge(day: datetime.date) -> bool:
        personal_data_purge(today=day)
        return True

    return [
        ("send_voice_reminders", reminders),
        ("notify_voice_writers", notify),
        ("purge_personal_data", purge),
    ]


def throttle_cleanup_job(day: datetime.date) -> bool:
    """Delete rate-limit counters whose window has ended (hoshin.throttle; they count as zero
    anyway, this only keeps the table small)."""
    logger.info("throttle_cleanup %s: deleted %d", day, counters.cleanup())
    return True


def scheduled_jobs(*, hour: int | None = None) -> list[Job]:
    """Every scheduled job of hoshin. Add a job here and in docs/scheduled-jobs.md."""
    hour = settings.HOSHIN_REMINDER_HOUR if hour is None else hour
    return [
        Job("send_reminders", hour, send_reminders_job),
        *(Job(name, hour, run) for name, run in voice_jobs()),
        Job("throttle_cleanup", hour, throttle_cleanup_job),
    ]


class Scheduler:
    """Decides what to run now and how long to sleep; the clock and the stop flag are injected
    so that tests drive it without sleeping."""

    def __init__(
        self,
        jobs: list[Job],
        *,
        now: Callable[[], datetime.datetime] = timezone.localtime,
        stop: threading.Event | None = None,
        max_sleep: float = 300,
        retry_seconds: float = RETRY_SECONDS,
    ):
        for job in jobs:
            if not 0 <= job.hour <= 23:
                raise ValueError(f"{job.name}: hour must be 0–23, got {job.hour}")
        self.jobs, self.now, self.max_sleep = jobs, now, max_sleep
        self.stop = stop or threading.Event()
        self.retry_seconds = retry_seconds
        self.done: dict[str, datetime.date] = {}  # job name → last day it completed
        self.retry_at: dict[str, datetime.datetime] = {}

    def due(self, now: datetime.datetime) -> list[Job]:
        """Jobs whose hour has come today and that have not completed today."""
        return [
            job
            for job in self.jobs
            if now.hour >= job.hour
            and self.done.get(job.name) != now.date()
            and now >= self.retry_at.get(job.name, now)
        ]

    def run_due(self) -> list[tuple[str, bool]]:
        """Run what is due now: (job, succeeded). A failing job is logged and retried later."""
        ran = []
        for job in self.due(self.now()):
            day = self.now().date()
            try:
                ok = job.run(day)
            except Exception:
                logger.exception("scheduled job %s failed", job.name)
                ok = False
            ran.append((job.name, ok))
            if ok:
                self.done[job.name] = day
                self.retry_at.pop(job.name, None)
            else:
                self.retry_at[job.name] = self.now() + datetime.timedelta(
                    seconds=self.retry_seconds
                )
        return ran

    def seconds_to_sleep(self, now: datetime.datetime) -> float:
        """Until the next job is due (its hour today or tomorrow, or its retry), capped."""
        waits = []
        for job in self.jobs:
            if job.name in self.retry_at:
                at = self.retry_at[job.name]
            else:
                at = now.replace(hour=job.hour, minute=0, second=0, microsecond=0)
                if self.done.get(job.name) == now.date():
                    at += datetime.timedelta(days=1)
            waits.append((at - now).total_seconds())
        return min(max(min(waits, default=self.max_sleep), 1), self.max_sleep)

    def run_forever(self) -> None:
        while not self.stop.is_set():
            self.run_due()
            if self.stop.is_set():
                break
            self.stop.wait(self.seconds_to_sleep(self.now()))


class Command(BaseCommand):
    help = "定時処理（督促メールの送信など）を1日1回、決まった時刻に実行し続けます。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--hour",
            type=int,
            help="督促メールを送る時（0〜23）。省略時は HOSHIN_REMINDER_HOUR",
        )
        parser.add_argument(
            "--once", action="store_true", help="今の時点で実行すべき処理を1回だけ行って終了する"
        )
        parser.add_argument(
            "--max-sleep",
            type=float,
            default=300,
            help="時刻を確かめ直す最大の間隔（秒）",
        )

    def handle(self, *args, hour, once, max_sleep, **options):
        jobs = scheduled_jobs(hour=hour)
        try:
            scheduler = Scheduler(jobs, max_sleep=max_sleep)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if once:
            ran = scheduler.run_due()
            names = [name if ok else f"{name}（失敗）" for name, ok in ran]
            self.stdout.write("実行した処理: " + ("、".join(names) if names else "なし"))
            if not all(ok for _name, ok in ran):
                raise CommandError("失敗した処理があります（ログを確認してください）。")
            return
        previous = {
            signum: signal.signal(signum, lambda *_args: scheduler.stop.set())
            for signum in (signal.SIGTERM, signal.SIGINT)
        }
        schedule = "、".join(f"{job.name} 毎日{job.hour}時" for job in jobs)
        self.stdout.write(f"定時処理を開始しました（{schedule}）。SIGTERM で終了します。")
        self.stdout.flush()
        try:
            scheduler.run_forever()
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        self.stdout.write("定時処理を終了しました。")

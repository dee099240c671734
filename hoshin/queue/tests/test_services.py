"""The queue's rules: once-markers, build claims, recovery of dead workers' jobs, enqueueing
with the caller's transaction, and the scheduler's one enqueue per job and day."""

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from hoshin.jobs.schedule import Job, enqueue_periodic
from hoshin.jobs.worker import run_queued
from hoshin.queue.models import Claim, Mark, WorkerBeat
from hoshin.queue.services import claim, enqueue, mark_once, queue_prune, requeue_stale
from hoshin.queue.tests.tasks import gated_effect

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - datetime.timedelta(days=1)


def test_a_mark_is_taken_once_and_rolls_back_with_its_effect():
    with transaction.atomic():
        assert mark_once("mail|1")
        assert not mark_once("mail|1")
    with pytest.raises(RuntimeError), transaction.atomic():
        assert mark_once("mail|2")
        raise RuntimeError("the mail server refused it")
    assert list(Mark.objects.values_list("key", flat=True)) == ["mail|1"]


def test_a_claim_has_one_holder_until_it_is_stale():
    assert claim("build|v1/report", stale_after=60)
    assert not claim("build|v1/report", stale_after=60)
    Claim.objects.update(claimed_at=LONG_AGO)  # its builder died a day ago
    assert claim("build|v1/report", stale_after=60)
    assert not claim("build|v1/report", stale_after=60)


def running_job(worker_ids, started_at=LONG_AGO):
    job = gated_effect.enqueue("k", "/nonexistent").db_result
    DBTaskResult.objects.filter(pk=job.pk).update(
        status="RUNNING", started_at=started_at, worker_ids=worker_ids
    )
    return job.pk


def status(pk) -> str:
    return DBTaskResult.objects.get(pk=pk).status


def test_jobs_of_dead_workers_go_back_to_the_queue_and_live_ones_stay(database_backend, settings):
    settings.HOSHIN_TASK_STALE_SECONDS = 60
    settings.HOSHIN_TASK_MAX_ATTEMPTS = 3
    WorkerBeat.objects.create(worker_id="alive", beat_at=timezone.now())
    WorkerBeat.objects.create(worker_id="dead", beat_at=LONG_AGO)
    dead = running_job(["dead"])
    silent = running_job(["never-beat"])  # a plain db_worker: judged by its start time
    alive = running_job(["alive"])  # a long job on a live worker
    fresh = running_job(["dead"], started_at=timezone.now())  # started a moment ago
    poison = running_job(["a", "b", "dead"])  # third attempt lost: it may be the killer
    requeued, failed = requeue_stale()
    assert sorted(requeued) == sorted([str(dead), str(silent)])
    assert failed == [str(poison)]
    assert [status(pk) for pk in (dead, silent, alive, fresh, poison)] == [
        "READY",
        "READY",
        "RUNNING",
        "RUNNING",
        "FAILED",
    ]
    assert requeue_stale() == ([], [])  # a second recovery (another worker) finds nothing


def test_a_job_enqueued_in_a_transaction_that_rolls_back_never_exists(database_backend):
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue(gated_effect, "k", "/nonexistent")
        assert DBTaskResult.objects.count() == 1
        raise RuntimeError
    assert DBTaskResult.objects.count() == 0


def test_two_schedulers_enqueue_a_days_run_once(database_backend):
    day = datetime.date(2026, 6, 25)
    assert enqueue_periodic("send_reminders", day)  # the scheduler on server 1
    assert enqueue_periodic("send_reminders", day)  # the one on server 2: already queued
    assert enqueue_periodic("send_reminders", day + datetime.timedelta(days=1))
    jobs = DBTaskResult.objects.filter(task_path="hoshin.jobs.tasks.run_periodic_job")
    assert sorted(job.args_kwargs["args"][1] for job in jobs) == ["2026-06-25", "2026-06-26"]


def test_scheduled_jobs_are_one_list_each_enqueued_by_the_scheduler():
    from hoshin.jobs.management.commands import run_scheduler
    from hoshin.jobs.schedule import WORK

    jobs = run_scheduler.scheduled_jobs(hour=8)
    assert [job.name for job in jobs] == list(WORK)
    assert all(isinstance(job, Job) and job.hour == 8 for job in jobs)


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_queued_acknowledgement_once_and_forgets_the_secret(
    database_backend,
):
    from hoshin.voices.services.intake import WriterDetails
    from hoshin.voices.services.submission import voice_submit
    from hoshin.voices.tasks import send_acknowledgement

    received = voice_submit(
        channel="web",
        kind="opinion",
        subject="件名",
        body="本文です。",
        received_on=timezone.localdate(),
        writer=WriterDetails(name="山田 太郎", email="taro@example.jp"),
    )
    assert len(mail.outbox) == 0  # queued with the voice, not sent by the request
    job = DBTaskResult.objects.get(task_path="hoshin.voices.tasks.send_acknowledgement")
    run_queued()
    assert len(mail.outbox) == 1 and received.voice.receipt_number in mail.outbox[0].body
    job.refresh_from_db()
    assert job.status == "SUCCESSFUL"
    assert received.secret not in str(job.args_kwargs)  # only its hash is kept anywhere
    # A re-run (a worker lost before it marked the job done) sends nothing again.
    send_acknowledgement.using(backend="default").enqueue(received.voice.pk, received.secret)
    run_queued()
    assert len(mail.outbox) == 1


def test_pruning_keeps_what_a_queued_job_may_still_need(database_backend):
    old = timezone.now() - datetime.timedelta(days=60)
    finished = gated_effect.enqueue("old", "/x").db_result
    DBTaskResult.objects.filter(pk=finished.pk).update(status="SUCCESSFUL", finished_at=old)
    Mark.objects.create(key="old-mark")
    Mark.objects.filter(key="old-mark").update(done_at=old)
    Claim.objects.create(key="old-claim", claimed_at=old)
    WorkerBeat.objects.create(worker_id="gone", beat_at=old)
    assert queue_prune() == 4
    pending = gated_effect.enqueue("pending", "/x").db_result
    DBTaskResult.objects.filter(pk=pending.pk).update(enqueued_at=old - datetime.timedelta(days=1))
    Mark.objects.create(key="needed")
    Mark.objects.filter(key="needed").update(done_at=old)
    assert queue_prune() == 0  # a job queued before the mark may still re-run and need it
    assert Mark.objects.filter(key="needed").exists()

"""Issue 10, "What to build" 7: report PDFs are generated on the queue ahead of the first
request after a publication — the annual report and the printed sheets."""

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from hoshin.changes.channel import announce
from hoshin.jobs.worker import run_queued
from hoshin.reports import tasks, views
from hoshin.reports.tests import conftest as report_data

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_publication_prints_its_reports_on_the_queue_before_anyone_asks(
    settings, monkeypatch, client
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    data = report_data.reports.shared_builder()
    DBTaskResult.objects.all().delete()  # what building the data queued
    announce(sheet_ids=[data.published.pk])  # the sheet's publication, committed
    queued = sorted(DBTaskResult.objects.values_list("task_path", flat=True))
    assert queued == [
        "hoshin.reports.tasks.build_annual_report",
        "hoshin.reports.tasks.build_sheet_pdfs",
    ]
    run_queued()
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 2

    def no_printing_in_the_request(*args, **kwargs):
        raise AssertionError("the request printed a PDF the worker should have printed")

    monkeypatch.setattr(views, "build_sheet_pdf", no_printing_in_the_request)
    monkeypatch.setattr(tasks, "annual_report_pdf", no_printing_in_the_request)
    sheet = client.get(reverse("reports:sheet_pdf", args=[data.published.action_id, 2025]))
    assert sheet.status_code == 200 and sheet.content.startswith(b"%PDF")
    annual = client.get(reverse("reports:annual_pdf", args=[data.plan.pk, 2025]))
    assert annual.status_code == 200
    assert b"".join(annual.streaming_content).startswith(b"%PDF")


def test_a_change_to_a_long_published_sheet_queues_no_rebuild(settings):
    """A citizen's rating announces its sheet: no 9 s report rebuild per rating."""
    import datetime

    from django.utils import timezone

    from hoshin.evaluations.models import EvaluationSheet

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    data = report_data.reports.shared_builder()
    DBTaskResult.objects.all().delete()
    EvaluationSheet.objects.filter(pk=data.published.pk).update(
        published_at=timezone.now() - datetime.timedelta(days=30)
    )
    announce(sheet_ids=[data.published.pk])
    assert not DBTaskResult.objects.exists()

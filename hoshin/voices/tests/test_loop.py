"""Closing the loop: writers who asked are told once when a linked action's result is published."""

import datetime
import smtplib
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from hoshin.evaluations.models import EvaluationSheet, Stage
from hoshin.evaluations.services.workflow import sheet_transition, sheets_publish
from hoshin.evaluations.tests.factories import make_world, open_year, sheet_of
from hoshin.org.models import Role
from hoshin.voices.models import CitizenVoice, VoiceNotification, VoiceWriter
from hoshin.voices.services.intake import WriterDetails
from hoshin.voices.services.loop import voices_notify_results
from hoshin.voices.tests.handling_helpers import WRITER_EMAIL, make_user, receive

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = make_world()
    world.cycle = open_year(world)
    world.office = make_user("office", role=Role.PUBLIC_HEARING)
    return world


def final_sheet(world, action=None) -> EvaluationSheet:
    sheet = sheet_of(world.cycle, action or world.bousai_action)
    EvaluationSheet.objects.filter(pk=sheet.pk).update(stage=Stage.FINAL)
    sheet.refresh_from_db()
    return sheet


def linked_voice(world, action=None, **kw) -> CitizenVoice:
    kw.setdefault("received_on", timezone.localdate() - datetime.timedelta(days=30))
    voice = receive(**kw)
    voice.actions.add(action or world.bousai_action)
    return voice


def test_publishing_a_sheet_tells_the_writer_once(world, django_capture_on_commit_callbacks):
    voice = linked_voice(world)
    sheet = final_sheet(world)
    with django_capture_on_commit_callbacks(execute=True):
        sheet_transition(sheet=sheet, by=world.planner, name="publish")
    (message,) = mail.outbox
    assert message.to == [WRITER_EMAIL]
    assert voice.receipt_number in message.subject
    assert world.bousai_action.get_absolute_url() in message.body
    assert "ハザードマップを周知する" in message.body
    assert "令和7年度（2025年度）" in message.body
    assert VoiceNotification.objects.filter(voice=voice, sheet=sheet).count() == 1
    # Withdrawn and published again: no second e-mail for the same voice and sheet.
    with django_capture_on_commit_callbacks(execute=True):
        sheet_transition(sheet=sheet, by=world.planner, name="unpublish", comment="訂正")
        sheet_transition(sheet=sheet, by=world.planner, name="publish")
    assert len(mail.outbox) == 1


def test_publishing_a_whole_year_tells_every_writer(world, django_capture_on_commit_callbacks):
    first = linked_voice(world)
    second = linked_voice(world, action=world.zaisei_action)
    final_sheet(world)
    final_sheet(world, world.zaisei_action)
    with django_capture_on_commit_callbacks(execute=True):
        sheets_publish(cycle=world.cycle, by=world.planner)
    numbers = {
        n
        for m in mail.outbox
        for n in (first.receipt_number, second.receipt_number)
        if n in m.subject
    }
    assert numbers == {first.receipt_number, second.receipt_number}
    assert len(mail.outbox) == 2


@pytest.mark.parametrize(
    "kind",
    ["not_asked", "no_email", "purged", "older_result", "unpublished_plan"],
)
def test_nobody_is_told_who_should_not_be(world, django_capture_on_commit_callbacks, kind):
    if kind == "not_asked":
        linked_voice(world, notify_results=False)
    elif kind == "no_email":
        linked_voice(world, writer=WriterDetails(name="郵送の人", postal_address="みどり市1-1"))
    elif kind == "purged":
        voice = linked_voice(world)
        VoiceWriter.objects.filter(voice=voice).delete()
        CitizenVoice.objects.filter(pk=voice.pk).update(personal_data_deleted_at=timezone.now())
    elif kind == "older_result":  # the letter arrived after the result was published
        voice = linked_voice(world)  # the intake refuses a future date: move it afterwards
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        CitizenVoice.objects.filter(pk=voice.pk).update(received_on=tomorrow)
    elif kind == "unpublished_plan":
        linked_voice(world)
        world.plan.is_published = False
        world.plan.save()
    sheet = final_sheet(world)
    with django_capture_on_commit_callbacks(execute=True):
        sheet_transition(sheet=sheet, by=world.planner, name="publish")
    assert not mail.outbox
    assert not VoiceNotification.objects.exists()


def test_a_failed_send_is_retried_by_the_catch_up_command(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    voice = linked_voice(world)
    sheet = final_sheet(world)
    original = mail.EmailMessage.send

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPException("down")

    monkeypatch.setattr(mail.EmailMessage, "send", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        sheet_transition(sheet=sheet, by=world.planner, name="publish")
    sheet.refresh_from_db()
    assert sheet.stage == Stage.PUBLISHED  # publishing never fails because of an e-mail
    assert not VoiceNotification.objects.exists()
    monkeypatch.setattr(mail.EmailMessage, "send", original)
    out = StringIO()
    call_command("notify_voice_writers", "--dry-run", stdout=out)
    assert voice.receipt_number in out.getvalue() and not mail.outbox
    call_command("notify_voice_writers", stdout=StringIO())
    assert len(mail.outbox) == 1
    call_command("notify_voice_writers", stdout=StringIO())
    assert len(mail.outbox) == 1


def test_without_the_hook_running_nothing_is_sent_in_the_transaction(world):
    """Inside the publishing transaction nothing is sent: only after the commit."""
    linked_voice(world)
    sheet = final_sheet(world)
    sheet_transition(sheet=sheet, by=world.planner, name="publish")  # on_commit not run here
    assert not mail.outbox
    report = voices_notify_results(sheet_ids=[sheet.pk])
    assert len(report.sent) == 1 and len(mail.outbox) == 1

"""Reminder e-mails: who gets which sheets, one digest per person per day, dry runs."""

import datetime
import smtplib

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives

from hoshin.evaluations.models import EvaluationCycle, EvaluationSheet, ReminderLog, Stage
from hoshin.evaluations.services.reminders import reminders_send
from hoshin.evaluations.tests.factories import make_user, make_world, open_year, sheet_of
from hoshin.org.models import Department, Role, User

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 25)


@pytest.fixture(autouse=True)
def _mail_settings(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.HOSHIN_BASE_URL = "https://hoshin.city.example.lg.jp"
    settings.HOSHIN_REMINDER_DAYS_BEFORE = 3


@pytest.fixture
def world():
    world = make_world()
    for user in User.objects.all():
        user.email = f"{user.username}@city.example.lg.jp"
        user.save()
    return world


@pytest.fixture
def cycle(world):
    """Submission was due yesterday; approval is due in 2 days; review in 10 days."""
    cycle = open_year(world, 2025)
    EvaluationCycle.objects.filter(pk=cycle.pk).update(
        submit_due=TODAY - datetime.timedelta(days=1),
        approve_due=TODAY + datetime.timedelta(days=2),
        review_due=TODAY + datetime.timedelta(days=10),
    )
    cycle.refresh_from_db()
    return cycle


def stage(cycle, action, value):
    EvaluationSheet.objects.filter(cycle=cycle, action=action).update(stage=value)


def outbox_to(address: str) -> list[EmailMultiAlternatives]:
    return [message for message in mail.outbox if address in message.to]


def test_each_holder_gets_one_digest_of_their_sheets(world, cycle):
    stage(cycle, world.shared_action, Stage.SUBMITTED)  # 防災's head must approve it
    stage(cycle, world.zaisei_action, Stage.APPROVED)  # review due in 10 days: not yet
    report = reminders_send(today=TODAY)
    recipients = sorted(message.to[0].split("@")[0] for message in mail.outbox)
    # editor: 防災's draft (overdue); head: the submitted one (due soon);
    # planner: the 全庁 draft (overdue). 財政's editor has nothing (its sheet is approved).
    assert recipients == ["editor", "head", "planner"]
    assert len(report.sent) == 3
    editor = report.sent[[d.user for d in report.sent].index(world.editor)]
    assert [item.sheet.action for item in editor.overdue] == [world.bousai_action]
    assert editor.due_soon == []
    head = report.sent[[d.user for d in report.sent].index(world.head)]
    assert [item.sheet.action for item in head.due_soon] == [world.shared_action]
    assert ReminderLog.objects.filter(day=TODAY).count() == 3


def test_approved_sheets_go_to_the_planning_office_when_review_is_near(world, cycle):
    EvaluationCycle.objects.filter(pk=cycle.pk).update(review_due=TODAY)
    for action in (world.bousai_action, world.shared_action, world.all_action):
        stage(cycle, action, Stage.FINAL)
    stage(cycle, world.zaisei_action, Stage.APPROVED)
    reminders_send(today=TODAY)
    assert [m.to for m in mail.outbox] == [["planner@city.example.lg.jp"]]
    assert "長期財政計画を策定する。" in mail.outbox[0].body
    assert "今日まで" in mail.outbox[0].body


def test_digest_content_is_japanese_with_absolute_links(world, cycle):
    stage(cycle, world.shared_action, Stage.SUBMITTED)
    reminders_send(today=TODAY)
    (message,) = outbox_to("editor@city.example.lg.jp")
    assert message.subject == "【行政経営】評価シートの期限のお知らせ（期限超過 1件・期限間近 0件）"
    sheet = sheet_of(cycle, world.bousai_action)
    link = f"https://hoshin.city.example.lg.jp/staff/sheets/{sheet.pk}/"
    assert "editor 様" in message.body
    assert "期限を過ぎたシート（1件）" in message.body
    assert "ハザードマップを周知する。（地域防災対策室）" in message.body
    assert "1日超過" in message.body
    assert link in message.body
    assert "https://hoshin.city.example.lg.jp/staff/tasks/" in message.body
    assert "&amp;" not in message.body  # the text body is not HTML-escaped
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{link}"' in html and '<html lang="ja">' in html
    (head_message,) = outbox_to("head@city.example.lg.jp")
    assert "期限が近いシート（1件）" in head_message.body and "あと2日" in head_message.body
    assert "承認（一次評価）してください" in head_message.body


def test_a_second_run_the_same_day_sends_nothing(world, cycle):
    first = reminders_send(today=TODAY)
    assert len(first.sent) == 3 and len(mail.outbox) == 3
    (digest,) = outbox_to("editor@city.example.lg.jp")  # two sheets, one e-mail
    assert (
        "ハザードマップを周知する。" in digest.body and "防災訓練の予算を確保する。" in digest.body
    )
    second = reminders_send(today=TODAY)
    assert second.sent == [] and len(second.already_sent) == 3
    assert len(mail.outbox) == 3
    tomorrow = reminders_send(today=TODAY + datetime.timedelta(days=1))
    assert len(tomorrow.sent) == 3 and len(mail.outbox) == 6


def test_dry_run_sends_nothing_and_writes_no_log(world, cycle):
    report = reminders_send(today=TODAY, dry_run=True)
    assert {d.user for d in report.sent} == {world.editor, world.other_editor, world.planner}
    assert mail.outbox == []
    assert not ReminderLog.objects.exists()


def test_users_without_email_are_reported_not_crashed_on(world, cycle):
    User.objects.filter(pk=world.editor.pk).update(email="")
    report = reminders_send(today=TODAY)
    assert [d.user for d in report.no_email] == [world.editor]
    assert sorted(m.to[0] for m in mail.outbox) == [
        "other_editor@city.example.lg.jp",
        "planner@city.example.lg.jp",
    ]
    assert not ReminderLog.objects.filter(user=world.editor).exists()


def test_sheets_due_later_than_the_window_are_not_reminded(world, cycle, settings):
    EvaluationCycle.objects.filter(pk=cycle.pk).update(submit_due=TODAY + datetime.timedelta(4))
    assert reminders_send(today=TODAY).sent == []
    settings.HOSHIN_REMINDER_DAYS_BEFORE = 4
    assert len(reminders_send(today=TODAY).sent) == 3


def test_no_due_dates_no_reminders(world):
    open_year(world, 2025)
    report = reminders_send(today=TODAY)
    assert report.sent == [] and mail.outbox == []


def test_a_role_on_the_parent_department_covers_its_units(world, cycle):
    bu = Department.objects.create(name="総務部", kind="bu")
    Department.objects.filter(pk=world.bousai.pk).update(parent=bu)
    chief = make_user("bu-editor", role=Role.DEPARTMENT_EDITOR, department=bu)
    User.objects.filter(pk=chief.pk).update(email="bu@city.example.lg.jp")
    reminders_send(today=TODAY)
    (message,) = outbox_to("bu@city.example.lg.jp")
    assert "ハザードマップを周知する。" in message.body


def test_inactive_users_get_nothing(world, cycle):
    User.objects.filter(pk=world.editor.pk).update(is_active=False)
    report = reminders_send(today=TODAY)
    assert world.editor not in [d.user for d in report.sent]
    assert {item.sheet.action for item in report.unassigned} == {
        world.bousai_action,
        world.shared_action,
    }


def test_a_failed_send_leaves_no_log_so_the_next_run_retries(world, cycle, monkeypatch):
    def refuse(self, fail_silently=False):
        raise smtplib.SMTPServerDisconnected("connection lost")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    report = reminders_send(today=TODAY)
    assert len(report.failed) == 3 and report.sent == []
    assert "connection lost" in report.failed[0][1]
    assert not ReminderLog.objects.exists()
    monkeypatch.undo()
    assert len(reminders_send(today=TODAY).sent) == 3

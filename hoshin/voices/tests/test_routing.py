"""Routing by the public-hearing office: classify, assign, link actions, flag, close, forward;
the staff list with its filters, the overdue view and the reminder e-mails."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from hoshin.audit.models import AuditEntry
from hoshin.voices.models import (
    Channel,
    ReplyStage,
    VoiceEvent,
    VoiceReminderLog,
    VoiceStatus,
)
from hoshin.voices.services import replies, routing
from hoshin.voices.services.errors import VoiceError, VoicePermissionError
from hoshin.voices.services.reminders import voice_reminders_send
from hoshin.voices.tests.handling_helpers import (
    PERSONAL_MARKERS,
    assigned,
    at_stage,
    drafted,
    make_action,
    make_staff,
    receive,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return make_staff()


# ---- services --------------------------------------------------------------------------


def test_routing_assigns_the_lead_department_and_tells_the_writer(staff):
    voice = receive(staff)
    assert voice.status == VoiceStatus.RECEIVED
    voice = routing.voice_route(
        voice=voice,
        by=staff.office,
        category=staff.category,
        lead_department=staff.road,
        co_departments=[staff.park, staff.road],  # the lead is never also a co-department
        note="道路課と協議済み",
    )
    voice.refresh_from_db()
    assert voice.status == VoiceStatus.ASSIGNED
    assert voice.lead_department == staff.road
    assert list(voice.co_departments.all()) == [staff.park]
    event = voice.events.last()
    assert event.status == VoiceStatus.ASSIGNED
    assert "道路課と協議済み" in event.note and "主管課: 道路課" in event.note
    assert event.public_note == "担当課（道路課）が決まりました。"
    assert event.by == staff.office
    assert AuditEntry.objects.filter(verb="voice.route", target_id=str(voice.pk)).exists()


@pytest.mark.parametrize("who", ["editor", "head", "planner", "mayor", "viewer", "other_editor"])
def test_only_the_public_hearing_office_routes(staff, who):
    voice = receive(staff)
    with pytest.raises(VoicePermissionError):
        routing.voice_route(
            voice=voice, by=staff.user(who), category=None, lead_department=staff.road
        )
    voice.refresh_from_db()
    assert voice.lead_department is None and voice.status == VoiceStatus.RECEIVED


def test_admin_routes_like_the_office(staff):
    voice = routing.voice_route(
        voice=receive(staff), by=staff.admin, category=None, lead_department=staff.park
    )
    assert voice.status == VoiceStatus.ASSIGNED


def test_closing_needs_a_reason_shown_to_the_writer(staff):
    voice = assigned(staff)
    with pytest.raises(VoiceError, match="理由"):
        routing.voice_close(voice=voice, by=staff.office, reason="  ")
    voice = routing.voice_close(
        voice=voice, by=staff.office, reason="回答を希望されていないため、ご意見として承りました。"
    )
    assert voice.status == VoiceStatus.CLOSED
    assert voice.status_reason.startswith("回答を希望されていない")
    assert voice.closed_at is not None
    assert voice.events.last().public_note == voice.status_reason
    with pytest.raises(VoiceError):
        routing.voice_close(voice=voice, by=staff.office, reason="二度目")


def test_forwarding_needs_where_to(staff):
    voice = receive(staff)
    with pytest.raises(VoiceError, match="回送先"):
        routing.voice_forward(voice=voice, by=staff.office, to="")
    voice = routing.voice_forward(voice=voice, by=staff.office, to="みどり県 道路整備課")
    assert voice.status == VoiceStatus.FORWARDED
    assert voice.status_reason == "みどり県 道路整備課"
    assert "みどり県 道路整備課へ回送しました" in voice.events.last().public_note


def test_reopen_undoes_a_mistaken_close(staff):
    voice = routing.voice_close(voice=assigned(staff), by=staff.office, reason="重複")
    with pytest.raises(VoiceError):
        routing.voice_reopen(voice=voice, by=staff.office, reason="")
    voice = routing.voice_reopen(voice=voice, by=staff.office, reason="重複ではなかった")
    assert voice.status == VoiceStatus.ASSIGNED
    assert voice.status_reason == "" and voice.closed_at is None


def test_routing_is_refused_once_the_voice_has_ended(staff):
    voice = routing.voice_forward(voice=receive(staff), by=staff.office, to="警察署")
    with pytest.raises(VoiceError):
        routing.voice_route(voice=voice, by=staff.office, category=None, lead_department=staff.road)


def test_linking_and_unlinking_actions_are_logged(staff):
    voice = assigned(staff)
    action = make_action(staff.road)
    routing.voice_link_action(voice=voice, by=staff.office, action=action)
    routing.voice_link_action(voice=voice, by=staff.office, action=action)  # no duplicate
    assert list(voice.actions.all()) == [action]
    routing.voice_unlink_action(voice=voice, by=staff.office, action=action)
    assert not voice.actions.exists()
    notes = [event.note for event in voice.events.all()]
    assert any("関連する取組を追加" in n for n in notes)
    assert any("関連する取組を削除" in n for n in notes)
    with pytest.raises(VoicePermissionError):
        routing.voice_link_action(voice=voice, by=staff.editor, action=action)


def test_flagging_for_the_mayor_after_approval_sends_the_reply_to_the_mayor(staff):
    voice = assigned(staff)
    reply = at_stage(drafted(staff, voice), ReplyStage.APPROVED)
    routing.voice_route(
        voice=voice,
        by=staff.office,
        category=staff.category,
        lead_department=staff.road,
        co_departments=[staff.park],
        mayor_flag=True,
    )
    reply.refresh_from_db()
    assert reply.stage == ReplyStage.OFFICE_APPROVED
    assert "市長決裁が必要" in reply.events.last().comment
    routing.voice_route(
        voice=voice,
        by=staff.office,
        category=staff.category,
        lead_department=staff.road,
        co_departments=[staff.park],
        mayor_flag=False,
    )
    reply.refresh_from_db()
    assert reply.stage == ReplyStage.APPROVED


def test_a_note_can_explain_a_delay_to_the_writer(staff):
    voice = assigned(staff)
    with pytest.raises(VoiceError):
        routing.voice_note_add(voice=voice, by=staff.office, note="", public_note="")
    event = routing.voice_note_add(
        voice=voice, by=staff.office, note="県と協議中", public_note="関係機関と調整しています。"
    )
    assert event.status == VoiceStatus.ASSIGNED and event.public_note


# ---- views -----------------------------------------------------------------------------


def route_data(staff, **overrides):
    data = {
        "route-category": staff.category.pk,
        "route-lead_department": staff.road.pk,
        "route-co_departments": [staff.park.pk],
        "route-note": "",
        "route-public_note": "",
    }
    data.update(overrides)
    return data


def test_routing_form_says_what_empty_means_and_lists_co_departments_as_check_boxes(client, staff):
    voice = receive(staff)
    client.force_login(staff.office)
    page = client.get(reverse("voices_staff:detail", args=[voice.pk])).content.decode()
    assert "---------" not in page
    assert '<option value="" selected>未定</option>' in page  # no lead department yet
    assert '<option value="">指定なし</option>' in page  # category: may be left empty
    assert '<select name="route-co_departments"' not in page
    assert f'name="route-co_departments" value="{staff.park.pk}"' in page
    assert "<legend>建設部</legend>" in page  # grouped under the parent department


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("office", 302),
        ("admin", 302),
        ("viewer", 403),  # sees the voice (its department leads it) but may not route
        ("editor", 403),
        ("other_editor", 403),  # a co-department: reads the text, may not route
        ("stranger", 404),  # another department must not learn the voice exists
        ("committee", 404),
        ("anonymous", 302),
    ],
)
def test_route_view_permission_matrix(client, staff, who, expected):
    voice = assigned(staff)
    voice_id = voice.pk
    if who != "anonymous":
        client.force_login(staff.user(who))
    response = client.post(
        reverse("voices_staff:route", args=[voice_id]),
        route_data(staff, **{"route-lead_department": staff.park.pk}),
    )
    assert response.status_code == expected
    voice.refresh_from_db()
    if who in ("office", "admin"):
        assert voice.lead_department == staff.park
        assert response["Location"].endswith(f"/staff/voices/{voice_id}/#routing")
    else:
        assert voice.lead_department == staff.road
    if who == "anonymous":
        assert "/login/" in response["Location"]


def test_route_view_needs_post(client, staff):
    voice = receive(staff)
    client.force_login(staff.office)
    assert client.get(reverse("voices_staff:route", args=[voice.pk])).status_code == 405


@pytest.mark.parametrize(
    ("name", "data", "status"),
    [
        ("close", {"close-reason": "ご意見として承りました。"}, VoiceStatus.CLOSED),
        ("forward", {"forward-to": "みどり県"}, VoiceStatus.FORWARDED),
    ],
)
def test_close_and_forward_views(client, staff, name, data, status):
    voice = assigned(staff)
    client.force_login(staff.office)
    response = client.post(reverse(f"voices_staff:{name}", args=[voice.pk]), data)
    assert response.status_code == 302
    voice.refresh_from_db()
    assert voice.status == status


def test_close_view_without_reason_shows_the_error(client, staff):
    voice = assigned(staff)
    client.force_login(staff.office)
    response = client.post(reverse("voices_staff:close", args=[voice.pk]), {"close-reason": ""})
    assert response.status_code == 400
    assert "このフィールドは必須です" in response.content.decode()
    voice.refresh_from_db()
    assert voice.status == VoiceStatus.ASSIGNED


def test_action_search_and_link_views(client, staff):
    voice = assigned(staff)
    action = make_action(staff.road)
    client.force_login(staff.office)
    page = client.get(reverse("voices_staff:actions", args=[voice.pk]), {"q": "通学路 安全"})
    assert page.status_code == 200
    assert "通学路の安全対策" in page.content.decode()
    response = client.post(
        reverse("voices_staff:action_link", args=[voice.pk]), {"action": action.pk, "q": "通学路"}
    )
    assert response.status_code == 302 and "q=" in response["Location"]
    assert list(voice.actions.all()) == [action]
    response = client.post(reverse("voices_staff:action_unlink", args=[voice.pk, action.pk]))
    assert response.status_code == 302
    assert not voice.actions.exists()
    client.force_login(staff.editor)
    assert client.get(reverse("voices_staff:actions", args=[voice.pk])).status_code == 403


# ---- list, filters, overdue ---------------------------------------------------------------


def test_list_filters_by_status_department_overdue_channel_and_year(client, staff):
    old = assigned(
        staff, received_on=datetime.date(2024, 6, 3), subject="古い声"
    )  # FY2024, overdue
    fresh = receive(staff, subject="新しい声", received_on=datetime.date.today())
    closed = routing.voice_close(
        voice=assigned(staff, subject="終わった声"), by=staff.office, reason="済"
    )
    client.force_login(staff.office)
    url = reverse("voices_staff:list")

    def subjects(**params):
        html = client.get(url, params).content.decode()
        return {s for s in ("古い声", "新しい声", "終わった声") if s in html}

    assert subjects() == {"古い声", "新しい声", "終わった声"}
    assert subjects(status="open") == {"古い声", "新しい声"}
    assert subjects(status=VoiceStatus.CLOSED) == {"終わった声"}
    assert subjects(department=staff.road.pk) == {"古い声", "終わった声"}
    assert subjects(department=staff.park.pk) == {"古い声", "終わった声"}  # co-department
    assert subjects(overdue="on") == {"古い声"}
    assert subjects(channel=Channel.PHONE) == set()
    assert subjects(channel=Channel.WEB) == {"古い声", "新しい声", "終わった声"}
    assert subjects(fy=2024) == {"古い声"}
    assert subjects(q="新しい") == {"新しい声"}
    html = client.get(url).content.decode()
    assert "期限超過" in html
    assert old.receipt_number in html and fresh.receipt_number in html
    assert closed.receipt_number in html


def test_overdue_view_lists_overdue_and_due_soon(client, staff):
    today = datetime.date.today()
    late = assigned(staff, received_on=today - datetime.timedelta(days=60), subject="遅れている声")
    soon = assigned(staff, received_on=today, subject="期限が近い声")
    soon.reply_due = today + datetime.timedelta(days=1)
    soon.save()
    client.force_login(staff.office)
    response = client.get(reverse("voices_staff:overdue"))
    html = response.content.decode()
    assert response.status_code == 200
    overdue_part, soon_part = html.split('id="soon-title"')[0], html.split('id="soon-title"')[1]
    assert late.receipt_number in overdue_part and soon.receipt_number not in overdue_part
    assert soon.receipt_number in soon_part.split('id="waiting-title"')[0]
    # Another department's editor sees neither.
    client.force_login(staff.stranger)
    html = client.get(reverse("voices_staff:overdue")).content.decode()
    assert late.receipt_number not in html


def test_list_never_shows_personal_details_to_departments(client, staff):
    assigned(staff, subject="山田太郎からの要望（090-1234-5678）")
    client.force_login(staff.editor)
    html = client.get(reverse("voices_staff:list")).content.decode()
    assert "090-1234-5678" not in html and "山田" not in html
    client.force_login(staff.office)
    assert "090-1234-5678" in client.get(reverse("voices_staff:list")).content.decode()


# ---- reminders ---------------------------------------------------------------------------


def test_reminders_go_to_whoever_holds_each_overdue_voice(staff, settings):
    settings.HOSHIN_REMINDER_DAYS_BEFORE = 3
    received = datetime.date(2025, 6, 2)
    today = datetime.date(2025, 7, 1)  # the 10 office days have long passed
    unrouted = receive(staff, received_on=received, subject="未振り分け")
    drafting = assigned(staff, received_on=received)
    submitted = assigned(staff, received_on=received)
    reply = drafted(staff, submitted)
    replies.reply_transition(reply=reply, by=staff.editor, name="submit")
    no_due = assigned(staff, received_on=received, wants_reply=False)
    assert no_due.reply_due is None

    report = voice_reminders_send(today=today)
    by_user = {digest.user.username: digest for digest in report.sent}
    assert set(by_user) == {"office", "editor", "parent_editor", "head"}
    assert [i.voice for i in by_user["office"].items] == [unrouted]
    assert [i.voice for i in by_user["editor"].items] == [drafting]
    assert [i.voice for i in by_user["head"].items] == [submitted]
    assert "unit_editor" not in by_user  # a 係's role does not cover its 課
    assert len(mail.outbox) == 4
    message = next(m for m in mail.outbox if m.to == ["editor@city.example.jp"])
    assert drafting.receipt_number in message.body and "期限超過" in message.subject + message.body
    for sent in mail.outbox:
        for marker in PERSONAL_MARKERS:
            assert marker not in sent.subject + sent.body

    again = voice_reminders_send(today=today)
    assert not again.sent and len(again.already_sent) == 4
    assert len(mail.outbox) == 4
    assert VoiceReminderLog.objects.count() == 4


def test_reminders_for_due_soon_and_dry_run_command(staff, settings):
    settings.HOSHIN_REMINDER_DAYS_BEFORE = 3
    voice = assigned(staff, received_on=datetime.date(2025, 6, 2))
    today = voice.reply_due - datetime.timedelta(days=2)
    out = StringIO()
    call_command("send_voice_reminders", "--dry-run", "--today", today.isoformat(), stdout=out)
    assert "確認のみ" in out.getvalue() and "期限間近" in out.getvalue()
    assert voice.receipt_number in out.getvalue()
    assert not mail.outbox and not VoiceReminderLog.objects.exists()
    call_command("send_voice_reminders", "--today", today.isoformat(), stdout=StringIO())
    assert {tuple(m.to) for m in mail.outbox} == {
        ("editor@city.example.jp",),
        ("parent_editor@city.example.jp",),
    }


def test_reminder_command_rejects_a_bad_date():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_voice_reminders", "--today", "令和7年", stdout=StringIO())


def test_every_routing_step_is_a_voice_event(staff):
    voice = assigned(staff)
    routing.voice_note_add(voice=voice, by=staff.office, note="メモ")
    routing.voice_close(voice=voice, by=staff.office, reason="理由")
    statuses = list(VoiceEvent.objects.filter(voice=voice).values_list("status", flat=True))
    assert statuses == ["received", "assigned", "assigned", "closed"]

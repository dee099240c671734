"""The one inbox (マイタスク): each person sees what waits for them, from every app, most urgent
first — and, tested as an attacker, never another department's drafts or letters not routed to
them."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hoshin.accounts.services import authenticator_for_demo
from hoshin.accounts.tests.helpers import VERIFY, code_for, sign_in
from hoshin.evaluations.tests import factories as ev
from hoshin.org import inbox
from hoshin.org.inbox import InboxItem, inbox_for
from hoshin.voices.models import ReplyStage
from hoshin.voices.services import replies
from hoshin.voices.tests import handling_helpers as h

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)


def titles(user, kind: str | None = None) -> list[str]:
    found = inbox_for(user=user, today=timezone.localdate())
    return [item.title for item in found.items if kind is None or item.kind == kind]


def mentions(user, voice) -> bool:
    return any(voice.receipt_number in title for title in titles(user))


# ---- letters and replies: whose step is it -----------------------------------------------------


def test_each_step_of_a_letter_is_in_the_inbox_of_its_holder_only():
    staff = h.make_staff()
    received = h.receive(staff, subject="公園のベンチについて")
    voice = h.assigned(staff)
    everyone = [n for n in vars(staff) if isinstance(getattr(staff, n), type(staff.office))]

    def holders(v) -> set[str]:
        return {name for name in everyone if mentions(getattr(staff, name), v)}

    # Received, not routed: only the office (and the admin, who holds every role) routes it.
    assert holders(received) == {"office", "admin"}
    # Routed to 道路課: its editors answer it (an administrator is not a department's editor). The co-department (公園緑地課), the unit below,
    # another department, viewers, the planning office and the mayor's office never get it.
    assert holders(voice) == {"editor", "parent_editor"}
    reply = h.drafted(staff, voice)
    reply = replies.reply_transition(reply=reply, by=staff.editor, name="submit")
    assert holders(voice) == {"head"}
    reply = replies.reply_transition(reply=reply, by=staff.head, name="approve_department")
    assert holders(voice) == {"office", "admin"}
    replies.reply_transition(reply=reply, by=staff.office, name="approve_office")
    assert holders(voice) == {"office", "admin"}  # approved: the office sends it


def test_a_reply_waiting_for_the_mayor_is_the_mayors_office_item_and_says_so(client):
    staff = h.make_staff()
    reply = h.drafted(staff, mayor_flag=True)
    reply = h.at_stage(reply, ReplyStage.OFFICE_APPROVED)
    voice = reply.voice
    assert mentions(staff.mayor, voice) and not mentions(staff.office, voice)
    assert not mentions(staff.head, voice) and not mentions(staff.editor, voice)
    client.force_login(staff.mayor)
    page = client.get(reverse("backoffice:tasks")).content.decode()
    assert "市長公室の承認待ち" in page and "回答作成中" not in page
    assert "市長公室として回答案を決裁してください" in page
    assert reverse("voices_staff:detail", args=[voice.pk]) in page
    # Not the writer's details: the mayor's office reads the subject masked like a department.
    assert all(marker not in page for marker in h.PERSONAL_MARKERS)


def test_the_staff_list_and_letter_page_say_whose_approval_a_reply_waits_for(client):
    staff = h.make_staff()
    reply = h.at_stage(h.drafted(staff, mayor_flag=True), ReplyStage.OFFICE_APPROVED)
    client.force_login(staff.office)
    for url in (
        reverse("voices_staff:list"),
        reverse("voices_staff:detail", args=[reply.voice_id]),
    ):
        page = client.get(url).content.decode()
        assert "市長公室の承認待ち" in page, url
    h.at_stage(reply, ReplyStage.SUBMITTED)
    assert "所属長の承認待ち" in client.get(reverse("voices_staff:list")).content.decode()
    h.at_stage(reply, ReplyStage.DRAFT)
    assert "回答作成中" in client.get(reverse("voices_staff:list")).content.decode()


# ---- sheets -----------------------------------------------------------------------------------


def test_sheets_of_another_department_never_appear():
    world = ev.make_world()
    cycle = ev.open_year(world)
    mine = str(ev.sheet_of(cycle, world.bousai_action).subject)
    theirs = str(ev.sheet_of(cycle, world.zaisei_action).subject)
    editor_sees = titles(world.editor, "sheets")
    assert mine in editor_sees and theirs not in editor_sees
    assert theirs in titles(world.other_editor, "sheets")
    assert mine not in titles(world.other_editor, "sheets")
    assert titles(world.viewer) == [] and titles(world.committee) == []
    assert titles(world.head, "sheets") == []  # nothing submitted yet


# ---- order, counts, the page --------------------------------------------------------------------


def test_most_urgent_first_overdue_then_soonest_then_oldest(monkeypatch):
    today = TODAY
    day = datetime.timedelta(days=1)
    made = [
        InboxItem("x", "undated, new", "", "/", since=today - day),
        InboxItem("x", "due in 5 days", "", "/", due=today + 5 * day),
        InboxItem("x", "undated, old", "", "/", since=today - 30 * day),
        InboxItem("x", "3 days overdue", "", "/", due=today - 3 * day),
        InboxItem("x", "due today", "", "/", due=today),
        InboxItem("x", "1 day overdue", "", "/", due=today - day),
    ]
    monkeypatch.setattr(inbox, "_KINDS", {})
    inbox.register_inbox_provider("x", "テスト", lambda *, user, today: made)
    staff = h.make_staff()
    found = inbox_for(user=staff.editor, today=today)
    assert [item.title for item in found.items] == [
        "3 days overdue",
        "1 day overdue",
        "due today",
        "due in 5 days",
        "undated, old",
        "undated, new",
    ]
    assert [(c.key, c.count, c.overdue) for c in found.counts] == [("x", 6, 2)]


def test_a_later_app_adds_its_items_by_registering(client, monkeypatch):
    monkeypatch.setitem(
        inbox._KINDS,
        "committee",
        inbox.InboxKind(
            "committee",
            "外部評価",
            lambda *, user, today: [
                InboxItem("committee", "ヒアリング資料", "委員として確認", "/x/")
            ],
        ),
    )
    staff = h.make_staff()
    client.force_login(staff.editor)
    page = client.get(reverse("backoffice:tasks")).content.decode()
    assert "外部評価" in page and "ヒアリング資料" in page and 'href="/x/"' in page


def test_the_page_counts_each_kind_and_filters_by_kind(client):
    staff = h.make_staff()
    h.receive(staff, subject="ごみ収集の曜日について")
    h.at_stage(h.drafted(staff), ReplyStage.DEPARTMENT_APPROVED)
    client.force_login(staff.office)
    page = client.get(reverse("backoffice:tasks")).content.decode()
    counts = page[page.index("inbox-counts") : page.index("inbox-items-title")]
    assert "市民の声 <strong>1件</strong>" in counts and "回答の承認 <strong>1件</strong>" in counts
    assert "ごみ収集の曜日について" in page and "通学路の歩道について" in page
    only = client.get(reverse("backoffice:tasks") + "?kind=replies").content.decode()
    assert "通学路の歩道について" in only and "ごみ収集の曜日について" not in only


def test_overdue_letters_come_first_with_their_days(client):
    staff = h.make_staff()
    today = timezone.localdate()
    late = h.assigned(staff, subject="古い手紙", received_on=today - datetime.timedelta(days=40))
    fresh = h.assigned(staff, subject="新しい手紙", received_on=today)
    assert late.reply_due < today <= fresh.reply_due
    client.force_login(staff.editor)
    page = client.get(reverse("backoffice:tasks")).content.decode()
    assert page.index("古い手紙") < page.index("新しい手紙")
    assert "inbox-item--overdue" in page and "日超過" in page


def test_the_inbox_keeps_the_address_of_my_tasks_and_needs_a_login(client):
    # The sheet reminder e-mails and bookmarks point at /staff/tasks/.
    assert reverse("backoffice:tasks") == "/staff/tasks/"
    anonymous = Client().get(reverse("backoffice:tasks"))
    assert anonymous.status_code == 302 and "/staff/login/" in anonymous.url


# ---- landing after sign-in ---------------------------------------------------------------------


def test_each_role_lands_on_its_inbox_after_the_password_and_after_the_second_step():
    staff = h.make_staff()
    editor = Client()
    response = sign_in(editor, "editor")
    assert response.status_code == 302 and response.url == reverse("backoffice:tasks")
    device, _ = authenticator_for_demo(user=staff.office)
    office = Client()
    sign_in(office, "office")
    response = office.post(VERIFY, {"code": code_for(device.bin_key)})
    assert response.status_code == 302 and response.url == reverse("backoffice:tasks")


def test_the_inbox_keeps_its_query_count_as_items_grow(django_assert_max_num_queries, client):
    staff = h.make_staff()
    for n in range(6):
        h.at_stage(h.drafted(staff, subject=f"手紙{n}"), ReplyStage.DEPARTMENT_APPROVED)
        h.receive(staff, subject=f"未分類{n}")
    client.force_login(staff.office)
    with django_assert_max_num_queries(25):
        page = client.get(reverse("backoffice:tasks")).content.decode()
    assert page.count("inbox-item__title") == 12

"""Replies: draft with a version check, approvals (department head, office, mayor when flagged),
sending back, sending by e-mail or as a printed letter — with a permission matrix per step."""

import datetime
import shutil
import smtplib
import subprocess

import pytest
from django.core import mail
from django.urls import reverse

from conftest import shared_data
from hoshin.voices.models import (
    PersonalDataView,
    ReplyEvent,
    ReplyStage,
    VoiceReply,
    VoiceStatus,
)
from hoshin.voices.services import replies, reply_letters
from hoshin.voices.services.errors import (
    LetterFontMissing,
    ReplyConflictError,
    ReplySendError,
    VoiceError,
    VoicePermissionError,
)
from hoshin.voices.services.intake import WriterDetails
from hoshin.voices.tests.handling_helpers import (
    REPLY_TEXT,
    WRITER_EMAIL,
    approved,
    assigned,
    at_stage,
    drafted,
    make_staff,
    receive,
)

pytestmark = pytest.mark.django_db


@shared_data
def staff():
    """Built once for the tests that follow one another (each runs in its own transaction)."""
    return make_staff()


# ---- the approval chain ------------------------------------------------------------------


def test_draft_starts_answering_and_the_chain_ends_approved_without_the_mayor(staff):
    reply = drafted(staff)
    voice = reply.voice
    voice.refresh_from_db()
    assert voice.status == VoiceStatus.ANSWERING
    assert voice.events.last().public_note == "担当課が回答を作成しています。"
    steps = [
        ("submit", staff.editor, ReplyStage.SUBMITTED),
        ("approve_department", staff.head, ReplyStage.DEPARTMENT_APPROVED),
        ("approve_office", staff.office, ReplyStage.APPROVED),
    ]
    for name, by, stage in steps:
        reply = replies.reply_transition(reply=reply, by=by, name=name)
        assert reply.stage == stage
    assert [(e.from_stage, e.to_stage) for e in reply.events.all()] == [
        ("draft", "submitted"),
        ("submitted", "department_approved"),
        ("department_approved", "approved"),
    ]


def test_flagged_voice_needs_the_mayors_office(staff):
    reply = drafted(staff, mayor_flag=True)
    for name, by in (
        ("submit", staff.editor),
        ("approve_department", staff.head),
        ("approve_office", staff.office),
    ):
        reply = replies.reply_transition(reply=reply, by=by, name=name)
    assert reply.stage == ReplyStage.OFFICE_APPROVED
    with pytest.raises(VoiceError):
        replies.reply_send(reply=reply, by=staff.office, method=VoiceReply.Method.EMAIL)
    with pytest.raises(VoicePermissionError):
        replies.reply_transition(reply=reply, by=staff.head, name="approve_mayor")
    reply = replies.reply_transition(reply=reply, by=staff.mayor, name="approve_mayor")
    assert reply.stage == ReplyStage.APPROVED


def test_mayors_office_never_sees_unflagged_voices(staff):
    reply = at_stage(drafted(staff), ReplyStage.DEPARTMENT_APPROVED)
    with pytest.raises(VoicePermissionError):
        replies.reply_transition(reply=reply, by=staff.mayor, name="send_back", comment="x")


@pytest.mark.parametrize(
    ("stage", "holder"),
    [
        (ReplyStage.SUBMITTED, "head"),
        (ReplyStage.DEPARTMENT_APPROVED, "office"),
        (ReplyStage.OFFICE_APPROVED, "mayor"),
        (ReplyStage.APPROVED, "office"),
    ],
)
def test_any_approver_sends_back_with_a_comment(staff, stage, holder):
    reply = at_stage(drafted(staff, mayor_flag=True), stage)
    with pytest.raises(VoiceError, match="理由"):
        replies.reply_transition(reply=reply, by=staff.user(holder), name="send_back")
    reply = replies.reply_transition(
        reply=reply, by=staff.user(holder), name="send_back", comment="数字を確認してください"
    )
    assert reply.stage == ReplyStage.DRAFT
    event = ReplyEvent.objects.filter(reply=reply).last()
    assert (event.from_stage, event.to_stage, event.comment) == (
        stage,
        ReplyStage.DRAFT,
        "数字を確認してください",
    )
    # Back in draft, the department edits again.
    reply = replies.reply_save(
        voice=reply.voice, by=staff.editor, body="直した回答", expected_version=reply.version
    )
    assert reply.body == "直した回答"


def test_the_editor_cannot_approve_and_the_head_cannot_send(staff):
    reply = drafted(staff)
    reply = replies.reply_transition(reply=reply, by=staff.editor, name="submit")
    with pytest.raises(VoicePermissionError):
        replies.reply_transition(reply=reply, by=staff.editor, name="approve_department")
    reply = replies.reply_transition(reply=reply, by=staff.head, name="approve_department")
    with pytest.raises(VoicePermissionError):
        replies.reply_transition(reply=reply, by=staff.head, name="approve_office")
    with pytest.raises(VoiceError):  # wrong stage for the head's own move
        replies.reply_transition(reply=reply, by=staff.head, name="approve_department")


def test_stale_draft_is_refused_not_overwritten(staff):
    reply = drafted(staff)
    assert reply.version == 1
    replies.reply_save(voice=reply.voice, by=staff.editor, body="第2版", expected_version=1)
    with pytest.raises(ReplyConflictError, match="第2版"):
        replies.reply_save(
            voice=reply.voice, by=staff.parent_editor, body="古い画面から", expected_version=1
        )
    reply.refresh_from_db()
    assert reply.body == "第2版" and reply.version == 2


def test_submitted_reply_cannot_be_edited_and_empty_reply_cannot_be_submitted(staff):
    voice = assigned(staff)
    reply = replies.reply_save(voice=voice, by=staff.editor, body="", expected_version=0)
    with pytest.raises(VoiceError, match="空"):
        replies.reply_transition(reply=reply, by=staff.editor, name="submit")
    reply = replies.reply_save(voice=voice, by=staff.editor, body="回答", expected_version=1)
    replies.reply_transition(reply=reply, by=staff.editor, name="submit")
    with pytest.raises(VoiceError, match="編集できません"):
        replies.reply_save(voice=voice, by=staff.editor, body="変更", expected_version=2)


def test_only_the_lead_departments_editor_drafts(staff):
    voice = assigned(staff)
    for who in ("head", "office", "other_editor", "unit_editor", "viewer", "mayor"):
        with pytest.raises(VoicePermissionError):
            replies.reply_save(voice=voice, by=staff.user(who), body="x", expected_version=0)
    # A 部's editor covers its 課.
    replies.reply_save(voice=voice, by=staff.parent_editor, body="部として回答", expected_version=0)


def test_no_reply_before_a_lead_department(staff):
    voice = receive(staff)
    with pytest.raises(VoicePermissionError):
        replies.reply_save(voice=voice, by=staff.editor, body="x", expected_version=0)


# ---- sending -------------------------------------------------------------------------------


def test_sending_by_email_answers_the_voice(staff, settings):
    settings.HOSHIN_CITY_NAME = "みどり市"
    reply = approved(staff)
    reply = replies.reply_send(reply=reply, by=staff.office, method=VoiceReply.Method.EMAIL)
    voice = reply.voice
    voice.refresh_from_db()
    assert reply.stage == ReplyStage.SENT and reply.sent_method == "email" and reply.sent_at
    assert voice.status == VoiceStatus.ANSWERED and voice.answered_at and voice.closed_at
    assert voice.events.last().public_note == "電子メールで回答をお送りしました。"
    (message,) = mail.outbox
    assert message.to == [WRITER_EMAIL]
    assert "みどり市" in message.subject and voice.receipt_number in message.subject
    assert "山田 太郎 様" in message.body
    assert REPLY_TEXT in message.body
    assert "令和7年6月2日" in message.body  # received, in era form
    # The department by its own name, as on every page and in the letter (not 建設部道路課).
    assert "担当：道路課" in message.body and "建設部道路課" not in message.body
    assert PersonalDataView.objects.filter(voice=voice, purpose="回答のメール送信").exists()


def test_a_refused_email_leaves_everything_as_it_was(staff, monkeypatch):
    reply = approved(staff)

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPException("relay denied")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    with pytest.raises(ReplySendError, match="relay denied"):
        replies.reply_send(reply=reply, by=staff.office, method=VoiceReply.Method.EMAIL)
    reply.refresh_from_db()
    reply.voice.refresh_from_db()
    assert reply.stage == ReplyStage.APPROVED
    assert reply.voice.status == VoiceStatus.ANSWERING
    assert not PersonalDataView.objects.exists()


def test_email_needs_an_address_and_other_is_always_possible(staff):
    voice = receive(
        staff, writer=WriterDetails(name="匿名希望", postal_address="みどり市中央町1-1")
    )
    reply = approved(staff, voice=assigned(staff, voice))
    with pytest.raises(ReplySendError, match="メールアドレス"):
        replies.reply_send(reply=reply, by=staff.office, method=VoiceReply.Method.EMAIL)
    reply = replies.reply_send(reply=reply, by=staff.office, method=VoiceReply.Method.LETTER)
    assert reply.voice.status == VoiceStatus.ANSWERED
    assert not mail.outbox


def test_only_the_office_sends(staff):
    reply = approved(staff)
    for who in ("editor", "head", "mayor", "planner"):
        with pytest.raises(VoicePermissionError):
            replies.reply_send(reply=reply, by=staff.user(who), method=VoiceReply.Method.EMAIL)


# ---- the printed letter ---------------------------------------------------------------------


def test_letter_pdf_has_the_address_receipt_era_date_and_is_logged(staff, settings):
    settings.HOSHIN_CITY_NAME = "みどり市"
    reply = approved(staff)
    today = datetime.date(2025, 6, 16)
    lines = reply_letters.letter_lines(reply=reply, today=today)
    assert lines["name"] == "山田 太郎 様"
    assert lines["postal_address"] == ["〒123-4567", "東京都みどり市中央町1丁目2番3号"]
    assert lines["receipt"] == f"受付番号 {reply.voice.receipt_number}"
    assert lines["date"] == "令和7年6月16日（2025年6月16日）"
    assert lines["sender"] == "みどり市長"
    # The department signs with its own name (道路課), as on every page, not 建設部道路課.
    assert lines["sender_department"] == "（担当：道路課）"
    pdf = reply_letters.reply_letter_pdf(reply=reply, by=staff.office, today=today)
    assert pdf.startswith(b"%PDF")
    assert b"CJKjp" in pdf  # the Noto CJK font, embedded
    assert PersonalDataView.objects.filter(
        voice=reply.voice, user=staff.office, purpose="回答文書（郵送用PDF）の作成"
    ).exists()
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        for expected in ("山田 太郎 様", "受付番号", "令和7年6月16日", "駅前の通学路"):
            assert expected in text


def test_letter_is_refused_before_approval_and_to_other_roles(staff):
    reply = drafted(staff)
    with pytest.raises(VoiceError):
        reply_letters.reply_letter_pdf(reply=reply, by=staff.office)
    reply = at_stage(reply, ReplyStage.APPROVED)
    with pytest.raises(VoicePermissionError):
        reply_letters.reply_letter_pdf(reply=reply, by=staff.editor)


def test_missing_font_fails_with_a_clear_message(client, staff, monkeypatch, tmp_path):
    reply = approved(staff)
    monkeypatch.setattr(reply_letters, "FONT_CANDIDATES", (tmp_path / "none.ttc",))
    with pytest.raises(LetterFontMissing, match="fonts-noto-cjk"):
        reply_letters.reply_letter_pdf(reply=reply, by=staff.office)
    client.force_login(staff.office)
    response = client.get(reverse("voices_staff:reply_letter", args=[reply.voice.pk]))
    assert response.status_code == 503
    assert "fonts-noto-cjk" in response.content.decode()
    assert not PersonalDataView.objects.exists()


# ---- views: a permission matrix for every step ------------------------------------------------

ROLES = ("editor", "head", "office", "mayor", "viewer", "stranger", "anonymous")


def _post(client, staff, who, url, data):
    if who != "anonymous":
        client.force_login(staff.user(who))
    return client.post(url, data)


def _expect(response, who, allowed, *, flagged=False):
    if who == "anonymous":
        assert response.status_code == 302 and "/login/" in response["Location"]
    elif who == "stranger" or (who == "mayor" and not flagged):
        assert response.status_code == 404
    elif who in allowed:
        assert response.status_code == 302, response.content.decode()[:500]
    else:
        assert response.status_code in (403, 400)


@pytest.mark.parametrize("who", ROLES)
def test_save_view_matrix(client, staff, who):
    voice = assigned(staff)
    response = _post(
        client,
        staff,
        who,
        reverse("voices_staff:reply", args=[voice.pk]),
        {"reply-body": "回答案です", "reply-version": 0},
    )
    _expect(response, who, {"editor"})
    assert VoiceReply.objects.filter(voice=voice).exists() == (who == "editor")


STEPS = [
    # (transition, stage before, mayor flag, who may, stage after)
    ("submit", ReplyStage.DRAFT, False, {"editor"}, ReplyStage.SUBMITTED),
    ("approve_department", ReplyStage.SUBMITTED, False, {"head"}, ReplyStage.DEPARTMENT_APPROVED),
    ("approve_office", ReplyStage.DEPARTMENT_APPROVED, False, {"office"}, ReplyStage.APPROVED),
    (
        "approve_office",
        ReplyStage.DEPARTMENT_APPROVED,
        True,
        {"office"},
        ReplyStage.OFFICE_APPROVED,
    ),
    ("approve_mayor", ReplyStage.OFFICE_APPROVED, True, {"mayor"}, ReplyStage.APPROVED),
    ("send_back", ReplyStage.SUBMITTED, False, {"head"}, ReplyStage.DRAFT),
    ("send_back", ReplyStage.DEPARTMENT_APPROVED, False, {"office"}, ReplyStage.DRAFT),
    ("send_back", ReplyStage.OFFICE_APPROVED, True, {"mayor", "office"}, ReplyStage.DRAFT),
]


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize(("name", "before", "flag", "allowed", "after"), STEPS)
def test_transition_view_matrix(client, staff, who, name, before, flag, allowed, after):
    reply = at_stage(drafted(staff, mayor_flag=flag), before)
    response = _post(
        client,
        staff,
        who,
        reverse("voices_staff:reply_transition", args=[reply.voice.pk]),
        {"name": name, "comment": "確認しました"},
    )
    reply.refresh_from_db()
    if who == "mayor" and not flag:
        assert response.status_code == 404  # the mayor's office never sees unflagged voices
        assert reply.stage == before
        return
    _expect(response, who, allowed, flagged=flag)
    assert reply.stage == (after if who in allowed else before)


@pytest.mark.parametrize("who", ROLES)
def test_send_view_matrix(client, staff, who):
    reply = approved(staff)
    response = _post(
        client,
        staff,
        who,
        reverse("voices_staff:reply_send", args=[reply.voice.pk]),
        {"send-method": "email"},
    )
    if who == "mayor":
        assert response.status_code == 404
    else:
        _expect(response, who, {"office"})
    reply.refresh_from_db()
    assert (reply.stage == ReplyStage.SENT) == (who == "office")
    assert len(mail.outbox) == (1 if who == "office" else 0)


@pytest.mark.parametrize("who", ROLES)
def test_letter_view_matrix(client, staff, who):
    reply = approved(staff)
    if who != "anonymous":
        client.force_login(staff.user(who))
    response = client.get(reverse("voices_staff:reply_letter", args=[reply.voice.pk]))
    if who == "office":
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert "no-store" in response["Cache-Control"]
    elif who == "anonymous":
        assert response.status_code == 302
    elif who in ("stranger", "mayor"):
        assert response.status_code == 404
    else:
        assert response.status_code == 403


def test_conflict_in_the_view_shows_the_newer_version(client, staff):
    reply = drafted(staff)
    replies.reply_save(voice=reply.voice, by=staff.editor, body="他の人の版", expected_version=1)
    client.force_login(staff.editor)
    response = client.post(
        reverse("voices_staff:reply", args=[reply.voice.pk]),
        {"reply-body": "古い画面の内容", "reply-version": 1},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "第2版" in html and 'name="reply-version" value="2"' in html


def test_detail_page_shows_the_buttons_of_the_holder_only(client, staff):
    reply = at_stage(drafted(staff), ReplyStage.SUBMITTED)
    client.force_login(staff.head)
    html = client.get(reverse("voices_staff:detail", args=[reply.voice.pk])).content.decode()
    assert 'id="transition-approve_department"' in html and 'id="transition-send_back"' in html
    client.force_login(staff.editor)
    html = client.get(reverse("voices_staff:detail", args=[reply.voice.pk])).content.decode()
    assert "transition-approve_department" not in html


def test_a_long_letter_with_rare_kanji_and_emoji_runs_onto_more_pages(staff):
    # Another letter first: each letter's font subset must stay its own (same face name).
    reply_letters.reply_letter_pdf(reply=approved(staff), by=staff.office)
    reply = approved(staff)
    body = ("髙﨑𠮷①㈱の件について回答します😀。" * 40 + "\n") * 6
    VoiceReply.objects.filter(pk=reply.pk).update(body=body)
    reply.refresh_from_db()
    pdf = reply_letters.reply_letter_pdf(reply=reply, by=staff.office)
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") >= 2
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        # 𠮷 (outside the BMP) is printed with its own glyph, but reportlab's text layer
        # (copy and paste) cannot name it, so only the others are checked in the text.
        assert "髙﨑" in text and "①㈱の件" in text


def test_without_a_city_name_the_mail_has_no_placeholder_and_the_letter_is_signed_mayor(
    staff, settings
):
    settings.HOSHIN_CITY_NAME = ""
    reply = approved(staff)
    lines = reply_letters.letter_lines(reply=reply, today=datetime.date(2025, 6, 16))
    assert lines["sender"] == "市長"
    replies.reply_send(reply=reply, by=staff.office, method=VoiceReply.Method.EMAIL)
    (message,) = mail.outbox
    assert message.subject.startswith("「") and "【" not in message.subject


def test_reply_mail_and_letter_say_how_to_reach_the_answering_department(staff):
    staff.road.phone = "0000-00-3333"
    staff.road.email = "douro@city.example.jp"
    staff.road.save()
    reply = approved(staff)
    lines = reply_letters.letter_lines(reply=reply, today=datetime.date(2025, 6, 16))
    assert lines["contact_details"] == ["電話：0000-00-3333", "メール：douro@city.example.jp"]
    replies.reply_send(reply=reply, by=staff.office, method=VoiceReply.Method.EMAIL)
    (message,) = mail.outbox
    assert (
        "お問い合わせ先：道路課\n電話：0000-00-3333\nメール：douro@city.example.jp" in message.body
    )

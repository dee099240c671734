"""The full path: public form → acknowledgement → routing → reply → approvals (with and without
the mayor) → sending → publication with masking → on /voices/ and on the linked action's page.

Every step after intake goes through the staff pages as each role would click them.
"""

import re

import pytest
from django.core import mail
from django.urls import reverse

from hoshin.voices.models import (
    CitizenVoice,
    ReplyStage,
    VoicePublication,
    VoiceStatus,
)
from hoshin.voices.tests.handling_helpers import (
    PERSONAL_MARKERS,
    make_action,
    make_staff,
    receive,
)
from hoshin.voices.tests.intake_helpers import receipt_and_secret, submit

pytestmark = pytest.mark.django_db

LETTER = (
    "私は山田太郎と申します。駅前の通学路に歩道がなく、朝は子どもたちが車道を歩いています。"
    "歩道の整備をお願いします。連絡は090-1234-5678か、taro.yamada@example.jp までお願いします。"
)
REPLY = (
    "ご意見ありがとうございます。駅前の通学路については、来年度に歩道を整備する予定です。"
    "工事の前には地域の皆様にお知らせします。"
)


@pytest.fixture
def staff():
    return make_staff()


def as_user(client, user):
    client.force_login(user)
    return client


def handle_and_publish(client, staff, voice: CitizenVoice, *, mayor_flag: bool) -> VoicePublication:
    """Everything after intake, through the staff pages."""
    action = make_action(staff.road)
    detail = reverse("voices_staff:detail", args=[voice.pk])

    # The public-hearing office routes the voice and links the plan action.
    response = as_user(client, staff.office).post(
        reverse("voices_staff:route", args=[voice.pk]),
        {
            "route-category": staff.category.pk,
            "route-lead_department": staff.road.pk,
            "route-co_departments": [staff.park.pk],
            "route-mayor_flag": "on" if mayor_flag else "",
            "route-note": "道路課で回答",
            "route-public_note": "",
        },
    )
    assert response.status_code == 302
    client.post(reverse("voices_staff:action_link", args=[voice.pk]), {"action": action.pk})
    voice.refresh_from_db()
    assert voice.status == VoiceStatus.ASSIGNED and voice.mayor_flag == mayor_flag

    # The lead department reads it without the writer's details and drafts.
    html = as_user(client, staff.editor).get(detail).content.decode()
    assert "駅前の通学路" in html and "山田" not in html and "090-1234-5678" not in html
    response = client.post(
        reverse("voices_staff:reply", args=[voice.pk]),
        {"reply-body": REPLY, "reply-version": 0},
    )
    assert response.status_code == 302
    voice.refresh_from_db()
    assert voice.status == VoiceStatus.ANSWERING

    def move(user, name, comment=""):
        response = as_user(client, user).post(
            reverse("voices_staff:reply_transition", args=[voice.pk]),
            {"name": name, "comment": comment},
        )
        assert response.status_code == 302, response.content.decode()[:300]

    move(staff.editor, "submit")
    move(staff.head, "send_back", "期日を入れてください")
    voice.reply.refresh_from_db()
    assert voice.reply.stage == ReplyStage.DRAFT
    as_user(client, staff.editor).post(
        reverse("voices_staff:reply", args=[voice.pk]),
        {"reply-body": REPLY + "（令和8年度着工予定）", "reply-version": voice.reply.version},
    )
    move(staff.editor, "submit")
    move(staff.head, "approve_department")
    move(staff.office, "approve_office")
    voice.reply.refresh_from_db()
    if mayor_flag:
        assert voice.reply.stage == ReplyStage.OFFICE_APPROVED
        move(staff.mayor, "approve_mayor")
    voice.reply.refresh_from_db()
    assert voice.reply.stage == ReplyStage.APPROVED

    # The office sends it by e-mail.
    outbox_before = len(mail.outbox)
    response = as_user(client, staff.office).post(
        reverse("voices_staff:reply_send", args=[voice.pk]), {"send-method": "email"}
    )
    assert response.status_code == 302
    sent = mail.outbox[outbox_before]
    assert sent.to == ["taro.yamada@example.jp"]
    assert "令和8年度着工予定" in sent.body and voice.receipt_number in sent.subject
    voice.refresh_from_db()
    assert voice.status == VoiceStatus.ANSWERED and voice.answered_at

    # Publication: proposed with masking, checked by a person, published.
    client.post(reverse("voices_staff:publication_propose", args=[voice.pk]), {})
    publication = VoicePublication.objects.get(voice=voice)
    assert "〇〇と申します" in publication.summary
    assert "【電話番号】" in publication.summary and "【メールアドレス】" in publication.summary
    response = client.post(reverse("voices_staff:publication_publish", args=[voice.pk]), {})
    assert response.status_code == 302
    publication.refresh_from_db()
    assert publication.is_published

    # Citizens find it on /voices/ and on the action's page, without personal details.
    client.logout()
    for url in (
        reverse("voices:published_list"),
        reverse("voices:published_detail", args=[publication.pk]),
        action.get_absolute_url(),
    ):
        html = client.get(url).content.decode()
        assert publication.title in html, url
        for marker in (*PERSONAL_MARKERS, "taro.yamada@example.jp"):
            assert marker not in html, (url, marker)
    detail_html = client.get(reverse("voices:published_detail", args=[publication.pk])).content
    assert "令和8年度着工予定" in detail_html.decode()
    return publication


@pytest.mark.parametrize("mayor_flag", [False, True])
def test_full_path_from_the_public_form(
    client, staff, mayor_flag, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(
            client,
            subject="通学路の歩道について",
            body=LETTER,
            category=staff.category.pk,
            district=staff.district.pk,
            name="山田 太郎",
            age_band="40s",
            email="taro.yamada@example.jp",
            phone="090-1234-5678",
            postal_address="〒123-4567 東京都みどり市中央町1丁目2番3号",
            wants_reply="on",
            publish_consent="on",
            notify_results="on",
        )
    receipt, secret = receipt_and_secret(response.content.decode())
    assert receipt and secret
    (acknowledgement,) = mail.outbox
    assert acknowledgement.to == ["taro.yamada@example.jp"] and receipt in acknowledgement.body
    voice = CitizenVoice.objects.get()
    assert voice.receipt_number == receipt and voice.status == VoiceStatus.RECEIVED

    publication = handle_and_publish(client, staff, voice, mayor_flag=mayor_flag)

    # The writer follows it on the status page: answered.
    found = client.post(reverse("voices:status"), {"receipt_number": receipt, "secret": secret})
    assert found.status_code == 200
    assert "回答済み" in found.content.decode()
    assert publication.voice_id == voice.pk


@pytest.mark.parametrize("mayor_flag", [False, True])
def test_full_path_from_the_intake_service(client, staff, mayor_flag):
    """The same path for a letter entered through the intake service (post, box, phone …)."""
    voice = receive(staff, body=LETTER)
    publication = handle_and_publish(client, staff, voice, mayor_flag=mayor_flag)
    assert re.search(r"〇〇", publication.summary)

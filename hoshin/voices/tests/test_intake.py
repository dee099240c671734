"""The public form from a writer's side: send → thanks page → acknowledgement e-mail → status."""

import json
import logging

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from hoshin.audit.models import AuditEntry
from hoshin.lib.business_days import add_business_days
from hoshin.voices.models import Channel, CitizenVoice, VoiceKind, VoiceStatus
from hoshin.voices.services.notifications import voice_acknowledge
from hoshin.voices.tests.intake_helpers import (
    make_lists,
    receipt_and_secret,
    submit,
    voice_data,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.HOSHIN_BASE_URL = "https://www.city.example.jp/hoshin"
    settings.HOSHIN_CITY_NAME = "架空市"
    cache.clear()


def test_form_page_needs_no_login_and_has_every_field(client):
    make_lists()
    response = client.get(reverse("voices:new"))
    assert response.status_code == 200
    html = response.content.decode()
    for name in (
        "kind",
        "subject",
        "body",
        "category",
        "name",
        "age_band",
        "district",
        "email",
        "phone",
        "postal_address",
        "wants_reply",
        "publish_consent",
        "notify_results",
        "attachments",
        "submission_key",
        "homepage",
    ):
        assert f'name="{name}"' in html, name
    assert 'enctype="multipart/form-data"' in html
    # The limit is a message, never a silent cut by the browser.
    assert "maxlength" not in html
    assert "20,000文字以内" in html
    assert "使われていない分類" not in html  # inactive categories are not offered
    assert response["Cache-Control"].startswith("max-age=0")


def test_full_path_from_form_to_acknowledgement_to_status_page(
    client, django_capture_on_commit_callbacks
):
    category, district = make_lists()
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(
            client,
            kind=VoiceKind.PROPOSAL,
            category=category.pk,
            district=district.pk,
            name="髙橋 花子",
            age_band="40s",
            email="hanako@example.jp",
            phone="０９０－１２３４－５６７８",
            postal_address="〒100-0001 架空市中央1-2-3",
            wants_reply="on",
            publish_consent="on",
            notify_results="on",
        )
    assert response.status_code == 200
    assert response.redirect_chain[0][1] == 302
    receipt, secret = receipt_and_secret(response.content.decode())
    assert receipt and secret
    # The secret is in the acknowledgement too: the page must not claim it is shown only here.
    assert "この画面でしか表示しません" not in response.content.decode()
    assert "受付確認のメールにも書いています" in response.content.decode()

    voice = CitizenVoice.objects.get()
    assert voice.receipt_number == receipt
    assert (voice.channel, voice.kind, voice.status) == (
        Channel.WEB,
        VoiceKind.PROPOSAL,
        VoiceStatus.RECEIVED,
    )
    assert voice.category == category and voice.district == district
    assert voice.age_band == "40s"
    assert voice.wants_reply and voice.publish_consent and voice.notify_results
    assert voice.reply_due == add_business_days(voice.received_on, 10)
    assert voice.received_on == timezone.localdate()
    writer = voice.writer
    assert (writer.name, writer.email, writer.phone, writer.postal_address) == (
        "髙橋 花子",
        "hanako@example.jp",
        "090-1234-5678",  # full-width digits typed with an IME, normalised
        "〒100-0001 架空市中央1-2-3",
    )
    assert secret not in voice.secret_hash  # only a hash is kept
    assert AuditEntry.objects.filter(verb="voice.receive").count() == 1

    # The acknowledgement: receipt number, secret, status page, reply-by date.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["hanako@example.jp"]
    assert receipt in message.subject and "架空市" in message.subject
    assert receipt in message.body and secret in message.body
    assert "https://www.city.example.jp/hoshin/voices/status/" in message.body
    assert (
        f"{voice.reply_due.year}年{voice.reply_due.month}月{voice.reply_due.day}日" in message.body
    )
    assert "髙橋" not in message.body and "通学路" not in message.body  # nothing the writer typed

    # The thanks page shows the secret once.
    again = client.get(response.redirect_chain[-1][0])
    assert receipt in again.content.decode()
    assert secret not in again.content.decode()

    # The status page: the right secret shows the status, a wrong one is refused.
    found = client.post(reverse("voices:status"), {"receipt_number": receipt, "secret": secret})
    assert found.status_code == 200
    html = found.content.decode()
    assert "受付番号 " + receipt + " の対応状況" in html
    assert 'id="voice-status">受付<' in html
    assert "通学路の歩道について" in html
    assert "no-store" in found["Cache-Control"] or "max-age=0" in found["Cache-Control"]

    wrong = client.post(
        reverse("voices:status"), {"receipt_number": receipt, "secret": secret + "x"}
    )
    assert wrong.status_code == 200
    assert "受付番号か照会キーが違います" in wrong.content.decode()
    assert "voice-status" not in wrong.content.decode()


def test_without_reply_request_there_is_no_reply_by_date(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, email="taro@example.jp")
    voice = CitizenVoice.objects.get()
    assert voice.reply_due is None and not voice.wants_reply
    assert "個別の回答はお送りしません" in response.content.decode()
    assert "個別の回答はお送りしません" in mail.outbox[0].body


def test_without_email_no_acknowledgement_is_sent(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, postal_address="架空市中央1-2-3", wants_reply="on")
    assert response.status_code == 200
    assert CitizenVoice.objects.count() == 1
    assert mail.outbox == []
    assert "受付確認のメールをお送りしました" not in response.content.decode()
    assert "照会キーは、この画面でしか表示しません。" in response.content.decode()


def test_acknowledgement_is_sent_only_after_commit(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submit(client, email="taro@example.jp")
    assert mail.outbox == []  # nothing was sent inside the transaction
    assert callbacks  # the acknowledgement is queued for after the commit (with the audit head)
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1


def test_a_mail_failure_does_not_lose_the_voice(
    client, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def broken(self, fail_silently=False):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    with (
        caplog.at_level(logging.ERROR, logger="hoshin.voices.services.notifications"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = submit(client, email="taro@example.jp")
    assert response.status_code == 200
    receipt, secret = receipt_and_secret(response.content.decode())
    assert receipt and secret  # the writer still sees both on the page
    assert CitizenVoice.objects.get().receipt_number == receipt
    assert "acknowledgement e-mail" in caplog.text


def test_acknowledge_without_secret_or_address_sends_nothing(client):
    submit(client)
    voice = CitizenVoice.objects.get()
    assert voice_acknowledge(voice=voice, secret="abc") is False
    assert mail.outbox == []


def test_double_submission_with_the_same_key_stores_one_voice(
    client, django_capture_on_commit_callbacks
):
    data = voice_data(email="taro@example.jp")
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(reverse("voices:new"), data)
        second = client.post(reverse("voices:new"), data)  # double click / reload of the POST
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert CitizenVoice.objects.count() == 1
    assert len(mail.outbox) == 1
    page = client.get(first["Location"])
    receipt, secret = receipt_and_secret(page.content.decode())
    assert receipt == CitizenVoice.objects.get().receipt_number
    assert secret  # the secret stashed by the first POST is still shown once


def test_a_new_form_gets_a_new_key_and_a_new_number(client):
    first = submit(client)
    second = submit(client)  # voice_data() draws a fresh key, as a fresh GET of the form does
    assert receipt_and_secret(first.content.decode())[0].endswith("-0001")
    assert receipt_and_secret(second.content.decode())[0].endswith("-0002")


def test_missing_submission_key_asks_to_send_again_with_a_fresh_key(client):
    response = client.post(reverse("voices:new"), voice_data(submission_key=None))
    assert response.status_code == 200
    html = response.content.decode()
    assert "もう一度送信してください" in html
    assert 'name="submission_key" value="' in html
    assert CitizenVoice.objects.count() == 0


def test_neutral_thanks_page_shows_no_receipt_number(client):
    response = client.get(reverse("voices:thanks_neutral"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "受付番号を表示できません" in html
    assert "receipt-number" not in html


def test_form_post_needs_csrf_token(db):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("voices:new"), voice_data())
    assert response.status_code == 403
    assert CitizenVoice.objects.count() == 0


def test_secret_waits_in_a_signed_httponly_cookie_for_the_thanks_page_only(client):
    response = client.post(reverse("voices:new"), voice_data())
    cookie = response.cookies["hoshin_voice_receipt"]
    assert cookie["httponly"] and cookie["path"] == "/voices/thanks/"
    assert cookie["samesite"] == "Lax" and int(cookie["max-age"]) <= 1800
    assert "sessionid" not in response.cookies  # no session row for an anonymous writer
    page = client.get(response["Location"])
    assert page.cookies["hoshin_voice_receipt"]["max-age"] == 0  # deleted once shown


def test_forged_or_foreign_receipt_cookie_shows_no_secret(client):
    first = client.post(reverse("voices:new"), voice_data())
    second_key = voice_data()["submission_key"]
    client.post(reverse("voices:new"), voice_data(submission_key=second_key))
    # The cookie now belongs to the second submission: the first thanks page shows no secret.
    assert receipt_and_secret(client.get(first["Location"]).content.decode())[1] == ""
    client.cookies["hoshin_voice_receipt"] = json.dumps({"key": second_key, "secret": "forged"})
    page = client.get(reverse("voices:thanks", kwargs={"key": second_key}))
    assert "forged" not in page.content.decode()

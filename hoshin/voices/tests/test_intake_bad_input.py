"""Bad input on the voice forms: every problem is a clear message on the form, nothing half-stored."""

import html as html_lib
import os
import tempfile

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hoshin.org.models import TEXT_LIMIT, Role
from hoshin.org.tests.factories import make_user
from hoshin.voices.models import CitizenVoice, VoiceAttachment
from hoshin.voices.tests.intake_helpers import (
    exe_bytes,
    jpeg_bytes,
    pdf_bytes,
    png_bytes,
    post_streamed,
    receipt_and_secret,
    submit,
    voice_data,
)

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>&amp;'


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()


def stored_files(settings) -> list[str]:
    root = settings.MEDIA_ROOT
    return [os.path.join(d, f) for d, _, files in os.walk(root) for f in files]


# ---- text ---------------------------------------------------------------------------------


def test_empty_form_says_what_is_missing_and_stores_nothing(client):
    response = client.post(
        reverse("voices:new"), {"submission_key": voice_data()["submission_key"]}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "入力内容を確認してください" in html
    for message in (
        "種別を選んでください。",
        "件名を入力してください。",
        "内容を入力してください。",
    ):
        assert message in html
    assert 'aria-invalid="true"' in html
    assert CitizenVoice.objects.count() == 0


def test_whitespace_only_text_counts_as_empty(client):
    response = client.post(reverse("voices:new"), voice_data(subject="　 ", body="\n \n"))
    assert "件名を入力してください。" in response.content.decode()
    assert CitizenVoice.objects.count() == 0


def test_100000_character_letter_gets_a_clear_message_and_is_not_cut(client):
    body = "あ" * 100_000
    response = client.post(reverse("voices:new"), voice_data(body=body))
    assert response.status_code == 200
    html = response.content.decode()
    assert "内容が100,000文字あります。20,000文字以内にしてください（80,000文字多い）。" in html
    assert body in html  # the writer's text comes back whole, to shorten it themselves
    assert CitizenVoice.objects.count() == 0


def test_text_at_the_limit_is_accepted_and_crlf_counts_as_one_character(client):
    body = ("あ" * 99 + "\r\n") * (TEXT_LIMIT // 100)  # 20,000 characters once CRLF → LF
    response = submit(client, body=body)
    assert response.status_code == 200
    assert len(CitizenVoice.objects.get().body) == TEXT_LIMIT - 1  # trailing newline stripped


def test_long_subject_and_name_get_messages(client):
    response = client.post(reverse("voices:new"), voice_data(subject="件" * 201, name="名" * 101))
    html = response.content.decode()
    assert "件名が201文字あります。200文字以内にしてください" in html
    assert "お名前が101文字あります。100文字以内にしてください" in html


@pytest.mark.parametrize("email", ["taro", "taro@", "@example.jp", "taro@example..jp", "a b@c.jp"])
def test_invalid_email_is_refused_with_an_example(client, email):
    response = client.post(reverse("voices:new"), voice_data(email=email))
    assert (
        "メールアドレスの形が正しくありません（例：taro@example.jp）。" in response.content.decode()
    )
    assert CitizenVoice.objects.count() == 0


def test_full_width_email_typed_with_an_ime_is_accepted(client):
    submit(client, email="ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ")
    assert CitizenVoice.objects.get().writer.email == "taro@example.jp"


def test_invalid_phone_number_is_refused(client):
    response = client.post(reverse("voices:new"), voice_data(phone="call me maybe"))
    assert "電話番号は数字とハイフンで入力してください" in response.content.decode()


def test_nul_character_is_a_form_error_not_a_server_error(client):
    response = client.post(reverse("voices:new"), voice_data(name="太郎\x00"))
    assert response.status_code == 200
    assert CitizenVoice.objects.count() == 0


def test_reply_wanted_without_email_or_address_is_explained(client):
    response = client.post(
        reverse("voices:new"), voice_data(wants_reply="on", phone="03-1234-5678")
    )
    assert (
        "回答を希望する場合は、メールアドレスか住所を入力してください。"
        in response.content.decode()
    )
    assert CitizenVoice.objects.count() == 0


def test_result_notification_wanted_without_email_is_explained(client):
    response = client.post(reverse("voices:new"), voice_data(notify_results="on"))
    assert "メールアドレスを入力してください" in response.content.decode()
    assert CitizenVoice.objects.count() == 0


def test_unknown_choice_values_are_refused(client):
    response = client.post(
        reverse("voices:new"), voice_data(kind="spam", age_band="999", category="12345")
    )
    assert response.status_code == 200
    assert response.content.decode().count('class="field-errors"') >= 2
    assert CitizenVoice.objects.count() == 0


# ---- HTML / JavaScript, emoji and rare kanji ------------------------------------------------


def test_html_in_every_field_is_stored_as_text_and_shown_escaped(
    client, django_capture_on_commit_callbacks
):
    fields = {
        "subject": "件名" + XSS,
        "body": "本文" + XSS,
        "name": "名前" + XSS,
        "postal_address": "住所" + XSS,
    }
    with django_capture_on_commit_callbacks(execute=True):
        thanks = submit(client, email="taro@example.jp", **fields)
    voice = CitizenVoice.objects.get()
    assert voice.subject == fields["subject"] and voice.body == fields["body"]
    assert voice.writer.name == fields["name"]

    receipt, secret = receipt_and_secret(thanks.content.decode())
    status = client.post(reverse("voices:status"), {"receipt_number": receipt, "secret": secret})
    staff = client_for(Role.PUBLIC_HEARING)
    done = staff.post(
        reverse("voices_staff:new"),
        voice_data(channel="letter", received_on="2026-04-01", **fields),
        follow=True,
    )
    for page in (thanks, status, done):
        html = page.content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html
        assert html_lib.escape(XSS, quote=True) in html or "&lt;script&gt;" in html
    assert "名前&lt;script&gt;" in done.content.decode()
    assert "<script>" not in mail.outbox[0].body  # nothing typed is repeated in the e-mail


def test_html_in_fields_is_escaped_when_the_form_comes_back_with_errors(client):
    response = client.post(
        reverse("voices:new"),
        voice_data(subject=XSS, body=XSS, name=XSS, postal_address=XSS, email="not-an-email" + XSS),
    )
    html = response.content.decode()
    assert "<script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html


def test_emoji_and_rare_kanji_survive_the_round_trip(client, django_capture_on_commit_callbacks):
    text = "髙﨑 𠮷野家 🍣🙇‍♀️ 𩸽 ①㈱"
    with django_capture_on_commit_callbacks(execute=True):
        thanks = submit(
            client, subject=text, body=text * 3, name=text, postal_address=text, email="a@b.jp"
        )
    voice = CitizenVoice.objects.get()
    assert voice.subject == text and voice.body == text * 3
    assert voice.writer.name == text and voice.writer.postal_address == text
    assert text in thanks.content.decode()
    receipt, secret = receipt_and_secret(thanks.content.decode())
    status = client.post(reverse("voices:status"), {"receipt_number": receipt, "secret": secret})
    assert text in status.content.decode()
    # 𠮷 and emoji are one character each (no surrogate pairs): the limits count characters.
    assert len("𠮷") == 1


# ---- attachments ----------------------------------------------------------------------------


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_images_and_pdf_are_stored_under_random_names(client, settings):
    data = voice_data()
    data["attachments"] = [
        upload("写真.jpg", jpeg_bytes(), "image/jpeg"),
        upload("地図.png", png_bytes(), "image/png"),
        upload("資料.pdf", pdf_bytes(), "application/pdf"),
    ]
    response = client.post(reverse("voices:new"), data)
    assert response.status_code == 302
    attachments = VoiceAttachment.objects.order_by("id")
    assert [(a.original_name, a.content_type) for a in attachments] == [
        ("写真.jpg", "image/jpeg"),
        ("地図.png", "image/png"),
        ("資料.pdf", "application/pdf"),
    ]
    for attachment in attachments:
        assert attachment.original_name not in attachment.file.name
        assert attachment.size == attachment.file.size
    assert len(stored_files(settings)) == 3


def test_type_is_read_from_the_content_not_the_name(client):
    data = voice_data()
    data["attachments"] = [upload("scan.pdf", png_bytes(), "application/pdf")]
    assert client.post(reverse("voices:new"), data).status_code == 302
    attachment = VoiceAttachment.objects.get()
    assert attachment.content_type == "image/png"
    assert attachment.file.name.endswith(".png")


@pytest.mark.parametrize(
    "name, content",
    [
        ("invoice.pdf", exe_bytes()),  # a renamed program
        ("photo.jpg", exe_bytes()),
        ("page.png", b"<html><script>alert(1)</script></html>"),
        ("broken.png", b"\x89PNG\r\n\x1a\n" + b"not really an image"),
        ("archive.zip", b"PK\x03\x04" + b"\x00" * 40),
    ],
)
def test_other_file_types_are_refused_by_content(client, settings, name, content):
    data = voice_data()
    data["attachments"] = [upload(name, content, "application/pdf")]
    response = client.post(reverse("voices:new"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"「{name}」" in html
    assert "受け付けられない種類のファイル" in html or "画像として読み取れません" in html
    assert "もう一度選んでください" in html or "選び直してください" in html
    assert CitizenVoice.objects.count() == 0
    assert stored_files(settings) == []


def test_empty_file_is_refused(client):
    data = voice_data()
    data["attachments"] = [upload("empty.pdf", b"", "application/pdf")]
    response = client.post(reverse("voices:new"), data)
    assert response.status_code == 200
    assert CitizenVoice.objects.count() == 0


def test_50_mb_attachment_is_a_form_error_and_never_stored(client, settings):
    """Streamed from a sparse file: the 50 MB are neither in the test's memory nor stored."""
    size = 50 * 1024 * 1024
    with tempfile.TemporaryFile() as big:
        big.write(b"%PDF-1.4\n")
        big.truncate(size)
        big.seek(0)
        fields = voice_data(body="大きな資料を添付します。")
        response = post_streamed(
            client,
            reverse("voices:new"),
            fields,
            [("attachments", "大きな資料.pdf", "application/pdf", big, size)],
        )
    assert response.status_code == 200
    html = response.content.decode()
    assert "「大きな資料.pdf」は大きすぎるため受け付けられません。1ファイル10MBまでです。" in html
    assert "大きな資料を添付します。" in html  # the text typed is still there
    assert CitizenVoice.objects.count() == 0
    assert stored_files(settings) == []


def test_good_files_next_to_a_refused_one_are_not_stored_either(client, settings):
    data = voice_data()
    data["attachments"] = [
        upload("ok.png", png_bytes(), "image/png"),
        upload("virus.pdf", exe_bytes(), "application/pdf"),
    ]
    response = client.post(reverse("voices:new"), data)
    assert response.status_code == 200
    assert CitizenVoice.objects.count() == 0
    assert stored_files(settings) == []


def client_for(role):
    from django.test import Client

    client = Client()
    client.force_login(make_user(role=role))
    return client

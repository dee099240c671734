"""Spam and abuse protection of the public form: honeypot, rate limit, size limits, file types."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse

from hoshin.voices import abuse
from hoshin.voices.models import CitizenVoice
from hoshin.voices.services.attachments import sniff_content_type
from hoshin.voices.tests.intake_helpers import (
    exe_bytes,
    jpeg_bytes,
    pdf_bytes,
    png_bytes,
    submit,
    voice_data,
)

pytestmark = pytest.mark.django_db

NEW = "/voices/new/"


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.HOSHIN_PUBLIC_FORM_RATE_LIMIT = 10
    cache.clear()


def test_url_name_is_kept():
    assert reverse("voices:new") == NEW


# ---- honeypot ------------------------------------------------------------------------------


def test_honeypot_is_hidden_from_people_but_labelled_for_anyone_without_styles(client):
    html = client.get(NEW).content.decode()
    assert 'class="field field--hp"' in html
    assert 'name="homepage"' in html and 'tabindex="-1"' in html
    assert "この欄は空のままにしてください" in html


def test_filled_honeypot_stores_nothing_and_shows_a_neutral_page(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, homepage="http://spam.example/", email="victim@example.jp")
    assert response.redirect_chain == [(reverse("voices:thanks_neutral"), 302)]
    assert response.status_code == 200
    assert "receipt-number" not in response.content.decode()
    assert CitizenVoice.objects.count() == 0
    assert mail.outbox == []


def test_honeypot_hits_count_towards_the_rate_limit(client, settings):
    settings.HOSHIN_PUBLIC_FORM_RATE_LIMIT = 2
    submit(client, homepage="x")
    submit(client, homepage="x")
    response = client.post(NEW, voice_data())
    assert response.status_code == 429
    assert CitizenVoice.objects.count() == 0


# ---- rate limit ----------------------------------------------------------------------------


def test_rate_limit_per_address_keeps_the_text_and_explains(client, settings):
    settings.HOSHIN_PUBLIC_FORM_RATE_LIMIT = 2
    submit(client)
    submit(client)
    response = client.post(NEW, voice_data(body="三通目の手紙です。"))
    assert response.status_code == 429
    html = response.content.decode()
    assert "受け付けを一時的に止めています" in html
    assert "三通目の手紙です。" in html
    assert CitizenVoice.objects.count() == 2
    # Another address may still send.
    other = client.post(NEW, voice_data(), REMOTE_ADDR="198.51.100.20")
    assert other.status_code == 302
    assert CitizenVoice.objects.count() == 3


def test_invalid_forms_do_not_use_up_the_limit(client, settings):
    settings.HOSHIN_PUBLIC_FORM_RATE_LIMIT = 1
    for _ in range(3):
        client.post(NEW, voice_data(subject=""))
    assert client.post(NEW, voice_data()).status_code == 302


def test_a_resent_duplicate_does_not_use_up_the_limit(client, settings):
    settings.HOSHIN_PUBLIC_FORM_RATE_LIMIT = 1
    data = voice_data()
    assert client.post(NEW, data).status_code == 302
    assert client.post(NEW, data).status_code == 302  # same key: the stored one is shown again


def test_rate_limit_0_switches_it_off(client, settings):
    settings.HOSHIN_PUBLIC_FORM_RATE_LIMIT = 0
    for _ in range(15):
        assert client.post(NEW, voice_data()).status_code == 302
    assert CitizenVoice.objects.count() == 15


def test_client_address_ignores_forwarded_for_unless_trusted(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 192.0.2.44"
    )
    settings.HOSHIN_TRUST_X_FORWARDED_FOR = False
    assert abuse.client_address(request) == "10.0.0.1"
    settings.HOSHIN_TRUST_X_FORWARDED_FOR = True
    # The last entry is the one our proxy appended; the ones before are the client's word.
    assert abuse.client_address(request) == "192.0.2.44"


def test_forged_forwarded_for_does_not_escape_the_limit(client, settings):
    settings.HOSHIN_PUBLIC_FORM_RATE_LIMIT = 1
    assert client.post(NEW, voice_data(), HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 302
    blocked = client.post(NEW, voice_data(), HTTP_X_FORWARDED_FOR="203.0.113.2")
    assert blocked.status_code == 429


def test_rate_limit_counts_in_hour_windows():
    limit = abuse.RateLimit("test", 2)
    limit.record("a")
    assert not limit.exceeded("a")
    limit.record("a")
    assert limit.exceeded("a")
    assert not limit.exceeded("b")
    assert not abuse.RateLimit("test", 0).exceeded("a")


# ---- size limits ---------------------------------------------------------------------------


def files(*pairs):
    return [SimpleUploadedFile(name, content) for name, content in pairs]


def test_per_file_limit_is_configurable(client, settings):
    settings.HOSHIN_ATTACHMENT_MAX_BYTES = 1024 * 1024
    data = voice_data()
    data["attachments"] = files(("big.pdf", pdf_bytes() + b"\0" * (1024 * 1024)))
    response = client.post(NEW, data)
    assert "「big.pdf」は大きすぎるため受け付けられません。1ファイル1MBまでです。" in (
        response.content.decode()
    )
    assert CitizenVoice.objects.count() == 0


def test_total_limit_is_configurable(client, settings):
    settings.HOSHIN_ATTACHMENT_MAX_BYTES = 1024 * 1024
    settings.HOSHIN_ATTACHMENT_MAX_TOTAL_BYTES = 1536 * 1024
    part = pdf_bytes() + b"\0" * (900 * 1024)
    data = voice_data()
    data["attachments"] = files(("one.pdf", part), ("two.pdf", part))
    response = client.post(NEW, data)
    html = response.content.decode()
    assert "「two.pdf」を加えると合計の大きさが上限を超えます" in html
    assert "「one.pdf」" not in html
    assert CitizenVoice.objects.count() == 0


def test_number_of_files_is_limited(client, settings):
    settings.HOSHIN_ATTACHMENT_MAX_FILES = 2
    data = voice_data()
    data["attachments"] = files(
        ("a.png", png_bytes()), ("b.png", png_bytes()), ("c.png", png_bytes())
    )
    response = client.post(NEW, data)
    assert "添付できるファイルは2個までです。" in response.content.decode()
    assert CitizenVoice.objects.count() == 0


def test_request_larger_than_any_voice_form_gets_a_clean_413(client, settings):
    settings.HOSHIN_VOICE_REQUEST_MAX_BYTES = 200 * 1024
    data = voice_data()
    data["attachments"] = files(("big.pdf", pdf_bytes() + b"\0" * (300 * 1024)))
    response = client.post(NEW, data)
    assert response.status_code == 413
    html = response.content.decode()
    assert "送信内容が大きすぎます" in html and "何も登録されていません" in html
    assert CitizenVoice.objects.count() == 0


def test_text_fields_over_djangos_memory_limit_get_a_413_page_not_a_500(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100 * 1024
    response = client.post(NEW, voice_data(body="あ" * 60_000))  # 180 KB in UTF-8
    assert response.status_code == 413
    assert CitizenVoice.objects.count() == 0


def test_too_many_files_for_django_gets_a_413_page(client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    data = voice_data()
    data["attachments"] = files(*[(f"{i}.png", png_bytes()) for i in range(5)])
    assert client.post(NEW, data).status_code == 413


def test_broken_multipart_body_gets_a_400_page(client):
    response = client.generic(
        "POST", NEW, b"--nope\r\nbroken", content_type="multipart/form-data; boundary="
    )
    assert response.status_code == 400
    assert "送信内容を読み取れませんでした" in response.content.decode()


# ---- file types ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content, expected",
    [
        (jpeg_bytes(), "image/jpeg"),
        (png_bytes(), "image/png"),
        (pdf_bytes(), "application/pdf"),
        (exe_bytes(), None),
        (b"GIF89a", None),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", None),
        (b"", None),
    ],
)
def test_sniff_content_type_reads_magic_bytes(content, expected):
    assert sniff_content_type(content[:16]) == expected

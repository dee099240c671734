"""The writer's status page: receipt number + secret → honest status, public notes, sent reply."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from hoshin.org.tests.factories import make_department
from hoshin.voices.models import (
    Channel,
    CitizenVoice,
    ReplyStage,
    VoiceEvent,
    VoiceKind,
    VoiceReply,
    VoiceStatus,
)
from hoshin.voices.services.intake import WriterDetails, voice_receive

pytestmark = pytest.mark.django_db

URL = "/voices/status/"
NO_MATCH = "受付番号か照会キーが違います。"


@pytest.fixture(autouse=True)
def _isolated(settings):
    settings.HOSHIN_STATUS_LOOKUP_RATE_LIMIT = 10
    cache.clear()


def receive(**fields):
    defaults = {
        "channel": Channel.WEB,
        "kind": VoiceKind.OPINION,
        "subject": "公園のトイレ",
        "body": "公園のトイレが古く、使いにくいです。",
        "received_on": datetime.date(2026, 4, 6),
        "writer": WriterDetails(name="鈴木 一郎", email="ichiro@example.jp"),
        "wants_reply": True,
    }
    return voice_receive(**{**defaults, **fields})


def look_up(client, voice: CitizenVoice, secret: str, **environ):
    return client.post(URL, {"receipt_number": voice.receipt_number, "secret": secret}, **environ)


def test_url_name_is_kept():
    assert reverse("voices:status") == URL


def test_get_shows_the_form(client):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="receipt_number"' in html and 'name="secret"' in html
    assert 'method="post"' in html


def test_received_voice_shows_status_dates_and_no_personal_details(client):
    received = receive()
    response = look_up(client, received.voice, received.secret)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="voice-status">受付<' in html
    assert "令和8年4月6日" in html  # date received
    assert "令和8年4月20日" in html  # reply-by date: 10 office days later
    assert "鈴木" not in html and "ichiro@example.jp" not in html
    assert "公園のトイレが古く" not in html  # the letter itself is not repeated


def test_public_notes_are_shown_and_internal_notes_never(client):
    received = receive()
    voice = received.voice
    road = make_department("公園緑地課")
    voice.status = VoiceStatus.ANSWERING
    voice.lead_department = road
    voice.save()
    VoiceEvent.objects.create(
        voice=voice,
        status=VoiceStatus.ASSIGNED,
        note="内部メモ：前にも同じ苦情あり",
        public_note="公園緑地課が担当します。",
    )
    VoiceEvent.objects.create(voice=voice, status=VoiceStatus.ANSWERING, note="課長と相談中")
    VoiceReply.objects.create(voice=voice, body="下書き：検討します", stage=ReplyStage.SUBMITTED)
    html = look_up(client, voice, received.secret).content.decode()
    assert 'id="voice-status">回答作成中<' in html
    assert "公園緑地課が担当します。" in html
    assert "担当課" in html and "公園緑地課" in html
    for hidden in ("内部メモ", "課長と相談中", "下書き"):
        assert hidden not in html
    assert "市からの回答" not in html


def test_sent_reply_is_shown_with_line_breaks_and_escaped(client):
    received = receive()
    voice = received.voice
    voice.status = VoiceStatus.ANSWERED
    voice.save()
    VoiceReply.objects.create(
        voice=voice,
        body="来年度に改修します。\n<b>ご意見ありがとうございました。</b>",
        stage=ReplyStage.SENT,
        sent_at=timezone.make_aware(datetime.datetime(2026, 4, 15, 23, 30)),
    )
    html = look_up(client, voice, received.secret).content.decode()
    assert "市からの回答" in html
    assert "来年度に改修します。<br>&lt;b&gt;ご意見ありがとうございました。&lt;/b&gt;" in html
    assert "令和8年4月15日" in html


@pytest.mark.parametrize(
    "status, label",
    [(VoiceStatus.CLOSED, "回答なしで終了"), (VoiceStatus.FORWARDED, "他の機関へ回送")],
)
def test_closed_and_forwarded_show_the_reason(client, status, label):
    received = receive()
    voice = received.voice
    voice.status = status
    voice.status_reason = "県の管理する道路のため、県土木事務所へお送りしました。"
    voice.save()
    html = look_up(client, voice, received.secret).content.decode()
    assert f'id="voice-status">{label}<' in html
    assert "県土木事務所へお送りしました。" in html


def test_reason_is_not_shown_while_open(client):
    received = receive()
    received.voice.status_reason = "職員が途中で書いた理由"
    received.voice.save()
    assert (
        "職員が途中で書いた理由"
        not in look_up(client, received.voice, received.secret).content.decode()
    )


def test_wrong_secret_and_unknown_number_get_the_same_answer(client):
    received = receive()
    wrong_secret = look_up(client, received.voice, "nottheright1").content.decode()
    unknown = client.post(
        URL, {"receipt_number": "2026-9999", "secret": received.secret}
    ).content.decode()
    other_year = client.post(
        URL, {"receipt_number": "2025-0001", "secret": received.secret}
    ).content.decode()
    for html in (wrong_secret, unknown, other_year):
        assert NO_MATCH in html
        assert "voice-status" not in html


def test_another_voices_secret_does_not_open_this_one(client):
    first = receive()
    second = receive(subject="別の投稿")
    html = look_up(client, first.voice, second.secret).content.decode()
    assert NO_MATCH in html and "別の投稿" not in html


def test_receipt_number_typed_in_full_width_or_without_zeros_is_understood(client):
    received = receive()
    for typed in ("２０２６－０００１", "2026-1", " 2026 - 0001 ", "20260001", "2026ー0001"):
        response = client.post(URL, {"receipt_number": typed, "secret": received.secret})
        assert 'id="voice-status"' in response.content.decode(), typed


def test_malformed_receipt_number_gets_a_format_hint(client):
    response = client.post(URL, {"receipt_number": "42", "secret": "x"})
    assert "「2026-0042」のように" in response.content.decode()


def test_empty_form_says_what_is_missing(client):
    html = client.post(URL, {}).content.decode()
    assert "受付番号を入力してください。" in html and "照会キーを入力してください。" in html


def test_failed_lookups_are_rate_limited_per_address_and_receipt(client, settings):
    settings.HOSHIN_STATUS_LOOKUP_RATE_LIMIT = 3
    received = receive()
    for _ in range(3):
        assert NO_MATCH in look_up(client, received.voice, "guess").content.decode()
    blocked = look_up(client, received.voice, received.secret)
    assert blocked.status_code == 429
    assert "一時的に止めています" in blocked.content.decode()
    assert "voice-status" not in blocked.content.decode()
    # Another address is not affected.
    other = look_up(client, received.voice, received.secret, REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200 and "voice-status" in other.content.decode()


def test_one_guesser_behind_a_shared_address_does_not_lock_out_the_others(client, settings):
    """Issue 10, finding "the status-page limit locks a whole shared address out for an hour,
    including the right secret": a city office behind one NAT address; one person guesses at
    a receipt number, a colleague looks up their own voice with the right secret."""
    settings.HOSHIN_STATUS_LOOKUP_RATE_LIMIT = 3
    guessed, own = receive(), receive(subject="別の件")
    for _ in range(5):
        look_up(client, guessed.voice, "guess")
    assert look_up(client, guessed.voice, "guess").status_code == 429
    colleague = look_up(client, own.voice, own.secret)
    assert colleague.status_code == 200 and "voice-status" in colleague.content.decode()


def test_a_receipt_cannot_be_brute_forced_from_many_addresses(client, settings):
    """Issue 10, same finding, the other side: failures count per receipt number across all
    addresses, and while that limit holds not even the right secret is accepted (otherwise
    the guesser would see which guess was right: a brute-force oracle)."""
    settings.HOSHIN_STATUS_LOOKUP_RATE_LIMIT = 3
    settings.HOSHIN_STATUS_LOOKUP_RECEIPT_LIMIT = 6
    received = receive()
    for n in range(6):
        response = look_up(client, received.voice, "guess", REMOTE_ADDR=f"198.51.100.{n}")
        assert response.status_code == 200 and NO_MATCH in response.content.decode()
    right = look_up(client, received.voice, received.secret, REMOTE_ADDR="198.51.100.99")
    wrong = look_up(client, received.voice, "guess", REMOTE_ADDR="198.51.100.98")
    assert right.status_code == wrong.status_code == 429
    assert "voice-status" not in right.content.decode()
    assert "この受付番号の照会" in right.content.decode()
    # Other receipt numbers are untouched by it.
    other = receive(subject="別の件")
    assert look_up(client, other.voice, other.secret, REMOTE_ADDR="198.51.100.1").status_code == 200


def test_a_block_says_nothing_about_whether_the_receipt_number_exists(client, settings):
    settings.HOSHIN_STATUS_LOOKUP_RATE_LIMIT = 2
    received = receive()
    missing = {"receipt_number": "2026-9999", "secret": "guess"}
    for _ in range(2):
        look_up(client, received.voice, "guess")
        client.post(URL, missing)
    existing = look_up(client, received.voice, "guess")
    unknown = client.post(URL, missing)
    assert existing.status_code == unknown.status_code == 429
    texts = [
        re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", r.content.decode())
        .replace(received.voice.receipt_number, "N")
        .replace("2026-9999", "N")
        for r in (existing, unknown)
    ]
    assert texts[0] == texts[1]


def test_one_address_cannot_scan_every_receipt_number(client, settings):
    settings.HOSHIN_STATUS_LOOKUP_ADDRESS_LIMIT = 4
    for number in range(1, 5):
        client.post(URL, {"receipt_number": f"2026-{number:04d}", "secret": "guess"})
    received = receive()
    blocked = look_up(client, received.voice, received.secret)
    assert blocked.status_code == 429 and "この端末からの照会" in blocked.content.decode()


def test_successful_lookups_do_not_count_towards_the_limit(client, settings):
    settings.HOSHIN_STATUS_LOOKUP_RATE_LIMIT = 2
    received = receive()
    for _ in range(5):
        assert look_up(client, received.voice, received.secret).status_code == 200


def test_status_page_is_never_cached(client):
    received = receive()
    response = look_up(client, received.voice, received.secret)
    assert "no-store" in response["Cache-Control"]


def test_the_secret_is_typeable_and_accepted_however_it_is_typed():
    """Writers copy it from paper or hear it on the phone: no look-alikes, any case or width."""
    from hoshin.voices.services.intake import secret_matches, voice_receive

    received = voice_receive(
        channel="web",  # a phone voice needs the office as ``by`` (see test_intake_rules.py)
        kind="opinion",
        subject="件名",
        body="本文",
        received_on=datetime.date(2026, 5, 1),
    )
    assert not set(received.secret) & set("0O1IL")
    spaced = " ".join([received.secret[:5], received.secret[5:]]).lower()
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in received.secret)
    for typed in (received.secret, spaced, full_width):
        assert secret_matches(voice=received.voice, secret=typed)
    assert not secret_matches(voice=received.voice, secret="")


def test_the_failure_message_tells_the_truth_about_case(client):
    """A lower-case key opens the page, so the error must not call the key case-sensitive."""
    received = receive()
    opened = look_up(client, received.voice, received.secret.lower())
    assert opened.status_code == 200 and 'id="voice-status"' in opened.content.decode()
    wrong = look_up(client, received.voice, "WRONGWRONG").content.decode()
    assert NO_MATCH in wrong
    assert "区別します" not in wrong
    assert "大文字と小文字" in wrong and "区別しません" in wrong

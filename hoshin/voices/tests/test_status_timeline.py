"""The writer's timeline: each step once and explained; rerouting said as such; staff names and
internal notes never shown (looked at as an attacker holding a valid receipt would)."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from conftest import shared_data
from hoshin.voices.models import VoiceEvent, VoiceEventStep, VoiceReply, VoiceStatus
from hoshin.voices.selectors.timeline import status_timeline
from hoshin.voices.services import publication, replies, routing
from hoshin.voices.services.intake import voice_receive
from hoshin.voices.tests.handling_helpers import (
    RECEIVED_ON,
    REPLY_TEXT,
    approved,
    make_staff,
)

pytestmark = pytest.mark.django_db

INTERNAL = "内部メモ：議員からの口添えあり、道路課長と調整済み"


@shared_data
def staff():
    return make_staff()


@pytest.fixture(autouse=True)
def _no_lookup_limits():
    cache.clear()


def received(staff):
    return voice_receive(
        channel="web",
        kind="mayor_letter",
        subject="通学路の歩道について",
        body="歩道を整備してください。",
        received_on=RECEIVED_ON,
        category=staff.category,
        publish_consent=True,
    )


def rerouted_and_answered(staff):
    """Received → 公園緑地課 → (internal reasons) 道路課 → reply sent → published."""
    receipt = received(staff)
    voice = receipt.voice
    routing.voice_route(
        voice=voice, by=staff.office, category=staff.category, lead_department=staff.park
    )
    # A staff-only change (a co-department): nothing the writer needs to read.
    routing.voice_route(
        voice=voice,
        by=staff.office,
        category=staff.category,
        lead_department=staff.park,
        co_departments=[staff.road],
    )
    routing.voice_route(
        voice=voice,
        by=staff.office,
        category=staff.category,
        lead_department=staff.road,
        note=INTERNAL,
    )
    reply = approved(staff, voice=voice)
    replies.reply_send(reply=reply, by=staff.office, method=VoiceReply.Method.OTHER)
    proposal = publication.publication_propose(voice=voice, by=staff.office)
    publication.publication_publish(publication=proposal.publication, by=staff.office)
    return receipt


def test_each_step_once_and_the_reroute_says_why(staff):
    voice = rerouted_and_answered(staff).voice
    labels = [step.label for step in status_timeline(voice=voice)]
    assert labels == [
        "受付",
        "担当課決定",
        "担当課を変更しました",
        "回答作成中",
        "回答済み",
        "ホームページに掲載しました",
    ]
    # The staff log has more events than the writer sees (the co-department change, links).
    assert VoiceEvent.objects.filter(voice=voice).count() > len(labels)
    assert all(step.explanation for step in status_timeline(voice=voice))
    reroute = status_timeline(voice=voice)[2]
    assert reroute.note == "新しい担当課は道路課です。"


def test_page_for_a_rerouted_letter_hides_internal_notes_and_staff(client, staff):
    receipt = rerouted_and_answered(staff)
    voice = receipt.voice
    html = client.post(
        "/voices/status/", {"receipt_number": voice.receipt_number, "secret": receipt.secret}
    ).content.decode()
    assert "担当課を変更しました" in html and "新しい担当課は道路課です。" in html
    assert html.count(">担当課決定<") == 1 and html.count(">回答済み<") <= 2  # badge + step
    timeline = re.search(r'<ol class="timeline">(.*?)</ol>', html, re.S).group(1)
    assert timeline.count("回答済み") == 1
    assert REPLY_TEXT in html  # the sent reply itself is the writer's
    assert INTERNAL not in html and "議員" not in html and "調整済み" not in html
    # The internal log of the reroute ("主管課: 道路課", "関係課: …") is staff-only.
    assert "主管課" not in html and "関係課" not in html
    for user in (staff.office, staff.editor, staff.head):
        assert user.username not in timeline
        if user.display_name:
            assert user.display_name not in html


def test_a_status_that_comes_back_is_named_for_what_happened(staff):
    voice = received(staff).voice
    routing.voice_route(
        voice=voice, by=staff.office, category=staff.category, lead_department=staff.park
    )
    routing.voice_close(voice=voice, by=staff.office, reason="同じご意見を既に受け付けています。")
    routing.voice_reopen(voice=voice, by=staff.office, reason="別のご意見でした")
    routing.voice_route(voice=voice, by=staff.office, category=staff.category, lead_department=None)
    routing.voice_route(
        voice=voice, by=staff.office, category=staff.category, lead_department=staff.road
    )
    steps = status_timeline(voice=voice)
    assert [step.label for step in steps] == [
        "受付",
        "担当課決定",
        "回答なしで終了",
        "対応を再開しました",
        "担当課を決め直しています",
        "担当課を変更しました",
    ]
    assert "別のご意見でした" not in " ".join(step.note for step in steps)
    assert VoiceEvent.objects.filter(voice=voice, step=VoiceEventStep.REOPENED).count() == 1
    voice.refresh_from_db()
    assert voice.status == VoiceStatus.ASSIGNED


def test_status_and_published_pages_show_the_departments_contact(client, staff):
    staff.road.phone = "0000-00-4444"
    staff.road.opening_hours = "平日 8時30分〜17時15分"
    staff.road.save()
    receipt = rerouted_and_answered(staff)
    voice = receipt.voice
    html = client.post(
        "/voices/status/", {"receipt_number": voice.receipt_number, "secret": receipt.secret}
    ).content.decode()
    assert "お問い合わせ先" in html and "0000-00-4444" in html
    published = client.get(
        reverse("voices:published_detail", args=[voice.publication.pk])
    ).content.decode()
    assert "0000-00-4444" in published and "平日 8時30分〜17時15分" in published

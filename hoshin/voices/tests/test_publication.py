"""Publication: consent, masking with a person's confirmation, the public pages, and attacks."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hoshin.changes.channel import announce
from hoshin.voices.models import CitizenVoice, VoiceCategory, VoicePublication
from hoshin.voices.services import publication as service
from hoshin.voices.services import routing
from hoshin.voices.services.errors import (
    ConsentError,
    PublicationCheckError,
    VoiceError,
    VoicePermissionError,
)
from hoshin.voices.tests.handling_helpers import (
    PERSONAL_MARKERS,
    WRITER_EMAIL,
    WRITER_PHONE,
    assigned,
    make_action,
    make_staff,
    sent,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return make_staff()


def published(staff, **kw) -> VoicePublication:
    reply = sent(staff, **kw)
    proposal = service.publication_propose(voice=reply.voice, by=staff.office)
    return service.publication_publish(publication=proposal.publication, by=staff.office)


# ---- the consent rule ----------------------------------------------------------------------


def test_no_consent_no_proposal(staff):
    reply = sent(staff, publish_consent=False)
    with pytest.raises(ConsentError, match="同意"):
        service.publication_propose(voice=reply.voice, by=staff.office)
    assert not VoicePublication.objects.exists()


def test_no_consent_no_publishing_even_with_a_proposal_made_before(staff):
    reply = sent(staff)
    proposal = service.publication_propose(voice=reply.voice, by=staff.office)
    CitizenVoice.objects.filter(pk=reply.voice.pk).update(publish_consent=False)  # withdrawn
    with pytest.raises(ConsentError):
        service.publication_publish(publication=proposal.publication, by=staff.office)


def test_withdrawn_consent_takes_a_published_voice_off_the_portal(client, staff):
    publication = published(staff)
    assert client.get(reverse("voices:published_detail", args=[publication.pk])).status_code == 200
    CitizenVoice.objects.filter(pk=publication.voice_id).update(publish_consent=False)
    announce(voice_ids=[publication.pk])  # a bulk update sends no model signal: say it changed
    assert not VoicePublication.objects.published().exists()
    assert client.get(reverse("voices:published_detail", args=[publication.pk])).status_code == 404


def test_only_answered_voices_and_only_the_office(staff):
    voice = assigned(staff)
    with pytest.raises(VoiceError, match="回答を送付"):
        service.publication_propose(voice=voice, by=staff.office)
    reply = sent(staff)
    for who in ("editor", "head", "mayor", "planner", "admin"):
        if who == "admin":
            continue  # the admin acts as the office
        with pytest.raises(VoicePermissionError):
            service.publication_propose(voice=reply.voice, by=staff.user(who))


# ---- masking and confirmation ----------------------------------------------------------------


def test_proposal_masks_the_writers_details_and_patterns(staff):
    reply = sent(staff, subject="山田太郎からの要望")
    proposal = service.publication_propose(voice=reply.voice, by=staff.office)
    publication = proposal.publication
    assert not publication.is_published
    assert publication.title == "〇〇からの要望"
    assert "〇〇と申します" in publication.summary
    assert "【電話番号】" in publication.summary
    assert WRITER_PHONE not in publication.summary and "山田" not in publication.summary
    assert publication.reply_text.startswith("ご意見ありがとうございます")
    assert publication.answering_department == staff.road
    assert {f.label for f in proposal.summary.findings} == {"氏名", "電話番号"}


def test_publishing_refuses_personal_details_typed_back_in_unless_confirmed(staff):
    reply = sent(staff)
    publication = service.publication_propose(voice=reply.voice, by=staff.office).publication
    service.publication_update(
        publication=publication,
        by=staff.office,
        title="通学路の歩道",
        summary="歩道の整備を求める声。連絡先 03-9999-0000",
        reply_text="整備します。",
    )
    with pytest.raises(PublicationCheckError, match="03-9999-0000") as caught:
        service.publication_publish(publication=publication, by=staff.office)
    assert [f.original for f in caught.value.findings] == ["03-9999-0000"]
    publication.refresh_from_db()
    assert not publication.is_published
    publication = service.publication_publish(
        publication=publication, by=staff.office, confirmed_not_personal=True
    )
    assert publication.is_published and publication.published_at
    assert publication.published_by == staff.office


def test_unpublish_needs_a_reason_and_hides_the_page(client, staff):
    publication = published(staff)
    with pytest.raises(VoiceError):
        service.publication_unpublish(publication=publication, by=staff.office, reason="")
    service.publication_unpublish(publication=publication, by=staff.office, reason="本人の申出")
    publication.refresh_from_db()
    assert not publication.is_published and publication.published_at is None
    assert client.get(reverse("voices:published_detail", args=[publication.pk])).status_code == 404


# ---- staff views ------------------------------------------------------------------------------


def test_staff_publication_flow_through_the_views(client, staff):
    reply = sent(staff)
    voice = reply.voice
    client.force_login(staff.office)
    page = client.get(reverse("voices_staff:publication", args=[voice.pk]))
    assert page.status_code == 200 and "公表案を作る" in page.content.decode()
    response = client.post(reverse("voices_staff:publication_propose", args=[voice.pk]), {})
    assert response.status_code == 302
    html = client.get(reverse("voices_staff:publication", args=[voice.pk])).content.decode()
    assert '<mark class="masked masked--phone">' in html  # what was masked, highlighted
    assert "（電話番号）" in html
    response = client.post(
        reverse("voices_staff:publication", args=[voice.pk]),
        {
            "publication-title": "通学路の歩道について",
            "publication-summary": "通学路に歩道の整備を求める声",
            "publication-reply_text": "来年度に整備します。",
        },
    )
    assert response.status_code == 302
    response = client.post(reverse("voices_staff:publication_publish", args=[voice.pk]), {})
    assert response.status_code == 302
    publication = VoicePublication.objects.get(voice=voice)
    assert publication.is_published and publication.summary == "通学路に歩道の整備を求める声"


def test_publish_view_shows_remaining_findings(client, staff):
    reply = sent(staff)
    publication = service.publication_propose(voice=reply.voice, by=staff.office).publication
    VoicePublication.objects.filter(pk=publication.pk).update(
        summary="田中さんの件 taro@example.jp"
    )
    client.force_login(staff.office)
    response = client.post(reverse("voices_staff:publication_publish", args=[reply.voice.pk]), {})
    assert response.status_code == 400
    assert "taro@example.jp" in response.content.decode()
    publication.refresh_from_db()
    assert not publication.is_published


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("office", 302),
        ("editor", 403),
        ("head", 403),
        ("viewer", 403),
        ("stranger", 404),
        ("anonymous", 302),
    ],
)
def test_propose_view_matrix(client, staff, who, expected):
    reply = sent(staff)
    if who != "anonymous":
        client.force_login(staff.user(who))
    response = client.post(reverse("voices_staff:publication_propose", args=[reply.voice.pk]), {})
    assert response.status_code == expected
    assert VoicePublication.objects.exists() == (who == "office")


# ---- public pages -------------------------------------------------------------------------------


def test_public_list_and_detail_show_what_may_be_shown(client, staff):
    publication = published(staff)
    response = client.get(reverse("voices:published_list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert publication.title in html
    assert "public" in response["Cache-Control"]
    detail = client.get(reverse("voices:published_detail", args=[publication.pk]))
    html = detail.content.decode()
    for shown in (
        "令和7年6月2日（2025年6月2日）",  # received, era and Western
        "道路・交通",
        "40代",
        "中央地区",
        "道路課",
        "ご意見ありがとうございます",
    ):
        assert shown in html
    for marker in PERSONAL_MARKERS:
        assert marker not in html


def test_public_list_filters_and_paginates(client, staff):
    first = published(staff)
    parks = VoiceCategory.objects.create(name="公園", position=2)
    second = published(staff, subject="公園の遊具について")
    CitizenVoice.objects.filter(pk=second.voice_id).update(category=parks, fy=2024)
    url = reverse("voices:published_list")

    def titles(**params):
        html = client.get(url, params).content.decode()
        return {p.title for p in (first, second) if p.title in html}

    assert titles() == {first.title, second.title}
    assert titles(category=parks.pk) == {second.title}
    assert titles(fy=2024) == {second.title}
    assert titles(fy=2025) == {first.title}
    assert titles(department=staff.road.pk) == {first.title, second.title}
    assert titles(q="遊具") == {second.title}
    for _ in range(20):
        published(staff)
    page_one = client.get(url).content.decode()
    assert "1 / 2 ページ" in page_one
    assert client.get(url, {"page": 2}).status_code == 200


def test_guessed_ids_of_unpublished_or_unconsented_voices_are_404(client, staff):
    proposal_only = service.publication_propose(voice=sent(staff).voice, by=staff.office)
    no_consent = published(staff)
    CitizenVoice.objects.filter(pk=no_consent.voice_id).update(publish_consent=False)
    forced = VoicePublication.objects.create(  # published flag set by hand, without consent
        voice=sent(staff, publish_consent=False).voice,
        title="t",
        summary="s",
        reply_text="r",
        is_published=True,
        published_at=no_consent.published_at,
    )
    ids = [proposal_only.publication.pk, no_consent.pk, forced.pk, 9999, 0]
    ids += [v.pk for v in CitizenVoice.objects.all()]
    for pk in ids:
        response = client.get(reverse("voices:published_detail", args=[pk]))
        assert response.status_code == 404, pk
    html = client.get(reverse("voices:published_list")).content.decode()
    assert "掲載している市民の声はまだありません" in html


def test_no_personal_marker_in_any_public_response(client, staff):
    action = make_action(staff.road)
    publication = published(staff)
    routing.voice_link_action(voice=publication.voice, by=staff.office, action=action)
    # An unpublished voice with the same writer, linked too: must not leak either.
    other = sent(staff)
    routing.voice_link_action(voice=other.voice, by=staff.office, action=action)
    pages = [
        reverse("voices:published_list"),
        reverse("voices:published_detail", args=[publication.pk]),
        action.get_absolute_url(),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for marker in (*PERSONAL_MARKERS, WRITER_EMAIL):
            assert marker not in html, (url, marker)
        assert "/media/" not in html  # never an attachment
    # Searching for the writer's name finds nothing: it was masked before publication.
    html = client.get(reverse("voices:published_list"), {"q": "山田"}).content.decode()
    assert publication.title not in html and "条件に合う市民の声はありません" in html


def test_action_page_lists_published_linked_voices_with_constant_queries(client, staff):
    action = make_action(staff.road)
    url = action.get_absolute_url()

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries), response.content.decode()

    baseline, html = count_queries()
    assert "この取組に関する市民の声" not in html
    first = published(staff)
    routing.voice_link_action(voice=first.voice, by=staff.office, action=action)
    with_one, html = count_queries()
    assert "この取組に関する市民の声" in html and first.title in html
    assert reverse("voices:published_detail", args=[first.pk]) in html
    for _ in range(4):
        more = published(staff)
        routing.voice_link_action(voice=more.voice, by=staff.office, action=action)
    with_five, html = count_queries()
    assert len(re.findall(r'class="published-voice"', html)) == 5
    assert with_five == with_one == baseline  # one query for the voices, however many

"""Who sees what of a voice (selectors/access.py), checked in the HTML each role receives,
and the access log of personal details (PersonalDataView)."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from hoshin.voices.models import PersonalDataView, VoiceAttachment
from hoshin.voices.selectors.access import voice_access, voices_visible_to
from hoshin.voices.services import routing
from hoshin.voices.services.errors import VoicePermissionError
from hoshin.voices.services.replies import personal_data_viewed
from hoshin.voices.tests.handling_helpers import (
    REPLY_TEXT,
    WRITER_EMAIL,
    WRITER_NAME,
    WRITER_PHONE,
    assigned,
    drafted,
    make_staff,
    receive,
)

pytestmark = pytest.mark.django_db

# The writer's details as they would appear on a page that shows them.
CONTACT = (WRITER_EMAIL, WRITER_PHONE, "東京都みどり市中央町1丁目2番3号", "123-4567")


@pytest.fixture
def staff():
    return make_staff()


@pytest.fixture
def voice(staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    voice = assigned(staff)
    VoiceAttachment.objects.create(
        voice=voice,
        file=ContentFile(b"%PDF-1.4 test", name="letter.pdf"),
        original_name="山田太郎の手紙.pdf",
        content_type="application/pdf",
        size=13,
    )
    drafted(staff, voice)
    return voice


def page(client, user, voice) -> tuple[int, str]:
    client.force_login(user)
    response = client.get(reverse("voices_staff:detail", args=[voice.pk]))
    return response.status_code, response.content.decode()


# role → (sees the page, sees the reply and history, may open personal details)
MATRIX = {
    "office": (True, True, True),
    "admin": (True, True, True),
    "editor": (True, True, False),
    "head": (True, True, False),
    "parent_editor": (True, True, False),  # a 部 covers its 課
    "viewer": (True, True, False),  # a department viewer of the lead department
    "other_editor": (True, False, False),  # a co-department: the text only
    "planner": (True, False, False),  # planning office: the text, nothing personal
    "citywide_viewer": (True, False, False),
    "unit_editor": (False, False, False),  # a 係 does not cover its 課
    "stranger": (False, False, False),
    "committee": (False, False, False),
    "mayor": (False, False, False),  # not flagged
}


@pytest.mark.parametrize("who", list(MATRIX))
def test_each_role_sees_only_what_it_may(client, staff, voice, who):
    sees, history, personal = MATRIX[who]
    status, html = page(client, staff.user(who), voice)
    if not sees:
        assert status == 404
        return
    assert status == 200
    assert "駅前の通学路に歩道がなく" in html  # the text itself
    # The writer's registered details never appear on the voice page, not even for the office:
    # they are opened on purpose on the writer page (and logged).
    for detail in (WRITER_EMAIL, "中央町1丁目2番3号", "123-4567", WRITER_NAME):
        assert detail not in html, (who, detail)
    if personal:
        # The office reads the letter as written, with what the writer typed into it.
        assert "山田太郎と申します" in html and WRITER_PHONE in html
        assert "個人情報を表示する" in html
    else:
        assert "山田" not in html and "太郎" not in html, who
        assert WRITER_PHONE not in html and "【電話番号】" in html
        assert "個人情報を表示する" not in html
    assert (REPLY_TEXT in html) == history, who
    assert ('id="history-title"' in html) == history
    assert "山田太郎の手紙.pdf" not in html  # attachment names are personal too
    assert not PersonalDataView.objects.exists()


def test_mayors_office_sees_flagged_voices_without_personal_details(client, staff, voice):
    routing.voice_route(
        voice=voice,
        by=staff.office,
        category=staff.category,
        lead_department=staff.road,
        mayor_flag=True,
    )
    voice.refresh_from_db()
    status, html = page(client, staff.mayor, voice)
    assert status == 200
    assert REPLY_TEXT in html
    for detail in (*CONTACT, "山田"):
        assert detail not in html
    assert voice_access(user=staff.mayor, voice=voice).approve_mayor


def test_writer_page_shows_details_only_after_a_purpose_and_logs_it(client, staff, voice):
    client.force_login(staff.office)
    url = reverse("voices_staff:writer", args=[voice.pk])
    html = client.get(url).content.decode()
    assert WRITER_EMAIL not in html and "閲覧の目的" in html
    assert not PersonalDataView.objects.exists()
    response = client.get(url, {"purpose": "reply"})
    html = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    for detail in (
        WRITER_NAME,
        WRITER_EMAIL,
        WRITER_PHONE,
        "中央町1丁目2番3号",
        "山田太郎の手紙.pdf",
    ):
        assert detail in html
    (log,) = PersonalDataView.objects.all()
    assert (log.voice, log.user, log.purpose) == (voice, staff.office, "回答の送付・連絡のため")


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("editor", 403),
        ("head", 403),
        ("viewer", 403),
        ("planner", 403),
        ("other_editor", 403),
        ("stranger", 404),
        ("mayor", 404),
        ("anonymous", 302),
    ],
)
def test_nobody_else_opens_the_writer_page_or_attachments(client, staff, voice, who, expected):
    attachment = voice.attachments.get()
    if who != "anonymous":
        client.force_login(staff.user(who))
    for url in (
        reverse("voices_staff:writer", args=[voice.pk]) + "?purpose=reply",
        reverse("voices_staff:attachment", args=[voice.pk, attachment.pk]),
    ):
        response = client.get(url)
        assert response.status_code == expected
        if expected != 302:
            assert WRITER_EMAIL not in response.content.decode()
    assert not PersonalDataView.objects.exists()


@pytest.mark.parametrize("who", ["editor", "head", "planner", "mayor", "citywide_viewer"])
def test_the_service_refuses_personal_details_to_anyone_but_the_office(staff, voice, who):
    # Every use of the writer's details is logged through personal_data_viewed, so it is the
    # gate for any caller, not only the pages above.
    with pytest.raises(VoicePermissionError):
        personal_data_viewed(voice=voice, by=staff.user(who), purpose="確認")
    assert not PersonalDataView.objects.exists()
    personal_data_viewed(voice=voice, by=staff.office, purpose="確認")
    assert PersonalDataView.objects.count() == 1


def test_attachment_download_is_logged_and_never_sniffed(client, staff, voice):
    attachment = voice.attachments.get()
    client.force_login(staff.office)
    response = client.get(reverse("voices_staff:attachment", args=[voice.pk, attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    log = PersonalDataView.objects.get()
    assert log.purpose == "添付ファイルの閲覧（山田太郎の手紙.pdf）"


def test_attachments_are_served_sandboxed_and_as_downloads(client, staff, voice):
    """Issue 10, finding "attachments are served without Content-Security-Policy: sandbox": a
    file a citizen uploaded, opened in a staff member's browser, can run nothing as this site."""
    attachment = voice.attachments.get()
    client.force_login(staff.office)
    response = client.get(reverse("voices_staff:attachment", args=[voice.pk, attachment.pk]))
    policy = [part.strip() for part in response["Content-Security-Policy"].split(";")]
    assert policy[0] == "sandbox" and "default-src 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]


def test_selector_matches_the_pages(staff, voice):
    other = receive(staff, subject="振り分け前")
    assert set(voices_visible_to(user=staff.editor)) == {voice}
    assert set(voices_visible_to(user=staff.other_editor)) == {voice}
    assert set(voices_visible_to(user=staff.office)) == {voice, other}
    assert set(voices_visible_to(user=staff.planner)) == {voice, other}
    assert not voices_visible_to(user=staff.stranger).exists()
    assert not voices_visible_to(user=staff.mayor).exists()
    access = voice_access(user=staff.other_editor, voice=voice)
    assert access.visible and not access.history and not access.personal and not access.draft


def test_staff_list_shows_no_contact_details_to_anyone(client, staff, voice):
    for who in ("office", "editor", "planner"):
        client.force_login(staff.user(who))
        html = client.get(reverse("voices_staff:list")).content.decode()
        for detail in (*CONTACT, WRITER_NAME):
            assert detail not in html


def test_admin_shows_voices_without_personal_details_and_withdraws_consent(client, staff, voice):
    from hoshin.voices.models import VoicePublication

    staff.admin.is_staff = staff.admin.is_superuser = True
    staff.admin.save()
    client.force_login(staff.admin)
    for url in (
        reverse("admin:voices_citizenvoice_changelist"),
        reverse("admin:voices_citizenvoice_change", args=[voice.pk]),
        reverse("admin:voices_personaldataview_changelist"),
        reverse("admin:voices_voicecategory_changelist"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert WRITER_EMAIL not in html and "中央町1丁目2番3号" not in html
    VoicePublication.objects.create(
        voice=voice,
        title="t",
        summary="s",
        reply_text="r",
        is_published=True,
        published_at=voice.created_at,
    )
    response = client.post(
        reverse("admin:voices_citizenvoice_changelist"),
        {"action": "withdraw_consent", "_selected_action": [voice.pk]},
    )
    assert response.status_code == 302
    voice.refresh_from_db()
    assert not voice.publish_consent
    assert not VoicePublication.objects.published().exists()
    assert voice.events.last().public_note.startswith("公表への同意の取り消し")

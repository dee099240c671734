"""Staff intake: the public-hearing office logs voices from other channels with the date received."""

import datetime

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hoshin.org.models import Role
from hoshin.org.tests.factories import make_department, make_user
from hoshin.voices.models import Channel, CitizenVoice, VoiceKind
from hoshin.voices.services.errors import VoicePermissionError
from hoshin.voices.services.intake import voice_receive
from hoshin.voices.services.submission import voice_submit
from hoshin.voices.tests.intake_helpers import pdf_bytes, receipt_and_secret, voice_data

pytestmark = pytest.mark.django_db

URL = "/staff/voices/new/"


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def hearing_office():
    return logged_in(make_user("koucho", role=Role.PUBLIC_HEARING))


def staff_data(**overrides) -> dict:
    fields = {
        "channel": Channel.LETTER,
        "received_on": (timezone.localdate() - datetime.timedelta(days=3)).isoformat(),
        **overrides,
    }
    return voice_data(**fields)


def test_url_name_is_kept():
    assert reverse("voices_staff:new") == URL


# ---- who may use it ------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.PUBLIC_HEARING, Role.ADMIN])
def test_public_hearing_office_and_admin_may_enter_voices(role):
    client = logged_in(make_user(role=role))
    assert client.get(URL).status_code == 200
    response = client.post(URL, staff_data())
    assert response.status_code == 302
    assert CitizenVoice.objects.count() == 1


@pytest.mark.parametrize(
    "role, scoped",
    [
        (Role.PLANNING_OFFICE, False),
        (Role.DEPARTMENT_EDITOR, True),
        (Role.DEPARTMENT_HEAD, True),
        (Role.VIEWER, False),
        (Role.MAYOR_OFFICE, False),
    ],
)
def test_other_staff_get_403_and_store_nothing(role, scoped):
    department = make_department("道路課") if scoped else None
    client = logged_in(make_user(role=role, department=department))
    assert client.get(URL).status_code == 403
    assert client.post(URL, staff_data()).status_code == 403
    assert CitizenVoice.objects.count() == 0


def test_staff_without_any_role_get_403():
    assert logged_in(make_user()).get(URL).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    for response in (client.get(URL), client.post(URL, staff_data())):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("backoffice:login"))
    assert CitizenVoice.objects.count() == 0


def test_staff_form_needs_csrf_token():
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(role=Role.PUBLIC_HEARING))
    assert client.post(URL, staff_data()).status_code == 403
    assert CitizenVoice.objects.count() == 0


# ---- what it stores ------------------------------------------------------------------------


def test_letter_is_stored_with_channel_date_and_staff_and_the_number_is_shown(
    hearing_office, django_capture_on_commit_callbacks
):
    received = timezone.localdate() - datetime.timedelta(days=3)
    data = staff_data(
        channel=Channel.PHONE,
        received_on=received.isoformat(),
        name="山﨑 次郎",
        email="jiro@example.jp",
        wants_reply="on",
    )
    data["attachments"] = [
        SimpleUploadedFile("手紙.pdf", pdf_bytes(), content_type="application/pdf")
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = hearing_office.post(URL, data, follow=True)
    assert response.status_code == 200
    voice = CitizenVoice.objects.get()
    assert voice.channel == Channel.PHONE
    assert voice.received_on == received
    assert voice.created_by.username == "koucho"
    assert voice.attachments.count() == 1
    receipt, secret = receipt_and_secret(response.content.decode())
    assert receipt == voice.receipt_number
    assert secret and secret in mail.outbox[0].body
    html = response.content.decode()
    assert "山﨑 次郎" in html and "電話" in html
    # Shown once: the page again has the number but not the secret.
    again = hearing_office.get(response.redirect_chain[-1][0])
    assert voice.receipt_number in again.content.decode()
    assert secret not in again.content.decode()


# ---- the same rules when the service is called directly (another caller, a script) ---------


def receive(**fields):
    return voice_receive(
        **{
            "channel": Channel.LETTER,
            "kind": VoiceKind.OPINION,
            "subject": "件名",
            "body": "本文",
            "received_on": timezone.localdate() - datetime.timedelta(days=1),
            **fields,
        }
    )


@pytest.mark.parametrize("role", [Role.PLANNING_OFFICE, Role.VIEWER, Role.MAYOR_OFFICE])
def test_service_refuses_intake_by_other_staff(role):
    with pytest.raises(VoicePermissionError):
        receive(by=make_user(role=role))
    assert CitizenVoice.objects.count() == 0


def test_service_refuses_a_letter_without_the_office():
    with pytest.raises(ValidationError, match="広聴担当が受け付けます"):
        receive(by=None)  # only the web form stores a voice without a member of staff
    assert CitizenVoice.objects.count() == 0


def test_service_refuses_a_future_date_even_for_the_office():
    office = make_user(role=Role.PUBLIC_HEARING)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="未来の日付"):
        receive(by=office, received_on=tomorrow)
    assert receive(by=office).voice.channel == Channel.LETTER


def test_service_holds_the_attachment_limits_for_any_caller(settings):
    settings.HOSHIN_ATTACHMENT_MAX_FILES = 2
    settings.HOSHIN_ATTACHMENT_MAX_BYTES = 1024 * 1024
    settings.HOSHIN_ATTACHMENT_MAX_TOTAL_BYTES = 1024 * 1024
    office = make_user(role=Role.PUBLIC_HEARING)

    def pdf(name, size=0):
        return SimpleUploadedFile(name, pdf_bytes() + b" " * size, "application/pdf")

    for uploads, message in (
        ([pdf("a.pdf"), pdf("b.pdf"), pdf("c.pdf")], "2個まで"),
        ([pdf("big.pdf", 1024 * 1024)], "1ファイル1MBまで"),
        ([pdf("a.pdf", 600 * 1024), pdf("b.pdf", 600 * 1024)], "合計1MBまで"),
    ):
        with pytest.raises(ValidationError, match=message):
            voice_submit(
                uploads=uploads,
                by=office,
                channel=Channel.LETTER,
                kind=VoiceKind.OPINION,
                subject="件名",
                body="本文",
                received_on=timezone.localdate(),
            )
    assert CitizenVoice.objects.count() == 0
    assert not list(settings.MEDIA_ROOT.rglob("*.pdf"))  # refused before anything is written


def test_future_date_is_refused(hearing_office):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = hearing_office.post(URL, staff_data(received_on=tomorrow.isoformat()))
    assert response.status_code == 200
    assert "受付日に未来の日付は指定できません。" in response.content.decode()
    assert CitizenVoice.objects.count() == 0


def test_bad_date_and_missing_channel_are_explained(hearing_office):
    response = hearing_office.post(URL, staff_data(channel="", received_on="きのう"))
    html = response.content.decode()
    assert "受付経路を選んでください。" in html
    assert "受付日は 2026-04-01 の形で入力してください。" in html


def test_web_is_not_a_staff_channel(hearing_office):
    response = hearing_office.post(URL, staff_data(channel=Channel.WEB))
    assert response.status_code == 200
    assert CitizenVoice.objects.count() == 0


def test_letter_received_in_march_gets_last_fiscal_years_number(hearing_office):
    today = timezone.localdate()
    march = datetime.date(today.year if today.month > 3 else today.year - 1, 3, 31)
    hearing_office.post(URL, staff_data(received_on=march.isoformat()))
    voice = CitizenVoice.objects.get()
    assert voice.fy == march.year - 1
    assert voice.receipt_number == f"{march.year - 1}-0001"


def test_staff_double_submission_stores_once(hearing_office):
    data = staff_data()
    hearing_office.post(URL, data)
    hearing_office.post(URL, data)
    assert CitizenVoice.objects.count() == 1


def test_done_page_is_for_intake_staff_only():
    office = logged_in(make_user(role=Role.PUBLIC_HEARING))
    response = office.post(URL, staff_data())
    viewer = logged_in(make_user(role=Role.VIEWER))
    assert viewer.get(response["Location"]).status_code == 403


def test_done_page_of_a_web_voice_logs_the_view_of_the_writers_details(client):
    """Finding (issue 10, "Why" 5): the staff "done" page of a voice a citizen sent from the web
    form showed the writer's name and contact details without logging the view. Now every
    view of them goes to PersonalDataView and to the audit trail's hash chain."""
    from hoshin.audit.models import AuditEntry
    from hoshin.voices.models import PersonalDataView

    key = voice_data(name="山田 花子", email="hanako@example.jp")["submission_key"]
    client.post(
        reverse("voices:new"),
        voice_data(name="山田 花子", email="hanako@example.jp", submission_key=key),
    )
    voice = CitizenVoice.objects.get(submission_key=key)
    assert voice.channel == Channel.WEB
    office_user = make_user("koucho2", role=Role.PUBLIC_HEARING)
    office = logged_in(office_user)

    response = office.get(reverse("voices_staff:intake_done", args=[key]))

    assert response.status_code == 200
    assert "hanako@example.jp" in response.content.decode()
    view = PersonalDataView.objects.get(voice=voice)
    assert view.user == office_user
    entry = AuditEntry.objects.get(verb="voice.personal_data_view", target_id=str(voice.pk))
    assert entry.actor == office_user
    # The trail names the voice and why, never the details themselves.
    assert "hanako" not in entry.summary + str(entry.data)
    assert "山田" not in entry.summary + str(entry.data)

"""The retention job: personal details go after the configured years, the anonymous record stays."""

import datetime
import os
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from hoshin.voices.models import (
    CitizenVoice,
    PersonalDataView,
    VoiceAttachment,
    VoiceReply,
    VoiceStatus,
    VoiceWriter,
)
from hoshin.voices.services import routing
from hoshin.voices.services.retention import (
    personal_data_purge,
    retention_cutoff,
    voices_due_for_purge,
)
from hoshin.voices.tests.handling_helpers import (
    WRITER_PHONE,
    assigned,
    make_staff,
    receive,
    sent,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2031, 7, 1)


@pytest.fixture
def staff(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.HOSHIN_PERSONAL_DATA_RETENTION_YEARS = 5
    return make_staff()


def ended_at(voice: CitizenVoice, day: datetime.date) -> CitizenVoice:
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    CitizenVoice.objects.filter(pk=voice.pk).update(closed_at=moment)
    voice.refresh_from_db()
    return voice


def attach(voice: CitizenVoice) -> VoiceAttachment:
    return VoiceAttachment.objects.create(
        voice=voice,
        file=ContentFile(b"\x89PNG photo", name="photo.png"),
        original_name="山田宅の前.png",
        content_type="image/png",
        size=10,
    )


def test_cutoff_handles_leap_days():
    assert retention_cutoff(today=datetime.date(2028, 2, 29), years=5) == datetime.date(2023, 2, 28)
    assert retention_cutoff(today=TODAY, years=5) == datetime.date(2026, 7, 1)


def test_purge_deletes_writer_and_files_and_keeps_the_anonymous_record(staff):
    old = ended_at(sent(staff).voice, datetime.date(2026, 6, 30))  # 5 years and a day
    attachment = attach(old)
    path = attachment.file.path
    PersonalDataView.objects.create(voice=old, user=staff.office, purpose="確認")
    recent = ended_at(sent(staff).voice, datetime.date(2026, 7, 2))
    open_voice = assigned(staff, received_on=datetime.date(2020, 4, 1))  # old but still open
    attach(open_voice)

    report = personal_data_purge(today=TODAY)

    assert report.voices == [old]
    assert (report.writers, report.attachments) == (1, 1)
    old.refresh_from_db()
    assert old.personal_data_deleted_at is not None
    assert not VoiceWriter.objects.filter(voice=old).exists()
    assert not VoiceAttachment.objects.filter(voice=old).exists()
    assert not os.path.exists(path)
    # Personal details written into the text are masked too.
    assert "山田" not in old.body and WRITER_PHONE not in old.body
    assert "〇〇" in old.body and "駅前の通学路" in old.body
    assert "山田" not in VoiceReply.objects.get(voice=old).body
    # The record and what statistics count stay.
    assert old.status == VoiceStatus.ANSWERED and old.answered_at
    assert (old.fy, old.number, old.channel, old.age_band) == (2025, 1, "web", "40s")
    assert old.category == staff.category and old.district == staff.district
    assert old.lead_department == staff.road
    assert old.events.exists()
    assert PersonalDataView.objects.filter(voice=old).exists()  # the access log stays
    # Others untouched.
    assert VoiceWriter.objects.filter(voice=recent).exists()
    assert VoiceWriter.objects.filter(voice=open_voice).exists()
    assert VoiceAttachment.objects.filter(voice=open_voice).exists()
    # Repeating finds nothing more.
    assert personal_data_purge(today=TODAY).voices == []


def test_closed_and_forwarded_voices_count_from_when_they_ended(staff):
    closed = routing.voice_close(voice=assigned(staff), by=staff.office, reason="済")
    forwarded = routing.voice_forward(voice=receive(staff), by=staff.office, to="県")
    ended_at(closed, datetime.date(2025, 1, 1))
    ended_at(forwarded, datetime.date(2027, 1, 1))
    assert list(voices_due_for_purge(today=TODAY)) == [closed]


def test_without_closed_at_the_last_event_counts(staff):
    voice = routing.voice_close(voice=assigned(staff), by=staff.office, reason="済")
    CitizenVoice.objects.filter(pk=voice.pk).update(closed_at=None)
    long_ago = timezone.make_aware(datetime.datetime(2024, 1, 1, 9))
    voice.events.update(at=long_ago)
    assert list(voices_due_for_purge(today=TODAY)) == [voice]


def test_the_setting_decides_the_years(staff, settings):
    voice = ended_at(sent(staff).voice, datetime.date(2029, 1, 1))
    assert not personal_data_purge(today=TODAY, dry_run=True).voices
    settings.HOSHIN_PERSONAL_DATA_RETENTION_YEARS = 1
    assert personal_data_purge(today=TODAY, dry_run=True).voices == [voice]


def test_anonymous_voices_have_nothing_to_purge(staff):
    from hoshin.voices.services.intake import WriterDetails

    voice = receive(staff, writer=WriterDetails(), wants_reply=False)
    voice = routing.voice_close(voice=voice, by=staff.office, reason="意見として承りました")
    ended_at(voice, datetime.date(2020, 1, 1))
    assert personal_data_purge(today=TODAY).voices == []


def test_command_dry_run_changes_nothing(staff):
    voice = ended_at(sent(staff).voice, datetime.date(2025, 1, 1))
    out = StringIO()
    call_command("purge_personal_data", "--dry-run", "--today", TODAY.isoformat(), stdout=out)
    assert "確認のみ" in out.getvalue() and voice.receipt_number in out.getvalue()
    assert VoiceWriter.objects.filter(voice=voice).exists()
    out = StringIO()
    call_command("purge_personal_data", "--today", TODAY.isoformat(), stdout=out)
    assert "削除 1 件" in out.getvalue()
    assert not VoiceWriter.objects.filter(voice=voice).exists()


def test_statistics_are_unchanged_by_the_purge(staff):
    for _ in range(3):
        ended_at(sent(staff).voice, datetime.date(2025, 1, 1))

    def counts():
        return (
            CitizenVoice.objects.count(),
            CitizenVoice.objects.filter(status=VoiceStatus.ANSWERED).count(),
            CitizenVoice.objects.filter(category=staff.category, channel="web").count(),
        )

    before = counts()
    personal_data_purge(today=TODAY)
    assert counts() == before == (3, 3, 3)


def test_the_scheduler_runs_the_voice_jobs_daily(staff):
    from hoshin.jobs.management.commands.run_scheduler import scheduled_jobs

    names = [job.name for job in scheduled_jobs(hour=8)]
    assert {"send_voice_reminders", "notify_voice_writers", "purge_personal_data"} <= set(names)
    voice = ended_at(sent(staff).voice, datetime.date(2020, 1, 1))
    out = StringIO()
    call_command("run_scheduler", "--once", "--hour", "0", stdout=out)
    assert "purge_personal_data" in out.getvalue()
    assert not VoiceWriter.objects.filter(voice=voice).exists()


def test_each_purged_voice_is_recorded_in_the_audit_chain(staff):
    """Issue 10 ("What to build" 4): deletions by the retention job are in the hash chain, one
    entry per voice written with the deletion itself, plus the run's summary."""
    from hoshin.audit.models import AuditEntry
    from hoshin.audit.selectors import chain_verify

    old = ended_at(sent(staff).voice, datetime.date(2026, 6, 30))
    attach(old)
    personal_data_purge(today=TODAY)
    entry = AuditEntry.objects.get(verb="voice.purge_personal_data")
    assert entry.target_id == str(old.pk) and entry.actor is None
    assert entry.data == {"writer": True, "attachments": 1}
    assert AuditEntry.objects.get(verb="voices.purge_personal_data").data == {
        "voices": [old.receipt_number]
    }
    assert chain_verify().ok

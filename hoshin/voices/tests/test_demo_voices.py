"""manage.py seed_demo_voices: realistic voices in every status, published ones, ratings."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from conftest import REFORM_SEED, shared_data
from hoshin.evaluations.models import EvaluationSheet
from hoshin.lib.business_days import business_days_between
from hoshin.org.models import District, User
from hoshin.plans.formats.detect import parse_plan_file
from hoshin.plans.models import Plan
from hoshin.plans.services import plan_import
from hoshin.voices.models import (
    Channel,
    CitizenVoice,
    RatingStatus,
    ReplyEvent,
    ReplyStage,
    ResultRating,
    VoiceCategory,
    VoiceEvent,
    VoicePublication,
    VoiceStatus,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

REFORM_PLAN = "第6次行財政改革大綱に基づく実施計画"


def run(name: str, *args) -> str:
    out = StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


@shared_data
def imported_plan() -> Plan:
    """The reform seed imported and published, and the demo users: built once for both tests."""
    parsed = parse_plan_file(REFORM_SEED.read_bytes(), REFORM_SEED.name)
    plan_import(parsed=parsed, name=REFORM_PLAN, create_departments=True, publish=True)
    with override_settings(DEBUG=True):  # create_demo_users refuses to run on a production server
        run("create_demo_users")
    return Plan.objects.get(name=REFORM_PLAN)


@pytest.fixture
def seeded_plan(settings, imported_plan) -> Plan:
    settings.DEBUG = True  # as when the plan is imported in the test itself
    return imported_plan


def fingerprint() -> list[tuple]:
    return list(
        CitizenVoice.objects.order_by("fy", "number").values_list(
            "fy", "number", "received_on", "channel", "status", "subject", "lead_department__name"
        )
    )


def test_it_needs_the_plan_and_the_demo_users(db):
    with pytest.raises(CommandError, match="import_plan"):
        run("seed_demo_voices")
    Plan.objects.create(name=REFORM_PLAN, kind="reform", is_published=True)
    with pytest.raises(CommandError, match="create_demo_users"):
        run("seed_demo_voices")


def test_voices_in_every_status_with_a_true_history_and_ratings(seeded_plan):
    run("seed_demo_evaluations")
    output = run("seed_demo_voices")
    assert "市民の声を60件作成しました" in output
    # The story's dates are written into the audit trail, not moved afterwards: it verifies.
    from hoshin.audit.selectors import chain_verify

    assert chain_verify().ok
    assert "評価結果への満足度を" in output

    # Masters: created only if missing.
    assert set(VoiceCategory.objects.values_list("name", flat=True)) >= {
        "防災", "ごみ・環境", "子育て・教育", "福祉・健康", "道路・交通", "行政・財政", "その他",
    }  # fmt: skip
    assert list(District.objects.values_list("name", flat=True)) == [
        "中村", "大野", "八幡", "日立木", "磯部", "玉野",
    ]  # fmt: skip

    voices = CitizenVoice.objects.all()
    statuses = dict(voices.values_list("status").annotate(n=Count("pk")).order_by())
    assert set(statuses) == set(VoiceStatus.values)
    assert statuses[VoiceStatus.ANSWERED] >= 30
    assert set(voices.values_list("channel", flat=True)) == set(Channel.values)
    assert set(voices.values_list("fy", flat=True)) == {2025, 2026}
    for fy in (2025, 2026):  # receipt numbers without gaps, in the order received
        rows = list(voices.filter(fy=fy).order_by("number").values_list("number", "received_on"))
        assert [n for n, _day in rows] == list(range(1, len(rows) + 1))
        assert [day for _n, day in rows] == sorted(day for _n, day in rows)

    # Closed and forwarded voices say why; open ones are the newest, some of them overdue.
    for voice in voices.filter(status__in=[VoiceStatus.CLOSED, VoiceStatus.FORWARDED]):
        assert voice.status_reason and voice.closed_at is not None
    open_voices = voices.filter(status__in=VoiceStatus.open())
    assert min(open_voices.values_list("received_on", flat=True)) >= datetime.date(2026, 10, 1)
    assert open_voices.filter(reply_due__lt=datetime.date(2026, 11, 21)).exists()

    # Answered voices: a sent reply approved in turn, answered days after receipt (not today).
    answered = voices.filter(status=VoiceStatus.ANSWERED)
    for voice in answered.select_related("reply"):
        assert voice.reply.stage == ReplyStage.SENT
        local = timezone.localtime(voice.answered_at).date()
        assert 1 <= business_days_between(voice.received_on, local) <= 20, voice
        steps = list(voice.reply.events.values_list("to_stage", flat=True))
        assert steps[-1] == ReplyStage.SENT and ReplyStage.DEPARTMENT_APPROVED in steps
    assert ReplyEvent.objects.filter(to_stage=ReplyStage.APPROVED, from_stage="office_approved")
    first = voices.get(fy=2025, number=1)
    events = VoiceEvent.objects.filter(voice=first).order_by("at", "pk")
    assert timezone.localtime(events[0].at).date() == first.received_on

    # Published with consent only; some linked to the plan's actions.
    published = VoicePublication.objects.published()
    assert published.count() >= 10
    assert all(p.voice.publish_consent for p in published)
    assert voices.filter(actions__isnull=False).distinct().count() >= 20
    masked = published.filter(summary__contains="【電話番号】")
    assert masked.exists()  # a phone number the writer typed is masked
    assert not published.filter(summary__contains="090-1234-5678").exists()

    # Ratings on published results: approved, pending and rejected comments.
    ratings = ResultRating.objects.all()
    assert ratings.count() >= 30
    assert all(r.sheet in EvaluationSheet.objects.published() for r in ratings[:50])
    states = set(ratings.exclude(comment="").values_list("comment_status", flat=True))
    assert states == set(RatingStatus.values)

    # The pages show them.
    client = Client()
    rated = ratings.filter(comment_status=RatingStatus.APPROVED).exclude(comment="").first()
    html = client.get(rated.sheet.action.get_absolute_url()).content.decode()
    assert rated.comment in html
    pending = ratings.filter(comment_status=RatingStatus.PENDING).first()
    assert (
        pending.comment not in client.get(pending.sheet.action.get_absolute_url()).content.decode()
    )

    # A second run changes nothing.
    before = fingerprint(), ratings.count()
    again = run("seed_demo_voices")
    assert "作成済み" in again
    assert (fingerprint(), ResultRating.objects.count()) == before


def test_without_published_results_the_voices_come_without_ratings(seeded_plan):
    output = run("seed_demo_voices")
    assert "満足度は作成しませんでした" in output
    assert CitizenVoice.objects.count() == 60
    assert not ResultRating.objects.exists()
    statistics = Client()
    statistics.force_login(User.objects.get(username="demo-planning"))
    response = statistics.get(reverse("voices_staff:stats"), {"fy": 2025})
    assert response.status_code == 200
    assert response.context["stats"].total == 30

"""Minutes: attendance, draft → members' comments → published, no lost edit; the report date."""

import datetime

import pytest

from hoshin.committees.models import MinutesStatus
from hoshin.committees.public import public_minutes
from hoshin.committees.selectors import minutes_absent
from hoshin.committees.services.errors import (
    CommitteeConflictError,
    CommitteePermissionError,
    CommitteeValidationError,
)
from hoshin.committees.services.minutes import (
    committee_report_record,
    minutes_comment,
    minutes_create,
    minutes_publish,
    minutes_send_for_comments,
    minutes_update,
)
from hoshin.committees.tests.factories import make_committee_world

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 8, 20)  # after the retired member's term ended (2025-07-31)


@pytest.fixture
def cw():
    cw = make_committee_world()
    cw.minutes = minutes_create(
        committee=cw.committee, title="第2回外部評価委員会", held_on=DAY, by=cw.world.planner
    )
    return cw


def update(cw, version=1, present=None, **kw):
    return minutes_update(
        minutes=cw.minutes,
        by=cw.world.planner,
        expected_version=version,
        present=present if present is not None else [cw.chair, cw.citizen],
        agenda=kw.get("agenda", "評価対象のヒアリング"),
        body=kw.get("body", "委員長が開会を宣言した。"),
        secretariat_attendees="行政管理課長",
        observers="傍聴者2名",
    )


def test_attendance_lists_present_and_absent_members_in_term(cw):
    update(cw)
    # the retired member's term ended before the meeting: neither present nor absent
    assert minutes_absent(minutes=cw.minutes) == [cw.vice, cw.student]
    with pytest.raises(CommitteeValidationError, match="田中 三郎"):
        update(cw, version=2, present=[cw.retired])


def test_two_secretariat_users_do_not_overwrite_each_others_minutes(cw):
    update(cw, body="一人目の記録")
    with pytest.raises(CommitteeConflictError):
        update(cw, version=1, body="二人目の記録")
    cw.minutes.refresh_from_db()
    assert (cw.minutes.body, cw.minutes.version) == ("一人目の記録", 2)


def test_members_comment_only_while_the_draft_is_with_them(cw):
    update(cw)
    with pytest.raises(CommitteePermissionError):
        minutes_comment(minutes=cw.minutes, member=cw.chair, body="早すぎる", by=cw.chair_user)
    minutes_send_for_comments(minutes=cw.minutes, by=cw.world.planner)
    comment = minutes_comment(
        minutes=cw.minutes, member=cw.chair, body="発言の趣旨を補足", by=cw.chair_user
    )
    assert comment.member == cw.chair
    with pytest.raises(CommitteePermissionError):  # not in another member's name
        minutes_comment(minutes=cw.minutes, member=cw.chair, body="代理", by=cw.citizen_user)
    minutes = minutes_publish(minutes=cw.minutes, by=cw.world.planner)
    assert minutes.status == MinutesStatus.PUBLISHED and minutes.published_at
    with pytest.raises(CommitteePermissionError):
        minutes_comment(minutes=cw.minutes, member=cw.chair, body="遅い", by=cw.chair_user)
    with pytest.raises(CommitteeValidationError):
        update(cw, version=2)


def test_empty_minutes_are_not_published_and_only_the_secretariat_publishes(cw):
    with pytest.raises(CommitteeValidationError):
        minutes_publish(minutes=cw.minutes, by=cw.world.planner)
    update(cw)
    with pytest.raises(CommitteePermissionError):
        minutes_publish(minutes=cw.minutes, by=cw.chair_user)


def test_the_report_date_and_overall_remarks_are_recorded(cw):
    committee = committee_report_record(
        committee=cw.committee,
        by=cw.world.planner,
        remarks="成果指標の設定に課題がある。",
        submitted_on=datetime.date(2025, 10, 30),
    )
    assert committee.report_submitted_on == datetime.date(2025, 10, 30)
    with pytest.raises(CommitteeValidationError):
        committee_report_record(
            committee=cw.committee,
            by=cw.world.planner,
            remarks="",
            submitted_on=datetime.date(2024, 3, 1),
        )


def test_only_published_minutes_are_public_and_members_comments_never(cw):
    update(cw, body="CANARY-DRAFT-MINUTES")
    assert public_minutes(committee_id=cw.committee.pk) == []
    minutes_send_for_comments(minutes=cw.minutes, by=cw.world.planner)
    minutes_comment(minutes=cw.minutes, member=cw.chair, body="CANARY-COMMENT", by=cw.chair_user)
    assert public_minutes(committee_id=cw.committee.pk) == []
    update(cw, version=2, body="委員長が開会を宣言した。")
    minutes_publish(minutes=cw.minutes, by=cw.world.planner)
    (public,) = public_minutes(committee_id=cw.committee.pk)
    assert (public.present, public.absent) == (
        ["山田 太郎", "佐藤 一郎"],
        ["髙橋 花子", "鈴木 次郎"],
    )
    assert "CANARY" not in repr(public)
    cw.world.plan.is_published = False
    cw.world.plan.save()
    assert public_minutes(committee_id=cw.committee.pk) == []

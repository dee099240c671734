"""Scoring: who may score what and when, lost edits, and who sees which scores."""

import datetime

import pytest

from hoshin.committees.models import RoundKind, Score
from hoshin.committees.selectors import committees_for, scores_visible_to, targets_for_member
from hoshin.committees.services.errors import (
    CommitteeConflictError,
    CommitteePermissionError,
    CommitteeValidationError,
)
from hoshin.committees.services.scoring import opinion_save, round_close, round_open, score_save
from hoshin.committees.services.selection import target_remove, target_select
from hoshin.committees.tests.factories import SCORING_DAY, make_committee_world

pytestmark = pytest.mark.django_db

GOOD = {"necessity": "4", "involvement": "3", "efficiency": "2"}


@pytest.fixture
def cw():
    cw = make_committee_world()
    planner = cw.world.planner
    cw.whole = target_select(
        committee=cw.committee, sheet=cw.sheets["bousai_action"], by=planner, reason="全員で評価"
    )
    cw.grouped = target_select(
        committee=cw.committee,
        sheet=cw.sheets["zaisei_action"],
        by=planner,
        reason="第1部会で評価",
        group=cw.group,
    )
    cw.round = round_open(committee=cw.committee, kind=RoundKind.ADVANCE, by=planner)
    return cw


def save(cw, member, by, *, target=None, judgement="improve", version=None, **kw):
    return score_save(
        scoring_round=cw.round,
        target=target or cw.whole,
        member=member,
        by=by,
        viewpoint_scores=kw.pop("viewpoints", GOOD),
        judgement=judgement,
        comment=kw.pop("comment", ""),
        expected_version=version,
        today=kw.pop("today", SCORING_DAY),
    )


def test_a_member_scores_an_assigned_target(cw):
    score = save(cw, cw.chair, cw.chair_user, comment="対象者の見直しを")
    assert (score.judgement, score.viewpoint_scores, score.version) == ("improve", GOOD, 1)
    assert score.entered_by == cw.chair_user
    score = save(cw, cw.chair, cw.chair_user, judgement="reduce", version=1)
    assert (score.judgement, score.version) == ("reduce", 2)


def test_the_secretariat_enters_a_paper_score_for_a_member_without_an_account(cw):
    score = save(cw, cw.vice, cw.world.planner)
    assert score.member == cw.vice and score.entered_by == cw.world.planner


@pytest.mark.parametrize("by", ["citizen_user", "outsider", "editor"])
def test_nobody_else_scores_for_a_member(cw, by):
    user = getattr(cw, by, None) or getattr(cw.world, by)
    with pytest.raises(CommitteePermissionError):
        save(cw, cw.chair, user)
    assert not Score.objects.exists()


def test_a_target_of_another_sub_group_is_refused(cw):
    # the chair is in no sub-group; the grouped target belongs to 第1部会
    with pytest.raises(CommitteePermissionError, match="担当する評価対象ではありません"):
        save(cw, cw.chair, cw.chair_user, target=cw.grouped)
    assert save(cw, cw.citizen, cw.citizen_user, target=cw.grouped).pk
    assert set(targets_for_member(member=cw.chair)) == {cw.whole}
    assert set(targets_for_member(member=cw.citizen)) == {cw.whole, cw.grouped}


def test_scoring_after_the_round_closed_is_refused(cw):
    score = save(cw, cw.chair, cw.chair_user)
    round_close(scoring_round=cw.round, by=cw.world.planner)
    with pytest.raises(CommitteePermissionError, match="締め切られた"):
        save(cw, cw.chair, cw.chair_user, judgement="abolish", version=score.version)
    with pytest.raises(CommitteePermissionError):
        save(cw, cw.vice, cw.world.planner)  # not even the secretariat
    score.refresh_from_db()
    assert score.judgement == "improve"


def test_a_member_whose_term_ended_cannot_score(cw):
    with pytest.raises(CommitteePermissionError, match="任期外"):
        save(cw, cw.retired, cw.world.planner)
    # … and one whose term has not started yet
    with pytest.raises(CommitteePermissionError, match="任期外"):
        save(cw, cw.chair, cw.chair_user, today=datetime.date(2024, 6, 30))
    # the last day of the term still counts
    assert save(cw, cw.retired, cw.world.planner, today=datetime.date(2025, 7, 31)).pk


@pytest.mark.parametrize(
    ("judgement", "viewpoints", "field"),
    [
        ("現行どおり", GOOD, "judgement"),  # from another list
        ("Improve", GOOD, "judgement"),
        ("improve", {"necessity": "5"}, "viewpoint.necessity"),  # outside the 1–4 scale
        ("improve", {"popularity": "3"}, "viewpoint.popularity"),  # no such viewpoint
    ],
)
def test_values_outside_the_committees_lists_are_refused(cw, judgement, viewpoints, field):
    with pytest.raises(CommitteeValidationError) as refused:
        save(cw, cw.chair, cw.chair_user, judgement=judgement, viewpoints=viewpoints)
    assert list(refused.value.errors) == [field]
    assert not Score.objects.exists()


def test_a_stale_score_is_refused_not_overwritten(cw):
    save(cw, cw.vice, cw.world.planner)  # the secretariat typed the paper form …
    save(cw, cw.vice, cw.world.planner, judgement="reduce", version=1)  # … and corrected it
    with pytest.raises(CommitteeConflictError) as conflict:
        save(cw, cw.vice, cw.world.planner, judgement="abolish", version=1)
    assert conflict.value.current_version == 2
    assert Score.objects.get().judgement == "reduce"


def test_two_first_saves_of_one_score_do_not_overwrite_each_other(cw):
    save(cw, cw.vice, cw.world.planner, judgement="expand")
    with pytest.raises(CommitteeConflictError):
        save(cw, cw.vice, cw.world.planner, judgement="abolish", version=None)
    assert Score.objects.get().judgement == "expand"


def test_a_member_sees_only_their_own_scores_until_the_round_closes(cw):
    mine = save(cw, cw.chair, cw.chair_user)
    theirs = save(cw, cw.citizen, cw.citizen_user)
    paper = save(cw, cw.vice, cw.world.planner)
    assert list(scores_visible_to(user=cw.chair_user, scoring_round=cw.round)) == [mine]
    assert list(scores_visible_to(user=cw.citizen_user, scoring_round=cw.round)) == [theirs]
    assert set(scores_visible_to(user=cw.world.planner, scoring_round=cw.round)) == {
        mine,
        theirs,
        paper,
    }
    for user in (cw.outsider, cw.world.editor, cw.world.viewer):
        assert not scores_visible_to(user=user, scoring_round=cw.round).exists()
    cw.round = round_close(scoring_round=cw.round, by=cw.world.planner)
    assert set(scores_visible_to(user=cw.chair_user, scoring_round=cw.round)) == {
        mine,
        theirs,
        paper,
    }
    assert not scores_visible_to(user=cw.outsider, scoring_round=cw.round).exists()


def test_only_the_secretariat_opens_and_closes_rounds(cw):
    with pytest.raises(CommitteePermissionError):
        round_close(scoring_round=cw.round, by=cw.chair_user)
    with pytest.raises(CommitteePermissionError):
        round_open(committee=cw.committee, kind=RoundKind.FINAL, by=cw.chair_user)
    with pytest.raises(CommitteeValidationError):
        round_open(committee=cw.committee, kind=RoundKind.ADVANCE, by=cw.world.planner)


def test_two_secretariat_users_editing_one_opinion_lose_nothing(cw):
    first = opinion_save(
        target=cw.whole,
        body="対象者の範囲を見直すこと。",
        by=cw.world.planner,
        expected_version=None,
    )
    # a second planner loaded version 1 too, and the first saved again meanwhile
    opinion_save(
        target=cw.whole,
        body="対象者の範囲と周知方法を見直すこと。",
        by=cw.world.planner,
        expected_version=1,
    )
    with pytest.raises(CommitteeConflictError):
        opinion_save(
            target=cw.whole,
            body="廃止を検討すること。",
            by=cw.world.planner,
            expected_version=first.version,
        )
    first.refresh_from_db()
    assert (first.body, first.version) == ("対象者の範囲と周知方法を見直すこと。", 2)
    with pytest.raises(CommitteeConflictError):
        opinion_save(target=cw.whole, body="別の意見", by=cw.world.planner, expected_version=None)
    with pytest.raises(CommitteePermissionError):
        opinion_save(target=cw.whole, body="委員の意見", by=cw.chair_user, expected_version=2)


def test_a_scored_target_stays_on_the_list(cw):
    save(cw, cw.chair, cw.chair_user)
    with pytest.raises(CommitteeValidationError):
        target_remove(target=cw.whole, by=cw.world.planner)
    target_remove(target=cw.grouped, by=cw.world.planner)
    assert list(cw.committee.targets.all()) == [cw.whole]


def test_members_open_only_their_own_committees(cw):
    assert list(committees_for(user=cw.chair_user)) == [cw.committee]
    assert not committees_for(user=cw.outsider).exists()
    assert list(committees_for(user=cw.world.planner)) == [cw.committee]

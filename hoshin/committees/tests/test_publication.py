"""Publication: nothing before it, and afterwards only what may be public (the attacker's test
for the public reads: marker strings planted in everything that must stay staff-only)."""

import dataclasses

import pytest

from hoshin.committees.models import RoundKind, ScoreDisclosure
from hoshin.committees.public import committees_published, public_committee
from hoshin.committees.services.errors import CommitteePermissionError, CommitteeValidationError
from hoshin.committees.services.publication import committee_publish, committee_unpublish
from hoshin.committees.services.register import committee_configure
from hoshin.committees.services.responses import follow_up_record, response_save
from hoshin.committees.services.results import result_override, round_aggregate
from hoshin.committees.services.scoring import opinion_save, round_close, round_open, score_save
from hoshin.committees.services.selection import target_select
from hoshin.committees.tests.factories import FY, SCORING_DAY, make_committee_world

pytestmark = pytest.mark.django_db

ADVANCE_MARK = "CANARY-ADVANCE-SCORE"
FINAL_MARK = "CANARY-FINAL-SCORE"


def disclose(cw, disclosure):
    c = cw.committee
    committee_configure(
        committee=c,
        by=cw.world.planner,
        viewpoints=c.viewpoints,
        viewpoint_scale=c.viewpoint_scale,
        judgements=c.judgements,
        decision_rule=c.decision_rule,
        tally_separately=c.tally_separately,
        score_disclosure=disclosure,
    )


@pytest.fixture
def cw():
    cw = make_committee_world()
    planner = cw.world.planner
    cw.vice.affiliation = "CANARY-AFFILIATION"
    cw.vice.save()
    target = target_select(
        committee=cw.committee, sheet=cw.sheets["bousai_action"], by=planner, reason="方向性の確認"
    )
    rounds = {}
    for kind, mark in ((RoundKind.ADVANCE, ADVANCE_MARK), (RoundKind.FINAL, FINAL_MARK)):
        rounds[kind] = round_open(committee=cw.committee, kind=kind, by=planner)
        for member, judgement in ((cw.chair, "reduce"), (cw.vice, "improve")):
            score_save(
                scoring_round=rounds[kind],
                target=target,
                member=member,
                by=planner,
                viewpoint_scores={"necessity": "3"},
                judgement=judgement,
                comment=mark,
                expected_version=None,
                today=SCORING_DAY,
            )
    cw.final = rounds[RoundKind.FINAL]
    opinion = opinion_save(
        target=target, body="周知の方法を見直すこと。", by=planner, expected_version=None
    )
    response = response_save(
        opinion=opinion,
        by=cw.world.editor,
        stance="partly",
        reason="紙の配布は続ける",
        expected_version=None,
    )
    follow_up_record(response=response, fy=FY + 1, status="in_progress", by=cw.world.editor)
    cw.target = target
    return cw


def close_and_aggregate(cw):
    round_close(scoring_round=cw.final, by=cw.world.planner)
    return round_aggregate(scoring_round=cw.final, by=cw.world.planner)


def test_nothing_is_public_before_publication(cw):
    close_and_aggregate(cw)
    assert not committees_published().exists()
    assert public_committee(committee_id=cw.committee.pk) is None


def test_publication_waits_for_the_closed_and_aggregated_final_round(cw):
    with pytest.raises(CommitteeValidationError, match="締め切って"):
        committee_publish(committee=cw.committee, by=cw.world.planner)
    round_close(scoring_round=cw.final, by=cw.world.planner)
    with pytest.raises(CommitteeValidationError, match="集計して"):
        committee_publish(committee=cw.committee, by=cw.world.planner)
    round_aggregate(scoring_round=cw.final, by=cw.world.planner)
    with pytest.raises(CommitteePermissionError):
        committee_publish(committee=cw.committee, by=cw.chair_user)
    assert committee_publish(committee=cw.committee, by=cw.world.planner).published_at


def test_a_published_year_shows_the_results_and_the_tie_the_chair_settled(cw):
    close_and_aggregate(cw)
    committee_publish(committee=cw.committee, by=cw.world.planner)
    public = public_committee(committee_id=cw.committee.pk)
    assert public.report_submitted_on is None and public.kind == "外部評価委員会"
    assert [(m.name, m.category, m.role) for m in public.members][:2] == [
        ("山田 太郎", "学識経験者", "委員長"),
        ("髙橋 花子", "事業者・団体", "副委員長"),
    ]
    (target,) = public.targets
    assert (target.judgement, target.status, target.casting_vote) == ("縮小", "決定", True)
    assert ("縮小", 1) in target.distribution and ("改善", 1) in target.distribution
    assert target.viewpoint_means[0] == ("必要性", "3.00")
    assert target.reason == "方向性の確認"
    assert target.opinion == "周知の方法を見直すこと。"
    assert (target.response.stance, target.response.reason) == ("一部対応する", "紙の配布は続ける")
    assert [(f.fy, f.status) for f in target.response.follow_ups] == [(FY + 1, "実施中")]


def test_an_override_is_published_with_its_reason(cw):
    (result,) = close_and_aggregate(cw)
    result_override(
        result=result, judgement="abolish", reason="第3回会議で決定", by=cw.world.planner
    )
    committee_publish(committee=cw.committee, by=cw.world.planner)
    (target,) = public_committee(committee_id=cw.committee.pk).targets
    assert (target.judgement, target.status, target.override_reason) == (
        "廃止",
        "委員会の決定",
        "第3回会議で決定",
    )
    assert not target.casting_vote


@pytest.mark.parametrize(
    ("disclosure", "shown"),
    [
        (ScoreDisclosure.HIDDEN, []),
        (ScoreDisclosure.ANONYMOUS, ["委員1", "委員2"]),
        (ScoreDisclosure.NAMED, ["山田 太郎", "髙橋 花子"]),
    ],
)
def test_individual_scores_are_published_only_as_the_committee_decided(cw, disclosure, shown):
    disclose(cw, disclosure)
    close_and_aggregate(cw)
    committee_publish(committee=cw.committee, by=cw.world.planner)
    public = public_committee(committee_id=cw.committee.pk)
    (target,) = public.targets
    assert [s.member for s in target.scores] == shown
    everything = repr(dataclasses.asdict(public))
    # the advance round, members' accounts and affiliations are never public
    for secret in (ADVANCE_MARK, "CANARY-AFFILIATION", cw.chair_user.username):
        assert secret not in everything
    assert (FINAL_MARK in everything) == bool(shown)
    if disclosure == ScoreDisclosure.ANONYMOUS:
        assert [s.comment for s in target.scores] == [FINAL_MARK, FINAL_MARK]
        scores = repr([dataclasses.asdict(s) for s in target.scores])
        assert "山田" not in scores and "髙橋" not in scores


def test_an_unpublished_plan_or_a_withdrawn_year_is_not_public(cw):
    close_and_aggregate(cw)
    committee_publish(committee=cw.committee, by=cw.world.planner)
    cw.world.plan.is_published = False
    cw.world.plan.save()
    assert public_committee(committee_id=cw.committee.pk) is None
    cw.world.plan.is_published = True
    cw.world.plan.save()
    with pytest.raises(CommitteeValidationError):
        committee_unpublish(committee=cw.committee, by=cw.world.planner, reason=" ")
    committee_unpublish(committee=cw.committee, by=cw.world.planner, reason="誤りの訂正")
    assert public_committee(committee_id=cw.committee.pk) is None

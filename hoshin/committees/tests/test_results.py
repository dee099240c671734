"""Aggregation of a closed round on the database: stored results, ties, sides and overrides."""

import pytest

from hoshin.committees.models import DecisionRule, ResultStatus, RoundKind, TargetResult
from hoshin.committees.selectors import round_results
from hoshin.committees.services.errors import CommitteePermissionError, CommitteeValidationError
from hoshin.committees.services.register import committee_configure
from hoshin.committees.services.results import result_override, round_aggregate
from hoshin.committees.services.scoring import round_close, round_open, score_save
from hoshin.committees.services.selection import target_select
from hoshin.committees.tests.factories import SCORING_DAY, make_committee_world

pytestmark = pytest.mark.django_db


def configure(cw, *, rule=DecisionRule.CHAIR_CASTING, separately=False):
    c = cw.committee
    committee_configure(
        committee=c,
        by=cw.world.planner,
        viewpoints=c.viewpoints,
        viewpoint_scale=c.viewpoint_scale,
        judgements=c.judgements,
        decision_rule=rule,
        tally_separately=separately,
        score_disclosure=c.score_disclosure,
    )
    c.refresh_from_db()


def scored(cw, judgements: dict, viewpoints: dict | None = None):
    """Open and score the final round of one target (member attribute → judgement), close it."""
    planner = cw.world.planner
    target = target_select(
        committee=cw.committee, sheet=cw.sheets["bousai_action"], by=planner, reason="テスト"
    )
    scoring_round = round_open(committee=cw.committee, kind=RoundKind.FINAL, by=planner)
    for name, judgement in judgements.items():
        member = getattr(cw, name)
        score_save(
            scoring_round=scoring_round,
            target=target,
            member=member,
            by=planner,
            viewpoint_scores=(viewpoints or {}).get(name, {}),
            judgement=judgement,
            expected_version=None,
            today=SCORING_DAY,
        )
    return round_close(scoring_round=scoring_round, by=planner), target


@pytest.fixture
def cw():
    return make_committee_world()


@pytest.mark.parametrize(
    ("rule", "judgements", "status", "judgement"),
    [
        # a tie of two against two settled by the chair
        (
            DecisionRule.CHAIR_CASTING,
            {"chair": "reduce", "vice": "reduce", "citizen": "improve", "student": "improve"},
            ResultStatus.DECIDED,
            "reduce",
        ),
        # the chair did not score: undecided until resolved
        (
            DecisionRule.CHAIR_CASTING,
            {"vice": "reduce", "citizen": "improve"},
            ResultStatus.UNDECIDED,
            "",
        ),
        (
            DecisionRule.MAJORITY,
            {"chair": "reduce", "vice": "reduce", "citizen": "improve", "student": "improve"},
            ResultStatus.UNDECIDED,
            "",
        ),
        (DecisionRule.UNANIMITY, {"chair": "reduce", "vice": "improve"}, ResultStatus.SPLIT, ""),
        (
            DecisionRule.UNANIMITY,
            {"chair": "reduce", "vice": "reduce"},
            ResultStatus.DECIDED,
            "reduce",
        ),
        (DecisionRule.MAJORITY, {}, ResultStatus.NO_VOTES, ""),
    ],
)
def test_the_committees_rule_decides_the_stored_result(cw, rule, judgements, status, judgement):
    configure(cw, rule=rule)
    scoring_round, _target = scored(cw, judgements)
    (result,) = round_aggregate(scoring_round=scoring_round, by=cw.world.planner)
    assert (result.status, result.judgement) == (status, judgement)
    assert result.vote_count == len(judgements)
    assert sum(result.distribution.values()) == len(judgements)
    assert list(round_results(scoring_round=scoring_round)) == [result]


def test_distribution_means_and_the_casting_vote_are_stored(cw):
    scoring_round, _target = scored(
        cw,
        {"chair": "reduce", "vice": "improve"},
        {"chair": {"necessity": "4", "efficiency": "1"}, "vice": {"necessity": "3"}},
    )
    (result,) = round_aggregate(scoring_round=scoring_round, by=cw.world.planner)
    assert result.casting_vote and result.views == ["improve", "reduce"]
    assert result.distribution["reduce"] == 1 and result.distribution["abolish"] == 0
    assert result.viewpoint_means == {
        "necessity": "3.50",
        "involvement": None,
        "effectiveness": None,
        "efficiency": "1.00",
        "fairness": None,
    }


def test_citizens_and_experts_are_stored_apart_when_the_committee_wants_both(cw):
    configure(cw, separately=True)
    scoring_round, _target = scored(
        cw, {"chair": "reduce", "vice": "reduce", "citizen": "expand", "student": "expand"}
    )
    (result,) = round_aggregate(scoring_round=scoring_round, by=cw.world.planner)
    assert result.judgement == "reduce"  # overall: 2–2, the chair decides
    assert result.sides["citizen"]["judgement"] == "expand"
    assert result.sides["expert"]["judgement"] == "reduce"
    assert result.sides["citizen"]["vote_count"] == 2


def test_an_open_round_is_not_aggregated(cw):
    scoring_round = round_open(committee=cw.committee, kind=RoundKind.ADVANCE, by=cw.world.planner)
    with pytest.raises(CommitteeValidationError):
        round_aggregate(scoring_round=scoring_round, by=cw.world.planner)


def test_an_undecided_tie_is_resolved_by_the_committee_with_its_reason_and_survives_recomputing(cw):
    scoring_round, _target = scored(cw, {"vice": "reduce", "citizen": "improve"})
    (result,) = round_aggregate(scoring_round=scoring_round, by=cw.world.planner)
    assert result.final_status == ResultStatus.UNDECIDED
    with pytest.raises(CommitteeValidationError):
        result_override(result=result, judgement="reduce", reason=" ", by=cw.world.planner)
    with pytest.raises(CommitteeValidationError):
        result_override(result=result, judgement="不要", reason="理由", by=cw.world.planner)
    with pytest.raises(CommitteePermissionError):
        result_override(result=result, judgement="reduce", reason="委員長", by=cw.chair_user)
    result_override(
        result=result, judgement="reduce", reason="第3回会議で委員長が決した", by=cw.world.planner
    )
    round_aggregate(scoring_round=scoring_round, by=cw.world.planner)
    result = TargetResult.objects.get()
    assert (result.status, result.final_judgement, result.final_status) == (
        ResultStatus.UNDECIDED,
        "reduce",
        ResultStatus.OVERRIDDEN,
    )
    assert result.override_reason == "第3回会議で委員長が決した"
    result_override(result=result, judgement="", reason="", by=cw.world.planner)
    result.refresh_from_db()
    assert (result.final_judgement, result.overridden_by) == ("", None)

"""Aggregation of a closed round into per-target results, and the committee's overrides."""

from django.db import transaction
from django.utils.translation import gettext as _

from hoshin.audit.services import audit_record
from hoshin.committees import aggregation
from hoshin.committees.models import (
    MemberRole,
    Score,
    ScoringRound,
    TargetResult,
)
from hoshin.committees.services.errors import CommitteeValidationError
from hoshin.committees.services.register import require_secretariat


def _outcome_data(outcome: aggregation.Outcome) -> dict:
    return {
        "status": outcome.status,
        "judgement": outcome.judgement,
        "distribution": outcome.distribution,
        "views": outcome.views,
        "casting_vote": outcome.casting_vote,
        "vote_count": outcome.vote_count,
    }


@transaction.atomic
def round_aggregate(*, scoring_round: ScoringRound, by) -> list[TargetResult]:
    """Compute every target's result of a closed round by the committee's rule (see
    ``aggregation.py``): distribution, mean viewpoint scores, the judgement or why there is
    none, and each side's tally when the committee tallies citizens and experts apart.
    Recomputing keeps the committee's overrides."""
    require_secretariat(user=by)
    scoring_round = ScoringRound.objects.select_related("committee").get(pk=scoring_round.pk)
    if not scoring_round.is_closed:
        raise CommitteeValidationError({"round": _("締め切った回だけを集計できます。")})
    committee = scoring_round.committee
    codes = committee.judgement_codes()
    viewpoint_codes = [v["code"] for v in committee.viewpoints]
    scores_by_target: dict[int, list[Score]] = {}
    for score in Score.objects.filter(round=scoring_round).select_related("member"):
        scores_by_target.setdefault(score.target_id, []).append(score)
    results = []
    for target in committee.targets.all():
        scores = scores_by_target.get(target.pk, [])
        votes = [
            aggregation.Vote(
                member_id=s.member_id,
                judgement=s.judgement,
                is_chair=s.member.role == MemberRole.CHAIR,
                citizen_side=s.member.is_citizen_side,
            )
            for s in scores
        ]
        outcome = aggregation.decide(votes, rule=committee.decision_rule, codes=codes)
        sides = {}
        if committee.tally_separately:
            sides = {
                side: _outcome_data(side_outcome)
                for side, side_outcome in aggregation.decide_by_side(
                    votes, rule=committee.decision_rule, codes=codes
                ).items()
            }
        means = aggregation.viewpoint_means((s.viewpoint_scores for s in scores), viewpoint_codes)
        result, _created = TargetResult.objects.update_or_create(
            round=scoring_round,
            target=target,
            defaults={
                "status": outcome.status,
                "judgement": outcome.judgement,
                "casting_vote": outcome.casting_vote,
                "distribution": outcome.distribution,
                "views": outcome.views,
                "viewpoint_means": {
                    k: (str(v) if v is not None else None) for k, v in means.items()
                },
                "sides": sides,
                "vote_count": outcome.vote_count,
            },
        )
        results.append(result)
    audit_record(
        actor=by,
        verb="committee.aggregate",
        target=scoring_round,
        summary=f"「{scoring_round}」を集計（{len(results)}件）",
        data={
            "rule": committee.decision_rule,
            "statuses": {str(r.target_id): r.status for r in results},
        },
    )
    return results


@transaction.atomic
def result_override(*, result: TargetResult, judgement: str, reason: str, by) -> TargetResult:
    """Record the committee's own decision on a target (resolving an undecided tie or a split,
    or departing from the rule), with its reason; an empty judgement withdraws the override."""
    require_secretariat(user=by)
    result = (
        TargetResult.objects.select_for_update(of=("self",))
        .select_related("round__committee")
        .get(pk=result.pk)
    )
    committee = result.round.committee
    judgement = (judgement or "").strip()
    reason = (reason or "").strip()
    if judgement and judgement not in committee.judgement_codes():
        raise CommitteeValidationError(
            {
                "judgement": _("判定「%(value)s」は、この委員会の判定の区分にありません。")
                % {"value": judgement}
            }
        )
    if judgement and not reason:
        raise CommitteeValidationError(
            {"reason": _("委員会として決定した理由を入力してください。")}
        )
    result.override_judgement = judgement
    result.override_reason = reason if judgement else ""
    result.overridden_by = by if judgement else None
    result.save(update_fields=["override_judgement", "override_reason", "overridden_by"])
    audit_record(
        actor=by,
        verb="committee.result_override",
        target=result,
        summary=f"「{result.target}」の委員会の判定を記録"
        if judgement
        else f"「{result.target}」の委員会の判定を取消",
        data={"judgement": judgement, "reason": reason, "rule_status": result.status},
    )
    return result

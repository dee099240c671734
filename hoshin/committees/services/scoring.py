"""Scoring: rounds, each member's score of a target, and the committee's opinion per target."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoshin.audit.services import audit_record
from hoshin.committees.models import (
    Committee,
    CommitteeMember,
    Opinion,
    ReviewTarget,
    RoundKind,
    Score,
    ScoringRound,
)
from hoshin.committees.services.errors import (
    CommitteePermissionError,
    CommitteeValidationError,
    next_version,
)
from hoshin.committees.services.register import require_secretariat
from hoshin.org.roles import is_planning_office


@transaction.atomic
def round_open(
    *, committee: Committee, kind: str, by, due_on: datetime.date | None = None
) -> ScoringRound:
    """Open the advance (before the hearing) or final (after it) round of a committee year."""
    require_secretariat(user=by)
    if kind not in RoundKind.values:
        raise CommitteeValidationError({"kind": _("評価の回の種別が正しくありません。")})
    if committee.rounds.filter(kind=kind).exists():
        raise CommitteeValidationError({"kind": _("この回はすでにあります。")})
    scoring_round = ScoringRound.objects.create(committee=committee, kind=kind, due_on=due_on)
    audit_record(
        actor=by,
        verb="committee.round_open",
        target=scoring_round,
        summary=f"「{scoring_round}」を開始",
    )
    return scoring_round


@transaction.atomic
def round_close(*, scoring_round: ScoringRound, by) -> ScoringRound:
    """Close a round: no score may change after it, and members now see each other's scores."""
    require_secretariat(user=by)
    scoring_round = ScoringRound.objects.select_for_update(of=("self",)).get(pk=scoring_round.pk)
    if scoring_round.is_closed:
        raise CommitteeValidationError({"round": _("この回はすでに締め切られています。")})
    scoring_round.closed_at = timezone.now()
    scoring_round.closed_by = by
    scoring_round.save(update_fields=["closed_at", "closed_by"])
    audit_record(
        actor=by,
        verb="committee.round_close",
        target=scoring_round,
        summary=f"「{scoring_round}」を締切",
        data={"scores": scoring_round.scores.count()},
    )
    return scoring_round


def _score_values_errors(committee: Committee, viewpoint_scores: dict, judgement: str) -> dict:
    errors = {}
    viewpoints = {v["code"]: v["label"] for v in committee.viewpoints}
    scale = {s["code"] for s in committee.viewpoint_scale}
    for code, value in viewpoint_scores.items():
        if code not in viewpoints:
            errors[f"viewpoint.{code}"] = _("この委員会にない評価の視点です。")
        elif value not in ("", None) and str(value) not in scale:
            errors[f"viewpoint.{code}"] = _(
                "「%(label)s」の値「%(value)s」は尺度にありません。"
            ) % {
                "label": viewpoints[code],
                "value": value,
            }
    if judgement and judgement not in committee.judgement_codes():
        errors["judgement"] = _("判定「%(value)s」は、この委員会の判定の区分にありません。") % {
            "value": judgement
        }
    return errors


@transaction.atomic
def score_save(
    *,
    scoring_round: ScoringRound,
    target: ReviewTarget,
    member: CommitteeMember,
    by,
    viewpoint_scores: dict[str, str],
    judgement: str,
    comment: str = "",
    expected_version: int | None,
    today: datetime.date | None = None,
) -> Score:
    """Save a member's score of a target, typed by the member or entered by the secretariat
    from paper. ``expected_version`` is the version the writer loaded (None for a new score).

    Refuses: another person's score, a target not assigned to the member, a closed round, a
    member outside their term (on ``today``), a judgement or scale value outside the
    committee's lists, and a stale version (``CommitteeConflictError``; nothing overwritten)."""
    # Locking the round serialises every save of the round with its closing: a score can
    # never slip in after the secretariat closed the round.
    scoring_round = (
        ScoringRound.objects.select_for_update(of=("self",))
        .select_related("committee")
        .get(pk=scoring_round.pk)
    )
    committee = scoring_round.committee
    if member.committee_id != committee.pk:
        raise CommitteeValidationError({"member": _("この委員会の委員ではありません。")})
    if not (member.user_id and member.user_id == getattr(by, "pk", None)) and not (
        is_planning_office(user=by)
    ):
        raise CommitteePermissionError(_("評価を入力できるのは委員本人か事務局です。"))
    if scoring_round.is_closed:
        raise CommitteePermissionError(_("この回は締め切られたため、評価を変更できません。"))
    if not target.is_assigned_to(member):
        raise CommitteePermissionError(_("この委員が担当する評価対象ではありません。"))
    today = today or timezone.localdate()
    if not member.in_term(today):
        raise CommitteePermissionError(
            _("%(name)s委員は任期外（%(start)s〜%(end)s）のため評価できません。")
            % {"name": member.name, "start": member.term_start, "end": member.term_end}
        )
    viewpoint_scores = {
        k: str(v) for k, v in (viewpoint_scores or {}).items() if v not in ("", None)
    }
    judgement = (judgement or "").strip()
    errors = _score_values_errors(committee, viewpoint_scores, judgement)
    if errors:
        raise CommitteeValidationError(errors)
    score = (
        Score.objects.select_for_update(of=("self",))
        .select_related("entered_by")
        .filter(round=scoring_round, target=target, member=member)
        .first()
    )
    version = next_version(
        score, expected_version=expected_version, last_author=score and score.entered_by
    )
    score = score or Score(round=scoring_round, target=target, member=member)
    score.version = version
    score.viewpoint_scores = viewpoint_scores
    score.judgement = judgement
    score.comment = comment.strip()
    score.entered_by = by
    score.save()
    audit_record(
        actor=by,
        verb="committee.score_save",
        target=score,
        summary=f"「{scoring_round}」で{member}委員の「{target}」の評価を保存",
        data={
            "version": score.version,
            "judgement": judgement,
            "by_secretariat": member.user_id != by.pk,
        },
    )
    return score


@transaction.atomic
def opinion_save(*, target: ReviewTarget, body: str, by, expected_version: int | None) -> Opinion:
    """Write the committee's opinion on a target (the secretariat); a stale
    ``expected_version`` (None for a new opinion) raises ``CommitteeConflictError``."""
    require_secretariat(user=by)
    body = body.strip()
    if not body:
        raise CommitteeValidationError({"body": _("意見を入力してください。")})
    # Lock the target so that two first saves of the same opinion cannot both create it.
    ReviewTarget.objects.select_for_update(of=("self",)).get(pk=target.pk)
    opinion = Opinion.objects.select_related("updated_by").filter(target=target).first()
    version = next_version(
        opinion, expected_version=expected_version, last_author=opinion and opinion.updated_by
    )
    opinion = opinion or Opinion(target=target)
    opinion.version = version
    opinion.body = body
    opinion.updated_by = by
    opinion.save()
    audit_record(
        actor=by,
        verb="committee.opinion_save",
        target=opinion,
        summary=f"「{target}」への委員会の意見を保存",
        data={"version": opinion.version},
    )
    return opinion

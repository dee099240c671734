"""Reads of the committee app. Individual scores are read through ``scores_visible_to`` only:
a member sees their own until the secretariat closes the round."""

from django.db.models import QuerySet

from hoshin.committees.models import (
    CityResponse,
    Committee,
    CommitteeMember,
    Minutes,
    ReviewTarget,
    Score,
    ScoringRound,
    TargetResult,
)
from hoshin.committees.services.responses import FOLLOW_UP_YEARS
from hoshin.evaluations.models import EvaluationSheet
from hoshin.org.roles import is_planning_office


def member_of(*, user, committee: Committee) -> CommitteeMember | None:
    """The member ``user`` signs in as on ``committee`` (None when they are not one)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return CommitteeMember.objects.filter(committee=committee, user=user).first()


def committees_for(*, user) -> QuerySet[Committee]:
    """The committees ``user`` may open: every one for the secretariat, else their own."""
    if is_planning_office(user=user):
        return Committee.objects.all()
    if not getattr(user, "is_authenticated", False):
        return Committee.objects.none()
    return Committee.objects.filter(members__user=user).distinct()


def targets_for_member(*, member: CommitteeMember) -> QuerySet[ReviewTarget]:
    """The targets a member scores: those of their sub-group and those given to no group."""
    targets = ReviewTarget.objects.filter(committee_id=member.committee_id)
    if member.group_id is None:
        return targets.filter(group__isnull=True)
    return targets.filter(group__isnull=True) | targets.filter(group_id=member.group_id)


def scores_visible_to(*, user, scoring_round: ScoringRound) -> QuerySet[Score]:
    """The scores of a round ``user`` may read: the secretariat all of them; a member of the
    committee their own while the round is open and everyone's once it is closed; anyone
    else none. Public pages never read scores here (publication decides, next step)."""
    scores = Score.objects.filter(round=scoring_round).select_related("member", "target")
    if is_planning_office(user=user):
        return scores
    member = member_of(user=user, committee=scoring_round.committee)
    if member is None:
        return scores.none()
    if scoring_round.is_closed:
        return scores
    return scores.filter(member=member)


def round_results(*, scoring_round: ScoringRound) -> QuerySet[TargetResult]:
    """A round's stored results, in the targets' order (staff; publication comes later)."""
    return (
        TargetResult.objects.filter(round=scoring_round)
        .select_related("target__sheet__action", "target__sheet__department")
        .order_by("target__position", "target_id")
    )


def responses_for_sheet(*, sheet: EvaluationSheet) -> QuerySet[CityResponse]:
    """The city's responses to committee opinions on the same action in the years whose
    follow-up this sheet's year falls in (the committee's year + 1 and + 2): what the department
    promised, shown beside its next sheets. Oldest committee first."""
    if not sheet.action_id:
        return CityResponse.objects.none()
    fy = sheet.cycle.fy
    return (
        CityResponse.objects.filter(
            opinion__target__sheet__action_id=sheet.action_id,
            opinion__target__committee__fy__gte=fy - FOLLOW_UP_YEARS,
            opinion__target__committee__fy__lt=fy,
        )
        .select_related("opinion__target__committee", "department")
        .prefetch_related("follow_ups")
        .order_by("opinion__target__committee__fy", "pk")
    )


def minutes_absent(*, minutes: Minutes) -> list[CommitteeMember]:
    """The members in term on the meeting's day who are not recorded as present."""
    present = set(minutes.present.values_list("pk", flat=True))
    return [
        m
        for m in minutes.committee.members.all()
        if m.pk not in present and m.in_term(minutes.held_on)
    ]

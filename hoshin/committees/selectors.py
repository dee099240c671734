"""Reads of the committee app. Individual scores are read through ``scores_visible_to`` only:
a member sees their own until the secretariat closes the round."""

from django.db.models import QuerySet

from hoshin.committees.models import (
    Committee,
    CommitteeMember,
    ReviewTarget,
    Score,
    ScoringRound,
    TargetResult,
)
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

"""A committee year as citizens see it: the only reads the portal, search and open data will
make of committee data.

Every read starts from ``Committee.objects.published()`` (published committee years of published
plans) and returns plain dataclasses holding what may be public — never a model object, so a
template cannot follow a relation to a member's account, affiliation, term, an unpublished round
or another year. Individual scores appear only as the committee's ``score_disclosure`` says:
not at all, under "委員1, 委員2 …" (by the members' order, the same across targets), or named.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from hoshin.committees.models import (
    CityResponse,
    Committee,
    Minutes,
    MinutesStatus,
    ResultStatus,
    RoundKind,
    Score,
    ScoreDisclosure,
    TargetResult,
)


def committees_published() -> QuerySet[Committee]:
    """The one door: published committee years of published plans, newest first."""
    return Committee.objects.published().select_related("plan").order_by("-fy", "name")


@dataclass(frozen=True)
class PublicMember:
    name: str
    category: str  # label
    role: str  # label


@dataclass(frozen=True)
class PublicScore:
    member: str  # the name, or 委員N when anonymised
    judgement: str  # label
    viewpoints: list[tuple[str, str]]  # (viewpoint label, scale label)
    comment: str


@dataclass(frozen=True)
class PublicFollowUp:
    fy: int
    status: str
    note: str


@dataclass(frozen=True)
class PublicResponse:
    department: str
    stance: str
    reason: str
    planned_action: str
    budget_amount: Decimal | None
    follow_ups: list[PublicFollowUp]


@dataclass(frozen=True)
class PublicTarget:
    subject: str
    action_id: int
    department: str
    reason: str
    rule_reasons: list[str]
    judgement: str  # the committee's final judgement (label), "" when none
    status: str  # label of the final status (決定 / 未決 / 両論併記 / 委員会の決定 …)
    casting_vote: bool
    override_reason: str
    views: list[str]  # labels of the tied or differing judgements
    distribution: list[tuple[str, int]]  # (judgement label, votes), in the committee's order
    viewpoint_means: list[tuple[str, str | None]]  # (viewpoint label, mean)
    sides: dict[str, dict]  # "citizen"/"expert" → {"judgement": label, "votes": n}
    opinion: str
    response: PublicResponse | None
    scores: list[PublicScore] = field(default_factory=list)


@dataclass(frozen=True)
class PublicCommittee:
    id: int
    name: str
    kind: str
    fy: int
    plan: str
    decision_rule: str
    remarks: str  # 総評
    report_submitted_on: datetime.date | None
    members: list[PublicMember]
    targets: list[PublicTarget]


def public_committee(*, committee_id: int) -> PublicCommittee | None:
    """One published committee year (None when it is not published): members, targets with
    the reasons they were chosen, the final round's results, opinions, the city's responses
    with their follow-up, and individual scores as the committee decided."""
    committee = committees_published().filter(pk=committee_id).first()
    if committee is None:
        return None
    members = list(committee.members.all())
    anonymous = {m.pk: _("委員%(n)s") % {"n": n} for n, m in enumerate(members, start=1)}
    final = committee.rounds.filter(kind=RoundKind.FINAL).first()
    results = {r.target_id: r for r in TargetResult.objects.filter(round=final)}
    scores: dict[int, list[Score]] = {}
    if committee.score_disclosure != ScoreDisclosure.HIDDEN:
        for score in Score.objects.filter(round=final).order_by("member__position", "member_id"):
            scores.setdefault(score.target_id, []).append(score)
    names = {m.pk: m.name for m in members}
    targets = (
        committee.targets.select_related("sheet__action", "sheet__department", "opinion")
        .prefetch_related(
            Prefetch(
                "opinion__response",
                queryset=CityResponse.objects.select_related("department").prefetch_related(
                    "follow_ups"
                ),
            )
        )
        .order_by("position", "pk")
    )
    judgement = committee.judgement_label
    viewpoint_labels = {v["code"]: v["label"] for v in committee.viewpoints}
    viewpoint_codes = [v["code"] for v in committee.viewpoints]
    judgement_codes = [j["code"] for j in committee.judgements]
    scale_labels = {s["code"]: s["label"] for s in committee.viewpoint_scale}

    def public_score(score: Score) -> PublicScore:
        named = committee.score_disclosure == ScoreDisclosure.NAMED
        return PublicScore(
            member=names[score.member_id] if named else anonymous[score.member_id],
            judgement=judgement(score.judgement) if score.judgement else "",
            viewpoints=[
                (viewpoint_labels.get(code, code), scale_labels.get(value, value))
                for code, value in _in_order(score.viewpoint_scores, viewpoint_codes)
            ],
            comment=score.comment,
        )

    public_targets = []
    for target in targets:
        result = results.get(target.pk)
        opinion = getattr(target, "opinion", None)
        response = getattr(opinion, "response", None) if opinion else None
        public_targets.append(
            PublicTarget(
                subject=target.sheet.action.subject,
                action_id=target.sheet.action_id,
                department=target.sheet.department.name if target.sheet.department_id else "",
                reason=target.reason,
                rule_reasons=list(target.rule_reasons),
                judgement=judgement(result.final_judgement)
                if result and result.final_judgement
                else "",
                status=ResultStatus(result.final_status).label if result else "",
                casting_vote=bool(result and result.casting_vote and not result.override_judgement),
                override_reason=result.override_reason if result else "",
                views=[judgement(c) for c in (result.views if result else [])],
                distribution=[
                    (judgement(code), votes)
                    for code, votes in _in_order(
                        result.distribution if result else {}, judgement_codes
                    )
                ],
                viewpoint_means=[
                    (viewpoint_labels.get(code, code), mean)
                    for code, mean in _in_order(
                        result.viewpoint_means if result else {}, viewpoint_codes
                    )
                ],
                sides={
                    side: {
                        "judgement": judgement(data["judgement"]) if data["judgement"] else "",
                        "votes": data["vote_count"],
                    }
                    for side, data in (result.sides if result else {}).items()
                },
                opinion=opinion.body if opinion else "",
                response=_public_response(response) if response else None,
                scores=[public_score(s) for s in scores.get(target.pk, [])],
            )
        )
    return PublicCommittee(
        id=committee.pk,
        name=committee.name,
        kind=committee.get_kind_display(),
        fy=committee.fy,
        plan=committee.plan.name,
        decision_rule=committee.get_decision_rule_display(),
        remarks=committee.remarks,
        report_submitted_on=committee.report_submitted_on,
        members=[
            PublicMember(name=m.name, category=m.get_category_display(), role=m.get_role_display())
            for m in members
        ],
        targets=public_targets,
    )


def _public_response(response: CityResponse) -> PublicResponse:
    return PublicResponse(
        department=response.department.name if response.department_id else "",
        stance=response.get_stance_display(),
        reason=response.reason,
        planned_action=response.planned_action,
        budget_amount=response.budget_amount,
        follow_ups=[
            PublicFollowUp(fy=f.fy, status=f.get_status_display(), note=f.note)
            for f in response.follow_ups.all()
        ],
    )


# ---- minutes ---------------------------------------------------------------------------------


def minutes_published() -> QuerySet[Minutes]:
    """The door to minutes: published minutes of committees of published plans. Minutes are
    published meeting by meeting, before the committee year as a whole."""
    return Minutes.objects.filter(
        status=MinutesStatus.PUBLISHED, committee__plan__is_published=True
    )


@dataclass(frozen=True)
class PublicMinutes:
    title: str
    held_on: datetime.date
    place: str
    present: list[str]  # members' names
    absent: list[str]
    secretariat_attendees: str
    observers: str
    agenda: str
    body: str


def public_minutes(*, committee_id: int) -> list[PublicMinutes]:
    """A committee's published minutes, oldest meeting first (members' comments never)."""
    found = []
    for minutes in (
        minutes_published()
        .filter(committee_id=committee_id)
        .prefetch_related("present", "committee__members")
        .order_by("held_on", "pk")
    ):
        present = {m.pk for m in minutes.present.all()}
        in_term = [m for m in minutes.committee.members.all() if m.in_term(minutes.held_on)]
        found.append(
            PublicMinutes(
                title=minutes.title,
                held_on=minutes.held_on,
                place=minutes.place,
                present=[m.name for m in in_term if m.pk in present],
                absent=[m.name for m in in_term if m.pk not in present],
                secretariat_attendees=minutes.secretariat_attendees,
                observers=minutes.observers,
                agenda=minutes.agenda,
                body=minutes.body,
            )
        )
    return found


def _in_order(mapping: dict, codes: list[str]) -> list[tuple[str, object]]:
    """A stored mapping in the committee's configured order, then any code no longer listed.

    PostgreSQL's jsonb keeps no key order, so the order of a JSONField dict is not the order it
    was saved in."""
    known = [(code, mapping[code]) for code in codes if code in mapping]
    return known + [(code, value) for code, value in mapping.items() if code not in codes]

"""The committee's result from its members' judgements: the rules, written once, without the
database (``services.results.round_aggregate`` feeds them and stores what they return).

Rules (``DecisionRule``), applied to the judgements given (a member who gave none is absent):

- ``majority``: the judgement with the most votes (相対多数). A tie for the most votes leaves
  the result *undecided*, with the tied judgements as its views, until the committee decides
  (``result_override``).
- ``chair_casting``: as majority, but on a tie the chair decides (可否同数のときは委員長の決す
  るところによる): when the chair's own judgement is one of the tied ones, it is the result
  (``casting_vote``). When the chair gave no judgement (absent) or gave one outside the tie,
  the result is *undecided* until resolved.
- ``unanimity``: decided only when every judgement is the same; otherwise *split* (両論併記)
  with every view given, most votes first.

No judgement at all gives *no votes*. Ties between views are ordered by the committee's own
judgement list, so the same votes always give the same order.
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from hoshin.committees.models import DecisionRule, ResultStatus

MEAN_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Vote:
    """One member's judgement, with what the rules need to know about the member."""

    member_id: int
    judgement: str
    is_chair: bool = False
    citizen_side: bool = False


@dataclass
class Outcome:
    status: str  # a ResultStatus value
    judgement: str = ""
    distribution: dict[str, int] = field(default_factory=dict)  # every code, in list order
    views: list[str] = field(default_factory=list)  # the tied or differing judgements
    casting_vote: bool = False
    vote_count: int = 0


def distribution(votes: Iterable[Vote], codes: Sequence[str]) -> dict[str, int]:
    """Votes per judgement, every code of the list included (0 when nobody chose it)."""
    counts = Counter(v.judgement for v in votes)
    return {code: counts.get(code, 0) for code in codes}


def decide(votes: Sequence[Vote], *, rule: str, codes: Sequence[str]) -> Outcome:
    """The committee's result from ``votes`` by ``rule``; ``codes`` is the judgement list."""
    # A blank judgement is an absence; a code outside the list cannot be stored (the list is
    # frozen by the first score) and is ignored rather than counted without a column.
    votes = [v for v in votes if v.judgement in codes]
    counts = distribution(votes, codes)
    base = {"distribution": counts, "vote_count": len(votes)}
    if not votes:
        return Outcome(status=ResultStatus.NO_VOTES, **base)
    given = sorted((c for c in counts if counts[c]), key=lambda c: (-counts[c], codes.index(c)))
    if rule == DecisionRule.UNANIMITY:
        if len(given) == 1:
            return Outcome(status=ResultStatus.DECIDED, judgement=given[0], **base)
        return Outcome(status=ResultStatus.SPLIT, views=given, **base)
    top = counts[given[0]]
    tied = [c for c in given if counts[c] == top]
    if len(tied) == 1:
        return Outcome(status=ResultStatus.DECIDED, judgement=tied[0], **base)
    if rule == DecisionRule.CHAIR_CASTING:
        chair = next((v for v in votes if v.is_chair), None)
        if chair is not None and chair.judgement in tied:
            return Outcome(
                status=ResultStatus.DECIDED,
                judgement=chair.judgement,
                casting_vote=True,
                views=tied,
                **base,
            )
    return Outcome(status=ResultStatus.UNDECIDED, views=tied, **base)


def decide_by_side(votes: Sequence[Vote], *, rule: str, codes: Sequence[str]) -> dict:
    """Citizen members' and expert members' results, each by the same rule (the chair's casting
    vote counts only on the side the chair belongs to)."""
    return {
        "citizen": decide([v for v in votes if v.citizen_side], rule=rule, codes=codes),
        "expert": decide([v for v in votes if not v.citizen_side], rule=rule, codes=codes),
    }


def viewpoint_means(
    scores: Iterable[dict[str, str]], viewpoint_codes: Sequence[str]
) -> dict[str, Decimal | None]:
    """The mean score per viewpoint over the members who scored it (None when nobody did),
    rounded half up to 0.01; scale codes are whole numbers (``defaults.py``)."""
    sums: dict[str, int] = dict.fromkeys(viewpoint_codes, 0)
    counts: dict[str, int] = dict.fromkeys(viewpoint_codes, 0)
    for score in scores:
        for code in viewpoint_codes:
            value = (score or {}).get(code)
            if value not in (None, ""):
                sums[code] += int(value)
                counts[code] += 1
    return {
        code: (
            (Decimal(sums[code]) / counts[code]).quantize(MEAN_PLACES, rounding=ROUND_HALF_UP)
            if counts[code]
            else None
        )
        for code in viewpoint_codes
    }

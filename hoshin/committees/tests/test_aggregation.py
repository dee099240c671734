"""The aggregation rules (``aggregation.py``) on every tie and edge case, without the database."""

from decimal import Decimal

import pytest

from hoshin.committees.aggregation import Vote, decide, decide_by_side, viewpoint_means
from hoshin.committees.models import DecisionRule, ResultStatus

CODES = ["expand", "maintain", "improve", "reduce", "merge", "suspend", "abolish"]
MAJORITY, CASTING, UNANIMITY = (
    DecisionRule.MAJORITY,
    DecisionRule.CHAIR_CASTING,
    DecisionRule.UNANIMITY,
)
DECIDED, UNDECIDED, SPLIT, NONE = (
    ResultStatus.DECIDED,
    ResultStatus.UNDECIDED,
    ResultStatus.SPLIT,
    ResultStatus.NO_VOTES,
)


def votes(*judgements: str, chair: str | None = None) -> list[Vote]:
    """Members 1… with ``judgements``; ``chair`` adds the chair's vote ("" = chair abstains)."""
    result = [Vote(member_id=i, judgement=j) for i, j in enumerate(judgements, start=1)]
    if chair is not None:
        result.append(Vote(member_id=99, judgement=chair, is_chair=True))
    return result


@pytest.mark.parametrize(
    ("rule", "given", "status", "judgement", "views", "casting"),
    [
        # a clear majority decides under every majority rule
        (MAJORITY, votes("improve", "improve", "reduce"), DECIDED, "improve", [], False),
        (CASTING, votes("improve", "reduce", chair="improve"), DECIDED, "improve", [], False),
        # plurality, not absolute majority: 2 of 5 is enough when nobody has more
        (
            MAJORITY,
            votes("improve", "improve", "reduce", "merge", "abolish"),
            DECIDED,
            "improve",
            [],
            False,
        ),
        # a tie under plain majority stays undecided, the tied views recorded in list order
        (MAJORITY, votes("reduce", "improve"), UNDECIDED, "", ["improve", "reduce"], False),
        (
            MAJORITY,
            votes("reduce", "improve", chair="maintain"),
            UNDECIDED,
            "",
            ["maintain", "improve", "reduce"],
            False,
        ),
        # the chair's casting vote settles a tie the chair is part of
        (
            CASTING,
            votes("improve", chair="reduce"),
            DECIDED,
            "reduce",
            ["improve", "reduce"],
            True,
        ),
        (
            CASTING,
            votes("improve", "improve", "reduce", chair="reduce"),
            DECIDED,
            "reduce",
            ["improve", "reduce"],
            True,
        ),
        # three-way tie, the chair in it
        (
            CASTING,
            votes("expand", "improve", chair="abolish"),
            DECIDED,
            "abolish",
            ["expand", "improve", "abolish"],
            True,
        ),
        # no chair vote present: undecided until resolved
        (CASTING, votes("improve", "reduce"), UNDECIDED, "", ["improve", "reduce"], False),
        (
            CASTING,
            votes("improve", "reduce", chair=""),
            UNDECIDED,
            "",
            ["improve", "reduce"],
            False,
        ),
        # the chair voted outside the tie: cannot cast it, undecided
        (
            CASTING,
            votes("improve", "improve", "reduce", "reduce", chair="merge"),
            UNDECIDED,
            "",
            ["improve", "reduce"],
            False,
        ),
        # unanimity: one view decides, otherwise both (all) views recorded, most votes first
        (UNANIMITY, votes("improve", "improve", chair="improve"), DECIDED, "improve", [], False),
        (UNANIMITY, votes("improve"), DECIDED, "improve", [], False),
        (UNANIMITY, votes("reduce", "improve", "improve"), SPLIT, "", ["improve", "reduce"], False),
        (
            UNANIMITY,
            votes("abolish", "expand", chair="abolish"),
            SPLIT,
            "",
            ["abolish", "expand"],
            False,
        ),
        # nobody judged (blank judgements are absences)
        (MAJORITY, [], NONE, "", [], False),
        (CASTING, votes("", "", chair=""), NONE, "", [], False),
        (UNANIMITY, votes(""), NONE, "", [], False),
        # blank judgements do not count towards a tie
        (MAJORITY, votes("improve", "", ""), DECIDED, "improve", [], False),
    ],
)
def test_decide(rule, given, status, judgement, views, casting):
    outcome = decide(given, rule=rule, codes=CODES)
    assert (outcome.status, outcome.judgement, outcome.views, outcome.casting_vote) == (
        status,
        judgement,
        views,
        casting,
    )
    assert outcome.vote_count == sum(1 for v in given if v.judgement)


def test_distribution_lists_every_judgement_in_the_committees_order():
    outcome = decide(votes("abolish", "improve", "abolish"), rule=MAJORITY, codes=CODES)
    assert list(outcome.distribution) == CODES
    assert outcome.distribution == dict.fromkeys(CODES, 0) | {"abolish": 2, "improve": 1}


def test_citizens_and_experts_are_tallied_apart():
    given = [
        Vote(member_id=1, judgement="improve", citizen_side=True),
        Vote(member_id=2, judgement="improve", citizen_side=True),
        Vote(member_id=3, judgement="reduce"),
        Vote(member_id=4, judgement="abolish"),
        Vote(member_id=5, judgement="reduce", is_chair=True),
    ]
    sides = decide_by_side(given, rule=CASTING, codes=CODES)
    assert (sides["citizen"].status, sides["citizen"].judgement) == (DECIDED, "improve")
    assert (sides["expert"].status, sides["expert"].judgement) == (DECIDED, "reduce")
    assert sides["citizen"].vote_count == 2 and sides["expert"].vote_count == 3
    # overall, 2 improve against 2 reduce: the chair's reduce settles it
    overall = decide(given, rule=CASTING, codes=CODES)
    assert (overall.judgement, overall.casting_vote) == ("reduce", True)


def test_a_side_with_a_tie_and_no_chair_is_undecided_on_its_own():
    given = [
        Vote(member_id=1, judgement="improve", citizen_side=True),
        Vote(member_id=2, judgement="reduce", citizen_side=True),
        Vote(member_id=3, judgement="reduce", is_chair=True),
    ]
    sides = decide_by_side(given, rule=CASTING, codes=CODES)
    assert sides["citizen"].status == UNDECIDED
    assert sides["expert"].judgement == "reduce"


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ([{"necessity": "3"}, {"necessity": "4"}, {"necessity": "4"}], Decimal("3.67")),
        ([{"necessity": "1"}, {"necessity": "2"}], Decimal("1.50")),
        (
            [{"necessity": "2"}, {"necessity": "3"}, {"necessity": "3"}, {"necessity": "3"}],
            Decimal("2.75"),
        ),
        # 1.125 rounds half up at the second place … 8 members: 1,1,1,1,1,1,1,2 = 1.125
        ([{"necessity": "1"}] * 7 + [{"necessity": "2"}], Decimal("1.13")),
        # members who left the viewpoint blank are not counted as zero
        ([{"necessity": "4"}, {"necessity": ""}, {}], Decimal("4.00")),
        ([{}, {"efficiency": "2"}], None),
    ],
)
def test_viewpoint_means(scores, expected):
    assert viewpoint_means(scores, ["necessity", "efficiency"])["necessity"] == expected

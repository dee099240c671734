"""The external evaluation committee (外部評価委員会).

- ``register``: ``Committee`` (per plan and year, with its scoring sheet and rules as data),
  ``MemberGroup``, ``CommitteeMember``;
- ``selection``: ``SelectionRule``, ``Nomination``, ``ReviewTarget``;
- ``scoring``: ``ScoringRound``, ``Score``, ``TargetResult``, ``Opinion``.
"""

from hoshin.committees.models.register import (
    Committee,
    CommitteeKind,
    CommitteeMember,
    DecisionRule,
    MemberCategory,
    MemberGroup,
    MemberRole,
    ScoreDisclosure,
)
from hoshin.committees.models.scoring import (
    Opinion,
    ResultStatus,
    RoundKind,
    Score,
    ScoringRound,
    TargetResult,
)
from hoshin.committees.models.selection import (
    Nomination,
    NominationSource,
    ReviewTarget,
    RuleKind,
    SelectionRule,
)

__all__ = [
    "Committee",
    "CommitteeKind",
    "CommitteeMember",
    "DecisionRule",
    "MemberCategory",
    "MemberGroup",
    "MemberRole",
    "Nomination",
    "NominationSource",
    "Opinion",
    "ResultStatus",
    "ReviewTarget",
    "RoundKind",
    "RuleKind",
    "Score",
    "ScoreDisclosure",
    "ScoringRound",
    "SelectionRule",
    "TargetResult",
]

"""The external evaluation committee (外部評価委員会).

- ``register``: ``Committee`` (per plan and year, with its scoring sheet and rules as data),
  ``MemberGroup``, ``CommitteeMember``;
- ``selection``: ``SelectionRule``, ``Nomination``, ``ReviewTarget``;
- ``scoring``: ``ScoringRound``, ``Score``, ``TargetResult``, ``Opinion``;
- ``hearings``: ``HearingSession``, ``HearingSlot``, ``AdvanceQuestion``, ``CityResponse``
  (対応方針) and ``ResponseFollowUp``;
- ``minutes``: ``Minutes`` (会議録) and members' ``MinutesComment``.
"""

from hoshin.committees.models.hearings import (
    AdvanceQuestion,
    CityResponse,
    FollowUpStatus,
    HearingSession,
    HearingSlot,
    ResponseFollowUp,
    ResponseStance,
)
from hoshin.committees.models.minutes import Minutes, MinutesComment, MinutesStatus
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
    "AdvanceQuestion",
    "CityResponse",
    "Committee",
    "CommitteeKind",
    "CommitteeMember",
    "DecisionRule",
    "FollowUpStatus",
    "HearingSession",
    "HearingSlot",
    "MemberCategory",
    "MemberGroup",
    "MemberRole",
    "Minutes",
    "MinutesComment",
    "MinutesStatus",
    "Nomination",
    "NominationSource",
    "Opinion",
    "ResponseFollowUp",
    "ResponseStance",
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

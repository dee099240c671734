"""The yearly evaluation: templates per plan, cycles per plan and year, sheets and their parts.

- ``templates``: ``EvaluationTemplate`` (what a plan's sheets contain), ``StaffUnitCost``;
- ``sheets``: ``EvaluationCycle``, ``Stage``, ``EvaluationSheet`` and its queryset;
- ``parts``: ``Indicator`` and ``CostLine``, the rows a sheet owns;
- ``workflow``: transitions, revisions, staff comments, reminder log, bulk uploads.
"""

from hoshin.evaluations.models.parts import (
    CostKind,
    CostLine,
    Direction,
    Indicator,
    IndicatorKind,
)
from hoshin.evaluations.models.sheets import (
    DeliveryMethod,
    EvaluationCycle,
    EvaluationSheet,
    SheetQuerySet,
    Stage,
)
from hoshin.evaluations.models.templates import EvaluationTemplate, StaffUnitCost
from hoshin.evaluations.models.workflow import (
    ReminderLog,
    SheetComment,
    SheetRevision,
    SheetTransition,
    SheetUpload,
)

__all__ = [
    "CostKind",
    "CostLine",
    "DeliveryMethod",
    "Direction",
    "EvaluationCycle",
    "EvaluationSheet",
    "EvaluationTemplate",
    "Indicator",
    "IndicatorKind",
    "ReminderLog",
    "SheetComment",
    "SheetQuerySet",
    "SheetRevision",
    "SheetTransition",
    "SheetUpload",
    "StaffUnitCost",
    "Stage",
]

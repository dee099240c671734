"""The one rule that flags a soundness ratio against its thresholds.

Every page, export and API that shows a ratio asks ``ratio_flag``; nothing else compares a
ratio with a threshold. "At or over" a threshold is flagged (the Act's wording: 以上).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

# 実質公債費比率 of 18% or more: new bonds need the minister's or governor's permission
# (地方財政法 5条の4, 施行令). Unlike the early-warning thresholds it does not depend on the
# city's size, so it is a constant here rather than a stored figure.
DEBT_SERVICE_PERMISSION_LINE = Decimal("18")

# Which stored thresholds apply to which ratio: 将来負担比率 and 資金不足比率 have no
# rehabilitation threshold, so a blank one there is "not applicable", not "unknown".
RATIOS_WITH_REHABILITATION = {"real_deficit", "consolidated_deficit", "debt_service"}


class RatioLevel(models.TextChoices):
    """From best to worst; ``UNKNOWN`` is never read as safe."""

    NO_VALUE = "no_value", _("未記入")
    UNKNOWN = "unknown", _("判定できません（基準が未登録）")
    WITHIN = "within", _("基準未満")
    PERMISSION = "permission", _("18%以上（地方債の発行に許可が必要）")
    EARLY = "early", _("早期健全化基準以上")
    REHABILITATION = "rehabilitation", _("財政再生基準以上")


@dataclass(frozen=True)
class RatioFlag:
    level: str
    # False when a threshold that applies to this ratio is not stored for the year: a page
    # must then say the thresholds are missing, even when a lower flag is shown.
    thresholds_complete: bool
    kind: str = ""

    @property
    def is_warning(self) -> bool:
        """True when the value is at or over any threshold."""
        return self.level in (RatioLevel.PERMISSION, RatioLevel.EARLY, RatioLevel.REHABILITATION)

    @property
    def label(self) -> str:
        """What the flag says, for pages (資金不足比率's one threshold is the 経営健全化基準)."""
        if self.kind == "fund_shortage" and self.level == RatioLevel.EARLY:
            return _("経営健全化基準以上")
        return RatioLevel(self.level).label


def ratio_flag(
    *,
    kind: str,
    value: Decimal | None,
    no_deficit: bool,
    early_threshold: Decimal | None,
    rehabilitation_threshold: Decimal | None,
) -> RatioFlag:
    """Flag a ratio: the highest threshold it is at or over, or why that cannot be said.

    - missing value → ``NO_VALUE``;
    - "－" (no deficit, or a negative 将来負担比率) → ``WITHIN``: it is below every threshold,
      all of which are positive, even when a threshold is missing;
    - a number → the highest known threshold it reaches; when it reaches none and a threshold
      that applies is missing → ``UNKNOWN`` (never "safe").
    """
    thresholds = [("early", early_threshold)]
    if kind in RATIOS_WITH_REHABILITATION:
        thresholds.append(("rehabilitation", rehabilitation_threshold))
    complete = all(threshold is not None for _name, threshold in thresholds)
    if value is None:
        return RatioFlag(RatioLevel.WITHIN if no_deficit else RatioLevel.NO_VALUE, complete, kind)
    levels = [
        (
            RatioLevel.REHABILITATION,
            rehabilitation_threshold if kind in RATIOS_WITH_REHABILITATION else None,
        ),
        (RatioLevel.EARLY, early_threshold),
        (RatioLevel.PERMISSION, DEBT_SERVICE_PERMISSION_LINE if kind == "debt_service" else None),
    ]
    for level, threshold in levels:
        if threshold is not None and value >= threshold:
            return RatioFlag(level, complete, kind)
    return RatioFlag(RatioLevel.WITHIN if complete else RatioLevel.UNKNOWN, complete, kind)

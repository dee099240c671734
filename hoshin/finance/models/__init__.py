"""Public finance (財政): soundness ratios, settlement figures, funds, bonds, outlook, effects."""

from hoshin.finance.models.common import MONEY, RATE, ReportStatus
from hoshin.finance.models.debt import (
    Bond,
    BondInstalment,
    BondLender,
    BondPurpose,
    Fund,
    FundYear,
    PaymentFrequency,
    RepaymentMethod,
)
from hoshin.finance.models.effects import EffectDuration, EffectEntry, EffectKind, EffectSource
from hoshin.finance.models.outlook import Outlook, OutlookFigure, OutlookSection
from hoshin.finance.models.ratios import (
    ComparisonAverage,
    RatioKind,
    SettlementLine,
    SettlementTable,
    SettlementYear,
    SoundnessRatio,
    SoundnessReport,
)

__all__ = [
    "MONEY",
    "RATE",
    "Bond",
    "BondInstalment",
    "BondLender",
    "BondPurpose",
    "ComparisonAverage",
    "EffectDuration",
    "EffectEntry",
    "EffectKind",
    "EffectSource",
    "Fund",
    "FundYear",
    "Outlook",
    "OutlookFigure",
    "OutlookSection",
    "PaymentFrequency",
    "RatioKind",
    "RepaymentMethod",
    "ReportStatus",
    "SettlementLine",
    "SettlementTable",
    "SettlementYear",
    "SoundnessRatio",
    "SoundnessReport",
]

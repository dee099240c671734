"""The progress rate (進捗率) of an indicator, written once for Python and for SQL.

Progress rate = (actual − baseline) ÷ (target − baseline) (DOMAIN.md). ``Indicator.progress_rate``
computes it for one row; the dashboard and the public plan page average it in the database with
``progress_rate_expression``. Both are built from ``_terms`` below, so they cannot drift apart;
``tests/test_progress.py`` checks them against each other on the real database.

The rate is undefined (None in Python, NULL in SQL) when a value is missing or the target equals
the baseline (a "keep the level" target, 維持目標). It is never 0 then: averages leave such
indicators out instead of counting them as no progress. The direction needs no case of its own:
when lower is better, target − baseline is negative and so is an improvement.

Neither version rounds: Python keeps Decimal's precision and SQL a double (about 16 significant
digits); pages, PDFs and files round when they print (``hoshin.lib.numbers.format_rate``).
"""

from decimal import Decimal

from django.db.models import Case, F, FloatField, Q, Value, When
from django.db.models.functions import Cast
from django.db.models.lookups import Exact
from django.utils.translation import gettext as _

OPERANDS = ("actual", "target", "baseline")


def _terms(actual, target, baseline):
    """The rule itself, (numerator, denominator): for numbers and query expressions alike."""
    return actual - baseline, target - baseline


def progress_rate(
    *, actual: Decimal | None, target: Decimal | None, baseline: Decimal | None
) -> Decimal | None:
    """(actual − baseline) ÷ (target − baseline); None when undefined (see ``progress_note``)."""
    if None in (actual, target, baseline):
        return None
    numerator, denominator = _terms(actual, target, baseline)
    if denominator == 0:
        return None
    return numerator / denominator


def progress_rate_expression(prefix: str = "") -> Case:
    """The same rate as a float column of an indicator query, NULL where Python gives None.

    ``prefix`` reaches the indicator from the queried model (``"indicators__"`` from a sheet).
    """
    numerator, denominator = _terms(*(F(prefix + name) for name in OPERANDS))
    missing = Q()
    for name in OPERANDS:
        missing |= Q(**{f"{prefix}{name}__isnull": True})
    null = Value(None, output_field=FloatField())
    return Case(
        When(missing, then=null),
        # Tested before dividing: PostgreSQL raises on a division by zero.
        When(Exact(denominator, Value(0)), then=null),
        # Cast before dividing: SQLite would otherwise divide whole numbers as integers.
        default=Cast(numerator, FloatField()) / Cast(denominator, FloatField()),
        output_field=FloatField(),
    )


def progress_note(
    *, actual: Decimal | None, target: Decimal | None, baseline: Decimal | None
) -> str:
    """Why the rate is undefined, "" when it is not: shown on public pages too, so a fact."""
    if target is None:
        return _("目標値が設定されていません")
    if actual is None:
        return _("実績値がありません")
    if baseline is None:
        return _("基準値がないため進捗率は算出できません")
    if target == baseline:
        return _("目標値が基準値と同じため進捗率は算出できません（維持目標）")
    return ""

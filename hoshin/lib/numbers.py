"""Numbers as Japanese city documents print them: 1,200 and △1,200 for minus; － for none.

Formatting (``format_*``) and reading them back from typed or uploaded cells (``parse_figure``).
"""

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

NONE = "－"


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        return None


def format_quantity(value, *, empty: str = NONE) -> str:
    """``1,234.5`` (trailing zeros dropped), ``△12`` for a negative value, ``empty`` for None."""
    number = _decimal(value)
    if number is None:
        return empty if value in (None, "") else str(value)
    number = number.normalize()
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    text = f"{abs(number):,f}"
    return f"△{text}" if number < 0 else text


def format_amount(value, *, empty: str = NONE) -> str:
    """Money in whole 千円: ``1,200``, ``△1,200``."""
    number = _decimal(value)
    if number is None:
        return empty if value in (None, "") else str(value)
    return format_quantity(number.quantize(Decimal(1)), empty=empty)


def format_rate(value, *, empty: str = NONE, places: int = 1) -> str:
    """A ratio as a percentage: Decimal('0.555') → ``55.5%``."""
    number = _decimal(value)
    if number is None:
        return empty
    percent = (number * 100).quantize(Decimal(1).scaleb(-places))
    text = f"{abs(percent):,f}%"
    return f"△{text}" if percent < 0 else text


# What a lone dash in a cell can be: Excel users type any of these for "－" (none).
_DASHES = frozenset("－-−‐‑–—―ー─")
_MINUS_MARKS = ("△", "▲", "-", "−")
_NUMBER = re.compile(r"\d+(\.\d+)?|\.\d+")


class NumberError(ValueError):
    """A cell that is not a number; the message says what was read (the caller adds where)."""


@dataclass(frozen=True)
class Figure:
    """A number read from a cell, keeping three things apart: a value (0 included), "－" (the
    document says there is none: no deficit, not applicable) and an empty cell."""

    value: Decimal | None = None
    is_dash: bool = False

    @property
    def is_empty(self) -> bool:
        return self.value is None and not self.is_dash


def parse_figure(raw, *, units: tuple[str, ...] = ()) -> Figure:
    """Read a figure as city staff type it: full-width digits, commas, △/▲ for minus, a unit
    of ``units`` after the number (``12.3%``, ``1,200千円``), "－" kept apart from 0 and empty.

    Numbers from a spreadsheet cell (int, float, Decimal) are taken as they are. Raises
    ``NumberError`` for anything else, including a unit not in ``units`` (a cell in 円 where
    千円 is expected must not be read as 千円).
    """
    if raw is None:
        return Figure()
    if isinstance(raw, bool):
        raise NumberError(_("「%(text)s」は数値ではありません。") % {"text": raw})
    if isinstance(raw, int | Decimal | float):
        value = Decimal(str(raw)) if isinstance(raw, float) else Decimal(raw)
        if not value.is_finite():
            raise NumberError(_("「%(text)s」は数値ではありません。") % {"text": raw})
        return Figure(value=value)
    original = str(raw)
    text = original.strip()
    if not text:
        return Figure()
    if len(text) == 1 and text in _DASHES:
        return Figure(is_dash=True)
    text = unicodedata.normalize("NFKC", text).replace(",", "").replace(" ", "")
    for unit in sorted(units, key=len, reverse=True):
        normal = unicodedata.normalize("NFKC", unit)
        if text.endswith(normal):
            text = text[: -len(normal)]
            break
    negative = text.startswith(_MINUS_MARKS)
    if negative:
        text = text[1:]
    if not _NUMBER.fullmatch(text):
        raise NumberError(_("「%(text)s」は数値として読めません。") % {"text": original})
    value = Decimal(text)
    return Figure(value=-value if negative else value)

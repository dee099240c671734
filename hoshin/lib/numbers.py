"""Numbers as Japanese city documents print them: 1,200 and △1,200 for minus; － for none."""

from decimal import Decimal, InvalidOperation

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

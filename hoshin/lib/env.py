"""Typed readers for settings from environment variables; they fail loudly on bad values."""

import datetime
import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    """The variable as it is (set but empty is a value, not "unset")."""
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    """true/false, yes/no, on/off, 1/0 (any case); anything else stops the start-up."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of {sorted(_TRUE | _FALSE)}, got {raw!r}")


def env_int(name: str, default: int) -> int:
    """A whole number; unset or blank gives ``default``, anything else stops the start-up."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    """Comma-separated items, blanks dropped; set but empty is the empty list."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_month_days(name: str, default: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    """Days of every year as ``MM-DD`` separated by commas (``12-29,01-03``); empty: none."""
    raw = os.environ.get(name)
    if raw is None:
        return tuple(default)
    days = []
    for item in raw.split(","):
        if not item.strip():
            continue
        try:
            month, day = (int(part) for part in item.strip().split("-"))
            datetime.date(2000, month, day)  # a leap year, so 02-29 is a day
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} must be month-day pairs such as 12-29,01-03, got {item.strip()!r}"
            ) from None
        days.append((month, day))
    return tuple(days)

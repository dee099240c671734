"""The city office's calendar: weekends, national holidays and the year-end closure are closed.

National holidays come from the ``holidays`` package (Japan), which follows the law's changes
(substitute holidays, moved holidays such as the 2020/2021 Olympics) so we never keep a list.
The year-end closure (29 December – 3 January) is set by each city's ordinance; the default
(in settings.py) is the common one and a city can change it through ``HOSHIN_CLOSED_DAYS``.
"""

import datetime
from functools import lru_cache

import holidays
from django.conf import settings


@lru_cache(maxsize=64)
def _national_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.Japan(years=year))


def _closed_month_days() -> set[tuple[int, int]]:
    return {tuple(month_day) for month_day in settings.HOSHIN_CLOSED_DAYS}


def is_office_closed(day: datetime.date) -> bool:
    """True on Saturdays, Sundays, national holidays and the city's closed days."""
    return (
        day.weekday() >= 5
        or day in _national_holidays(day.year)
        or (day.month, day.day) in _closed_month_days()
    )


def add_business_days(start: datetime.date, days: int) -> datetime.date:
    """The date ``days`` open days after ``start`` (the start day itself is not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    day, counted = start, 0
    while counted < days:
        day += datetime.timedelta(days=1)
        if not is_office_closed(day):
            counted += 1
    return day


def business_days_between(start: datetime.date, end: datetime.date) -> int:
    """Open days after ``start`` up to and including ``end`` (0 when end ≤ start)."""
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        if not is_office_closed(day):
            count += 1
    return count

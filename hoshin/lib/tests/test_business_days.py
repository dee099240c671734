"""Reply-by dates across Golden Week and the year-end closure."""

import datetime

import pytest

from hoshin.lib.business_days import add_business_days, business_days_between, is_office_closed

D = datetime.date


@pytest.mark.parametrize(
    ("day", "closed"),
    [
        (D(2026, 4, 28), False),  # Tuesday
        (D(2026, 4, 29), True),  # 昭和の日
        (D(2026, 5, 6), True),  # 振替休日 (Constitution Day fell on a Sunday)
        (D(2026, 5, 7), False),
        (D(2026, 12, 28), False),  # last working day of the year
        (D(2026, 12, 29), True),  # year-end closure, a Tuesday
        (D(2027, 1, 4), False),  # first working day
        (D(2026, 11, 21), True),  # Saturday
    ],
)
def test_office_calendar(day, closed):
    assert is_office_closed(day) is closed


def test_ten_business_days_across_golden_week_2026():
    # Received Fri 24 April: 27, 28, (29 昭和の日), 30, 1 May, (2–6 closed), 7, 8, 11, 12, 13, 14.
    assert add_business_days(D(2026, 4, 24), 10) == D(2026, 5, 14)


def test_ten_business_days_across_the_year_end():
    # Received Fri 25 Dec 2026: 28 Dec, (29 Dec – 3 Jan closed), 4–8 Jan, (11 Jan 成人の日),
    # 12, 13, 14, 15 Jan.
    assert add_business_days(D(2026, 12, 25), 10) == D(2027, 1, 15)


def test_counting_days_between_matches_adding_them():
    start = D(2026, 4, 24)
    assert business_days_between(start, add_business_days(start, 10)) == 10
    assert business_days_between(start, start) == 0


def test_closed_days_follow_the_city_setting(settings):
    settings.HOSHIN_CLOSED_DAYS = [(8, 14)]  # a city closing for お盆 instead
    assert is_office_closed(D(2026, 8, 14))
    assert not is_office_closed(D(2026, 12, 29))

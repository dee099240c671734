"""The one set of date filters: era with the Western year for citizens, compact for staff."""

import datetime

from django.template import Context, Template
from django.utils import timezone

from hoshin.lib.fiscal import format_datetime, format_staff_date, format_staff_datetime

NBSP = "\u00a0"
# 2026-12-09 00:30 in Tokyo is still 12-08 in UTC: the day shown must be the city's.
LATE_UTC = datetime.datetime(2026, 12, 8, 15, 30, 5, tzinfo=datetime.UTC)


def render(source: str, **context) -> str:
    return Template("{% load formatting %}" + source).render(Context(context))


def test_staff_dates_are_compact_fixed_width_and_in_the_city_time_zone():
    assert format_staff_date(datetime.date(2026, 4, 1)) == "2026/04/01"
    assert format_staff_date(LATE_UTC) == "2026/12/09"
    assert format_staff_datetime(LATE_UTC) == f"2026/12/09{NBSP}00:30"  # never split in a cell
    assert format_staff_datetime(LATE_UTC, seconds=True) == f"2026/12/09{NBSP}00:30:05"


def test_citizen_dates_carry_the_era_and_the_western_year():
    assert format_datetime(LATE_UTC) == f"令和8年12月9日（2026年12月9日）{NBSP}0:30"
    at_era_change = timezone.make_aware(datetime.datetime(2019, 5, 1, 9, 0))
    assert format_datetime(at_era_change).startswith("令和元年5月1日（2019年5月1日）")


def test_filters_in_templates():
    day = datetime.date(2026, 12, 2)
    assert render("{{ d|era_date }}", d=day) == "令和8年12月2日（2026年12月2日）"
    assert render("{{ d|staff_date }}", d=day) == "2026/12/02"
    assert render("{{ m|staff_datetime }}", m=LATE_UTC) == f"2026/12/09{NBSP}00:30"
    assert render('{{ m|staff_datetime:"seconds" }}', m=LATE_UTC).endswith("00:30:05")
    assert render("{{ m|era_datetime }}", m=LATE_UTC).endswith("0:30")
    # Nothing set: empty, so that |default: can say what that means.
    assert render('{{ d|staff_date|default:"－" }}', d=None) == "－"
    assert render("{{ d|era_date }}{{ d|staff_datetime }}{{ d|era_datetime }}", d=None) == ""


def test_no_template_formats_dates_by_hand():
    """Every date on a page goes through these filters; |date is left for machine attributes."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[3] / "templates"
    by_hand = []
    for path in root.rglob("*.html"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in re.finditer(r"\|date:", line):
                before = line[: match.start()]
                if not re.search(r'datetime="\{\{ [\w.]+$', before):
                    by_hand.append(f"{path.relative_to(root)}:{number}")
    assert by_hand == []

"""Template filters of the survey pages: the project's date filters, with survey defaults.

The formats themselves are hoshin.lib's (``{% load formatting %}``); this library only keeps
the survey pages' "－" for a period end that is not set.
"""

import datetime

from django import template

from hoshin.lib import template_filters

register = template.Library()

register.filter("era_datetime", template_filters.era_datetime)


@register.filter
def staff_datetime(value: datetime.datetime | None) -> str:
    """``2026/05/01 09:00`` (``－`` when not set), for staff pages."""
    return template_filters.staff_datetime(value) or "－"

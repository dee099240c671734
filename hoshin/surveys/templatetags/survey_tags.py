"""Template filters of the survey pages."""

import datetime

from django import template
from django.utils import timezone

from hoshin.lib.fiscal import display_date

register = template.Library()


@register.filter
def era_datetime(value: datetime.datetime | None) -> str:
    """``令和8年5月1日（2026年5月1日）9:00`` in the city's time zone, for citizens."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{display_date(local.date())} {local.hour}:{local.minute:02d}"


@register.filter
def staff_datetime(value: datetime.datetime | None) -> str:
    """``2026-05-01 09:00`` in the city's time zone, for staff pages."""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "－"

"""Template filters for showing plan data to citizens: eras beside Western years, headings."""

import datetime

from django import template

from hoshin.lib.fiscal import format_date, format_fiscal_year

register = template.Library()


@register.filter
def plan_period(plan) -> str:
    """``令和5年度（2023年度）～令和9年度（2027年度）``; an open end keeps the ``～``."""
    start, end = plan.start_fy, plan.end_fy
    if start is None and end is None:
        return ""
    if start is not None and end is not None:
        if start == end:
            return format_fiscal_year(start)
        return f"{format_fiscal_year(start)}～{format_fiscal_year(end)}"
    if start is not None:
        return f"{format_fiscal_year(start)}～"
    return f"～{format_fiscal_year(end)}"


@register.filter
def fiscal_year(fy: int | None) -> str:
    """``令和8年度（2026年度）``."""
    return format_fiscal_year(fy) if fy else ""


@register.filter
def era_date(day: datetime.date | None) -> str:
    """``令和5年10月17日（2023年10月17日）``."""
    return format_date(day) if day else ""


@register.filter
def next_heading_level(level: int) -> int:
    """The heading level one below ``level`` (h2 → h3), never past h6.

    The plan tree passes it down the recursion, so headings follow the tree as displayed even
    if stored depths skip a level.
    """
    return min(int(level) + 1, 6)

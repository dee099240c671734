"""Filters of the staff workspace: fiscal years, amounts in 千円, rates and days to a due date."""

from django import template
from django.utils.translation import gettext as _

from hoshin.lib.fiscal import format_fiscal_year
from hoshin.lib.numbers import format_amount, format_quantity, format_rate

register = template.Library()


@register.filter
def fy(value) -> str:
    """``令和7年度（2025年度）``."""
    return format_fiscal_year(int(value)) if value else ""


@register.filter
def amount(value) -> str:
    return format_amount(value)


@register.filter
def quantity(value) -> str:
    return format_quantity(value)


@register.filter
def rate(value) -> str:
    return format_rate(value)


@register.filter
def days_left(days) -> str:
    """``あと3日`` / ``今日が期限`` / ``5日超過`` / ``期限なし``."""
    if days is None:
        return _("期限なし")
    if days == 0:
        return _("今日が期限")
    if days < 0:
        return _("%(days)d日超過") % {"days": -days}
    return _("あと%(days)d日") % {"days": days}

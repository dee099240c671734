"""Number filters of the voice statistics: counts, shares and days as a city's report prints them."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from hoshin.lib.numbers import NONE, format_rate

register = template.Library()


def _none():
    # "－" is read as "マイナス" by screen readers: say "なし" instead.
    return format_html(
        '<span aria-hidden="true">{}</span><span class="visually-hidden">{}</span>', NONE, _("なし")
    )


@register.filter
def count(value) -> str:
    """``1,234``."""
    return _none() if value is None else f"{int(value):,}"


@register.filter
def share(value) -> str:
    """A 0–1 share as ``12.3%``; ``－`` when there is nothing to divide."""
    return _none() if value is None else format_rate(value)


@register.filter
def days(value) -> str:
    """Days with one decimal (a median may fall between two days): ``4.5日``."""
    return _none() if value is None else _("%(days)s日") % {"days": f"{value:,.1f}"}

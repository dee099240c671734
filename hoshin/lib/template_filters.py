"""Template filters for showing plans and results: eras, headings, numbers (``{% load formatting %}``).

Registered in settings.TEMPLATES as the library ``formatting`` (lib is not an app), so every
app's templates may use it: it reads nothing from the database, it only formats.
"""

import datetime

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.translation import gettext as _

from hoshin.lib import palette
from hoshin.lib.fiscal import (
    display_date,
    display_datetime,
    display_fiscal_year,
    format_staff_date,
    format_staff_datetime,
)
from hoshin.lib.numbers import NONE, format_amount, format_quantity, format_rate

register = template.Library()


@register.simple_tag
def palette_fills() -> list:
    """``{% palette_fills as fills %}``: every patterned chart fill, to define once per page."""
    return palette.patterned_fills()


@register.filter
def plan_period(plan) -> str:
    """``令和5年度（2023年度）～令和9年度（2027年度）``; an open end keeps the ``～``."""
    start, end = plan.start_fy, plan.end_fy
    if start is None and end is None:
        return ""
    # The range mark is a UI string: "～" in Japanese, "–" in English.
    dash = _("～")
    if start is not None and end is not None:
        if start == end:
            return display_fiscal_year(start)
        return f"{display_fiscal_year(start)}{dash}{display_fiscal_year(end)}"
    if start is not None:
        return f"{display_fiscal_year(start)}{dash}"
    return f"{dash}{display_fiscal_year(end)}"


@register.filter
def fiscal_year(fy: int | None) -> str:
    """``令和8年度（2026年度）``."""
    return display_fiscal_year(fy) if fy else ""


# ---- dates: the one set of date filters (the rule is in hoshin.lib.fiscal) -----------------


@register.filter
def era_date(day: datetime.date | None) -> str:
    """``令和5年10月17日（2023年10月17日）``: a date on a page for citizens (in the page's language)."""
    return display_date(day) if day else ""


@register.filter
def lang_ja(value) -> str:
    """``<span lang="ja">…</span>`` around database content placed inside a translated sentence
    (``{% blocktranslate with name=plan.name|lang_ja %}``), so that an English page still tells
    screen readers which words are Japanese. Escapes the value."""
    return format_html('<span lang="ja">{}</span>', value) if value not in (None, "") else ""


@register.filter
def era_datetime(moment: datetime.datetime | None) -> str:
    """``令和8年5月1日（2026年5月1日） 9:00``: a moment on a page for citizens."""
    return display_datetime(moment) if moment else ""


@register.filter
def staff_date(day: datetime.date | None) -> str:
    """``2026/12/09``: a date on a staff page."""
    return format_staff_date(day) if day else ""


@register.filter
def staff_datetime(moment: datetime.datetime | None, precision: str = "") -> str:
    """``2026/12/09 09:30``: a moment on a staff page; ``|staff_datetime:"seconds"`` adds the
    seconds (the audit log, where the order of entries within a minute matters)."""
    if not moment:
        return ""
    return format_staff_datetime(moment, seconds=precision == "seconds")


@register.filter
def next_heading_level(level: int) -> int:
    """The heading level one below ``level`` (h2 → h3), never past h6.

    The plan tree passes it down the recursion, so headings follow the tree as displayed even
    if stored depths skip a level.
    """
    return min(int(level) + 1, 6)


# ---- numbers in evaluation results ---------------------------------------------------------
# Printed as city documents print them (1,200 / △1,200 / －), with the symbols spelled out for
# screen readers, which would otherwise read △ as "三角" and － as "マイナス".

_NONE_HTML = '<span aria-hidden="true">－</span><span class="visually-hidden">{}</span>'


def _spoken(text: str) -> str:
    """Safe HTML for a formatted number (format_html / conditional_escape mark it safe)."""
    if text == NONE:
        return format_html(_NONE_HTML, _("なし"))
    if text.startswith("△"):
        return format_html(
            '<span aria-hidden="true">△</span><span class="visually-hidden">{}</span>{}',
            _("マイナス"),
            text[1:],
        )
    return conditional_escape(text)


@register.filter
def amount(value) -> str:
    """Money in 千円: ``1,200``, ``△1,200``, ``－`` when there is none."""
    return _spoken(format_amount(value))


@register.filter
def quantity(value) -> str:
    """An indicator value: ``1,234.5``, ``△12``, ``－``."""
    return _spoken(format_quantity(value))


@register.filter
def rate(value) -> str:
    """A ratio as a percentage: ``55.5%``."""
    return _spoken(format_rate(value))


@register.filter
def plain_quantity(value) -> str:
    """An indicator value as plain text (for SVG text and descriptions)."""
    return format_quantity(value)

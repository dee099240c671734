"""The city's name and every string built from it: one place for the header, e-mails, letters,
PDFs, feeds and the open-data credit.

The name comes from ``HOSHIN_CITY_NAME`` (``make demo`` sets a fictional one). Unset, each
string falls back to a form that is still correct without a name (「市長」, no 【…】 tag) rather
than a placeholder such as 【市】.
"""

from django.conf import settings
from django.utils.translation import gettext

# A municipality's name ends with its kind; its head is that kind + 長 (ほしの市 → ほしの市長).
_MUNICIPALITY_SUFFIXES = ("市", "町", "村", "区")


def city_name() -> str:
    """The city's name as configured, or "" when none is set."""
    return (settings.HOSHIN_CITY_NAME or "").strip()


def portal_name() -> str:
    """The public site's name: 「ほしの市 行政経営ポータル」, or the bare portal name."""
    city = city_name()
    portal = gettext("行政経営ポータル")
    return f"{city} {portal}" if city else portal


def mayor_title() -> str:
    """Who signs a letter: 「ほしの市長」 (「ほしの町長」 for a town); 「市長」 with no name."""
    city = city_name()
    if not city:
        return gettext("市長")
    if city.endswith(_MUNICIPALITY_SUFFIXES):
        return f"{city}長"
    return f"{city}{gettext('市長')}"


def mail_subject_tag() -> str:
    """The sender tag that starts an e-mail subject (【ほしの市】), or "" with no name."""
    city = city_name()
    return f"【{city}】" if city else ""

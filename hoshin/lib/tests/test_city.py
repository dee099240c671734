"""The city's name and the strings built from it (hoshin.lib.city)."""

import pytest

from hoshin.lib import city


@pytest.mark.parametrize(
    ("name", "portal", "mayor", "tag"),
    [
        ("ほしの市", "ほしの市 行政経営ポータル", "ほしの市長", "【ほしの市】"),
        ("ほしの町", "ほしの町 行政経営ポータル", "ほしの町長", "【ほしの町】"),
        ("  ほしの  ", "ほしの 行政経営ポータル", "ほしの市長", "【ほしの】"),
        # No name: forms that are still right, never the placeholder 【市】.
        ("", "行政経営ポータル", "市長", ""),
        ("   ", "行政経営ポータル", "市長", ""),
    ],
)
def test_strings_built_from_the_city_name(settings, name, portal, mayor, tag):
    settings.HOSHIN_CITY_NAME = name
    assert city.city_name() == name.strip()
    assert city.portal_name() == portal
    assert city.mayor_title() == mayor
    assert city.mail_subject_tag() == tag

"""Values every page template needs."""

from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import get_language

from hoshin.lib.city import city_name, portal_name


@cache
def _has_catalog(language: str) -> bool:
    return any(
        (path / language / "LC_MESSAGES" / "django.mo").exists()
        for path in map(Path, settings.LOCALE_PATHS)
    )


def html_lang() -> str:
    """The language the page text is in.

    UI strings are written in Japanese; a page is in another language only when the project
    ships a compiled catalog for it (LocaleMiddleware picks the language). Without one the text
    stays Japanese and must say ``lang="ja"``, or screen readers read it with the wrong voice.
    Japanese content from the database inside an English page carries its own ``lang="ja"``.
    """
    language = (get_language() or "ja").split("-")[0]
    if language == "ja" or not _has_catalog(language):
        return "ja"
    return language


def site(request):
    return {
        "city_name": city_name(),
        "site_name": portal_name(),
        "html_lang": html_lang(),
    }

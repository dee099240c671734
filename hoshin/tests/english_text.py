"""Japanese text left in an English page, outside the parts marked ``lang="ja"``.

Database content (plan texts, department names, citizens' letters) stays Japanese in an
English page; templates mark it with ``lang="ja"`` so that screen readers switch voice. Every
other Japanese character in an English page is a UI string that missed the catalogue.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Kana and kanji. Full-width punctuation (（）・、) alone is not counted: it sits around database
# content and between translated parts, and reads acceptably in an English page.
JAPANESE = re.compile(r"[\u3041-\u30fa\u30fc-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]+")
# Attributes a reader hears or sees; others (href, value of hidden inputs) are not UI text.
_SPOKEN_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt", "aria-description")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}  # fmt: skip


class _Finder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, inside lang="ja" or script/style)
        self.found: list[str] = []

    def _quiet(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = attrs.get("lang")
        quiet = self._quiet() if lang is None else lang.startswith("ja")
        # <title> and <link title> hold the page's name, which is often database content; a
        # chart's <svg> repeats the table printed beside it (checked there), with grade labels
        # inside sentences of its <desc> that no lang= can mark.
        quiet = quiet or tag in ("script", "style", "template", "title", "link", "svg")
        if not quiet:
            for name in _SPOKEN_ATTRIBUTES:
                self._check(attrs.get(name) or "", f"{tag}@{name}")
            if tag == "input" and attrs.get("type") in ("submit", "button"):
                self._check(attrs.get("value") or "", "input@value")
        if tag not in _VOID:
            self.stack.append((tag, quiet))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        if not self._quiet():
            self._check(data, "text")

    def _check(self, text: str, where: str):
        for match in JAPANESE.finditer(text):
            self.found.append(f"{where}: {match.group()}")


def japanese_outside_lang_ja(html: str) -> list[str]:
    """The runs of Japanese characters in ``html`` that are not inside a ``lang="ja"`` part."""
    finder = _Finder()
    finder.feed(html)
    finder.close()
    # <html lang="en"> is the root: anything under it without lang="ja" counts.
    return finder.found

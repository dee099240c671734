"""What the English catalogue must cover: the public templates, their msgids, and their bare text.

Used by the tests (hoshin/tests/test_english.py) and by ``scripts/missing_translations.py``,
which lists what an integrator still has to translate after a merge.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.base import Lexer, TokenType
from django.utils.translation import trans_real
from django.utils.translation.template import templatize

from hoshin.tests.english_text import JAPANESE

# Every template a citizen sees (the staff UI is translated as far as the catalogue goes, but
# is not held to it). Folders include their subfolders.
PUBLIC_TEMPLATES = (
    "base.html",
    "403.html",
    "404.html",
    "_language_switch.html",
    "portal",
    "voices/public",
    "voices/published",
    "voices/ratings/_public.html",
    "voices/ratings/form_page.html",
    "voices/ratings/limited.html",
    "voices/ratings/thanks.html",
    "surveys/public",
    "search",
    "opendata",
    "api/docs.html",
    "reports/_annual_pdf_link.html",
    "reports/_sheet_pdf_link.html",
)
_CALL = re.compile(r"\b(gettext|ngettext|pgettext|npgettext|_)\(")
_TRANSLATING_TAGS = ("translate", "trans", "blocktranslate", "blocktrans")
_END_TAGS = {"blocktranslate": "endblocktranslate", "blocktrans": "endblocktrans"}


@dataclass(frozen=True)
class Msgid:
    template: str
    msgid: str
    context: str | None = None
    plural: bool = False

    @property
    def key(self):
        """The key of this message in a gettext catalogue (as Django's catalogue holds it)."""
        key = f"{self.context}\x04{self.msgid}" if self.context else self.msgid
        return (key, 0) if self.plural else key


def template_root() -> Path:
    return Path(settings.BASE_DIR) / "templates"


def public_templates() -> list[Path]:
    root = template_root()
    found = []
    for entry in PUBLIC_TEMPLATES:
        path = root / entry
        if path.is_dir():
            found += sorted(path.rglob("*.html"))
        elif path.exists():
            found.append(path)
    return found


def msgids(path: Path) -> list[Msgid]:
    """The messages a template translates, read the way makemessages reads them (templatize)."""
    source = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    name = _name(path)
    found = []
    for match in _CALL.finditer(source):
        call = _parse_call(source, match.start())
        if call is None:
            continue
        strings = [a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]  # fmt: skip
        function = match.group(1)
        if function in ("gettext", "_") and strings:
            found.append(Msgid(name, strings[0]))
        elif function == "pgettext" and len(strings) == 2:
            found.append(Msgid(name, strings[1], context=strings[0]))
        elif function == "ngettext" and strings:
            found.append(Msgid(name, strings[0], plural=True))
        elif function == "npgettext" and len(strings) >= 2:
            found.append(Msgid(name, strings[1], context=strings[0], plural=True))
    return found


def _name(path: Path) -> str:
    return (
        str(path.relative_to(template_root()))
        if path.is_relative_to(template_root())
        else str(path)
    )


def _parse_call(source: str, start: int) -> ast.Call | None:
    end = source.find(")", start)
    while end != -1:
        try:
            node = ast.parse(source[start : end + 1], mode="eval").body
        except SyntaxError:
            end = source.find(")", end + 1)
            continue
        return node if isinstance(node, ast.Call) else None
    return None


def untranslated(language: str = "en") -> list[Msgid]:
    """The public templates' messages with no translation in ``language``'s compiled catalogue."""
    catalogue = trans_real.translation(language)._catalog
    missing = []
    for path in public_templates():
        for message in msgids(path):
            if not catalogue.get(message.key):
                missing.append(message)
    return missing


def bare_japanese(path: Path) -> list[str]:
    """Japanese text in a template outside translate tags and comments: a string that no
    catalogue can reach. Text inside ``{% blocktranslate %}`` and ``{% comment %}`` is skipped;
    string literals in other tags and variables are checked too (``|default:"なし"``)."""
    tokens = Lexer(path.read_text(encoding="utf-8")).tokenize()
    found, closing = [], None
    for token in tokens:
        if closing:
            if token.token_type == TokenType.BLOCK and token.contents.split()[0] == closing:
                closing = None
            continue
        if token.token_type == TokenType.COMMENT:
            continue
        if token.token_type == TokenType.BLOCK:
            word = token.contents.split()[0]
            if word == "comment":
                closing = "endcomment"
                continue
            if word in _END_TAGS:
                closing = _END_TAGS[word]
                continue
            if word in _TRANSLATING_TAGS:
                continue
        text = token.contents
        if token.token_type == TokenType.VAR:
            text = " ".join(re.findall(r'"[^"]*"|\'[^\']*\'', text))
        for run in JAPANESE.findall(text):
            found.append(f"{_name(path)}:{token.lineno}: {run}")
    return found

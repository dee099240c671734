"""Japanese text for search: one normalisation, n-gram tokens, and the query terms.

Japanese is written without spaces, so words cannot be split reliably without a dictionary
(and a dictionary misses the city's own terms: 地域防災対策室, ごみ減量). The index therefore uses
overlapping character bigrams, the classic approach for CJK search (Lucene's CJKAnalyzer):
``防災対策`` → ``防災 災対 対策 策``. Every character starts exactly one token (the last of a run
gets a one-character token), so

* a one-character query is a prefix query on the tokens (``防*``),
* a two-character query is one token,
* a longer query is the phrase of its bigrams, which the full-text engines match at adjacent
  positions — i.e. exactly "the text contains this string".

Both the indexed text and the query go through :func:`normalize_with_map`: NFKC folds
full-width Latin and digits and half-width katakana (ＩＣＴ → ICT, ｶﾀｶﾅ → カタカナ), hiragana is
folded to katakana (ごみ ↔ ゴミ, jaconv), Latin is lower-cased, and anything that is not a letter
or digit separates runs. The map back to the original characters lets the snippet highlight
the passage as the citizen wrote or the city published it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import jaconv

MAX_QUERY_CHARS = 100
MAX_TERMS = 10

_COMBINING_KANA = {"\u3099", "\u309a"}  # voiced / semi-voiced marks left by NFKC of ﾞ ﾟ


@cache
def _is_word_char(char: str) -> bool:
    # Letters (incl. ー and 々, which are Lm) and digits make words; everything else separates.
    return unicodedata.category(char)[0] in "LN"


@cache
def _fold(char: str) -> str:
    """One original character in search form (cached: texts use a few thousand characters)."""
    return "".join(jaconv.hira2kata(part.lower()) for part in unicodedata.normalize("NFKC", char))


def normalize_with_map(text: str) -> tuple[str, list[int]]:
    """The search form of ``text`` and, for each of its characters, the index in ``text``.

    Separators come out as a single space; the result has no leading or trailing space.
    """
    chars: list[str] = []
    origins: list[int] = []
    for index, original in enumerate(text):
        for char in _fold(original):
            if char in _COMBINING_KANA and chars and chars[-1] != " ":
                chars[-1] = unicodedata.normalize("NFC", chars[-1] + char)
                continue
            if not _is_word_char(char):
                if chars and chars[-1] != " ":
                    chars.append(" ")
                    origins.append(index)
                continue
            chars.append(char)
            origins.append(index)
    if chars and chars[-1] == " ":
        chars.pop()
        origins.pop()
    return "".join(chars), origins


_SEPARATORS = re.compile(r"[\W_]+")


def normalize(text: str) -> str:
    """The search form of ``text`` (see the module docstring).

    The same result as ``normalize_with_map(text)[0]``, computed on the whole string at once:
    indexing 100,000 entries spends most of its time here.
    """
    folded = jaconv.hira2kata(unicodedata.normalize("NFKC", text).lower())
    return _SEPARATORS.sub(" ", folded).strip()


def grams(run: str) -> list[str]:
    """Bigrams of one run of word characters, plus the last character on its own."""
    if not run:
        return []
    return [run[i : i + 2] for i in range(len(run) - 1)] + [run[-1]]


def tokens(text: str) -> list[str]:
    """The index tokens of ``text`` in order (runs are separated, positions stay adjacent)."""
    found: list[str] = []
    for run in normalize(text).split(" "):
        found.extend(grams(run))
    return found


@dataclass(frozen=True)
class Term:
    """One run of the query: matched as a substring of the normalised text."""

    text: str

    @property
    def is_prefix(self) -> bool:
        return len(self.text) == 1

    @property
    def phrase(self) -> list[str]:
        """The adjacent bigrams a text must contain (for 1 char: the prefix itself)."""
        if self.is_prefix:
            return [self.text]
        return [self.text[i : i + 2] for i in range(len(self.text) - 1)]


class QueryError(ValueError):
    """A query that cannot be searched; the message says why, in Japanese."""


def parse_query(raw: str) -> list[Term]:
    """The terms of a query typed by a person, or QueryError with a message.

    Spaces (half- or full-width) and symbols separate terms; every term must appear.
    """
    if any(unicodedata.category(char) == "Cc" for char in raw):
        raise QueryError("検索語に制御文字は使えません。")
    if len(raw) > MAX_QUERY_CHARS:
        raise QueryError(f"検索語は{MAX_QUERY_CHARS}文字以内で入力してください（{len(raw)}文字）。")
    runs = [run for run in normalize(raw).split(" ") if run]
    if not runs:
        raise QueryError(
            "検索語には文字か数字を含めてください（記号や絵文字だけでは検索できません）。"
        )
    unique = list(dict.fromkeys(runs))
    if len(unique) > MAX_TERMS:
        raise QueryError(f"検索語は{MAX_TERMS}語までにしてください。")
    return [Term(run) for run in unique]

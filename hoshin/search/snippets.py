"""The passage of a result that matches the query, with the matches marked.

Matching happens on the normalised text (see text.py); the map from normalised characters back
to the original ones puts ``<mark>`` around what the page actually says (ＩＣＴ stays ＩＣＴ
even when the query was ``ict``). Everything else is escaped.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from hoshin.search.text import Term, normalize_with_map

SNIPPET_CHARS = 120


def _spans(text: str, terms: list[Term]) -> list[tuple[int, int]]:
    """Merged [start, end) ranges of ``text`` (original indices) that match any term."""
    normalized, origins = normalize_with_map(text)
    spans: list[tuple[int, int]] = []
    for term in terms:
        start = normalized.find(term.text)
        while start != -1:
            end = start + len(term.text)
            spans.append((origins[start], origins[end - 1] + 1))
            start = normalized.find(term.text, end)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _marked(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    parts, cursor = [], start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        parts.append(escape(text[cursor:span_start]))
        parts.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    parts.append(escape(text[cursor:end]))
    return "".join(parts)


def highlight(text: str, terms: list[Term]) -> SafeString:
    """The whole of ``text`` (a title) with every match marked."""
    return mark_safe(_marked(text, _spans(text, terms), 0, len(text)))


def snippet(text: str, terms: list[Term], *, length: int = SNIPPET_CHARS) -> SafeString:
    """About ``length`` characters of ``text`` around its first match, matches marked.

    Without a match (the hit was in the title only) the beginning of the text is shown.
    """
    text = " ".join(text.split())
    spans = _spans(text, terms)
    if not spans:
        cut = text[:length]
        return mark_safe(escape(cut) + ("…" if len(text) > length else ""))
    first = spans[0][0]
    start = max(0, first - length // 3)
    end = min(len(text), start + length)
    start = max(0, min(start, end - length))
    body = _marked(text, spans, start, end)
    return mark_safe(("…" if start > 0 else "") + body + ("…" if end < len(text) else ""))

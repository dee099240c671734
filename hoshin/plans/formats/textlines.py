"""Helpers shared by the plain-text plan formats (reform_text, comprehensive_text).

Both read documents copied from a city's web page or PDF: one line per printed line, blank
lines between blocks, full-width and half-width digits and spaces mixed freely.
"""

import codecs
import datetime
import re
import unicodedata
from dataclasses import dataclass

from hoshin.lib.encodings import DecodeError, decode_text
from hoshin.lib.fiscal import FiscalYearError, parse_fiscal_year
from hoshin.lib.spreadsheets import UploadLimitError, text_lines_check
from hoshin.plans.formats.base import PlanFormatError

# Any of the spaces people type between a number and a title (ASCII, full-width, tab).
SPACE = "[ \t\u3000]"
DIGITS = "[0-9０-９]"

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Line:
    number: int  # 1-based, as an editor shows it
    text: str  # stripped of surrounding whitespace (full-width spaces included)

    @property
    def where(self) -> str:
        return where(self.number)

    @property
    def blank(self) -> bool:
        return not self.text


def where(number: int) -> str:
    return f"{number}行目"


def decode_lines(data: bytes) -> list[Line]:
    """Decode the file and split it into stripped, numbered lines; PlanFormatError if unreadable."""
    try:
        text = decode_text(data)
    except DecodeError as exc:
        message = str(exc)
        match = re.match(r"^(\d+)行目: (.*)$", message, re.DOTALL)
        if match:
            raise PlanFormatError(match.group(2), where=where(int(match.group(1)))) from None
        raise PlanFormatError(message, where=where(1)) from None
    except UnicodeError:
        # decode_text lets a truncated UTF-16 file through as UnicodeDecodeError.
        raise PlanFormatError(
            "文字コードを読めません（UTF-16のデータが途中で切れています）。", where=where(1)
        ) from None
    try:
        text_lines_check(text)
    except UploadLimitError as exc:
        raise _TooLong(str(exc)) from None
    # Split on real line breaks only: str.splitlines() also splits on \x0c, \u2028 … and the
    # line numbers in messages would no longer match what the user's editor shows.
    return [Line(index, raw.strip()) for index, raw in enumerate(_LINE_BREAK.split(text), 1)]


class _TooLong(PlanFormatError):
    """Over the upload limits: said as it is, not as "format unknown" by a sniffer."""


def try_decode_lines(data: bytes) -> list[Line] | None:
    """Like decode_lines, for sniff(): None instead of an error (but a file over the limits)."""
    try:
        return decode_lines(data)
    except _TooLong:
        raise
    except PlanFormatError:
        return None


# Files that belong to the structured formats even if they happen to contain matching lines.
_STRUCTURED_SUFFIXES = (".csv", ".tsv", ".json", ".xlsx", ".xlsm", ".xls")


def sniff_lines(data: bytes, filename: str) -> list[Line] | None:
    """The decoded lines of a file a text format may claim; None for CSV/JSON/XLSX or binary."""
    start = data[:64].removeprefix(codecs.BOM_UTF8).lstrip()[:1]
    if filename.lower().endswith(_STRUCTURED_SUFFIXES) or start in (b"{", b"["):
        return None
    return try_decode_lines(data)


def ascii_digits(text: str) -> str:
    """１２ → 12; nothing else changes, so titles stay as printed."""
    return text.translate(_FULLWIDTH_DIGITS)


def next_text_line(lines: list[Line], index: int) -> Line | None:
    """The first non-blank line after ``lines[index]``, or None."""
    for following in range(index + 1, len(lines)):
        if not lines[following].blank:
            return lines[following]
    return None


_WESTERN_DATE = re.compile(
    r"(\d{4})\s*(?:年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|[/.-](\d{1,2})[/.-](\d{1,2}))"
)
_ERA_DATE = re.compile(
    r"(明治|大正|昭和|平成|令和)\s*(\d{1,2}|元)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
)


def parse_date(text: str) -> datetime.date | None:
    """Find a date such as 2023年10月17日, ２０２３/10/17 or 令和5年10月17日 in ``text``.

    None if there is no date; ValueError (with a Japanese message) if it is not a real date.
    """
    text = unicodedata.normalize("NFKC", text)
    match = _ERA_DATE.search(text)
    if match:
        era, era_year, month, day = match.groups()
        try:
            # An era year names the calendar year the same way it names a fiscal year.
            year = parse_fiscal_year(f"{era}{era_year}年")
        except FiscalYearError as exc:
            raise ValueError(str(exc)) from None
        printed = match.group(0)
    else:
        match = _WESTERN_DATE.search(text)
        if not match:
            return None
        year = match.group(1)
        month = match.group(2) or match.group(4)
        day = match.group(3) or match.group(5)
        printed = match.group(0)
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        raise ValueError(f"「{printed}」は正しい日付ではありません。") from None

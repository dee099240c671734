"""Fiscal years (年度, 1 April – 31 March, named by the year they start in) and Japanese eras.

Era boundaries come from japanera's era table, so 平成→令和 (2019-05-01) and any later era
change are handled by keeping that library current, not by editing this module.

Naming rule: a fiscal year is shown with the era in force at the end of the calendar year it
starts in. That gives 令和元年度 for FY2019 and 昭和63年度 for FY1988, which is how the
national government and most cities name them. Staff may still type the other common forms
(平成31年度, 昭和64年度); they parse to the same fiscal year.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass

from django.utils.dates import MONTHS
from django.utils.translation import gettext
from japanera import ERA_DATA_GENERAL, Era

# Modern eras only: a city's plans never reach back before 明治.
_MODERN_ERAS: list[Era] = sorted(
    (era for era in ERA_DATA_GENERAL if era.since >= datetime.date(1868, 1, 1)),
    key=lambda era: era.since,
)
_ERA_BY_NAME: dict[str, Era] = {era.kanji: era for era in _MODERN_ERAS}
_ERA_BY_INITIAL: dict[str, Era] = {era.english[0].upper(): era for era in _MODERN_ERAS}

MIN_FY = 1868
MAX_FY = 2200


class FiscalYearError(ValueError):
    """A fiscal year that staff typed could not be understood."""


@dataclass(frozen=True)
class EraYear:
    era: str
    year: int

    def __str__(self) -> str:
        return f"{self.era}{'元' if self.year == 1 else self.year}"


def fiscal_year_of(day: datetime.date) -> int:
    """The fiscal year a date belongs to: January–March belong to the previous year's FY."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_start(fy: int) -> datetime.date:
    """1 April of ``fy``."""
    return datetime.date(fy, 4, 1)


def fiscal_year_end(fy: int) -> datetime.date:
    """31 March of the next calendar year."""
    return datetime.date(fy + 1, 3, 31)


def era_of_date(day: datetime.date) -> Era:
    """The era in force on ``day`` (FiscalYearError before Meiji)."""
    for era in reversed(_MODERN_ERAS):
        if era.since <= day:
            return era
    raise FiscalYearError(f"{day} is before the eras hoshin knows")


def era_year_of_date(day: datetime.date) -> EraYear:
    """The era and its year on ``day`` (令和7 for 2025-05-01)."""
    era = era_of_date(day)
    return EraYear(era.kanji, day.year - era.since.year + 1)


def era_year_for_fiscal_year(fy: int) -> EraYear:
    """The era name and year used to name fiscal year ``fy`` (see the module docstring)."""
    return era_year_of_date(datetime.date(fy, 12, 31))


def format_fiscal_year(fy: int, *, western: bool = True) -> str:
    """``令和8年度（2026年度）``; with ``western=False`` just ``令和8年度``."""
    era_label = f"{era_year_for_fiscal_year(fy)}年度"
    return f"{era_label}（{fy}年度）" if western else era_label


def format_fiscal_year_range(start: int | None, end: int | None) -> str:
    """``令和3年度（2021年度）～令和7年度（2025年度）``; one year when both are equal or one is unknown."""
    if start is None and end is None:
        return ""
    if start is None or end is None or start == end:
        return format_fiscal_year(start or end)
    return f"{format_fiscal_year(start)}～{format_fiscal_year(end)}"


# ---- dates on pages ----------------------------------------------------------------------
# Two forms, one each: citizens read the era with the Western year (format_date,
# format_datetime); staff lists get a compact form of fixed width that does not wrap in a
# table cell and sorts as text (format_staff_date, format_staff_datetime: 2026/12/09 09:30).
# Data files (CSV, JSON, the API) keep ISO 8601. Times are in the city's time zone.

_NO_BREAK = "\u00a0"  # between date and time, so that a narrow cell never splits them


def _local(value: datetime.date) -> datetime.date:
    """A datetime in the city's time zone; a date as it is."""
    from django.utils import timezone

    if isinstance(value, datetime.datetime):
        return timezone.localtime(value) if timezone.is_aware(value) else value
    return value


def format_date(day: datetime.date) -> str:
    """``令和5年10月17日（2023年10月17日）`` for dates shown to citizens (a datetime: its day)."""
    day = _local(day)
    if isinstance(day, datetime.datetime):
        day = day.date()
    return (
        f"{era_year_of_date(day)}年{day.month}月{day.day}日（{day.year}年{day.month}月{day.day}日）"
    )


def format_datetime(moment: datetime.datetime) -> str:
    """``令和8年5月1日（2026年5月1日）9:00`` for a moment shown to citizens."""
    local = _local(moment)
    return f"{format_date(local)}{_NO_BREAK}{local.hour}:{local.minute:02d}"


def format_staff_date(day: datetime.date) -> str:
    """``2026/12/09`` for staff pages (a datetime: its day in the city's time zone)."""
    day = _local(day)
    return f"{day.year:04d}/{day.month:02d}/{day.day:02d}"


def format_staff_datetime(moment: datetime.datetime, *, seconds: bool = False) -> str:
    """``2026/12/09 09:30`` (``09:30:05`` with ``seconds``) for staff pages, on one line."""
    local = _local(moment)
    time = f"{local.hour:02d}:{local.minute:02d}" + (f":{local.second:02d}" if seconds else "")
    return f"{format_staff_date(local)}{_NO_BREAK}{time}"


def display_fiscal_year(fy: int) -> str:
    """The fiscal year as a page shows it, in the active language.

    Japanese: ``令和8年度（2026年度）`` (format_fiscal_year); English: ``FY2026 (Reiwa 8)``.
    Data files (CSV, XLSX, PDF) keep format_fiscal_year: their text must not depend on the
    language of whoever asked first, since they are kept and shared.
    """
    # Translations choose which parts to print (FY2026 has no era): not checked as python-format.
    # xgettext:no-python-format
    return gettext("%(era)s年度（%(fy)s年度）") % era_names(fy)


def display_era_fiscal_year(fy: int) -> str:
    """The era form alone, in the active language: ``令和8年度`` / ``FY2026``."""
    # Translations choose which parts to print (FY2026 has no era): not checked as python-format.
    # xgettext:no-python-format
    return gettext("%(era)s年度") % era_names(fy)


def display_date(day: datetime.date) -> str:
    """A date as a page shows it: ``令和5年10月17日（2023年10月17日）`` / ``17 October 2023``
    (a datetime: its day in the city's time zone)."""
    day = _local(day)
    if isinstance(day, datetime.datetime):
        day = day.date()
    # Translations choose which parts to print (FY2026 has no era): not checked as python-format.
    # xgettext:no-python-format
    return gettext("%(era)s年%(month)s月%(day)s日（%(year)s年%(month)s月%(day)s日）") % {
        "era": str(era_year_of_date(day)),
        "year": day.year,
        "month": day.month,
        "day": day.day,
        "month_name": MONTHS[day.month],
    }


def display_datetime(moment: datetime.datetime) -> str:
    """``令和8年5月1日（2026年5月1日）9:00`` / ``1 May 2026 9:00``: a moment on a page for citizens."""
    local = _local(moment)
    return f"{display_date(local)}{_NO_BREAK}{local.hour}:{local.minute:02d}"


def era_names(fy: int) -> dict[str, object]:
    """The parts a translated year label may use: ``era`` (令和8), ``era_romaji`` (Reiwa 8), ``fy``."""
    era_year = era_year_for_fiscal_year(fy)
    era = _ERA_BY_NAME[era_year.era]
    return {"era": str(era_year), "era_romaji": f"{era.english} {era_year.year}", "fy": fy}


_WESTERN = re.compile(r"^(?:FY)?(\d{4})(?:年度?)?$")
_ERA = re.compile(r"^(?P<era>[^\d元]+?)(?P<year>\d{1,3}|元)(?:年度?)?$")


def parse_fiscal_year(text: str) -> int:
    """Parse a fiscal year typed by staff: ``2026``, ``2026年度``, ``令和8年度``, ``R8``, ``令和元年``.

    Full-width digits and letters are accepted. Raises FiscalYearError with a message that
    says what was wrong.
    """
    raw = text
    text = unicodedata.normalize("NFKC", text or "").strip().replace(" ", "")
    if not text:
        raise FiscalYearError("年度が空です。")
    # A label like 令和8年度（2026年度） carries both forms; the Western one must agree.
    both = re.match(r"^(.+?)\((\d{4})年度?\)$", text)
    if both:
        era_fy, western_fy = parse_fiscal_year(both.group(1)), int(both.group(2))
        if era_fy != western_fy:
            raise FiscalYearError(f"「{raw}」の和暦と西暦が一致しません。")
        return era_fy
    match = _WESTERN.match(text.upper())
    if match:
        return _checked(int(match.group(1)), raw)
    match = _ERA.match(text)
    if match:
        name = match.group("era")
        era = _ERA_BY_NAME.get(name) or _ERA_BY_INITIAL.get(name.upper())
        if era is None:
            raise FiscalYearError(f"「{raw}」の元号「{name}」が分かりません。")
        number = 1 if match.group("year") == "元" else int(match.group("year"))
        if number < 1:
            raise FiscalYearError(f"「{raw}」の年は1以上で指定してください。")
        fy = era.since.year + number - 1
        if era.until is not None and fy > era.until.year:
            raise FiscalYearError(
                f"「{raw}」は{era.kanji}の期間（{era.until.year}年まで）を超えています。"
            )
        return _checked(fy, raw)
    raise FiscalYearError(f"「{raw}」を年度として読めません。例: 2026、令和8年度、R8")


def _checked(fy: int, raw: str) -> int:
    if not MIN_FY <= fy <= MAX_FY:
        raise FiscalYearError(f"「{raw}」は扱える年度の範囲外です。")
    return fy

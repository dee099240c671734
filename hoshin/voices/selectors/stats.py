"""Yearly statistics of citizens' voices: the figures a city prints in its public-hearing report.

Counts by channel, kind, category, lead department, month and status; median and 90th
percentile of the time to reply in calendar days and in office days; the share answered by the
reply-by date; what is still open and overdue now.

Every figure comes from a fixed number of queries whatever the number of voices (see
``voice_stats``): counts are ``values().annotate(Count)`` group-bys, and the reply times come
from ONE query that groups the answered voices by (received on, answered on, reply-by) and
counts them — at most a few thousand small rows for a year of any size, never one object per
voice. Percentiles are computed from those weighted rows with linear interpolation, the same
definition as PostgreSQL's ``percentile_cont``, so SQLite and PostgreSQL agree. Office days
(weekends, national holidays and the year-end closure skipped) follow
``hoshin.lib.business_days`` through a prefix count over the calendar, so 100,000 voices do
not mean 100,000 calendar walks.
"""

import datetime
import math
from collections import Counter
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import Count, DateField, F, Func, Q, QuerySet, Value
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from hoshin.lib.business_days import is_office_closed
from hoshin.lib.fiscal import (
    fiscal_year_end,
    fiscal_year_of,
    fiscal_year_start,
    format_fiscal_year,
    format_staff_date,
)
from hoshin.org.roles import is_planning_office, is_public_hearing_office
from hoshin.voices.models import Channel, CitizenVoice, VoiceCategory, VoiceKind, VoiceStatus

MAX_RANGE_DAYS = 3 * 366  # a custom period may span at most about three years
# Reply times in office days, as yearly reports group them (upper bounds; None = open end).
REPLY_BUCKETS = (
    (5, "5日以内"),
    (10, "6～10日"),
    (20, "11～20日"),
    (30, "21～30日"),
    (None, "31日以上"),
)


def user_can_view_voice_stats(*, user) -> bool:
    """The public-hearing office, the planning office and administrators see the statistics."""
    return is_public_hearing_office(user=user) or is_planning_office(user=user)


# ---- the period ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """The days whose received voices are counted: a fiscal year or a custom range."""

    start: datetime.date
    end: datetime.date
    fy: int | None = None  # set when the period is exactly one fiscal year

    @classmethod
    def fiscal_year(cls, fy: int) -> "Period":
        return cls(fiscal_year_start(fy), fiscal_year_end(fy), fy)

    @property
    def label(self) -> str:
        if self.fy is not None:
            return format_fiscal_year(self.fy)
        return f"{_ymd(self.start)}～{_ymd(self.end)}"

    @property
    def slug(self) -> str:
        """For file names: ``FY2025`` or ``20250401-20250930``."""
        if self.fy is not None:
            return f"FY{self.fy}"
        return f"{self.start:%Y%m%d}-{self.end:%Y%m%d}"

    def months(self) -> list[datetime.date]:
        """The first day of every month the period touches (April → March for a year)."""
        months, day = [], self.start.replace(day=1)
        while day <= self.end:
            months.append(day)
            day = (day + datetime.timedelta(days=32)).replace(day=1)
        return months


def stats_period(
    *,
    fy: int | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    today: datetime.date,
) -> Period:
    """A custom range when both dates are given, else fiscal year ``fy`` (today's by default)."""
    if start is not None and end is not None:
        if end < start:
            raise ValueError(_("終了日は開始日以降にしてください。"))
        if (end - start).days > MAX_RANGE_DAYS:
            raise ValueError(_("期間は3年以内で指定してください。"))
        return Period(start, end)
    return Period.fiscal_year(fy if fy is not None else fiscal_year_of(today))


def voice_fiscal_years(*, today: datetime.date) -> list[int]:
    """Fiscal years that have voices, and the current one, newest first (one query)."""
    years = set(CitizenVoice.objects.order_by().values_list("fy", flat=True).distinct())
    years.add(fiscal_year_of(today))
    return sorted(years, reverse=True)


# ---- results ---------------------------------------------------------------------------------


@dataclass
class CountRow:
    key: str
    label: str
    count: int
    share: float | None = None  # of the breakdown's total, 0–1


@dataclass
class Breakdown:
    """One count table (and chart) of the report."""

    id: str  # channel, kind, category, department, month, status, reply_time
    title: str  # 受付経路別の件数
    column: str  # the heading of the label column: 受付経路
    rows: list[CountRow]
    note: str = ""

    @property
    def total(self) -> int:
        return sum(row.count for row in self.rows)

    def fill_shares(self) -> "Breakdown":
        total = self.total
        for row in self.rows:
            row.share = row.count / total if total else None
        return self


@dataclass
class ReplyTimes:
    """How long replies took: voices received in the period that have been answered."""

    answered: int = 0
    median_days: float | None = None
    p90_days: float | None = None
    median_office_days: float | None = None
    p90_office_days: float | None = None
    with_due: int = 0  # answered voices that had a reply-by date
    in_time: int = 0  # … answered on or before it
    buckets: list[CountRow] = field(default_factory=list)  # office days

    @property
    def in_time_share(self) -> float | None:
        return self.in_time / self.with_due if self.with_due else None

    @property
    def late(self) -> int:
        return self.with_due - self.in_time


@dataclass
class VoiceStats:
    period: Period
    today: datetime.date
    total: int
    answered: int  # has a reply date (回答日)
    open_now: int  # still received / assigned / being answered
    overdue_now: int  # … and past the reply-by date
    reply: ReplyTimes
    breakdowns: list[Breakdown]

    def breakdown(self, id: str) -> Breakdown:
        return next(b for b in self.breakdowns if b.id == id)


# ---- the queries -----------------------------------------------------------------------------


def voices_in_period(period: Period) -> QuerySet[CitizenVoice]:
    return CitizenVoice.objects.filter(received_on__range=(period.start, period.end)).order_by()


def _counts(voices: QuerySet, *fields: str) -> list[dict]:
    return list(voices.values(*fields).annotate(n=Count("pk")).order_by())


def _choice_rows(counts: dict[str, int], choices) -> list[CountRow]:
    """Every choice in its defined order (zeros included), then codes no longer defined."""
    rows = [CountRow(value, str(label), counts.get(value, 0)) for value, label in choices]
    known = {value for value, _label in choices}
    rows += [CountRow(code, code, n) for code, n in sorted(counts.items()) if code not in known]
    return rows


def voice_stats(*, period: Period, today: datetime.date) -> VoiceStats:
    """The whole report for ``period``: eight queries whatever the number of voices."""
    voices = voices_in_period(period)
    open_statuses = list(VoiceStatus.open())

    # 1: totals, open/overdue now and the status breakdown.
    summary = voices.aggregate(
        total=Count("pk"),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
        open=Count("pk", filter=Q(status__in=open_statuses)),
        overdue=Count("pk", filter=Q(status__in=open_statuses, reply_due__lt=today)),
        **{f"status_{s.value}": Count("pk", filter=Q(status=s.value)) for s in VoiceStatus},
    )
    status_rows = [
        CountRow(s.value, str(s.label), summary[f"status_{s.value}"]) for s in VoiceStatus
    ]

    # 2, 3: channel and kind.
    channel = {row["channel"]: row["n"] for row in _counts(voices, "channel")}
    kind = {row["kind"]: row["n"] for row in _counts(voices, "kind")}

    # 4, 5: categories (all active ones, zeros included) and the counts per category.
    by_category = {row["category"]: row["n"] for row in _counts(voices, "category")}
    category_rows = [
        CountRow(str(c.pk), c.name, by_category.pop(c.pk, 0))
        for c in VoiceCategory.objects.filter(Q(is_active=True) | Q(pk__in=list(by_category)))
    ]
    uncategorized = by_category.pop(None, 0)
    if uncategorized:
        category_rows.append(CountRow("", _("未分類"), uncategorized))

    # 6: lead departments, most voices first.
    department_rows = [
        CountRow(
            str(row["lead_department"] or ""),
            row["lead_department__name"] or _("主管課なし（振り分け前・回送・終了）"),
            row["n"],
        )
        for row in sorted(
            _counts(voices, "lead_department", "lead_department__name"),
            key=lambda r: (r["lead_department"] is None, -r["n"], r["lead_department__name"]),
        )
    ]

    # 7: months, from the counts per day received (at most ~1,100 rows, and the date index
    # serves it; truncating to months in SQL would call a Python function per row on SQLite).
    by_month: Counter = Counter()
    for day, n in voices.values_list("received_on").annotate(n=Count("pk")).order_by():
        by_month[day.replace(day=1)] += n
    month_rows = [
        CountRow(f"{month:%Y-%m}", _month_label(month, period), by_month.get(month, 0))
        for month in period.months()
    ]

    # 8: reply times.
    reply = _reply_times(voices)

    breakdowns = [
        Breakdown(
            "channel", _("受付経路別の件数"), _("受付経路"), _choice_rows(channel, Channel.choices)
        ),
        Breakdown("kind", _("種別ごとの件数"), _("種別"), _choice_rows(kind, VoiceKind.choices)),
        Breakdown("category", _("分類別の件数"), _("分類"), category_rows),
        Breakdown(
            "department",
            _("主管課別の件数"),
            _("主管課"),
            department_rows,
            note=_("主管課は回答を担当する課です（関係課は含みません）。"),
        ),
        Breakdown("month", _("月別の受付件数"), _("受付月"), month_rows),
        Breakdown(
            "status",
            _("現在の状況別の件数"),
            _("状況"),
            status_rows,
            note=_("%(date)s 現在の状況です。") % {"date": _ymd(today)},
        ),
        Breakdown(
            "reply_time",
            _("回答までの日数（開庁日）"),
            _("回答までの日数"),
            reply.buckets,
            note=_("土日・祝日・年末年始（12月29日～1月3日）を除いた日数です。"),
        ),
    ]
    for breakdown in breakdowns:
        breakdown.fill_shares()
    return VoiceStats(
        period=period,
        today=today,
        total=summary["total"],
        answered=summary["answered"],
        open_now=summary["open"],
        overdue_now=summary["overdue"],
        reply=reply,
        breakdowns=breakdowns,
    )


def _ymd(day: datetime.date) -> str:
    # The statistics are a staff page and its files: the staff form of dates (hoshin.lib).
    return format_staff_date(day)


def _month_label(month: datetime.date, period: Period) -> str:
    """``4月``; with the year (``2026年1月``) for January and for a period's first month."""
    if month.month == 1 or month == period.months()[0]:
        return f"{month.year}年{month.month}月"
    return f"{month.month}月"


# ---- reply times -----------------------------------------------------------------------------


class OfficeCalendar:
    """Office days between two dates by a prefix count: ``business_days_between`` in O(1)."""

    def __init__(self, first: datetime.date, last: datetime.date):
        self.first = first
        self.open_up_to: list[int] = []  # open days in (first, first + i]
        count, day = 0, first
        for _index in range((last - first).days + 1):
            if day != first and not is_office_closed(day):
                count += 1
            self.open_up_to.append(count)
            day += datetime.timedelta(days=1)

    def between(self, start: datetime.date, end: datetime.date) -> int:
        """Open days after ``start`` up to and including ``end`` (0 when end ≤ start)."""
        if end <= start:
            return 0
        return self.open_up_to[(end - self.first).days] - self.open_up_to[(start - self.first).days]


def percentile(counts: Counter, p: float) -> float | None:
    """The ``p`` quantile (0–1) of values given as {value: how many}, interpolated linearly
    between the two nearest ranks — PostgreSQL's ``percentile_cont``."""
    n = sum(counts.values())
    if n == 0:
        return None
    rank = (n - 1) * p
    low_rank, high_rank = math.floor(rank), math.ceil(rank)
    low = high = None
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        if low is None and seen > low_rank:
            low = value
        if seen > high_rank:
            high = value
            break
    return low + (high - low) * (rank - low_rank)


def _local_date(field_name: str, queryset: QuerySet):
    """The local date of a datetime column (TruncDate), computed natively where it can be.

    On SQLite TruncDate calls a Python function for every row; for a time zone without
    daylight saving time (Asia/Tokyo) SQLite's own ``date(value, '+540 minutes')`` gives the
    same date several times faster. Elsewhere, TruncDate.
    """
    zone = timezone.get_current_timezone()
    year = timezone.now().year
    winter, summer = (
        datetime.datetime(year, month, 1, tzinfo=zone).utcoffset() for month in (1, 7)
    )
    if connections[queryset.db].vendor == "sqlite" and winter == summer:
        minutes = int(winter.total_seconds() // 60)
        return Func(
            F(field_name), Value(f"{minutes:+d} minutes"), function="date", output_field=DateField()
        )
    return TruncDate(field_name)


def _reply_times(voices: QuerySet) -> ReplyTimes:
    """One grouped query over the answered voices, then percentiles of the weighted rows."""
    rows = list(
        voices.filter(answered_at__isnull=False)
        .annotate(answered_on=_local_date("answered_at", voices))
        .values_list("received_on", "answered_on", "reply_due")
        .annotate(n=Count("pk"))
        .order_by()
    )
    result = ReplyTimes()
    result.buckets = [CountRow(str(limit or ""), label, 0) for limit, label in REPLY_BUCKETS]
    if not rows:
        return result
    first = min(row[0] for row in rows)
    last = max(max(row[0], row[1]) for row in rows)
    calendar = OfficeCalendar(first, last)
    days, office_days = Counter(), Counter()
    for received_on, answered_on, reply_due, n in rows:
        office = calendar.between(received_on, answered_on)
        days[max((answered_on - received_on).days, 0)] += n
        office_days[office] += n
        result.answered += n
        if reply_due is not None:
            result.with_due += n
            if answered_on <= reply_due:
                result.in_time += n
        for bucket, (limit, _label) in zip(result.buckets, REPLY_BUCKETS, strict=True):
            if limit is None or office <= limit:
                bucket.count += n
                break
    result.median_days = percentile(days, 0.5)
    result.p90_days = percentile(days, 0.9)
    result.median_office_days = percentile(office_days, 0.5)
    result.p90_office_days = percentile(office_days, 0.9)
    return result

"""Statistics of citizens' voices: who may see them, the figures, the files, the query count."""

import csv
import datetime
import io
import random
import re
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from conftest import browser_sign_in
from hoshin.lib.business_days import business_days_between
from hoshin.lib.fiscal import fiscal_year_of
from hoshin.lib.spreadsheets import cp932_message
from hoshin.org.models import Department, Role
from hoshin.org.tests.factories import make_user
from hoshin.voices.models import (
    Channel,
    CitizenVoice,
    VoiceCategory,
    VoiceKind,
    VoiceStatus,
)
from hoshin.voices.selectors.stats import (
    OfficeCalendar,
    Period,
    percentile,
    stats_period,
    voice_stats,
)
from hoshin.voices.views.stats_export import stats_csv

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

TOKYO = ZoneInfo("Asia/Tokyo")
STATS = reverse("voices_staff:stats")
CSV = reverse("voices_staff:stats_csv")
XLSX = reverse("voices_staff:stats_xlsx")
TODAY = datetime.date(2026, 6, 15)
_numbers: Counter = Counter()


def answered(day: datetime.date, hour: int = 15) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=TOKYO)


def voice(
    received_on: datetime.date,
    *,
    channel: str = Channel.WEB,
    kind: str = VoiceKind.OPINION,
    category: VoiceCategory | None = None,
    department: Department | None = None,
    status: str = VoiceStatus.RECEIVED,
    answered_at: datetime.datetime | None = None,
    reply_due: datetime.date | None = None,
    subject: str = "意見",
) -> CitizenVoice:
    """A voice row as the services leave it (receipt numbers without gaps per fiscal year)."""
    fy = fiscal_year_of(received_on)
    _numbers[fy] += 1
    return CitizenVoice.objects.create(
        fy=fy,
        number=CitizenVoice.objects.filter(fy=fy).count() + 1,
        channel=channel,
        kind=kind,
        subject=subject,
        body="本文",
        category=category,
        lead_department=department,
        received_on=received_on,
        reply_due=reply_due,
        wants_reply=reply_due is not None,
        status=status,
        answered_at=answered_at,
        secret_hash="x",
    )


@pytest.fixture
def world():
    bousai = Department.objects.create(name="地域防災対策室", kind="shitsu")
    kankyo = Department.objects.create(name="生活環境課", kind="ka")
    categories = {
        name: VoiceCategory.objects.create(name=name, position=i)
        for i, name in enumerate(["防災", "ごみ・環境", "子育て・教育"])
    }
    return bousai, kankyo, categories


@pytest.fixture
def fy2025(world):
    """Six FY2025 voices with known answers, plus one in FY2024 and one in FY2026 (not counted)."""
    bousai, kankyo, cats = world
    d = datetime.date
    voices = [
        # Golden Week: 7 calendar days, 3 office days; answered by the reply-by date.
        voice(
            d(2025, 4, 30),
            channel=Channel.LETTER,
            kind=VoiceKind.MAYOR_LETTER,
            category=cats["防災"],
            department=bousai,
            status=VoiceStatus.ANSWERED,
            answered_at=answered(d(2025, 5, 7)),
            reply_due=d(2025, 5, 15),
        ),
        # 14 calendar days, 10 office days; in time.
        voice(
            d(2025, 6, 2),
            category=cats["防災"],
            department=bousai,
            status=VoiceStatus.ANSWERED,
            answered_at=answered(d(2025, 6, 16)),
            reply_due=d(2025, 6, 16),
        ),
        # Year end: 11 calendar days, 2 office days; late (due the day before).
        voice(
            d(2025, 12, 26),
            channel=Channel.EMAIL,
            category=cats["ごみ・環境"],
            department=kankyo,
            status=VoiceStatus.ANSWERED,
            answered_at=answered(d(2026, 1, 6)),
            reply_due=d(2026, 1, 5),
        ),
        # Answered at 00:30 Tokyo time on 2 March: the date is the Tokyo date, not UTC's.
        voice(
            d(2026, 2, 27),
            channel=Channel.EMAIL,
            kind=VoiceKind.PROPOSAL,
            category=cats["ごみ・環境"],
            department=kankyo,
            status=VoiceStatus.CLOSED,
            answered_at=datetime.datetime(2026, 3, 2, 0, 30, tzinfo=TOKYO),
        ),
        # Still open, past its reply-by date on TODAY.
        voice(
            d(2026, 3, 10),
            channel=Channel.PHONE,
            department=kankyo,
            status=VoiceStatus.ANSWERING,
            reply_due=d(2026, 3, 24),
        ),
        # Still open, not assigned yet, no reply wanted.
        voice(d(2026, 3, 31), channel=Channel.BOX, kind=VoiceKind.PROPOSAL),
    ]
    voice(d(2025, 3, 31), subject="前年度")
    voice(d(2026, 4, 1), subject="翌年度")
    return voices


@pytest.fixture
def hearing_client(client):
    client.force_login(make_user("hearing", role=Role.PUBLIC_HEARING))
    return client


def rows(breakdown) -> dict[str, int]:
    return {row.label: row.count for row in breakdown.rows}


# ---- who may see them --------------------------------------------------------------------------


@pytest.mark.parametrize("url", [STATS, CSV, XLSX])
@pytest.mark.parametrize(
    "role, expected",
    [
        (Role.PUBLIC_HEARING, 200),
        (Role.PLANNING_OFFICE, 200),
        (Role.ADMIN, 200),
        (Role.DEPARTMENT_EDITOR, 403),
        (Role.DEPARTMENT_HEAD, 403),
        (Role.VIEWER, 403),
        (Role.MAYOR_OFFICE, 403),
        (None, 403),
    ],
)
def test_statistics_are_for_public_hearing_and_planning_office(client, world, url, role, expected):
    bousai = world[0]
    scoped = role in (Role.DEPARTMENT_EDITOR, Role.DEPARTMENT_HEAD)
    user = make_user(department=bousai if scoped else None, role=role)
    client.force_login(user)
    assert client.get(url).status_code == expected


@pytest.mark.parametrize("url", [STATS, CSV, XLSX])
def test_anonymous_visitors_are_sent_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("backoffice:login"))


def test_statistics_do_not_accept_posts(hearing_client):
    assert hearing_client.post(STATS).status_code == 405


# ---- the figures ---------------------------------------------------------------------------------


def test_counts_by_channel_kind_category_department_and_status(fy2025):
    stats = voice_stats(period=Period.fiscal_year(2025), today=TODAY)
    assert stats.total == 6
    channel = rows(stats.breakdown("channel"))
    assert channel["郵送"] == 1 and channel["電子メール"] == 2 and channel["ウェブフォーム"] == 1
    assert channel["電話"] == 1 and channel["投書箱・提言箱"] == 1
    assert channel["ファクス"] == 0  # every channel is listed, zeros included
    assert [row.key for row in stats.breakdown("channel").rows] == Channel.values
    assert rows(stats.breakdown("kind")) == {"市長への手紙": 1, "意見・要望": 3, "提案": 2}
    assert rows(stats.breakdown("category")) == {
        "防災": 2,
        "ごみ・環境": 2,
        "子育て・教育": 0,
        "未分類": 2,
    }
    assert list(rows(stats.breakdown("department")).items()) == [
        ("生活環境課", 3),
        ("地域防災対策室", 2),
        ("主管課なし（振り分け前・回送・終了）", 1),
    ]
    status = rows(stats.breakdown("status"))
    assert status["回答済み"] == 3 and status["回答なしで終了"] == 1
    assert status["回答作成中"] == 1 and status["受付"] == 1
    for breakdown in stats.breakdowns:
        if breakdown.id != "reply_time":
            assert breakdown.total == 6, breakdown.id
    assert sum(row.share for row in stats.breakdown("channel").rows) == pytest.approx(1.0)


def test_months_run_from_april_to_march(fy2025):
    months = voice_stats(period=Period.fiscal_year(2025), today=TODAY).breakdown("month")
    assert [row.label for row in months.rows] == [
        "2025年4月",
        *(f"{m}月" for m in range(5, 13)),
        "2026年1月",
        "2月",
        "3月",
    ]
    counts = {row.key: row.count for row in months.rows}
    assert counts["2025-04"] == 1 and counts["2025-06"] == 1 and counts["2025-12"] == 1
    assert counts["2026-02"] == 1 and counts["2026-03"] == 2 and counts["2025-05"] == 0


def test_reply_times_in_calendar_and_office_days(fy2025):
    reply = voice_stats(period=Period.fiscal_year(2025), today=TODAY).reply
    # Calendar days 7, 14, 11, 3 (27 Feb → 2 Mar, Tokyo time); office days 3, 10, 2, 1.
    assert reply.answered == 4
    assert reply.median_days == pytest.approx(9.0)  # (7 + 11) / 2
    assert reply.p90_days == pytest.approx(11 + (14 - 11) * 0.7)
    assert reply.median_office_days == pytest.approx(2.5)
    assert reply.p90_office_days == pytest.approx(3 + (10 - 3) * 0.7)
    # Reply-by dates: 2 of the 3 answered voices that had one were answered by it.
    assert (reply.with_due, reply.in_time) == (3, 2)
    assert reply.in_time_share == pytest.approx(2 / 3)
    assert [bucket.count for bucket in reply.buckets] == [3, 1, 0, 0, 0]


def test_open_and_overdue_now(fy2025):
    stats = voice_stats(period=Period.fiscal_year(2025), today=TODAY)
    assert (stats.open_now, stats.overdue_now) == (2, 1)
    before_due = voice_stats(period=Period.fiscal_year(2025), today=datetime.date(2026, 3, 20))
    assert before_due.overdue_now == 0


def test_a_custom_date_range(fy2025):
    period = stats_period(
        start=datetime.date(2025, 12, 1), end=datetime.date(2026, 2, 28), today=TODAY
    )
    stats = voice_stats(period=period, today=TODAY)
    assert stats.total == 2
    assert [row.key for row in stats.breakdown("month").rows] == ["2025-12", "2026-01", "2026-02"]
    assert period.label == "2025/12/01～2026/02/28"
    with pytest.raises(ValueError):
        stats_period(start=datetime.date(2026, 1, 2), end=datetime.date(2026, 1, 1), today=TODAY)
    with pytest.raises(ValueError):
        stats_period(start=datetime.date(2020, 1, 1), end=datetime.date(2026, 1, 1), today=TODAY)


def test_an_empty_year_has_no_percentiles_and_no_share(db):
    stats = voice_stats(period=Period.fiscal_year(2030), today=TODAY)
    assert stats.total == 0
    assert stats.reply.median_days is None and stats.reply.in_time_share is None


def test_percentile_is_postgresqls_percentile_cont():
    rng = random.Random(7)
    for _round in range(200):
        values = [rng.randint(0, 40) for _ in range(rng.randint(1, 30))]
        ordered = sorted(values)
        for p in (0.0, 0.1, 0.5, 0.9, 1.0):
            rank = (len(ordered) - 1) * p
            low, high = int(rank), min(int(rank) + 1, len(ordered) - 1)
            expected = ordered[low] + (ordered[high] - ordered[low]) * (rank - low)
            assert percentile(Counter(values), p) == pytest.approx(expected)
    assert percentile(Counter(), 0.5) is None


def test_office_calendar_agrees_with_business_days_between():
    first, last = datetime.date(2024, 12, 1), datetime.date(2026, 5, 31)
    calendar = OfficeCalendar(first, last)
    rng = random.Random(11)
    for _round in range(400):
        start = first + datetime.timedelta(days=rng.randint(0, 500))
        end = start + datetime.timedelta(days=rng.randint(-3, 40))
        if end > last:
            continue
        assert calendar.between(start, end) == business_days_between(start, end), (start, end)


# ---- the page ------------------------------------------------------------------------------------


def test_page_shows_each_chart_with_an_accessible_table(hearing_client, fy2025):
    response = hearing_client.get(STATS, {"fy": 2025})
    assert response.status_code == 200
    html = response.content.decode()
    assert "令和7年度（2025年度）の概要" in html
    for table_id in ("channel", "kind", "category", "department", "month", "status"):
        assert f'id="chart-{table_id}-title"' in html, table_id
        assert f'<table class="data-table stats-table" id="table-{table_id}">' in html
    assert html.count('role="img"') == 7
    assert html.count("<caption") == 8  # seven breakdowns and the reply times
    assert '<th scope="row">生活環境課</th><td class="number">3</td>' in html
    assert "9.0日" in html and "2.5日" in html  # medians
    assert "66.7%" in html  # share answered in time
    assert response["Cache-Control"] == "private, no-store"  # every staff page (issue 10)


def test_page_defaults_to_the_current_fiscal_year_and_lists_years_with_voices(
    hearing_client, fy2025
):
    response = hearing_client.get(STATS)
    html = response.content.decode()
    assert re.search(r'<option value="2025">令和7年度（2025年度）</option>', html)
    assert re.search(r'<option value="2024">', html)
    assert response.context["period"].fy == fiscal_year_of(timezone.localdate())


def test_page_with_a_bad_range_says_why_and_shows_the_current_year(hearing_client, fy2025):
    response = hearing_client.get(STATS, {"start": "2026-03-01", "end": "2025-04-01"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "終了日は開始日以降にしてください。" in html
    response = hearing_client.get(STATS, {"start": "2026-03-01"})
    assert "開始日と終了日の両方を入力してください。" in response.content.decode()


def test_a_date_range_links_its_downloads(hearing_client, fy2025):
    response = hearing_client.get(STATS, {"start": "2025-12-01", "end": "2026-02-28"})
    assert response.context["stats"].total == 2
    assert response.context["csv_url"].endswith("?start=2025-12-01&end=2026-02-28")
    csv_response = hearing_client.get(response.context["csv_url"])
    assert "2025/12/01～2026/02/28" in csv_response.content.decode("utf-8-sig")


def test_html_in_names_is_escaped(hearing_client, world):
    evil = VoiceCategory.objects.create(name="<script>alert(1)</script>", position=9)
    voice(datetime.date(2025, 5, 1), category=evil)
    html = hearing_client.get(STATS, {"fy": 2025}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# ---- the files -----------------------------------------------------------------------------------


def test_csv_is_utf8_with_bom_and_holds_every_table(hearing_client, fy2025):
    response = hearing_client.get(CSV, {"fy": 2025})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="voices-stats-FY2025.csv"' in response["Content-Disposition"]
    data = response.content
    assert data.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert lines[0] == ["市民の声 統計", "令和7年度（2025年度）"]
    assert ["受付件数", "6", "件"] in lines
    assert ["期限内の回答の割合", "66.7", "%"] in lines
    assert ["■受付経路別の件数"] in lines
    assert ["受付経路", "件数", "割合（%）"] in lines
    assert ["電子メール", "2", "33.3"] in lines
    assert ["生活環境課", "3", "50.0"] in lines
    assert ["2025年4月", "1", "16.7"] in lines
    assert ["2026年1月", "0", "0.0"] in lines
    assert lines.count(["合計", "6", "100.0"]) == 6


def test_csv_in_cp932_keeps_rare_kanji(hearing_client, world):
    VoiceCategory.objects.create(name="髙﨑①の㈱", position=9)
    voice(datetime.date(2025, 5, 1), category=VoiceCategory.objects.get(position=9))
    response = hearing_client.get(CSV, {"fy": 2025, "encoding": "cp932"})
    assert response["Content-Type"] == "text/csv; charset=Shift_JIS"
    assert "FY2025-sjis.csv" in response["Content-Disposition"]
    assert "髙﨑①の㈱,1," in response.content.decode("cp932")


def test_csv_in_cp932_refuses_what_it_cannot_hold_and_goes_back_with_the_message(
    hearing_client, world
):
    """Never a 〓 in a report: the page says where and which character; UTF-8 keeps it."""
    VoiceCategory.objects.create(name="髙﨑①の𠮷野家", position=9)
    voice(datetime.date(2025, 5, 1), category=VoiceCategory.objects.get(position=9))
    response = hearing_client.get(CSV, {"fy": 2025, "encoding": "cp932"}, follow=True)
    assert response.redirect_chain == [(f"{STATS}?fy=2025", 302)]
    (message,) = [str(m) for m in response.context["messages"]]
    utf8 = hearing_client.get(CSV, {"fy": 2025}).content.decode("utf-8-sig")
    assert "髙﨑①の𠮷野家,1," in utf8
    line = utf8[: utf8.index("髙﨑①の𠮷野家")].count("\n") + 1
    assert message == cp932_message(line=line, column=1, title="", label="分類別の件数", char="𠮷")
    assert message in response.content.decode()


def test_text_that_looks_like_a_formula_stays_text_in_both_files(hearing_client, world):
    VoiceCategory.objects.create(name='=HYPERLINK("http://example.com")', position=9)
    voice(datetime.date(2025, 5, 1), category=VoiceCategory.objects.get(position=9))
    lines = list(
        csv.reader(io.StringIO(hearing_client.get(CSV, {"fy": 2025}).content.decode("utf-8-sig")))
    )
    assert ['\'=HYPERLINK("http://example.com")', "1", "100.0"] in lines
    workbook = load_workbook(io.BytesIO(hearing_client.get(XLSX, {"fy": 2025}).content))
    cells = [row[0] for row in workbook["分類別"].iter_rows(min_row=4) if row[0].value]
    (cell,) = [c for c in cells if c.value == '=HYPERLINK("http://example.com")']
    assert cell.data_type == "s"
    assert [c.value for c in workbook["分類別"][cell.row]][1:] == [1, 1.0]  # numbers stay numbers


def test_xlsx_has_a_sheet_per_table_with_numbers(hearing_client, fy2025):
    response = hearing_client.get(XLSX, {"fy": 2025})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "概要",
        "受付経路別",
        "種別",
        "分類別",
        "主管課別",
        "月別",
        "状況別",
        "回答日数",
    ]
    summary = {row[0]: row[1] for row in workbook["概要"].iter_rows(min_row=4, values_only=True)}
    assert summary["受付件数"] == 6
    assert summary["回答までの日数 中央値（開庁日）"] == 2.5
    assert summary["期限内の回答の割合"] == pytest.approx(2 / 3)
    departments = list(workbook["主管課別"].iter_rows(min_row=4, values_only=True))
    assert departments[0] == ("生活環境課", 3, 0.5)
    assert departments[3] == ("合計", 6, 1.0)
    assert departments[-1][0].startswith("※主管課は")
    assert workbook["主管課別"]["C4"].number_format == "0.0%"


def test_files_and_page_agree(hearing_client, fy2025):
    page = hearing_client.get(STATS, {"fy": 2025}).context["stats"]
    data = stats_csv(page).decode("utf-8-sig")
    for row in page.breakdown("category").rows:
        assert f"{row.label},{row.count}," in data


# ---- the query count -----------------------------------------------------------------------------


def _grow(world, count: int, fy: int = 2025) -> None:
    bousai, kankyo, cats = world
    rng = random.Random(count)
    start = datetime.date(fy, 4, 1)
    existing = CitizenVoice.objects.filter(fy=fy).count()
    voices = []
    for index in range(count):
        received = start + datetime.timedelta(days=rng.randint(0, 360))
        answered_on = received + datetime.timedelta(days=rng.randint(1, 30))
        voices.append(
            CitizenVoice(
                fy=fy,
                number=existing + index + 1,
                channel=rng.choice(Channel.values),
                kind=rng.choice(VoiceKind.values),
                subject="s",
                body="b",
                category=rng.choice([*cats.values(), None]),
                lead_department=rng.choice([bousai, kankyo, None]),
                received_on=received,
                reply_due=received + datetime.timedelta(days=14),
                status=VoiceStatus.ANSWERED,
                answered_at=answered(answered_on),
                secret_hash="x",
            )
        )
    CitizenVoice.objects.bulk_create(voices)


@pytest.mark.parametrize("url", [STATS, CSV, XLSX])
def test_query_count_does_not_grow_with_the_number_of_voices(hearing_client, world, url):
    _grow(world, 5)
    hearing_client.get(url, {"fy": 2025})  # warm the session and content types
    with CaptureQueriesContext(connection) as small:
        assert hearing_client.get(url, {"fy": 2025}).status_code == 200
    _grow(world, 400)
    with CaptureQueriesContext(connection) as large:
        response = hearing_client.get(url, {"fy": 2025})
    assert response.status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries), [
        q["sql"][:120] for q in large.captured_queries
    ]
    assert len(small.captured_queries) <= 14


def test_the_native_local_date_agrees_with_truncdate(fy2025):
    from django.db.models.functions import TruncDate

    from hoshin.voices.selectors.stats import _local_date

    answered = CitizenVoice.objects.filter(answered_at__isnull=False).order_by("pk")
    native = list(answered.annotate(d=_local_date("answered_at", answered)).values_list("d"))
    truncated = list(answered.annotate(d=TruncDate("answered_at")).values_list("d"))
    assert native == truncated
    assert (datetime.date(2026, 3, 2),) in native  # 00:30 in Tokyo is still that day
    with timezone.override("America/New_York"):  # daylight saving time: TruncDate
        assert isinstance(_local_date("answered_at", answered), TruncDate)


# ---- in a real browser ---------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_statistics_page_passes_axe_at_desktop_and_phone_width(
    new_page, live_server, world, fy2025, width, axe, screenshot
):
    make_user("hearing", role=Role.PUBLIC_HEARING)
    page = new_page(viewport=width)
    browser_sign_in(page, live_server.url, "hearing")  # the public-hearing office has a second step
    page.goto(live_server.url + STATS + "?fy=2025")
    assert page.get_by_role("heading", name="令和7年度（2025年度）の概要").is_visible()
    assert page.get_by_role("img", name="受付経路別の件数（単位：件）").is_visible()
    assert page.get_by_role("table", name="月別の受付件数（単位：件）").is_visible()
    screenshot(page, f"voices-stats-{width}")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the statistics page scrolls sideways by {overflow}px"
    axe.assert_clean(page, f"statistics ({width})")
    page.context.close()


def test_the_status_chart_gives_each_status_its_own_look_whatever_is_counted():
    """Issue 11: a status keeps its fill (hoshin.lib.palette) when others have no voice."""
    from hoshin.lib import palette
    from hoshin.voices.models import VoiceStatus
    from hoshin.voices.selectors.stats import Breakdown, CountRow
    from hoshin.voices.views.stats_charts import bar_chart

    def chart(counts: dict[str, int]):
        rows = [CountRow(v, str(label), counts.get(v, 0)) for v, label in VoiceStatus.choices]
        return bar_chart(Breakdown("status", "状況別", "状況", rows), chart_id="c")

    everything = chart({value: 1 for value in VoiceStatus.values})
    sparse = chart({VoiceStatus.values[-1]: 3})
    expected = palette.scale_fills(VoiceStatus.values, kind=palette.NOMINAL)
    assert [bar.fill for bar in everything.bars] == list(expected.values())
    assert sparse.bars[-1].fill == expected[VoiceStatus.values[-1]]
    # Other breakdowns keep the one colour of a plain bar chart.
    channel = bar_chart(
        Breakdown("channel", "経路別", "経路", [CountRow("web", "web", 2)]), chart_id="d"
    )
    assert channel.bars[0].fill is None

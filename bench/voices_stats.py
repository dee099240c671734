"""Benchmark: the statistics of citizens' voices over 100,000 voices.

Run with ``.venv/bin/python bench/voices_stats.py``. It uses a throw-away SQLite database (or
DATABASE_URL if set), prints its figures and writes nothing else.

What it builds (rows are written directly with bulk_create in batches of 5,000, to be fast):
- 7 categories, 6 districts, 30 departments and one public-hearing office user;
- voices over three fiscal years (FY2023–FY2025) with the distributions a city sees: channels
  (web 35 %, phone 18 %, e-mail 15 %, letter 12 % …), kinds, categories and lead departments
  (a few departments get most), more voices on weekdays and in spring and autumn, about 70 %
  wanting a reply with the reply-by date the intake service computes (10 office days), and
  statuses by age (old voices answered, closed or forwarded; the newest still open). Replies
  take a skewed number of office days (median about 8, a tail past 20). Receipt numbers run
  from 1 without gaps within each fiscal year, in the order received, and the per-year
  counter is left at the last number, as ``voice_receive`` would leave it.
- 10,000 voices, then (afresh) 100,000 voices.

Figures, at 10,000 and at 100,000 voices:
- the statistics page (Django test Client GET as the public-hearing user, median of 5) for one
  fiscal year (FY2024, a third of the voices) and for the three-year range (every voice);
- its SQL query count (must be the same at both sizes: nothing is fetched per voice);
- the CSV export (UTF-8 with BOM) of the three-year range, median of 5.
"""

import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_tmp = tempfile.TemporaryDirectory(prefix="hoshin-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_tmp.name}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoshin.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from zoneinfo import ZoneInfo  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Max  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from hoshin.lib.business_days import is_office_closed  # noqa: E402
from hoshin.lib.fiscal import fiscal_year_of  # noqa: E402
from hoshin.org.models import AgeBand, Department, District, Role, RoleAssignment, User  # noqa: E402
from hoshin.voices.models import (  # noqa: E402
    Channel,
    CitizenVoice,
    ReceiptCounter,
    VoiceCategory,
    VoiceKind,
    VoiceStatus,
)

TOKYO = ZoneInfo("Asia/Tokyo")
FIRST_DAY, LAST_DAY = datetime.date(2023, 4, 1), datetime.date(2026, 3, 31)
TODAY = datetime.date(2026, 3, 31)
BATCH = 5_000
REPLY_DAYS = 10
CHANNELS = {
    Channel.WEB: 35, Channel.PHONE: 18, Channel.EMAIL: 15, Channel.LETTER: 12,
    Channel.BOX: 8, Channel.MEETING: 5, Channel.COUNTER: 5, Channel.FAX: 2,
}  # fmt: skip
KINDS = {VoiceKind.OPINION: 65, VoiceKind.MAYOR_LETTER: 20, VoiceKind.PROPOSAL: 15}
CATEGORIES = {
    "道路・交通": 22, "ごみ・環境": 18, "子育て・教育": 15, "福祉・健康": 14,
    "行政・財政": 13, "防災": 8, "その他": 10,
}  # fmt: skip
DISTRICTS = ["中村", "大野", "八幡", "日立木", "磯部", "玉野"]
MONTH_WEIGHT = {4: 1.3, 5: 1.2, 6: 1.0, 7: 0.9, 8: 0.8, 9: 1.0, 10: 1.2, 11: 1.1, 12: 0.7,
                1: 0.8, 2: 0.9, 3: 1.0}  # fmt: skip


def setup_masters() -> tuple[list, list, list, User]:
    categories = [
        VoiceCategory.objects.get_or_create(name=name, defaults={"position": i})[0]
        for i, name in enumerate(CATEGORIES)
    ]
    districts = [
        District.objects.get_or_create(name=name, defaults={"position": i})[0]
        for i, name in enumerate(DISTRICTS)
    ]
    departments = [
        Department.objects.get_or_create(name=f"第{i}課", defaults={"kind": "ka", "position": i})[0]
        for i in range(1, 31)
    ]
    user, _created = User.objects.get_or_create(username="bench-hearing")
    user.set_password("pw")
    user.save()
    RoleAssignment.objects.get_or_create(user=user, role=Role.PUBLIC_HEARING, department=None)
    return categories, districts, departments, user


class Calendar:
    """Office days of the whole period, for reply-by dates and reply times without loops."""

    def __init__(self, first: datetime.date, last: datetime.date):
        self.days = [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]
        self.open_days = [day for day in self.days if not is_office_closed(day)]
        self.next_open_index = {}
        index = 0
        for day in self.days:
            while index < len(self.open_days) and self.open_days[index] <= day:
                index += 1
            self.next_open_index[day] = index  # first open day after ``day``

    def add(self, day: datetime.date, office_days: int) -> datetime.date:
        index = self.next_open_index[day] + office_days - 1
        return self.open_days[min(index, len(self.open_days) - 1)]


def generate(count: int, masters, calendar: Calendar, rng: random.Random) -> list[CitizenVoice]:
    categories, districts, departments, _user = masters
    days = [day for day in calendar.days if day <= LAST_DAY]
    day_weights = [MONTH_WEIGHT[day.month] * (0.35 if day.weekday() >= 5 else 1.0) for day in days]
    department_weights = [1 / (rank + 1) ** 0.9 for rank in range(len(departments))]
    received = sorted(rng.choices(days, weights=day_weights, k=count))
    channels = rng.choices(list(CHANNELS), weights=list(CHANNELS.values()), k=count)
    kinds = rng.choices(list(KINDS), weights=list(KINDS.values()), k=count)
    category_picks = rng.choices(categories, weights=list(CATEGORIES.values()), k=count)
    department_picks = rng.choices(departments, weights=department_weights, k=count)
    ages = [band for band in AgeBand.values if band]
    voices = []
    for index in range(count):
        day = received[index]
        age = (TODAY - day).days
        wants_reply = rng.random() < 0.7
        roll = rng.random()
        if age < 20 and roll < 0.6:
            status = rng.choice([VoiceStatus.RECEIVED, VoiceStatus.ASSIGNED, VoiceStatus.ANSWERING])
        elif roll < 0.06:
            status = VoiceStatus.CLOSED
        elif roll < 0.10:
            status = VoiceStatus.FORWARDED
        else:
            status = VoiceStatus.ANSWERED
        answered_at = None
        if status == VoiceStatus.ANSWERED:
            office_days = max(1, min(60, round(rng.lognormvariate(2.05, 0.5))))
            answered_on = calendar.add(day, office_days)
            if answered_on > TODAY:
                status, answered_on = VoiceStatus.ANSWERING, None
            else:
                answered_at = datetime.datetime(
                    answered_on.year, answered_on.month, answered_on.day,
                    rng.randint(9, 17), rng.randint(0, 59), tzinfo=TOKYO,
                )  # fmt: skip
        routed = status != VoiceStatus.RECEIVED
        voices.append(
            CitizenVoice(
                fy=fiscal_year_of(day),
                channel=channels[index],
                kind=kinds[index],
                subject="ベンチマーク用の市民の声",
                body="道路の補修についての要望です。",
                category=category_picks[index] if routed or rng.random() < 0.5 else None,
                age_band=rng.choice(ages),
                district=rng.choice(districts),
                received_on=day,
                reply_due=calendar.add(day, REPLY_DAYS) if wants_reply else None,
                wants_reply=wants_reply,
                status=status,
                status_reason="関係機関へ回送" if status == VoiceStatus.FORWARDED else "",
                lead_department=department_picks[index]
                if status not in (VoiceStatus.RECEIVED, VoiceStatus.FORWARDED)
                else None,
                answered_at=answered_at,
                secret_hash="bench",
            )
        )
    return voices


def build(count: int, masters, calendar: Calendar, rng: random.Random) -> float:
    """A fresh set of ``count`` voices (seconds taken): numbered 1, 2, … per fiscal year in
    the order received, with the per-year counter at the last number."""
    started = time.perf_counter()
    CitizenVoice.objects.all().delete()
    ReceiptCounter.objects.all().delete()
    voices = generate(count, masters, calendar, rng)  # sorted by date received
    numbers: dict[int, int] = {}
    for voice in voices:
        numbers[voice.fy] = numbers.get(voice.fy, 0) + 1
        voice.number = numbers[voice.fy]
    CitizenVoice.objects.bulk_create(voices, batch_size=BATCH)
    ReceiptCounter.objects.bulk_create(
        ReceiptCounter(fy=fy, last_number=number) for fy, number in numbers.items()
    )
    return time.perf_counter() - started


def timed(client: Client, url: str, params: dict, runs: int = 5) -> tuple[float, int]:
    """(median seconds, SQL queries) of ``runs`` GETs after one warm-up."""
    client.get(url, params)
    times = []
    queries = 0
    for _run in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url, params)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
        queries = len(ctx.captured_queries)
    return statistics.median(times), queries


def measure(client: Client, label: str) -> dict:
    stats_url = reverse("voices_staff:stats")
    csv_url = reverse("voices_staff:stats_csv")
    whole = {"start": f"{FIRST_DAY:%Y-%m-%d}", "end": f"{LAST_DAY:%Y-%m-%d}"}
    year_time, year_queries = timed(client, stats_url, {"fy": 2024})
    all_time, all_queries = timed(client, stats_url, whole)
    csv_time, csv_queries = timed(client, csv_url, whole)
    total = CitizenVoice.objects.count()
    print(
        f"{label:>8} voices ({total:,}): page FY2024 {year_time * 1000:7.1f} ms "
        f"({year_queries} queries) | page 3 years {all_time * 1000:7.1f} ms "
        f"({all_queries} queries) | CSV 3 years {csv_time * 1000:7.1f} ms ({csv_queries} queries)"
    )
    return {"queries": (year_queries, all_queries, csv_queries)}


def check_numbers() -> None:
    """Receipt numbers run 1…n without gaps in every fiscal year, and the counter agrees."""
    counters = dict(ReceiptCounter.objects.values_list("fy", "last_number"))
    for fy, count, last in (
        CitizenVoice.objects.values_list("fy")
        .annotate(n=Count("pk"), last=Max("number"))
        .order_by()
    ):
        assert count == last == counters[fy], (fy, count, last, counters.get(fy))


def main() -> None:
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")
    rng = random.Random(20260401)
    masters = setup_masters()
    calendar = Calendar(FIRST_DAY, LAST_DAY + datetime.timedelta(days=120))
    client = Client()
    client.force_login(masters[3])

    results = {}
    for count in (10_000, 100_000):
        seconds = build(count, masters, calendar, rng)
        print(f"created {count:,} voices in {seconds:.1f} s (bulk_create, batches of {BATCH:,})")
        results[count] = measure(client, f"{count:,}")
        check_numbers()
    small, large = results[10_000], results[100_000]
    same = small["queries"] == large["queries"]
    print(f"query counts at 10,000 and 100,000 voices equal: {'yes' if same else 'NO'}")
    if not same:
        raise SystemExit(1)


if __name__ == "__main__":
    main()

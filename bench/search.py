"""Benchmark: Japanese search over 100,000 searchable records.

Run with ``.venv/bin/python bench/search.py [--records N] [--queries N]`` (``make bench-search``).
It uses a throw-away SQLite database, or DATABASE_URL if set (PostgreSQL), prints its figures
and writes nothing else.

The records are index entries (hoshin.search) whose texts are sentences of the two seed plans
recombined at random, so word frequencies are those of real plan text; they are written through
the same code as the live index (services._add → the engine's full-text table). Building the
domain objects behind them would measure the importer, not the search.

Figures:
- indexing throughput (entries/s);
- latency of ``search_public`` (ranking, page of 20, snippets) for a mix of 1-, 2- and
  3–8-character queries, two-word queries, filtered queries and misses: p50 / p95 / p99 / max
  over all queries and per kind;
- the same through the HTTP view (Django test client, template rendered), p50 / p95.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_tmp = tempfile.TemporaryDirectory(prefix="hoshin-bench-search-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_tmp.name}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoshin.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from hoshin.search.documents import Draft  # noqa: E402
from hoshin.search.models import EntryKind, Scope, SearchEntry  # noqa: E402
from hoshin.search.selectors import SearchFilters, search_public  # noqa: E402
from hoshin.search.services import _add  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds"
KINDS = [EntryKind.ACTION, EntryKind.SHEET, EntryKind.SHEET, EntryKind.SHEET, EntryKind.NODE]
QUERIES = {
    "1 char": ["防", "図", "市", "ご", "税", "ｶ"],
    "2 chars": ["防災", "図書", "ごみ", "ICT", "ＩＣＴ", "財政", "協働", "ｶﾀ"],
    "3-8 chars": [
        "ハザードマップ",
        "防災訓練",
        "自主防災組織",
        "ふるさと納税",
        "行財政改革",
        "公共施設",
    ],
    "2 words": ["防災 訓練", "市民 協働", "財政 計画", "ごみ 減量"],
    "filtered": ["防災", "市民", "計画"],
    "miss": ["量子コンピュータ", "ブロックチェーン", "宇宙港"],
}


def sentences() -> list[str]:
    found = []
    for path in sorted(SEEDS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip(" 　・○★※")
            if len(line) >= 8:
                found.append(line)
    return found


def build(count: int, rng: random.Random) -> float:
    pool = sentences()
    started = time.perf_counter()

    def drafts():
        for number in range(count):
            kind = KINDS[number % len(KINDS)]
            fy = 2021 + number % 5 if kind == EntryKind.SHEET else None
            body = "".join(rng.choice(pool) for _ in range(rng.randint(3, 12)))
            entry = SearchEntry(
                kind=kind,
                object_id=number + 1,
                scope=Scope.PUBLIC if number % 10 else Scope.DRAFT_SHEET,
                plan_id=1 + number % 3,
                fy=fy,
                grade="ABCD"[number % 4] if kind == EntryKind.SHEET else "",
                title=rng.choice(pool)[:80],
                body=body,
                url=f"/actions/{number + 1}/",
            )
            yield Draft(entry, departments={1 + number % 40})

    with transaction.atomic():  # as the index services do: one transaction, not one per row
        _add(drafts())
    return time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run_queries(repeat: int) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {kind: [] for kind in QUERIES}
    for _ in range(repeat):
        for kind, queries in QUERIES.items():
            for query in queries:
                filters = SearchFilters(plan=2, fy=2024) if kind == "filtered" else SearchFilters()
                started = time.perf_counter()
                search_public(query=query, filters=filters)
                timings[kind].append((time.perf_counter() - started) * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5, help="rounds over the query mix")
    args = parser.parse_args()
    rng = random.Random(42)
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")
    seconds = build(args.records, rng)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE search_document")
    total = SearchEntry.objects.count()
    print(f"indexed {total:,} entries in {seconds:.1f} s ({total / seconds:,.0f} entries/s)")
    sample = {query: search_public(query=query).total for query in ("防", "防災", "防災訓練")}
    print("matches: " + ", ".join(f"{q} {n:,}" for q, n in sample.items()))

    run_queries(1)  # warm the caches of the engine
    timings = run_queries(args.repeat)
    every = [value for values in timings.values() for value in values]
    print(f"\nsearch_public over {total:,} records ({len(every)} queries), milliseconds:")
    print(f"{'kind':<12}{'p50':>8}{'p95':>8}{'p99':>8}{'max':>8}")
    for kind, values in [*timings.items(), ("all", every)]:
        print(
            f"{kind:<12}{statistics.median(values):>8.1f}{percentile(values, 0.95):>8.1f}"
            f"{percentile(values, 0.99):>8.1f}{max(values):>8.1f}"
        )

    client = Client()
    page_times = []
    for round_number in range(args.repeat):
        for queries in QUERIES.values():
            for query in queries:
                started = time.perf_counter()
                # a fresh URL each time, so the page cache never answers
                response = client.get("/search/", {"q": query, "round": round_number})
                page_times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (query, response.status_code)
    print(
        f"\nGET /search/?q=… (view and template, page cache bypassed): "
        f"p50 {statistics.median(page_times):.1f} ms, "
        f"p95 {percentile(page_times, 0.95):.1f} ms"
    )


if __name__ == "__main__":
    main()

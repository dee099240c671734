"""Snapshot what hoshin answers on the demo data, to prove that a refactor changed no behaviour.

    cd CHECKOUT && python /path/to/behaviour_snapshot.py capture OUTDIR
    python behaviour_snapshot.py compare DIR_A DIR_B

``capture`` builds a throw-away SQLite database in a temporary folder, loads it exactly as
``make demo-data`` does, then GETs a broad set of URLs anonymously and as every demo user and
writes one normalised file per (user, URL) plus ``index.tsv``. It talks to the project only
through URLs (django.test.Client) and management commands, never through hoshin's internal
modules, so the same script runs against a checkout where those modules live elsewhere.

``compare`` prints a summary and a short diff per differing URL; it exits 1 if anything differs.

What legitimately differs between two captures of the same code is normalised away (found by
capturing twice): CSRF tokens, the temporary folder, random uuid4s and survey invitation
tokens/codes (numbered in order of appearance), and times of day near "now" (the demo data is
stamped while it loads). Dates are kept, so capture both sides on the same day: the demo data
is dated relative to today. PDFs are compared by their text, workbooks by their cells.
"""

import argparse
import contextlib
import datetime
import difflib
import hashlib
import html
import io
import json
import logging
import os
import re
import sys
import tempfile
import time
import traceback
from collections import deque
from pathlib import Path
from urllib.parse import parse_qsl, urljoin, urlsplit

import django
import openpyxl
import pypdf
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

SEEDS = Path("..") / "shared" / "seeds"  # relative to the checkout, as in the Makefile
REFORM = ("001_93b4eaf820d612a8.txt", "第6次行財政改革大綱に基づく実施計画")
COMPREHENSIVE = ("000_78a06c49d3f23c0e.txt", "総合計画 自立できる自治体経営の推進")
ANONYMOUS = "(anonymous)"
MAX_ANONYMOUS, MAX_PER_ROLE = 600, 300
MAX_QUERY_VARIANTS = 4  # per path: stops ?page=/filter combinations from exploding
SHAPE_SHARE = 5  # a path shape (/staff/sheets/N/) takes at most 1/5 of the budget
MAX_PDFS = 15  # per shape: a PDF takes about 2 s to render, a sample of each kind is enough
DATASETS = ["plans", "nodes", "actions", "departments", "sheets", "indicators", "costs", "effects"]
SEARCHES = ["防災", "市", "a", "行財政 改革", "ＤＸ", "zzzz-nothing"]
# Never GET these while crawling: logging out ends the session, and the admin's change lists
# multiply into thousands of pages (its index is fetched explicitly instead).
SKIP = re.compile(r"^/(staff/logout/|admin/.+|static/|media/)")


def setup_django(tmp: Path) -> None:
    """Point every writable location at ``tmp``, then start Django on the checkout in the cwd."""
    sys.path.insert(0, os.getcwd())
    for name in ("media", "downloads", "cache"):
        (tmp / name).mkdir()
    os.environ.update(
        DJANGO_SETTINGS_MODULE="hoshin.settings",
        DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
        MEDIA_ROOT=str(tmp / "media"),
        HOSHIN_DOWNLOAD_CACHE_DIR=str(tmp / "downloads"),
        HOSHIN_CACHE_DIR=str(tmp / "cache"),  # absolute, so BASE_DIR / it stays in tmp
        DEBUG="true",  # create_demo_users refuses otherwise
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    django.setup()
    logging.disable(logging.CRITICAL)  # 403/404 are expected; 500s are reported by fetch()


def load_demo_data() -> list[str]:
    """The steps of ``make demo-data``, with the same arguments; the demo users' names."""
    quiet = {"stdout": io.StringIO(), "stderr": io.StringIO()}
    call_command("migrate", interactive=False, verbosity=0, **quiet)
    for seed, plan in (REFORM, COMPREHENSIVE):
        call_command(
            "import_plan", str(SEEDS / seed), plan=plan, create_departments=True,
            publish=True, replace=True, **quiet,
        )  # fmt: skip
    call_command("create_demo_users", **quiet)
    # Only these log in: the seeds below add an inactive stand-in user for the departments.
    usernames = sorted(get_user_model().objects.values_list("username", flat=True))
    call_command("seed_demo_evaluations", plan=REFORM[1], **quiet)
    call_command("seed_demo_voices", plan=REFORM[1], **quiet)
    call_command("seed_demo_surveys", **quiet)
    call_command("search_rebuild", **quiet)
    return usernames


def model(name: str):
    """A model by class name, whichever app it lives in (a refactor may move it)."""
    return next(m for m in apps.get_models() if m.__name__ == name)


def pks(model_name: str, limit: int | None = None, field: str = "pk", **filters) -> list:
    """The first ids (or ``field``) of a model, in id order: a fresh database repeats them."""
    query = model(model_name).objects.filter(**filters).order_by("pk")
    return list(query.values_list(field, flat=True)[:limit])


def public_urls() -> list[str]:
    """Anonymous pages the crawler may not reach: every format, encoding, feed, PDF, error."""
    fys = sorted(set(pks("EvaluationCycle", field="fy")))
    urls = ["/", "/departments/", "/opendata/", "/opendata/dictionary/", "/api/docs"]
    urls += ["/api/docs/", "/api/v1/", "/api/v1/openapi.json", "/feeds/results.atom"]
    urls += ["/voices/", "/voices/new/", "/voices/status/", "/voices/thanks/", "/surveys/"]
    urls += ["/staff/", "/staff/login/", "/plans/999999/", "/actions/999999/", "/nope/"]
    urls += [f"/search/?q={q}" for q in SEARCHES] + ["/search/", "/search/?q=防災&page=2"]
    for name in DATASETS:
        urls += [f"/opendata/{name}.{fmt}" for fmt in ("csv", "json", "xlsx")]
        urls += [f"/opendata/{name}.csv?encoding=cp932", f"/opendata/{name}.csv?encoding=utf-8"]
        urls += [f"/api/v1/{name}", f"/api/v1/{name}?limit=3&offset=2"]
    urls += ["/opendata/nope.csv", "/opendata/plans.pdf", "/opendata/plans.json?encoding=cp932"]
    urls += ["/opendata/sheets.csv?grade=Z", "/api/v1/plans?limit=abc", "/api/v1/sheets/999999"]
    for plan in pks("Plan"):
        urls += [f"/plans/{plan}/", f"/plans/{plan}/results.atom", f"/api/v1/plans/{plan}"]
        urls += [f"/opendata/sheets.csv?plan={plan}&fy={fy}" for fy in fys]
        urls += [f"/plans/{plan}/reports/{fy}.pdf" for fy in fys]
    actions = pks("Action")
    for action in actions[:3] + actions[-2:]:
        urls += [f"/actions/{action}/", f"/api/v1/actions/{action}"]
        urls += [f"/actions/{action}/sheets/{fy}.pdf" for fy in fys]
    sheets = pks("EvaluationSheet", 4, stage="published")
    urls += [f"/api/v1/sheets/{s}" for s in sheets] + [f"/voices/ratings/{s}/" for s in sheets]
    for department in pks("Department"):
        urls += [f"/departments/{department}/", f"/departments/{department}/results.atom"]
    urls += [f"/voices/{p}/" for p in pks("VoicePublication")]
    for survey in pks("Survey"):
        urls += [f"/surveys/{survey}/", f"/surveys/{survey}/thanks/"]
    keys = pks("CitizenVoice", 2, "submission_key", submission_key__isnull=False)
    urls += [f"/voices/thanks/{key}/" for key in keys]
    urls += [f"/opendata/sheets.json?fy={fys[-1]}&grade=A", f"/api/v1/sheets?fy={fys[0]}"]
    urls += [f"/opendata/indicators.csv?department={d}" for d in pks("Department", 2)]
    return urls


def staff_urls() -> list[str]:
    """Back-office pages, exports and a few objects of each kind, asked for by every role."""
    urls = ["/staff/", "/staff/tasks/", "/staff/sheets/", "/staff/sheets/bulk/", "/admin/"]
    urls += ["/staff/dashboard/", "/staff/dashboard/?by=node", "/staff/dashboard/sheets/"]
    urls += ["/staff/cycles/", "/staff/cycles/start/", "/staff/unit-costs/", "/staff/plans/import/"]
    urls += ["/staff/voices/", "/staff/voices/overdue/", "/staff/voices/new/"]
    urls += ["/staff/voices/statistics/", "/staff/voices/statistics/csv/"]
    urls += ["/staff/voices/statistics/csv/?encoding=cp932", "/staff/voices/statistics/xlsx/"]
    urls += ["/staff/voices/ratings/", "/staff/surveys/", "/staff/surveys/new/"]
    urls += ["/staff/api-tokens/", "/api/v1/staff/sheets", "/staff/sheets/bulk/download/"]
    urls += [f"/staff/search/?q={q}" for q in SEARCHES]
    fys = sorted(set(pks("EvaluationCycle", field="fy")))
    for plan in pks("Plan"):
        urls += [f"/staff/plans/{plan}/evaluation-template/", f"/staff/reports/plans/{plan}.xlsx"]
        urls += [f"/staff/reports/plans/{plan}/{fy}.xlsx" for fy in fys]
        urls += [f"/staff/dashboard/?plan={plan}&fy={fy}" for fy in fys]
    cycles, own = pks("EvaluationCycle"), pks("Department", name="地域防災対策室")
    urls += [f"/staff/cycles/{c}/" for c in cycles]
    bulk = "/staff/sheets/bulk/download/?cycle={}&department={}&file_format={}"
    urls += [bulk.format(c, "all", "xlsx") for c in cycles]
    urls += [bulk.format(cycles[-1], d, f) for d in ["all", *own] for f in ("json", "xlsx")]
    for sheet in pks("EvaluationSheet", 3) + pks("EvaluationSheet", 2, stage="draft"):
        urls += [f"/staff/sheets/{sheet}/", f"/staff/sheets/{sheet}/history/"]
    pages = ["", "reply/", "writer/", "actions/", "publication/", "reply/letter.pdf"]
    urls += [f"/staff/voices/{voice}/{page}" for voice in pks("CitizenVoice", 4) for page in pages]
    pages = ["", "edit/", "results/", "sections/new/", "questions/new/", "invitations/"]
    pages += ["invitations.csv", "export/?format=xlsx", "export/?format=csv"]
    pages += ["export/?format=csv&encoding=cp932"]
    urls += [f"/staff/surveys/{survey}/{page}" for survey in pks("Survey") for page in pages]
    return urls


def links(url: str, text: str) -> list[str]:
    """Same-site links of a page, in document order, without fragments."""
    found = []
    for raw in re.findall(r"""href=["']([^"']+)["']""", text):
        target = urlsplit(urljoin("http://testserver" + url, html.unescape(raw)))
        if target.scheme in ("http", "https") and target.netloc == "testserver":
            found.append(target.path + (f"?{target.query}" if target.query else ""))
    return found


def allowed(url: str, prefixes: tuple[str, ...], variants: dict[tuple, set], budget: int) -> bool:
    """Bound the crawl: stay under ``prefixes``, a few query strings per path and pages per
    shape (/staff/sheets/N/), early ``?page=`` only."""
    path, _, query = url.partition("?")
    if SKIP.match(path) or not path.startswith(prefixes):
        return False
    shape = variants.setdefault(("shape", re.sub(r"\d+", "N", path)), set())
    cap = MAX_PDFS if path.endswith(".pdf") else budget // SHAPE_SHARE
    if path not in shape and len(shape) >= cap:
        return False
    shape.add(path)
    if query:
        page = dict(parse_qsl(query)).get("page", "1")
        seen = variants.setdefault(("query", path), set())
        if not page.isdigit() or int(page) > 3 or len(seen) >= MAX_QUERY_VARIANTS:
            return False
        seen.add(query)
    return True


def cell(value) -> str:
    """A worksheet cell as text; dates as ISO text, so that normalise() sees them."""
    if isinstance(value, datetime.date | datetime.time):
        return str(value)  # 2026-12-02 15:40:00
    return "" if value is None else repr(value)


def body_text(response, content: bytes) -> str:
    """The body as comparable text: decoded, PDFs and workbooks reduced to what they say."""
    ctype = response.get("Content-Type", "")
    if getattr(response, "exc_info", None):  # a 500: the exception rather than the error page
        exc = response.exc_info[1]
        return f"EXCEPTION {type(exc).__name__}: {exc}"
    if ctype.startswith("application/pdf"):
        reader = pypdf.PdfReader(io.BytesIO(content))
        pages = [f"--- page {n}\n{p.extract_text()}" for n, p in enumerate(reader.pages, 1)]
        return "\n".join(pages)
    if "spreadsheetml" in ctype:
        book = openpyxl.load_workbook(io.BytesIO(content), data_only=True)
        lines = []
        for sheet in book.worksheets:
            lines.append(f"--- sheet {sheet.title}")
            for row in sheet.iter_rows(values_only=True):
                lines.append("\t".join(cell(v) for v in row))
        return "\n".join(lines)
    charset = re.search(r"charset=([\w-]+)", ctype)
    encoding = "cp932" if charset and charset[1].lower() in ("shift_jis", "cp932") else "utf-8"
    if not re.search(r"text/|json|xml|javascript|csv", ctype):
        return f"BINARY {len(content)} bytes sha256 {hashlib.sha256(content).hexdigest()}"
    text = content.decode(encoding, errors="replace")
    if "json" in ctype:
        with contextlib.suppress(ValueError):  # one value per line: a diff points at it
            text = json.dumps(json.loads(text), ensure_ascii=False, indent=1)
    return text


# What differs between two captures of the same code (see the module docstring).
CSRF = re.compile(r"(csrfmiddlewaretoken[\"'] value=[\"'])[\w-]+")
# Random per run, but the same value may recur in a page (an indicator's series across years,
# an invitation's link): numbered in order of appearance, so that the pairing is still compared.
RANDOM = re.compile(
    r"\b[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\b"  # uuid4
    r"|(?<=token=)[A-Z0-9]{8,}"  # survey invitation tokens ...
    r"|\b(?=[\d-]*[A-Z])[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}\b"  # ... and codes (not 2024-…)
)
# A date and time: 2026年12月2日 15:40, 2026-12-02T15:40:05+09:00, 2026/12/02 15:40, and the
# portal's 令和8年12月2日（2026年12月2日） 15:40.
DATETIME = re.compile(
    r"(20\d\d)(?:年(\d{1,2})月(\d{1,2})日）?|[-/](\d\d)[-/](\d\d))[ T]?"
    r"\d{1,2}:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?"
)
# The demo data is stamped "now" while it is loaded, and its surveys opened a week before and
# close 90 days after: times of day in that window differ between runs (the dates do not).
WINDOW = (datetime.timedelta(days=-9), datetime.timedelta(days=92))


def mask_clock(match: re.Match) -> str:
    try:
        day = datetime.date(int(match[1]), int(match[2] or match[4]), int(match[3] or match[5]))
    except ValueError:  # not a date after all
        return match[0]
    today = datetime.date.today()
    if today + WINDOW[0] <= day <= today + WINDOW[1]:
        return re.sub(r"[ T]?\d{1,2}:\d\d.*", " hh:mm", match[0])
    return match[0]


def normalise(text: str, tmp: Path) -> str:
    text = CSRF.sub(r"\1CSRF", text.replace(str(tmp), "TMP"))
    text = DATETIME.sub(mask_clock, text)
    labels: dict[str, str] = {}
    return RANDOM.sub(lambda m: labels.setdefault(m[0], f"RANDOM-{len(labels) + 1}"), text)


def fetch(client, url: str, tmp: Path) -> tuple[str, str, str, str]:
    """(snapshot text, status, content type, raw body for finding links) of one GET."""
    response = client.get(url)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    response.close()
    body, ctype = body_text(response, content), response.get("Content-Type", "")
    head = [f"URL {url}", f"STATUS {response.status_code}"]
    for header in ("Content-Type", "Location", "Content-Disposition", "Cache-Control"):
        if response.has_header(header):
            head.append(f"{header} {response[header]}")
    # Validators change with every load of the data: only whether they are sent is behaviour.
    head += [f"{h} (sent)" for h in ("ETag", "Last-Modified") if response.has_header(h)]
    if getattr(response, "exc_info", None):  # where it broke: the snapshot keeps only the message
        frame = traceback.extract_tb(response.exc_info[2])[-1]
        where = f"{frame.filename}:{frame.lineno}"
        print(f"  {response.status_code} {url}: {body[:300]} at {where}", file=sys.stderr)
    text = normalise("\n".join(head) + "\n\n" + body, tmp)
    return text, str(response.status_code), ctype.split(";")[0], body


def crawl(client, user: str, seeds: list[str], prefixes, budget: int, out: Path, tmp, index):
    """Breadth-first from ``seeds`` (all fetched), following links up to ``budget`` URLs."""
    queue, found_on, variants = deque(dict.fromkeys(seeds)), dict.fromkeys(seeds, "-"), {}
    while queue:
        url = queue.popleft()
        started = time.monotonic()
        text, status, ctype, raw = fetch(client, url, tmp)
        elapsed = int((time.monotonic() - started) * 1000)
        name = hashlib.sha1(f"{user}\n{url}".encode()).hexdigest()[:20] + ".txt"
        (out / name).write_text(f"USER {user}\n{text}\n", encoding="utf-8")
        index.append("\t".join([user, url, status, ctype, name, str(elapsed), found_on[url]]))
        for link in links(url, raw) if ctype == "text/html" else []:
            fresh = len(found_on) < budget and link not in found_on
            if fresh and allowed(link, prefixes, variants, budget):
                found_on[link] = url
                queue.append(link)
    return len(found_on)


def capture(outdir: Path) -> int:
    started = time.monotonic()
    outdir.mkdir(parents=True, exist_ok=False)
    with tempfile.TemporaryDirectory(prefix="hoshin-snapshot-") as folder:
        tmp = Path(folder)
        setup_django(tmp)
        usernames = load_demo_data()
        print(f"demo data loaded in {time.monotonic() - started:.0f}s", file=sys.stderr)
        # Answer as in production: the city's 404 page, not DEBUG's list of every URL pattern.
        settings.DEBUG = False

        index = ["user\turl\tstatus\tcontent_type\tfile\tms\tfound_on"]
        users = get_user_model().objects.filter(username__in=usernames).order_by("username")
        visitors = [(ANONYMOUS, public_urls(), ("/",), MAX_ANONYMOUS)]
        visitors += [(user, staff_urls(), ("/staff/",), MAX_PER_ROLE) for user in users]
        for user, seeds, prefixes, budget in visitors:
            client = Client(raise_request_exception=False)  # a 500 is recorded, not raised
            if user != ANONYMOUS:
                client.force_login(user)
            name = getattr(user, "username", user)
            count = crawl(client, name, seeds, prefixes, budget, outdir, tmp, index)
            print(f"{name}: {count} URLs after {time.monotonic() - started:.0f}s", file=sys.stderr)
        (outdir / "index.tsv").write_text("\n".join(index) + "\n", encoding="utf-8")
    print(f"captured {len(index) - 1} responses in {time.monotonic() - started:.0f}s")
    return 0


def read_index(folder: Path) -> dict[tuple[str, str], str]:
    """(user, URL) → snapshot file."""
    rows = (folder / "index.tsv").read_text(encoding="utf-8").splitlines()[1:]
    return {(row[0], row[1]): row[4] for row in (line.split("\t") for line in rows)}


def lines(path: Path, width: int = 160) -> list[str]:
    """A snapshot's lines, long ones cut in pieces so that a diff shows where they differ."""
    text = path.read_text(encoding="utf-8").splitlines()
    return [line[i : i + width] for line in text for i in range(0, max(len(line), 1), width)]


def compare(a: Path, b: Path, max_diff_lines: int = 40) -> int:
    left, right = read_index(a), read_index(b)
    only_a, only_b = sorted(left.keys() - right.keys()), sorted(right.keys() - left.keys())
    differing = []
    for key in sorted(left.keys() & right.keys()):
        text_a, text_b = lines(a / left[key]), lines(b / right[key])
        if text_a != text_b:
            differing.append((key, text_a, text_b))
    for (user, url), text_a, text_b in differing:
        print(f"=== {user} {url}")
        diff = list(difflib.unified_diff(text_a, text_b, str(a), str(b), n=1, lineterm=""))
        for line in diff[:max_diff_lines]:
            print(line[:200])
        if len(diff) > max_diff_lines:
            print(f"... {len(diff) - max_diff_lines} more diff lines")
    for label, keys in ((a, only_a), (b, only_b)):
        for user, url in keys[:50]:
            print(f"only in {label}: {user} {url}")
    common = len(left.keys() & right.keys())
    print(
        f"compared {common} URLs: {common - len(differing)} identical, {len(differing)} "
        f"differing, {len(only_a)} only in {a}, {len(only_b)} only in {b}"
    )
    return 1 if differing or only_a or only_b else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("capture").add_argument("outdir", type=Path)
    pair = commands.add_parser("compare")
    pair.add_argument("dir_a", type=Path)
    pair.add_argument("dir_b", type=Path)
    args = parser.parse_args()
    return capture(args.outdir) if args.command == "capture" else compare(args.dir_a, args.dir_b)


if __name__ == "__main__":
    sys.exit(main())

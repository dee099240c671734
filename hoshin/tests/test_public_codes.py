"""No internal code in public text (issue 11 item 8): ``continue``, ``in_progress``, ``answered``…
are values for programs, never words for citizens.

On the demo data (both seed plans, the demo evaluations, voices and surveys, the search index),
every public page reachable from the home page — HTML pages, Atom feeds and PDFs — and the search
results and indexed texts are searched for every choice code of the public models and of the
evaluation scales, as a word of the visible text. Codes that are their own label (grade ``A``)
are words a citizen reads and are not looked for. Pages whose job is to document the machine
names (the data dictionary, the API documentation) and the data files themselves, where codes
have their own columns, are not crawled.
"""

import html
import io
import re
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import override_settings
from django.urls import Resolver404, resolve, reverse

from conftest import COMPREHENSIVE_SEED, REFORM_SEED, shared_data
from hoshin.evaluations import defaults
from hoshin.evaluations.selectors.public import sheets_published
from hoshin.plans.models import Plan
from hoshin.search.models import Scope, SearchEntry

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

REFORM_PLAN = "第6次行財政改革大綱に基づく実施計画"
PUBLIC_APPS = ("org", "plans", "evaluations", "voices", "surveys", "search")
CODE = re.compile(r"[a-z][a-z0-9_]+")
NOT_CRAWLED = ("/staff/", "/admin/", "/api/", "/static/", "/opendata/dictionary/")
DATA_FILE = re.compile(r"^/opendata/.+\.(csv|json|xlsx)$")
PAGES_PER_VIEW = 15  # enough of each kind of page to meet every code the demo uses
SEARCH_WORDS = ("継続", "拡充", "改善", "評価", "推進", "市民", "取組", "完了", "回答")


def public_codes() -> dict[str, str]:
    """code → where it comes from, for every choice of the public models and every scale."""
    codes: dict[str, str] = {}

    def add(code, label, where):
        code = str(code)
        if CODE.fullmatch(code) and code != str(label):
            codes.setdefault(code, where)

    for app in PUBLIC_APPS:
        for model in apps.get_app_config(app).get_models():
            for field in model._meta.get_fields():
                for code, label in getattr(field, "flatchoices", None) or []:
                    add(code, label, f"{model.__name__}.{field.name}")
    for name in dir(defaults):
        scale = getattr(defaults, name)
        if name.startswith("DEFAULT_") and isinstance(scale, list):
            for item in scale:
                if isinstance(item, dict):
                    add(item["code"], item["label"], name)
    return codes


class VisibleText(HTMLParser):
    """The text a person is shown (and read out): text nodes and alt/title/aria-label/placeholder.

    Links are collected on the way (``a``, ``link``), to crawl.
    """

    SHOWN = ("alt", "title", "aria-label", "placeholder")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style", "template"):
            self._hidden += 1
        if tag in ("a", "link") and attrs.get("href"):
            self.links.append(attrs["href"])
        self.parts += [attrs[name] for name in self.SHOWN if attrs.get(name)]

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(body: str) -> tuple[str, list[str]]:
    parser = VisibleText()
    parser.feed(body)
    text = "\n".join(parser.parts)
    if "<" in text:  # an Atom entry's HTML content, escaped once: its text too
        inner = VisibleText()
        inner.feed(html.unescape(text))
        text = "\n".join(inner.parts)
    return text, parser.links


def pdf_text(data: bytes) -> str:
    import pypdf

    return "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def leaks(text: str, codes: dict[str, str]) -> list[str]:
    found = []
    for code, where in codes.items():
        match = re.search(rf"(?<![A-Za-z0-9_]){re.escape(code)}(?![A-Za-z0-9_])", text)
        if match:
            context = text[max(0, match.start() - 30) : match.end() + 30].replace("\n", " ")
            found.append(f"{code} ({where}): …{context}…")
    return found


@shared_data
def demo():
    """What ``make demo-data`` builds (about 30 s), once for this module."""
    quiet = {"verbosity": 0, "stdout": io.StringIO()}
    with override_settings(DEBUG=True):  # create_demo_users refuses to run in production
        for seed, name in ((REFORM_SEED, REFORM_PLAN), (COMPREHENSIVE_SEED, "総合計画")):
            call_command(
                "import_plan",
                str(seed),
                "--plan",
                name,
                "--create-departments",
                "--publish",
                **quiet,
            )
        call_command("create_demo_users", **quiet)
        call_command("seed_demo_evaluations", "--plan", REFORM_PLAN, **quiet)
        call_command("seed_demo_voices", "--plan", REFORM_PLAN, **quiet)
        call_command("seed_demo_surveys", **quiet)
        call_command("search_rebuild", **quiet)
    return Plan.objects.get(name=REFORM_PLAN).pk


def result_pages() -> list[str]:
    """An action page for each grade, direction and progress status published sheets use."""
    pages: dict[tuple, str] = {}
    for sheet in sheets_published().filter(action__isnull=False).select_related("action"):
        for key in (
            ("grade", sheet.overall_grade),
            ("direction", sheet.future_direction),
            ("status", sheet.progress_status),
            ("progress", sheet.progress_grade),
        ):
            pages.setdefault(key, sheet.action.get_absolute_url())
    assert len(pages) > 8
    return list(dict.fromkeys(pages.values()))


def crawl(client) -> dict[str, str]:
    """path → visible text of every public page reachable from the home page (a few per view),
    the action pages of ``result_pages`` first."""
    seen: set[str] = set()
    per_view: Counter = Counter()
    queue = [*result_pages(), reverse("portal:home")]
    texts: dict[str, str] = {}
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        try:
            view = resolve(urlsplit(path).path).url_name or path
        except Resolver404:
            continue
        per_view[view] += 1
        if per_view[view] > PAGES_PER_VIEW:
            continue
        response = client.get(path)
        if response.status_code != 200:
            continue
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if response["Content-Type"].startswith("application/pdf"):
            texts[path] = pdf_text(body)
            continue
        text, links = visible_text(body.decode())
        texts[path] = text
        for link in links:
            target = urldefrag(html.unescape(link)).url
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue  # another site (the licence's page …)
            if parts.path.startswith(NOT_CRAWLED) or DATA_FILE.match(parts.path):
                continue
            queue.append(target)
    return texts


def test_the_codes_looked_for_include_those_seen_leaking(demo):
    codes = public_codes()
    for code in ("continue", "expand", "in_progress", "answered", "outsourced", "necessity"):
        assert code in codes
    assert "A" not in codes  # a grade's letter is its label, a word citizens read


def test_no_public_page_shows_an_internal_code(client, demo):
    codes = public_codes()
    texts = crawl(client)
    kinds = {resolve(urlsplit(path).path).url_name for path in texts}
    # The crawl reached every kind of public page the demo has.
    for kind in ("home", "plan", "action", "department", "published_detail", "sheet_pdf"):
        assert kind in kinds, sorted(kinds)
    assert any(path.endswith(".atom") for path in texts)
    found = {path: hits for path, text in texts.items() if (hits := leaks(text, codes))}
    assert not found, "\n".join(f"{path}: {hits}" for path, hits in found.items())


def test_search_results_and_the_index_show_no_internal_code(client, demo):
    codes = public_codes()
    found = []
    for word in SEARCH_WORDS:
        response = client.get(reverse("search:public"), {"q": word})
        assert response.status_code == 200
        text, _links = visible_text(response.content.decode())
        found += [f"q={word}: {hit}" for hit in leaks(text, codes)]
    entries = SearchEntry.objects.filter(scope=Scope.PUBLIC)
    assert entries.filter(kind="sheet").exists()
    for entry in entries.iterator():
        text = f"{entry.title}\n{entry.context}\n{entry.body}"
        found += [f"{entry.kind} {entry.object_id}: {hit}" for hit in leaks(text, codes)]
    assert not found, "\n".join(found[:30])

"""Project-wide pytest fixtures.

The browser tests of every app (``pytest -m browser``) share what is here: ONE session-wide
Chromium (Playwright's sync API allows one running instance per thread, so a second launch in
another module fails), pages that may not leave the test server, the axe-core check (WCAG 2.1
A/AA) and full-page screenshots. Playwright is imported inside the fixture, so a run without
browser tests does not need it.
"""

import os
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent
SEEDS_DIR = BASE_DIR.parent / "shared" / "seeds"
REFORM_SEED = SEEDS_DIR / "001_93b4eaf820d612a8.txt"
COMPREHENSIVE_SEED = SEEDS_DIR / "000_78a06c49d3f23c0e.txt"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_JS = BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SCREENSHOTS = BASE_DIR / "artifacts" / "screenshots"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # Real hashing costs ~100 ms per user; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _download_cache(settings, tmp_path):
    """Finished open-data files go to the test's own folder, never to var/cache."""
    settings.HOSHIN_DOWNLOAD_CACHE_DIR = str(tmp_path / "downloads")


@pytest.fixture(autouse=True)
def _empty_caches():
    """Every test starts with empty caches (pages, rate limits): tests share one process."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture
def reform_seed_bytes() -> bytes:
    return REFORM_SEED.read_bytes()


@pytest.fixture
def comprehensive_seed_bytes() -> bytes:
    return COMPREHENSIVE_SEED.read_bytes()


# ---- browser tests ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium, launched once for the whole session and shared by every app."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium fonts-noto-cjk (make setup)")
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `npm ci` in the project root (make setup)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run while
    # one is running unless told that the (single-threaded) test knows what it is doing.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_page(browser):
    """``new_page(viewport="phone", javascript=False)``: a page in a fresh context.

    ``viewport`` is "desktop" (1280×900), "phone" (390×844) or a {"width", "height"} dict.

    Any request that leaves the test server is aborted (the site must work on a closed
    network). Contexts still open when the test ends are closed.
    """
    contexts = []

    def make(*, viewport="desktop", javascript=True):
        context = browser.new_context(
            viewport=VIEWPORTS.get(viewport, viewport),
            locale="ja-JP",
            java_script_enabled=javascript,
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith(("http://localhost", "http://127.0.0.1"))
                else route.abort()
            ),
        )
        return page

    yield make
    for context in contexts:
        context.close()  # a no-op for contexts the test closed itself


class Axe:
    """axe-core, injected from node_modules, run against WCAG 2.1 A and AA.

    axe runs in the page, so the page needs JavaScript (it hangs in a javascript=False one).
    """

    HEADER = "axe-core found WCAG 2.1 A/AA violations:"

    def violations(self, page) -> list[dict]:
        page.add_script_tag(content=AXE_JS.read_text())
        return page.evaluate(
            """async (tags) => {
                const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
                return result.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
                    nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html,
                                              summary: n.failureSummary})),
                }));
            }""",
            AXE_TAGS,
        )

    @staticmethod
    def describe(violations: list[dict]) -> str:
        """One block per rule: impact, rule id and help, then up to five offending nodes."""
        lines = []
        for violation in violations:
            lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
            lines.append(f"    {violation['url']}")
            for node in violation["nodes"][:5]:
                lines.append(f"    at {node['target']}: {node['html'][:160]}")
                lines.append("      " + (node["summary"] or "").replace("\n", "\n      "))
            if len(violation["nodes"]) > 5:
                lines.append(f"    … and {len(violation['nodes']) - 5} more")
        return "\n".join(lines)

    def findings(self, page, label: str) -> list[str]:
        """[] when ``page`` passes, else one readable block headed by ``label`` and its URL."""
        violations = self.violations(page)
        if not violations:
            return []
        return [f"--- {label} {page.url}\n{self.describe(violations)}"]

    def message(self, failures: list[str]) -> str:
        return "\n".join([self.HEADER, *failures])

    def assert_clean(self, page, label: str = "page") -> None:
        """Fail the test unless axe-core finds no WCAG 2.1 A/AA violation on ``page``."""
        failures = self.findings(page, label)
        assert not failures, self.message(failures)


@pytest.fixture
def axe() -> Axe:
    return Axe()


@pytest.fixture
def screenshot():
    """``screenshot(page, name)``: a full-page PNG in artifacts/screenshots/ (git-ignored)."""

    def take(page, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return take

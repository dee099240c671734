"""Project-wide pytest fixtures.

The browser tests of every app (``pytest -m browser``) share what is here: ONE session-wide
Chromium (Playwright's sync API allows one running instance per thread, so a second launch in
another module fails), pages that may not leave the test server, the axe-core check (WCAG 2.1
A/AA) and full-page screenshots. Playwright is imported inside the fixture, so a run without
browser tests does not need it.

``shared_data`` (below) builds a test module's expensive data once for the tests that only read
it, the way Django's ``setUpTestData`` does.
"""

import base64
import copy
import inspect
import os
import shutil
import tempfile
import time
from collections.abc import Callable
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
# Reports each Content-Security-Policy violation as a console message (new_page collects them).
CSP_VIOLATION = "CSP violation:"
CSP_LISTENER = (
    "document.addEventListener('securitypolicyviolation', (e) => console.error("
    f"'{CSP_VIOLATION} ' + e.effectiveDirective + ' blocked ' + (e.blockedURI || 'inline') + "
    "' at ' + e.sourceFile + ':' + e.lineNumber + ' (' + document.location.pathname + ')'));"
)
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # Real hashing costs ~100 ms per user; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _force_login_passes_second_factor(monkeypatch):
    """``client.force_login(user)`` means fully signed in: password AND second factor.

    The second-factor gate (``hoshin.accounts.middleware``) stays active in every test; tests
    that force a login (admins and public-hearing staff among them) get a confirmed test
    authenticator and a session marked as verified by it, as after a real second step. Tests of
    the sign-in itself go through the login form instead.
    """
    from django.test import Client

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="テスト用", confirmed=True)
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


def browser_sign_in(page, base_url: str, username: str, password: str = "pw") -> None:
    """Sign in through the login form in a browser, with the second step when the user's role
    needs one: a code from the user's authenticator, or setting one up (reading the secret off
    the page, as a person would type it into an app)."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    page.goto(base_url + "/staff/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="ログイン").click()
    if "/staff/account/second-factor/setup/" in page.url:
        secret = page.locator("#otp-secret").inner_text().replace(" ", "")
        key = base64.b32decode(secret + "=" * (-len(secret) % 8))
        page.locator("input[name=code]").fill(f"{totp(key):06d}")
        with page.expect_navigation():
            page.get_by_role("button", name="確認して設定する").click()
        with page.expect_navigation():
            page.get_by_role("link", name="保管しました。続ける").click()
    elif "/staff/account/second-factor/" in page.url:
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        step = (int(time.time()) - device.t0) // device.step
        if device.last_t >= step:
            # A code is accepted once per 30-second step (replays are refused). A person never
            # signs in twice within one step; a test does, so forget the last step used.
            TOTPDevice.objects.filter(pk=device.pk).update(last_t=step - 1)
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        page.locator("input[name=code]").fill(f"{code:0{device.digits}d}")
        with page.expect_navigation():
            page.get_by_role("button", name="確認する").click()


@pytest.fixture(autouse=True)
def _tasks_run_immediately(settings):
    """Queued jobs run at once in the test's process (django-tasks' immediate backend); the
    queue's own tests (hoshin/queue/tests) put the database backend and real workers back."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _download_cache(settings, tmp_path):
    """Finished open-data files go to the test's own folder, never to var/cache."""
    settings.HOSHIN_DOWNLOAD_CACHE_DIR = str(tmp_path / "downloads")


@pytest.fixture(autouse=True)
def _empty_caches():
    """Every test starts with empty caches (pages): tests share one process.

    The default cache is a database table (settings.CACHES): a test's entries roll back with
    its transaction like any other row, and tests without the database may not touch it.
    Rate limits count in hoshin.throttle's table, which rolls back too.
    """
    from django.core.cache import caches
    from django.core.cache.backends.db import BaseDatabaseCache

    for cache in caches.all():
        if not isinstance(cache, BaseDatabaseCache):
            cache.clear()


@pytest.fixture
def reform_seed_bytes() -> bytes:
    return REFORM_SEED.read_bytes()


@pytest.fixture
def comprehensive_seed_bytes() -> bytes:
    return COMPREHENSIVE_SEED.read_bytes()


# ---- data shared between tests ------------------------------------------------------------
#
# Seeding the demo or building a published plan with results takes from a fraction of a second
# to 15 s; many tests only read what was built. ``@shared_data`` turns a builder into a fixture
# whose data is built once and kept, inside an open transaction, for the following tests that
# ask for the same data; each test still runs in its own savepoint (pytest-django's ``db``), so
# whatever it writes is rolled back, and the data is rolled back as soon as a test asks for
# something else. Which data is open is decided per test, just before its transaction starts:
#
# * a test sees exactly the shared data it asks for (through its fixtures), never data left by
#   another test: a database test that asks for none (or for other data) gets it rolled back
#   first, whatever order the tests run in;
# * transactional tests (``transaction=True``, ``live_server``) flush every table: the shared
#   transaction is rolled back before them, and they may not ask for shared data;
# * every test gets its own deep copy of the built objects (as ``setUpTestData`` does), so
#   changing an attribute in one test does not leak into the next;
# * the builder runs with the tests' cheap password hasher and with files going to a temporary
#   folder; caches are emptied and mail sent while building is dropped afterwards, so the first
#   test of a run sees the same as the others. After-commit callbacks (the search index) never
#   run for the shared data, exactly as when a test builds it inside its own transaction: call
#   the search rebuild in the builder if the tests search it.


class _SharedData:
    """The shared data currently open: which builders, their values, and the transaction."""

    def __init__(self):
        self.key: frozenset = frozenset()
        self.values: dict[Callable, object] = {}
        self.copies: dict[Callable, object] | None = None  # the current test's deep copy
        self.atomic = None
        self.blocker = None
        self.folder: str | None = None
        self.finalizer_added = False

    def prepare(self, request) -> None:
        """Before a test's own transaction: open the data it asks for, roll back the rest."""
        item = request.node
        builders = _shared_builders(item)
        wanted = frozenset(builders)
        if wanted and _is_transactional(item):
            names = ", ".join(sorted(builder.__name__ for builder in wanted))
            pytest.fail(f"shared data ({names}) cannot be used by a transactional test")
        self.copies = None
        if wanted == self.key:
            return
        self.blocker = request.getfixturevalue("django_db_blocker")
        self.release()
        if not wanted:
            return
        if not self.finalizer_added:
            # Registered after django_db_setup, so it runs before the test database is dropped.
            request.session.addfinalizer(self.release)
            self.finalizer_added = True
        self.open(builders)

    def open(self, builders: list[Callable]) -> None:
        from django.core import mail
        from django.core.cache import caches
        from django.db import transaction
        from django.test.utils import override_settings

        self.folder = tempfile.mkdtemp(prefix="hoshin-shared-data-")
        outbox = list(getattr(mail, "outbox", []))
        with self.blocker.unblock():
            self.atomic = transaction.atomic()
            # Like TestCase's own blocks: a durable atomic block inside a test is allowed.
            self.atomic._from_testcase = True
            self.atomic.__enter__()
            try:
                with override_settings(
                    PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
                    HOSHIN_DOWNLOAD_CACHE_DIR=str(Path(self.folder) / "downloads"),
                    MEDIA_ROOT=str(Path(self.folder) / "media"),
                ):
                    for builder in builders:  # each after the shared data it is built on
                        args = [self.values[dependency] for dependency in builder.dependencies]
                        self.values[builder] = builder(*args)
            except BaseException:
                self.release()
                raise
            # Inside the shared transaction: the default cache is a database table.
            for cache in caches.all():
                cache.clear()
        self.key = frozenset(builders)
        if hasattr(mail, "outbox"):
            mail.outbox[:] = outbox

    def value(self, builder: Callable) -> object:
        """``builder``'s data for the current test: one deep copy of all of it per test, so that
        objects shared by two fixtures stay the same object within the test."""
        if self.copies is None:
            self.copies = copy.deepcopy(self.values)
        return self.copies[builder]

    def release(self) -> None:
        if self.atomic is not None:
            from django.db import transaction

            with self.blocker.unblock():
                transaction.set_rollback(True)
                self.atomic.__exit__(None, None, None)
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
        self.key, self.values, self.copies = frozenset(), {}, None
        self.atomic, self.folder = None, None


_SHARED = _SharedData()


def _shared_builders(item) -> list[Callable]:
    """The builders of the shared data ``item`` uses, each after those it is built on."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return []
    builders: list[Callable] = []

    def add(builder: Callable) -> None:
        if builder not in builders:
            for dependency in builder.dependencies:
                add(dependency)
            builders.append(builder)

    for name in item.fixturenames:
        definitions = info.name2fixturedefs.get(name)
        builder = definitions and getattr(definitions[-1].func, "shared_builder", None)
        if builder is not None:
            add(builder)
    return builders


def _is_transactional(item) -> bool:
    """pytest-django's own rule for running a test in TransactionTestCase."""
    from pytest_django.fixtures import validate_django_db

    marker = item.get_closest_marker("django_db")
    transactional, reset_sequences = validate_django_db(marker)[:2] if marker else (False, False)
    return (
        transactional
        or reset_sequences
        or bool(
            {"transactional_db", "live_server", "django_db_reset_sequences"}
            & set(item.fixturenames)
        )
    )


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    # pytest-django opens the test's transaction in ``_django_db_helper``, after the database
    # exists: the shared transaction must be open (or closed) just before.
    if fixturedef.argname == "_django_db_helper":
        _SHARED.prepare(request)
    return (yield)


def shared_data(*dependencies):
    """Decorator: a fixture named like the builder, whose value is built once and shared.

    The builder runs before the test's own fixtures, so it takes no fixtures; it returns what
    the tests receive (a deep copy for each test). ``@shared_data(world)`` builds on another
    shared fixture: the builder receives that one's value (the original, not a copy). The
    fixture implies database access (``db``).
    """
    if len(dependencies) == 1 and not hasattr(dependencies[0], "shared_builder"):
        return _shared_fixture(dependencies[0], ())  # used without parentheses
    return lambda builder: _shared_fixture(builder, dependencies)


def _shared_fixture(builder: Callable, dependencies: tuple):
    bases = [getattr(dependency, "shared_builder", None) for dependency in dependencies]
    if None in bases:
        raise TypeError(f"{builder.__name__}: @shared_data(...) takes shared-data fixtures only")
    if len(inspect.signature(builder).parameters) != len(bases):
        raise TypeError(f"{builder.__name__}: takes one argument per shared fixture it is built on")
    builder.dependencies = bases

    def fixture(db, **_dependencies):
        return _SHARED.value(builder)

    # Name the dependencies in the signature, so pytest counts them among the test's fixtures.
    fixture.__signature__ = inspect.Signature(
        [
            inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD)
            for name in ["db", *(base.__name__ for base in bases)]
        ]
    )
    fixture.shared_builder = builder
    fixture.__name__ = builder.__name__
    fixture.__doc__ = builder.__doc__
    definition = pytest.fixture(name=builder.__name__)(fixture)
    definition.shared_builder = builder  # for @shared_data(definition)
    return definition


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

    Every browser test is also a Content-Security-Policy test (issue 10): a violation the
    browser reports on any page (an inline script or style, a handler attribute, a resource from
    elsewhere) fails the test when it ends, with the directive and the place.
    """
    contexts = []
    violations: list[str] = []

    def make(*, viewport="desktop", javascript=True):
        context = browser.new_context(
            viewport=VIEWPORTS.get(viewport, viewport),
            locale="ja-JP",
            java_script_enabled=javascript,
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.add_init_script(CSP_LISTENER)
        page.on(
            "console",
            lambda message: (
                violations.append(message.text) if message.text.startswith(CSP_VIOLATION) else None
            ),
        )
        page.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith(("http://localhost", "http://127.0.0.1"))
                else route.abort()
            ),
        )
        return page

    make.csp_violations = violations  # a test may look (and clear what it planted)
    yield make
    for context in contexts:
        context.close()  # a no-op for contexts the test closed itself
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)


class Axe:
    """axe-core, injected from node_modules, run against WCAG 2.1 A and AA.

    axe runs in the page, so the page needs JavaScript (it hangs in a javascript=False one).
    """

    HEADER = "axe-core found WCAG 2.1 A/AA violations:"

    def violations(self, page) -> list[dict]:
        # Evaluated through the DevTools protocol, which the page's Content-Security-Policy
        # does not govern (an inline <script> tag would be refused, rightly).
        page.evaluate(AXE_JS.read_text())
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
    """``screenshot(page, name)``: a full-page PNG in artifacts/screenshots/ (git-ignored);
    ``screenshot.both(page, name)``: the same at phone and at desktop width."""

    def take(page, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    def both(page, name: str) -> None:
        """``screenshot.both(page, name)``: the page at 390 and at 1280 px wide (a journey's
        step), as ``name-phone.png`` and ``name-desktop.png``; the page keeps its own size."""
        size = page.viewport_size
        for width in ("phone", "desktop"):
            page.set_viewport_size(VIEWPORTS[width])
            take(page, f"{name}-{width}")
        page.set_viewport_size(size)

    take.both = both
    return take

"""The second-factor gate: a session that passed the password but not the second factor reaches
no staff page, no admin page and no API-token page — every URL, any method — and is a plain
visitor on the public pages."""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from hoshin.accounts.services import authenticator_for_demo
from hoshin.accounts.tests.helpers import ENROL, VERIFY, sign_in
from hoshin.org.models import Role
from hoshin.org.tests.factories import make_department, make_plan, make_user

pytestmark = pytest.mark.django_db

SAMPLE = {"int": "1", "str": "x", "slug": "x", "path": "x", "uuid": "0" * 32}
ADMIN_URLS = [
    "/admin/",
    "/admin/org/user/",
    "/admin/org/user/1/change/",
    "/admin/axes/accessattempt/",
    "/admin/otp_totp/totpdevice/",
    "/admin/audit/auditentry/",
    "/admin/password_change/",
]


def _routes(patterns, prefix=""):
    """Every route of the project as a URL with sample arguments (regex routes skipped)."""
    for entry in patterns:
        route = getattr(entry.pattern, "_route", None)
        if route is None:
            continue
        url = prefix + re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE[m.group(1) or "str"], route)
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, url)
        elif isinstance(entry, URLPattern):
            yield "/" + url


def gated_urls() -> list[str]:
    staff = [url for url in _routes(get_resolver().url_patterns) if url.startswith("/staff/")]
    return sorted(set(staff)) + ADMIN_URLS


def test_the_list_covers_every_kind_of_staff_page():
    urls = gated_urls()
    for expected in (
        "/staff/",
        "/staff/api-tokens/",
        "/staff/voices/",
        "/staff/surveys/",
        "/staff/sheets/1/save/",
        "/staff/plans/import/",
        "/staff/accounts/lockouts/",
    ):
        assert expected in urls
    assert len(urls) > 60


@pytest.mark.parametrize("step", ["verify", "enrol"])
def test_a_half_signed_in_session_reaches_no_staff_or_admin_url(step):
    hearing = make_user(
        "hearing", role=Role.ADMIN, department=make_department("広聴課"), is_staff=True
    )
    make_plan("計画")
    if step == "verify":
        authenticator_for_demo(user=hearing)
    client = Client()
    assert sign_in(client, "hearing").status_code == 302
    target = VERIFY if step == "verify" else ENROL
    allowed = {target, "/staff/logout/"}
    leaks = []
    for url in gated_urls():
        if url in allowed:
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if response.status_code != 302 or not response.url.startswith(target):
                leaks.append((method, url, response.status_code))
    assert leaks == []


def test_a_direct_post_changes_nothing():
    admin = make_user("admin", role=Role.ADMIN)
    authenticator_for_demo(user=admin)
    plan = make_plan("計画")
    client = Client()
    sign_in(client, "admin")
    response = client.post(f"/staff/plans/{plan.pk}/publish/", {"published": "on"})
    assert response.status_code == 302 and response.url.startswith(VERIFY)
    plan.refresh_from_db()
    assert not plan.is_published
    response = client.post("/staff/api-tokens/", {"name": "盗む"})
    assert response.status_code == 302
    assert not admin.api_tokens.exists()


def test_on_public_pages_a_half_signed_in_session_is_a_visitor():
    admin = make_user("admin", role=Role.ADMIN)
    authenticator_for_demo(user=admin)
    client = Client()
    sign_in(client, "admin")
    response = client.get("/")
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated


def test_the_second_step_and_the_log_out_stay_reachable():
    admin = make_user("admin", role=Role.ADMIN)
    authenticator_for_demo(user=admin)
    client = Client()
    sign_in(client, "admin")
    assert client.get(VERIFY).status_code == 200
    assert client.post("/staff/logout/").status_code == 302
    assert client.get(VERIFY).status_code == 302  # signed out: the login page
    assert client.session.get("_auth_user_id") is None


def test_admin_login_also_leads_to_the_second_step():
    root = make_user("root", is_superuser=True, is_staff=True)
    authenticator_for_demo(user=root)
    client = Client()
    response = client.post(
        "/admin/login/", {"username": "root", "password": "pw", "next": "/admin/"}
    )
    assert response.status_code == 302
    response = client.get("/admin/")
    assert response.status_code == 302 and response.url.startswith(VERIFY)


def test_a_user_without_a_required_second_factor_is_not_gated():
    make_user("editor", role=Role.DEPARTMENT_EDITOR, department=make_department("防災課"))
    client = Client()
    sign_in(client, "editor")
    assert client.get("/staff/").status_code == 200
    assert client.get("/staff/api-tokens/").status_code == 200

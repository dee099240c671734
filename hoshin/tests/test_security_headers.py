"""Response headers every page gets (issue 10):

- finding "staff pages send no Cache-Control": /staff/, /admin/ and the staff API answer
  `Cache-Control: private, no-store`, and so does every page for a signed-in user; public pages
  keep their own caching for everyone else;
- finding "no Content-Security-Policy": the policy is on every page (the browser tests check
  that the pages with behaviour raise no violation under it).
"""

import pytest
from django.urls import reverse

from hoshin.opendata.tests.builders import published_results
from hoshin.org.models import User

pytestmark = pytest.mark.django_db

PRIVATE = "private, no-store"


@pytest.fixture
def world():
    return published_results().world


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    parts = (part.strip().split(None, 1) for part in policy.split(";") if part.strip())
    return {name: (rest[0] if rest else "") for name, *rest in parts}


def test_staff_admin_and_staff_api_responses_are_private_and_not_stored(client, world):
    anonymous = [client.get("/staff/"), client.get("/admin/"), client.get("/api/v1/staff/sheets")]
    assert [r["Cache-Control"] for r in anonymous] == [PRIVATE] * 3  # even the redirect and 401
    client.force_login(world.editor)
    for url in ("/staff/", reverse("evaluations:sheets")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == PRIVATE, url


def test_public_pages_are_private_for_a_signed_in_user_only(client, world):
    url = world.bousai_action.get_absolute_url()
    public = client.get(url)
    assert public.status_code == 200
    assert "public" in public["Cache-Control"] and "no-store" not in public["Cache-Control"]
    # Only the language (its cookie or Accept-Language) varies a public page, never a session.
    assert {part.strip() for part in public["Vary"].split(",")} == {"Accept-Language", "Cookie"}
    client.force_login(world.editor)
    signed_in = client.get(url)
    assert signed_in["Cache-Control"] == PRIVATE


def test_a_stale_session_cookie_does_not_make_a_public_page_private(client, world):
    client.cookies["sessionid"] = "no-such-session"
    response = client.get(world.bousai_action.get_absolute_url())
    assert "public" in response["Cache-Control"]


def test_every_page_carries_the_content_security_policy(client, world):
    admin = User.objects.create_superuser("root", "root@example.jp", "pw-for-tests-only")
    pages = ["/", world.bousai_action.get_absolute_url(), reverse("voices:new")]
    for url in pages:
        policy = directives(client.get(url))
        assert policy == {
            "default-src": "'self'",
            "object-src": "'none'",
            "base-uri": "'self'",
            "form-action": "'self'",
            "frame-ancestors": "'none'",
        }, url
        assert "unsafe-inline" not in client.get(url)["Content-Security-Policy"]
    client.force_login(admin)
    assert directives(client.get("/admin/"))["default-src"] == "'self'"


def test_no_template_has_an_inline_script_style_attribute_or_event_handler():
    """What the policy forbids, caught before a browser reports it: every template in the
    project (the browser tests then exercise the pages with behaviour)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
    attributes = re.compile(r"\s(style|on[a-z]+)\s*=", re.I)
    found = []
    for path in root.rglob("*.html"):
        if "/email/" in str(path):  # e-mail bodies are not pages: no CSP applies
            continue
        text = path.read_text(encoding="utf-8")
        for pattern in (inline_script, attributes):
            found += [f"{path.relative_to(root)}: {m.group(0)!r}" for m in pattern.finditer(text)]
    assert not found, found

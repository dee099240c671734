"""Sessions: ended after inactivity (sliding), and a new session id at sign-in."""

import time

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client

from hoshin.accounts.middleware import LAST_SEEN_KEY
from hoshin.accounts.tests.helpers import sign_in
from hoshin.org.models import Role
from hoshin.org.tests.factories import make_department, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return make_user("editor", role=Role.DEPARTMENT_EDITOR, department=make_department("防災課"))


def _idle(client, minutes: float) -> None:
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time() - minutes * 60)
    session.save()


def test_a_session_idle_longer_than_the_limit_is_signed_out(client, editor):
    client.force_login(editor)
    assert client.get("/staff/").status_code == 200
    _idle(client, 31)
    response = client.get("/staff/")
    assert response.status_code == 302 and response.url.startswith("/staff/login/")
    assert client.session.get("_auth_user_id") is None
    login_page = client.get(response.url).content.decode()
    assert "31分" not in login_page and "30分以上操作がなかったため" in login_page
    assert client.get("/staff/").status_code == 302  # still signed out


def test_the_limit_slides_with_every_request(client, editor):
    client.force_login(editor)
    _idle(client, 29)
    assert client.get("/staff/").status_code == 200
    assert time.time() - client.session[LAST_SEEN_KEY] < 5  # the clock restarted
    _idle(client, 29)
    assert client.get("/staff/").status_code == 200


def test_the_idle_limit_is_a_setting(client, editor, settings):
    settings.HOSHIN_SESSION_IDLE_MINUTES = 5
    client.force_login(editor)
    _idle(client, 6)
    assert client.get("/staff/").status_code == 302


def test_an_idle_session_on_a_public_page_just_becomes_a_visitor(client, editor):
    client.force_login(editor)
    _idle(client, 31)
    response = client.get("/")
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated


def test_the_session_id_changes_at_sign_in(editor):
    # Session fixation: an id planted before the sign-in is worthless after it.
    planted = SessionStore()
    planted["planted"] = True
    planted.create()
    client = Client()
    client.cookies["sessionid"] = planted.session_key
    assert sign_in(client, "editor").status_code == 302
    assert client.cookies["sessionid"].value != planted.session_key
    assert client.session.get("_auth_user_id") == str(editor.pk)

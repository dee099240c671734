"""Signing in as a person does, through the forms, for the tests of hoshin.accounts."""

import re
from base64 import b32decode

from django_otp.oath import totp

LOGIN = "/staff/login/"
ADMIN_LOGIN = "/admin/login/"
VERIFY = "/staff/account/second-factor/"
ENROL = "/staff/account/second-factor/setup/"


def sign_in(client, username: str, password: str = "pw", *, address="127.0.0.1", path=LOGIN):
    """POST the login form (``path``: the staff or the admin login) from ``address``."""
    data = {"username": username, "password": password}
    if path == ADMIN_LOGIN:
        data["next"] = "/admin/"
    return client.post(path, data, REMOTE_ADDR=address)


def signed_in_user_id(client) -> str | None:
    return client.session.get("_auth_user_id")


def code_for(key: bytes, *, step: int = 0) -> str:
    """The authenticator's code now (``step``: that many 30-second periods later)."""
    return f"{totp(key, drift=step):06d}"


def secret_on_page(html: str) -> bytes:
    """The secret shown on the set-up page, as a person would type it into an app."""
    text = re.search(r'id="otp-secret"[^>]*>([A-Z2-7 ]+)<', html).group(1).replace(" ", "")
    return b32decode(text + "=" * (-len(text) % 8))

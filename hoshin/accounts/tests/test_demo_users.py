"""create_demo_users gives the demo users who need a second factor a usable one (make demo)."""

import re
from base64 import b32decode
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from hoshin.accounts.tests.helpers import VERIFY, code_for, sign_in

pytestmark = pytest.mark.django_db


def test_demo_users_who_need_a_second_factor_get_a_printed_secret_and_recovery_codes(settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("create_demo_users", stdout=out)
    output = out.getvalue()
    with_device = set(
        TOTPDevice.objects.filter(confirmed=True).values_list("user__username", flat=True)
    )
    assert with_device == {"demo-admin", "demo-hearing"}
    assert StaticToken.objects.filter(device__user__username="demo-hearing").count() == 10
    # The printed secret works in an authenticator app: sign in with a code computed from it.
    block = output.split("  demo-hearing\n", 1)[1]
    secret = re.search(r"設定キー（TOTP、30秒、6桁）: ([A-Z2-7]+)", block).group(1)
    key = b32decode(secret + "=" * (-len(secret) % 8))
    client = Client()
    sign_in(client, "demo-hearing", "hoshin-demo")
    assert client.get("/staff/").url.startswith(VERIFY)
    assert client.post(VERIFY, {"code": code_for(key)}).status_code == 302
    assert client.get("/staff/voices/").status_code == 200
    # A printed recovery code works too.
    code = re.search(r"回復コード: (\S+)", block).group(1)
    assert StaticToken.objects.filter(token=code).exists()

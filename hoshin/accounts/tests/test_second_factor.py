"""The second factor: set-up with a QR code and recovery codes, the code step with real TOTP
codes, recovery codes used once, a throttled code guesser, opting in, and the required roles."""

import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from hoshin.accounts.services import authenticator_for_demo
from hoshin.accounts.tests.helpers import (
    ENROL,
    VERIFY,
    code_for,
    secret_on_page,
    sign_in,
    signed_in_user_id,
)
from hoshin.audit.models import AuditEntry
from hoshin.org.models import Role
from hoshin.org.tests.factories import make_department, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def hearing():
    return make_user("hearing", role=Role.PUBLIC_HEARING, department=make_department("広聴課"))


@pytest.fixture
def editor():
    return make_user("editor", role=Role.DEPARTMENT_EDITOR, department=make_department("防災課"))


def _verify(client, code: str):
    return client.post(VERIFY, {"code": code, "next": "/staff/"})


def test_the_public_hearing_office_sets_up_an_authenticator_at_its_first_sign_in(hearing):
    client = Client()
    response = sign_in(client, "hearing")
    assert response.status_code == 302
    # Password accepted, but every staff page leads to the set-up first.
    response = client.get("/staff/")
    assert response.status_code == 302 and response.url.startswith(ENROL)
    page = client.get(ENROL)
    html = page.content.decode()
    assert "<svg" in html and "登録用のQRコード" in html  # inline, no outside service
    key = secret_on_page(html)
    wrong = client.post(ENROL, {"code": "000000" if code_for(key) != "000000" else "111111"})
    assert "コードが一致しません" in wrong.content.decode()
    TOTPDevice.objects.get(user=hearing).throttle_reset()  # django-otp's back-off
    session_before = client.session.session_key
    done = client.post(ENROL, {"code": code_for(key, step=1)})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(code in done.content.decode() for code in codes)
    assert "no-store" in done["Cache-Control"]  # recovery codes are never kept
    assert client.session.session_key != session_before  # a new session id at each step
    assert client.get("/staff/").status_code == 200
    device = TOTPDevice.objects.get(user=hearing, confirmed=True)
    assert device.bin_key == key
    assert AuditEntry.objects.filter(verb="signin.second_factor_enrol").count() == 1


def test_a_user_with_an_authenticator_types_a_code(hearing):
    device, _ = authenticator_for_demo(user=hearing)
    client = Client()
    sign_in(client, "hearing")
    session_after_password = client.session.session_key
    response = client.get("/staff/voices/")
    assert response.status_code == 302 and response.url.startswith(VERIFY)
    assert "next=%2Fstaff%2Fvoices%2F" in response.url
    assert code_for(device.bin_key) != "000000" and _verify(client, "000000").status_code == 200
    device.refresh_from_db()
    device.throttle_reset()  # django-otp's own back-off after a wrong code
    response = client.post(VERIFY, {"code": code_for(device.bin_key), "next": "/staff/voices/"})
    assert response.status_code == 302 and response.url == "/staff/voices/"
    assert client.session.session_key != session_after_password
    assert client.get("/staff/voices/").status_code == 200
    verbs = set(AuditEntry.objects.values_list("verb", flat=True))
    assert {"signin.success", "signin.failed", "signin.second_factor"} <= verbs
    failed = AuditEntry.objects.get(verb="signin.failed")
    assert failed.data["step"] == "second_factor"


def test_the_same_code_is_not_accepted_twice(hearing):
    device, _ = authenticator_for_demo(user=hearing)
    first = Client()
    sign_in(first, "hearing")
    code = code_for(device.bin_key)
    assert _verify(first, code).status_code == 302
    second = Client()
    sign_in(second, "hearing")
    assert _verify(second, code).status_code == 200  # replayed: refused


def test_a_recovery_code_signs_in_once(hearing):
    _, codes = authenticator_for_demo(user=hearing)
    client = Client()
    sign_in(client, "hearing")
    assert _verify(client, codes[0].upper()).status_code == 302
    assert client.get("/staff/").status_code == 200
    entry = AuditEntry.objects.get(verb="signin.recovery_code_used")
    assert entry.data["left"] == 9
    client.post("/staff/logout/")
    sign_in(client, "hearing")
    StaticDevice.objects.get(user=hearing).throttle_reset()
    assert _verify(client, codes[0]).status_code == 200  # used up
    assert client.get("/staff/").status_code == 302


def test_a_code_guesser_is_locked_out_like_a_password_guesser(hearing):
    device, _ = authenticator_for_demo(user=hearing)
    client = Client()
    sign_in(client, "hearing")
    statuses = [_verify(client, f"{n:06d}").status_code for n in range(10)]
    assert statuses[-1] == 429  # the 10th wrong code locks the account
    assert signed_in_user_id(client) is None  # and ends the half-signed-in session
    # Locked: even the right password and then the right code are refused.
    assert sign_in(Client(), "hearing").status_code == 429
    assert AuditEntry.objects.filter(verb="signin.lockout").count() == 1
    device.refresh_from_db()
    assert device.throttling_failure_count > 0  # django-otp's own throttle counted too


def test_a_half_signed_in_user_cannot_replace_the_authenticator_with_a_password_alone(hearing):
    # An attacker who knows the password must not enrol their own phone.
    authenticator_for_demo(user=hearing)
    client = Client()
    sign_in(client, "hearing")
    response = client.get(ENROL)
    assert response.status_code == 302 and response.url.startswith(VERIFY)
    assert client.post(ENROL, {"code": "123456"}).status_code == 302
    assert TOTPDevice.objects.filter(user=hearing).count() == 1


def test_staff_may_opt_in_and_are_then_asked_for_a_code(editor):
    client = Client()
    sign_in(client, "editor")
    assert client.get("/staff/").status_code == 200  # no second factor needed
    page = client.get("/staff/account/")
    assert "二要素認証を設定する" in page.content.decode()
    key = secret_on_page(client.get(ENROL).content.decode())
    assert client.post(ENROL, {"code": code_for(key)}).status_code == 200
    client.post("/staff/logout/")
    sign_in(client, "editor")
    assert client.get("/staff/").url.startswith(VERIFY)
    # And may opt out again once verified.
    assert _verify(client, code_for(key, step=1)).status_code == 302
    client.post("/staff/account/second-factor/remove/")
    assert not TOTPDevice.objects.filter(user=editor).exists()
    assert AuditEntry.objects.filter(verb="signin.second_factor_remove").exists()


def test_a_required_role_cannot_opt_out(client, hearing):
    client.force_login(hearing)
    client.post("/staff/account/second-factor/remove/")
    assert TOTPDevice.objects.filter(user=hearing).exists()


def test_a_setting_requires_a_second_factor_of_everyone(editor, settings):
    settings.HOSHIN_OTP_REQUIRED_FOR_ALL = True
    client = Client()
    sign_in(client, "editor")
    assert client.get("/staff/").url.startswith(ENROL)


def test_administrators_and_superusers_need_one_too():
    make_user("admin", role=Role.ADMIN)
    make_user("root", is_superuser=True, is_staff=True)
    for username in ("admin", "root"):
        client = Client()
        sign_in(client, username)
        assert client.get("/staff/").url.startswith(ENROL)


def test_new_recovery_codes_replace_the_old_ones(client, hearing):
    _, old = authenticator_for_demo(user=hearing)
    client.force_login(hearing)
    response = client.post("/staff/account/second-factor/recovery-codes/")
    new = response.context["codes"]
    assert len(new) == 10 and not set(new) & set(old)
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(new)
    assert AuditEntry.objects.filter(verb="signin.recovery_codes_regenerate").exists()


def test_an_administrator_resets_a_lost_second_factor(client, hearing):
    authenticator_for_demo(user=hearing)
    client.force_login(make_user("root", is_superuser=True, is_staff=True))
    client.post("/staff/accounts/lockouts/", {"reset-username": "hearing"})
    assert not TOTPDevice.objects.filter(user=hearing).exists()
    assert not StaticDevice.objects.filter(user=hearing).exists()
    fresh = Client()
    sign_in(fresh, "hearing")
    assert fresh.get("/staff/").url.startswith(ENROL)

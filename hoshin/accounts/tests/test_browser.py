"""The sign-in pages in a real browser: the whole journey of a public-hearing officer (set-up,
recovery codes, a later sign-in with a code) and the lockout page, each checked with axe-core
(WCAG 2.1 A/AA). Run only these with ``pytest -m browser``."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import browser_sign_in
from hoshin.org.models import Role
from hoshin.org.tests.factories import make_department, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_set_up_sign_in_with_a_code_and_the_lockout_page(new_page, live_server, axe, screenshot):
    make_user("hearing", role=Role.PUBLIC_HEARING, department=make_department("広聴課"))
    page = new_page()
    page.goto(live_server.url + "/staff/login/")
    page.locator("input[name=username]").fill("hearing")
    page.locator("input[name=password]").fill("pw")
    with page.expect_navigation():
        page.get_by_role("button", name="ログイン").click()
    assert "/staff/account/second-factor/setup/" in page.url
    assert page.locator(".otp-qr svg").count() == 1
    screenshot(page, "accounts-enrol-desktop")
    failures = axe.findings(page, "enrol")
    page.goto(live_server.url + "/staff/login/")  # leave and come back: the same secret
    secret = page.locator("#otp-secret").inner_text()
    page.get_by_label("確認コード").fill("000000")
    page.get_by_role("button", name="確認して設定する").click()
    failures += axe.findings(page, "enrol with an error")
    assert page.locator("#otp-secret").inner_text() == secret
    page.context.close()

    page = new_page()
    TOTPDevice.objects.filter(user__username="hearing").delete()
    browser_sign_in(page, live_server.url, "hearing")  # set-up, recovery codes, continue
    assert page.url.endswith("/staff/tasks/")  # every role lands on its inbox
    page.goto(live_server.url + "/staff/account/")
    failures += axe.findings(page, "security")
    with page.expect_navigation():
        page.get_by_role("button", name="ログアウト").click()

    browser_sign_in(page, live_server.url, "hearing")  # now with a code
    assert page.url.endswith("/staff/tasks/")  # every role lands on its inbox
    with page.expect_navigation():
        page.get_by_role("button", name="ログアウト").click()

    page.goto(live_server.url + "/staff/login/")
    page.locator("input[name=username]").fill("hearing")
    page.locator("input[name=password]").fill("pw")
    with page.expect_navigation():
        page.get_by_role("button", name="ログイン").click()
    screenshot(page, "accounts-verify-desktop")
    failures += axe.findings(page, "verify")
    device = TOTPDevice.objects.get(user__username="hearing", confirmed=True)
    wrong = (totp(device.bin_key) + 1) % 1_000_000
    for _ in range(10):
        page.get_by_label("確認コード").fill(f"{wrong:06d}")
        with page.expect_navigation():
            page.get_by_role("button", name="確認する").click()
        if "一時停止" in page.title():
            break
    assert page.get_by_role("heading", level=1).inner_text() == "ログインを一時停止しています"
    screenshot(page, "accounts-locked-desktop")
    failures += axe.findings(page, "locked out")
    assert not failures, axe.message(failures)

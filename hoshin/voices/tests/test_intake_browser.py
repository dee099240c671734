"""A writer in a real phone-width browser: send a letter, note the receipt number, follow it.

Runs Debian's chromium through Playwright with the project-wide fixtures of conftest.py
(``new_page``, ``axe``, ``screenshot``). Only these: ``pytest -m browser``. Screenshots go to
artifacts/screenshots/voices-*.png.
"""

import pytest
from django.core import mail
from django.core.cache import cache

from conftest import browser_sign_in
from hoshin.org.models import Role
from hoshin.org.tests.factories import make_user
from hoshin.voices.models import CitizenVoice, VoiceStatus
from hoshin.voices.tests.handling_helpers import REPLY_TEXT, assigned, make_staff, sent
from hoshin.voices.tests.intake_helpers import png_bytes

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()


def no_sideways_scroll(page, name: str) -> None:
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{name}: page scrolls sideways by {overflow}px at 390px"


def test_writer_sends_a_letter_from_a_phone_and_follows_it(
    new_page, live_server, axe, screenshot, tmp_path
):
    """Issue 11's journey (a): each step is also kept at 390 and 1280 px
    (artifacts/screenshots/journey-letter-*)."""
    staff = make_staff()  # with the category 道路・交通 and the district 中央地区
    page = new_page(viewport="phone")
    failures = []

    page.goto(live_server.url + "/voices/new/")
    assert page.evaluate("document.documentElement.lang") == "ja"
    screenshot.both(page, "journey-letter-1-form")
    failures += axe.findings(page, "form (phone)")
    no_sideways_scroll(page, "form")
    assert not page.locator(".field--hp").is_visible(), "the honeypot is hidden from people"

    # A first try without the text: the error is on the form, and it passes axe too.
    page.get_by_label("件名").fill("通学路の歩道について 髙﨑")
    page.get_by_role("button", name="送信する").click()
    page.get_by_role("alert").wait_for()  # the form comes back with the error summary
    assert "内容を入力してください。" in page.get_by_role("alert").inner_text()
    screenshot.both(page, "journey-letter-2-form-errors")
    failures += axe.findings(page, "form with errors (phone)")
    no_sideways_scroll(page, "form with errors")

    page.get_by_role("radio", name="提案").check()
    assert page.get_by_label("件名").input_value() == "通学路の歩道について 髙﨑"
    page.get_by_role("textbox", name="内容").fill(
        "駅前の通学路に歩道がなく、朝は危険です。\n歩道の整備をお願いします。🚸"
    )
    page.get_by_label("分類").select_option(label="道路・交通")
    page.get_by_label("年代").select_option(label="40代")
    page.get_by_label("お住まいの地区").select_option(label="中央地区")
    page.get_by_label("メールアドレス").fill("ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｊｐ")
    photo = tmp_path / "歩道.png"
    photo.write_bytes(png_bytes((40, 30)))
    page.get_by_label("添付ファイル").set_input_files(str(photo))
    page.get_by_label("回答を希望する").check()
    page.get_by_label("個人情報を除いて公表してよい").check()
    page.get_by_role("button", name="送信する").click()

    # Thanks page: the receipt number and the secret, once.
    page.wait_for_url("**/voices/thanks/**")
    receipt = page.locator("#receipt-number").inner_text().strip()
    secret = page.locator("#receipt-secret").inner_text().strip()
    assert receipt.endswith("-0001") and len(secret) >= 10
    screenshot.both(page, "journey-letter-3-thanks")
    failures += axe.findings(page, "thanks (phone)")
    no_sideways_scroll(page, "thanks")

    voice = CitizenVoice.objects.get()
    assert voice.receipt_number == receipt and voice.attachments.count() == 1
    assert voice.writer.email == "hanako@example.jp"
    assert len(mail.outbox) == 1 and secret in mail.outbox[0].body

    # Follow it by its receipt number.
    page.get_by_role("link", name="対応状況の確認へ").click()
    failures += axe.findings(page, "status form (phone)")
    page.get_by_label("受付番号").fill(receipt)
    page.get_by_label("照会キー").fill(secret)
    page.get_by_role("button", name="確認する").click()
    assert page.locator("#voice-status").inner_text() == VoiceStatus.RECEIVED.label
    assert "通学路の歩道について 髙﨑" in page.get_by_role("main").inner_text()
    screenshot.both(page, "journey-letter-4-status")
    failures += axe.findings(page, "status (phone)")
    no_sideways_scroll(page, "status")

    # The office routes it, the road department replies: the writer looks again.
    sent(staff, voice=assigned(staff, voice))
    page.goto(live_server.url + "/voices/status/")
    page.get_by_label("受付番号").fill(receipt)
    page.get_by_label("照会キー").fill(secret)
    page.get_by_role("button", name="確認する").click()
    assert page.locator("#voice-status").inner_text() == VoiceStatus.ANSWERED.label
    assert REPLY_TEXT in page.get_by_role("main").inner_text()
    screenshot.both(page, "journey-letter-5-answered")
    failures += axe.findings(page, "status answered (phone)")
    no_sideways_scroll(page, "status answered")

    # A wrong secret: a message, and still an accessible page.
    page.goto(live_server.url + "/voices/status/")
    page.get_by_label("受付番号").fill(receipt)
    page.get_by_label("照会キー").fill("wrong-secret")
    page.get_by_role("button", name="確認する").click()
    assert "受付番号か照会キーが違います" in page.get_by_role("alert").inner_text()
    failures += axe.findings(page, "status refused (phone)")

    page.context.close()
    assert not failures, axe.message(failures)


def test_sending_works_without_javascript(new_page, live_server):
    page = new_page(viewport="phone", javascript=False)
    page.goto(live_server.url + "/voices/new/")
    page.get_by_label("件名").fill("ごみ収集の日")
    page.get_by_role("textbox", name="内容").fill("収集日を増やしてください。")
    page.get_by_role("button", name="送信する").click()
    page.wait_for_url("**/voices/thanks/**")
    receipt = page.locator("#receipt-number").inner_text().strip()
    assert receipt == CitizenVoice.objects.get().receipt_number
    secret = page.locator("#receipt-secret").inner_text().strip()
    page.goto(live_server.url + "/voices/status/")
    page.get_by_label("受付番号").fill(receipt)
    page.get_by_label("照会キー").fill(secret)
    page.get_by_role("button", name="確認する").click()
    assert page.locator("#voice-status").inner_text() == VoiceStatus.RECEIVED.label
    page.context.close()


def test_form_thanks_and_status_pass_axe_on_desktop(new_page, live_server, axe, screenshot):
    page = new_page(viewport="desktop")
    failures = []
    page.goto(live_server.url + "/voices/new/")
    failures += axe.findings(page, "form (desktop)")
    screenshot(page, "voices-form-desktop")
    page.get_by_label("件名").fill("公園のベンチ")
    page.get_by_role("textbox", name="内容").fill("ベンチを増やしてください。")
    page.get_by_role("button", name="送信する").click()
    page.wait_for_url("**/voices/thanks/**")
    failures += axe.findings(page, "thanks (desktop)")
    receipt = page.locator("#receipt-number").inner_text().strip()
    secret = page.locator("#receipt-secret").inner_text().strip()
    page.goto(live_server.url + "/voices/status/")
    page.get_by_label("受付番号").fill(receipt)
    page.get_by_label("照会キー").fill(secret)
    page.get_by_role("button", name="確認する").click()
    page.locator("#voice-status").wait_for()
    failures += axe.findings(page, "status (desktop)")
    screenshot(page, "voices-status-desktop")
    page.context.close()
    assert not failures, axe.message(failures)


def test_staff_intake_form_and_result_pass_axe(new_page, live_server, axe, screenshot):
    make_user("koucho", role=Role.PUBLIC_HEARING)
    page = new_page(viewport="desktop")
    browser_sign_in(page, live_server.url, "koucho")  # the public-hearing office has a second step
    page.goto(live_server.url + "/staff/voices/new/")
    failures = axe.findings(page, "staff intake form")
    screenshot(page, "voices-staff-intake-desktop")
    page.get_by_label("受付経路").select_option(label="電話")
    page.get_by_label("件名").fill("電話での問い合わせ")
    page.get_by_role("textbox", name="内容").fill("バスの本数を増やしてほしい。")
    page.get_by_label("お名前").fill("山﨑 次郎")
    page.get_by_role("button", name="受付番号を付けて保存する").click()
    page.wait_for_url("**/staff/voices/new/done/**")
    assert page.locator("#receipt-number").inner_text().strip().endswith("-0001")
    failures += axe.findings(page, "staff intake done")
    screenshot(page, "voices-staff-intake-done-desktop")
    page.context.close()
    assert not failures, axe.message(failures)

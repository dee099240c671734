"""The administrators' audit log page (/staff/audit/) and its CSV (issue 10, "What to build" 4)."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hoshin.audit.models import AuditEntry
from hoshin.audit.services import audit_record
from hoshin.org.models import Role
from hoshin.org.tests.factories import make_department, make_user

pytestmark = pytest.mark.django_db

URL = "/staff/audit/"
CSV_URL = "/staff/audit/export.csv"


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin_client(sysadmin):
    return logged_in(sysadmin)


def test_urls_are_kept():
    assert reverse("backoffice:audit_log") == URL
    assert reverse("backoffice:audit_log_csv") == CSV_URL


@pytest.mark.parametrize(
    "role",
    [
        Role.PLANNING_OFFICE,
        Role.PUBLIC_HEARING,
        Role.MAYOR_OFFICE,
        Role.DEPARTMENT_EDITOR,
        Role.DEPARTMENT_HEAD,
        Role.VIEWER,
        Role.COMMITTEE_MEMBER,
    ],
)
def test_every_other_role_gets_403_for_the_page_and_the_csv(role):
    client = logged_in(make_user(role=role, department=make_department("財政課")))
    assert client.get(URL).status_code == 403
    assert client.get(CSV_URL).status_code == 403
    assert not AuditEntry.objects.filter(verb="audit.export").exists()
    assert "操作記録" not in client.get(reverse("backoffice:home")).content.decode()


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith("/staff/login/")


def test_the_menu_links_the_page_for_administrators_only(admin_client):
    page = admin_client.get(reverse("backoffice:home")).content.decode()
    assert f'href="{URL}"' in page


def test_newest_first_with_filters_and_pages(admin_client, sysadmin, settings):
    settings.HOSHIN_AUDIT_PAGE_SIZE = 2
    other = make_user("tantou")
    audit_record(actor=other, verb="plan.import", summary="計画「第6次実施計画」を取込")
    audit_record(actor=sysadmin, verb="plan.publish", summary="計画「第6次実施計画」を公表")
    audit_record(actor=None, verb="voices.purge_personal_data", summary="個人情報を削除")

    page = admin_client.get(URL).content.decode()
    assert page.index("個人情報を削除") < page.index("を公表")  # newest first
    assert "を取込" not in page  # on page 2
    assert "を取込" in admin_client.get(URL + "?page=2").content.decode()

    assert "を取込" in admin_client.get(URL + "?actor=tantou").content.decode()
    assert "を公表" not in admin_client.get(URL + "?actor=tantou").content.decode()
    assert "を公表" in admin_client.get(URL + f"?actor={sysadmin.pk}").content.decode()
    by_prefix = admin_client.get(URL + "?verb=plan.").content.decode()
    assert "を取込" in by_prefix and "を公表" in by_prefix and "個人情報を削除" not in by_prefix
    assert "個人情報を削除" in admin_client.get(URL + "?q=個人情報").content.decode()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    empty = admin_client.get(URL + f"?date_from={tomorrow.isoformat()}").content.decode()
    assert "条件に合う記録はありません" in empty


def test_the_page_shows_that_the_chain_verifies_and_when_it_does_not(admin_client):
    first = audit_record(actor=None, verb="test.event", summary="一件目")
    audit_record(actor=None, verb="test.event", summary="二件目")
    page = admin_client.get(URL).content.decode()
    assert "改ざん・削除は見つかりませんでした" in page
    AuditEntry.objects.filter(pk=first.pk).update(summary="書き換え")
    page = admin_client.get(URL + "?verify=all").content.decode()
    assert "操作記録の検証に失敗しました" in page
    assert f"通番 {first.sequence}" in page


def test_csv_export_is_filtered_escaped_and_itself_recorded(admin_client, sysadmin):
    audit_record(actor=None, verb="test.event", summary='=HYPERLINK("http://evil")')
    audit_record(actor=None, verb="other.event", summary="別の記録 髙﨑")

    response = admin_client.get(CSV_URL + "?verb=test.event")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    text = content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("通番,日時,操作者ID")
    assert "'=HYPERLINK" in text  # formula escaped
    assert "別の記録" not in text
    export = AuditEntry.objects.get(verb="audit.export")
    assert export.actor == sysadmin
    assert export.data == {"filters": {"verb": "test.event"}, "rows": 1, "encoding": "utf-8-sig"}


def test_csv_export_in_cp932(admin_client):
    audit_record(actor=None, verb="test.event", summary="㈱髙﨑①の記録")
    response = admin_client.get(CSV_URL + "?verb=test.event&encoding=cp932")
    assert response.status_code == 200
    assert "㈱髙﨑①の記録" in response.content.decode("cp932")


def test_csv_export_refuses_a_character_cp932_cannot_hold(admin_client):
    audit_record(actor=None, verb="test.event", summary="𠮷野家の記録")
    response = admin_client.get(CSV_URL + "?verb=test.event&encoding=cp932", follow=True)
    assert "Shift_JIS" in response.content.decode()
    assert not AuditEntry.objects.filter(verb="audit.export").exists()

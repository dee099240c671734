"""Department contact details for citizens: one helper, one block, demo values."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.template import Context, Template

from hoshin.org.contact import department_contact
from hoshin.org.models import Department
from hoshin.org.tests.factories import make_department

pytestmark = pytest.mark.django_db

DETAILS = {
    "phone": "0000-00-1234",
    "email": "bousai@city.example.jp",
    "address": "〒000-0000 ほしの市中央一丁目1番1号 本庁舎3階",
    "opening_hours": "平日 8時30分〜17時15分",
}


def test_own_details_in_the_order_people_look_for_them():
    department = make_department("地域防災対策室", **DETAILS)
    contact = department_contact(department)
    assert contact.name == "地域防災対策室"
    assert [label for _field, label, _value in contact.rows()] == [
        "電話",
        "メール",
        "所在地",
        "受付時間",
    ]
    assert contact.text_lines() == [
        "お問い合わせ先：地域防災対策室",
        "電話：0000-00-1234",
        "メール：bousai@city.example.jp",
        "所在地：〒000-0000 ほしの市中央一丁目1番1号 本庁舎3階",
        "受付時間：平日 8時30分〜17時15分",
    ]


def test_a_unit_without_details_gives_those_of_the_unit_above():
    section = make_department("総務課", phone="0000-00-2000")
    unit = make_department("行政管理係", parent=section)
    contact = department_contact(unit)
    assert contact.name == "総務課" and [f for f, _l, _v in contact.rows()] == ["phone"]


def test_nobody_with_details_gives_no_block():
    assert department_contact(make_department("税務課")) is None
    assert department_contact(None) is None
    html = Template("{% load org_contact %}{% department_contact d %}").render(
        Context({"d": make_department("財政課")})
    )
    assert html.strip() == ""


def test_block_links_telephone_and_mail():
    html = Template("{% load org_contact %}{% department_contact d %}").render(
        Context({"d": make_department("地域防災対策室", **DETAILS)})
    )
    assert "お問い合わせ先" in html
    assert 'href="tel:0000001234"' in html
    assert 'href="mailto:bousai@city.example.jp"' in html
    assert "本庁舎3階" in html and "平日 8時30分〜17時15分" in html


def test_demo_fills_every_department_once_and_keeps_what_an_admin_set(settings):
    settings.DEBUG = True
    settings.HOSHIN_CITY_NAME = "ほしの市"
    kept = make_department("地域防災対策室", phone="0000-99-9999")
    other = make_department("下水道課")
    out = StringIO()
    call_command("create_demo_users", stdout=out)
    assert "部署の連絡先（架空）を設定" in out.getvalue()
    for department in Department.objects.current():
        assert department.phone.startswith("0000-"), department
    other.refresh_from_db()
    assert other.email.endswith("@city.example.jp")
    assert other.address.startswith("〒000-0000 ほしの市") and other.opening_hours
    kept.refresh_from_db()
    assert kept.phone == "0000-99-9999" and kept.email == ""
    phones = list(Department.objects.values_list("phone", flat=True))
    call_command("create_demo_users", stdout=StringIO())
    assert list(Department.objects.values_list("phone", flat=True)) == phones

"""department_create / department_update: the master data of departments."""

import pytest
from django.core.exceptions import ValidationError

from hoshin.audit.models import AuditEntry
from hoshin.org.models import Department, DepartmentKind
from hoshin.org.services import department_create, department_update
from hoshin.org.tests.factories import make_department, make_user

pytestmark = pytest.mark.django_db


def test_create_department_records_audit_entry():
    admin = make_user("admin")
    bu = department_create(name="総務部", kind=DepartmentKind.BU, by=admin)
    ka = department_create(
        name=" 総務課 ", kind=DepartmentKind.KA, parent=bu, valid_from_fy=2024, by=admin
    )

    assert (ka.name, ka.parent, ka.valid_from_fy, ka.valid_until_fy) == ("総務課", bu, 2024, None)
    entries = AuditEntry.objects.filter(verb="department.create").order_by("id")
    assert [e.target_id for e in entries] == [str(bu.pk), str(ka.pk)]
    assert entries[1].actor == admin
    assert "総務部総務課" in entries[1].summary


def test_create_department_with_reading_and_contact_details():
    ka = department_create(
        name="広聴広報課",
        kind=DepartmentKind.KA,
        by=None,
        reading=" こうちょうこうほうか ",
        phone="0000-00-1234",
        opening_hours="平日 8時30分〜17時15分",
    )
    ka.refresh_from_db()
    assert (ka.reading, ka.phone, ka.opening_hours, ka.email) == (
        "こうちょうこうほうか",
        "0000-00-1234",
        "平日 8時30分〜17時15分",
        "",
    )


def test_create_department_refuses_a_field_it_does_not_know():
    with pytest.raises(ValidationError, match="valid_until_fy"):
        department_create(name="総務課", kind=DepartmentKind.KA, by=None, valid_until_fy=2020)
    assert not Department.objects.exists()


def test_same_name_is_allowed_under_another_parent():
    kyoiku = make_department("教育部")
    soumu = make_department("総務部")
    make_department("総務課", parent=soumu)
    department_create(name="総務課", kind=DepartmentKind.KA, parent=kyoiku, by=None)
    assert Department.objects.filter(name="総務課").count() == 2


def test_same_name_under_same_parent_is_refused():
    soumu = make_department("総務部")
    make_department("総務課", parent=soumu)
    with pytest.raises(ValidationError, match="既にあります"):
        department_create(name="総務課", kind=DepartmentKind.KA, parent=soumu, by=None)


def test_name_of_a_closed_department_can_be_reused():
    make_department("企画課", valid_until_fy=2020)
    department_create(name="企画課", kind=DepartmentKind.KA, valid_from_fy=2024, by=None)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "  "}, "部署名"),
        ({"kind": "kyoku"}, "種別"),
        ({"valid_from_fy": 99}, "範囲外"),
    ],
)
def test_create_refuses_bad_input(fields, message):
    arguments = {"name": "企画課", "kind": DepartmentKind.KA, "by": None, **fields}
    with pytest.raises(ValidationError, match=message):
        department_create(**arguments)
    assert not Department.objects.exists()


def test_create_refuses_parent_closed_before_start():
    old_bu = make_department("旧市民部", valid_until_fy=2022)
    with pytest.raises(ValidationError, match="廃止されています"):
        department_create(
            name="市民課", kind=DepartmentKind.KA, parent=old_bu, valid_from_fy=2024, by=None
        )


def test_create_refuses_duplicate_code():
    make_department("総務課", code="0101")
    with pytest.raises(ValidationError, match="0101"):
        department_create(name="企画課", kind=DepartmentKind.KA, code="0101", by=None)


def test_update_corrects_a_typo_and_records_before_and_after():
    ka = make_department("総務か")
    department_update(department=ka, name="総務課", code="0101", by=None)
    ka.refresh_from_db()
    assert (ka.name, ka.code) == ("総務課", "0101")
    entry = AuditEntry.objects.get(verb="department.update")
    assert entry.data["name"] == ["総務か", "総務課"]


def test_update_without_changes_writes_no_audit_entry():
    ka = make_department("総務課")
    department_update(department=ka, name="総務課", by=None)
    assert not AuditEntry.objects.exists()


def test_update_refuses_a_cycle():
    bu = make_department("総務部")
    ka = make_department("総務課", parent=bu)
    kakari = make_department("行政管理係", parent=ka)
    with pytest.raises(ValidationError, match="下位組織"):
        department_update(department=bu, parent=kakari, by=None)


def test_update_refuses_unknown_field():
    ka = make_department("総務課")
    with pytest.raises(ValidationError, match="valid_until_fy"):
        department_update(department=ka, valid_until_fy=2020, by=None)

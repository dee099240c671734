"""The organisation order of departments: set positions first, then kana reading, then name."""

from io import StringIO

import pytest
from django.core.management import call_command

from hoshin.org.models import Department, User, department_order, normalize_reading
from hoshin.org.selectors import departments_as_tree
from hoshin.org.tests.factories import make_department, make_user

pytestmark = pytest.mark.django_db


def names(queryset) -> list[str]:
    return [department.name for department in queryset]


def test_positions_first_then_reading_not_code_points():
    # Code-point order would be こども家庭課, 下水道課, 中央公民館, 市長公室, 総務課.
    make_department("下水道課", reading="げすいどうか")
    make_department("中央公民館", reading="ちゅうおうこうみんかん")
    make_department("こども家庭課", reading="こどもかていか")
    make_department("総務課", position=2, reading="そうむか")
    make_department("市長公室", position=1, reading="しちょうこうしつ")

    expected = ["市長公室", "総務課", "下水道課", "こども家庭課", "中央公民館"]
    assert names(Department.objects.all()) == expected
    assert names(Department.objects.order_by("-id").in_org_order()) == expected


def test_a_department_without_reading_sorts_by_its_name_among_readings():
    make_department("財政課", reading="ざいせいか")
    make_department("あおば課")  # no reading: its name (already kana) takes the reading's place
    make_department("いずみ課", reading="いずみか")

    assert names(Department.objects.all()) == ["あおば課", "いずみ課", "財政課"]


def test_the_same_order_through_a_relation():
    make_user("b", department=make_department("土木課", reading="どぼくか"))
    make_user("a", department=make_department("建築課", reading="けんちくか"))
    make_user("c", department=make_department("議会事務局", position=1))

    users = User.objects.order_by(*department_order("department__"))
    assert [user.username for user in users] == ["c", "a", "b"]


@pytest.mark.parametrize(
    "typed, stored",
    [("ソウムカ", "そうむか"), ("ｿｳﾑｶ", "そうむか"), ("そうむ か", "そうむか"), ("", "")],
)
def test_readings_are_stored_in_hiragana(typed, stored):
    assert normalize_reading(typed) == stored
    assert make_department("総務課", reading=typed).reading == stored


def test_tree_keeps_parents_before_children_in_org_order():
    somu = make_department("総務部", reading="そうむぶ")
    hoken = make_department("保健福祉部", reading="ほけんふくしぶ")
    make_department("財政課", parent=somu, reading="ざいせいか")
    make_department("総務課", parent=somu, reading="そうむか")
    make_department("行政管理係", parent=Department.objects.get(name="総務課"), reading="ぎょう")
    make_department("社会福祉課", parent=hoken, reading="しゃかいふくしか")

    tree = [(d.name, depth) for d, depth in departments_as_tree(Department.objects.all())]
    assert tree == [
        ("総務部", 0),
        ("財政課", 1),
        ("総務課", 1),
        ("行政管理係", 2),
        ("保健福祉部", 0),
        ("社会福祉課", 1),
    ]


def test_demo_departments_get_readings(settings):
    settings.DEBUG = True
    make_department("下水道課")
    make_department("こども家庭課", reading="こども")  # set by the city: kept
    call_command("create_demo_users", stdout=StringIO())

    assert Department.objects.get(name="下水道課").reading == "げすいどうか"
    assert Department.objects.get(name="こども家庭課").reading == "こども"
    assert Department.objects.get(name="広聴広報課").reading == "こうちょうこうほうか"


def test_every_department_of_the_demo_has_a_reading(reform_seed_bytes):
    """The demo (make demo) imports the reform seed with --create-departments, then runs
    create_demo_users: each department it ends with must sort by a reading, not by code point."""
    from hoshin.org.management.commands.create_demo_users import DEPARTMENTS, READINGS
    from hoshin.plans.formats.base import registered_formats

    reform = next(f for f in registered_formats() if f.name == "reform-text")
    labels = reform.parse(reform_seed_bytes, "seed.txt").department_labels()
    missing = {*labels, *(name for name, _kind, _parent in DEPARTMENTS)} - set(READINGS)
    assert missing == set()
    assert all(reading == normalize_reading(reading) for reading in READINGS.values())

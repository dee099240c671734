"""department_reorganize: history survives renames, merges, splits and abolitions."""

import pytest
from django.core.exceptions import ValidationError

from hoshin.audit.models import AuditEntry
from hoshin.org.models import Department, DepartmentChange, DepartmentKind, Role, RoleAssignment
from hoshin.org.reorganization import SuccessorSpec, department_reorganize
from hoshin.org.tests.factories import make_action, make_department, make_plan, make_user
from hoshin.plans.models import ActionDepartment
from hoshin.plans.selectors import department_lineage, responsibilities_in

pytestmark = pytest.mark.django_db

Kind = DepartmentChange.Kind
KA = DepartmentKind.KA


def names_in(action, fy):
    return [line.label for line in responsibilities_in(action=action, fy=fy)]


@pytest.fixture
def soumu_bu():
    return make_department("総務部")


@pytest.fixture
def bousai(soumu_bu):
    return make_department("地域防災対策室", parent=soumu_bu)


@pytest.fixture
def kiki(soumu_bu):
    return make_department("危機管理課", parent=soumu_bu)


def test_merged_department_still_shows_for_earlier_years(bousai, kiki, soumu_bu):
    plan = make_plan(start_fy=2023, end_fy=2027)
    action = make_action(plan, bousai)
    planner = make_user("planner", role=Role.PLANNING_OFFICE)

    result = department_reorganize(
        kind=Kind.MERGE,
        predecessors=[bousai, kiki],
        successor_names=[("危機管理課", KA, soumu_bu)],
        effective_fy=2025,
        by=planner,
        note="防災と危機管理を統合",
    )

    successor = result.successors[0]
    assert names_in(action, 2023) == ["地域防災対策室"]
    assert names_in(action, 2024) == ["地域防災対策室"]
    assert names_in(action, 2025) == ["危機管理課"]
    assert responsibilities_in(action=action, fy=2025)[0].department == successor
    assert responsibilities_in(action=action, fy=2025)[0].is_lead
    # The old line keeps its lead flag: in FY2023 the 室 was the lead department.
    assert responsibilities_in(action=action, fy=2023)[0].is_lead
    bousai.refresh_from_db()
    kiki.refresh_from_db()
    assert (bousai.valid_until_fy, kiki.valid_until_fy) == (2024, 2024)
    assert (successor.valid_from_fy, successor.valid_until_fy, successor.parent) == (
        2025,
        None,
        soumu_bu,
    )
    assert result.handed_over == 1
    change = result.change
    assert change.kind == Kind.MERGE
    assert set(change.predecessors.all()) == {bousai, kiki}
    assert list(change.successors.all()) == [successor]
    assert set(department_lineage(department=successor)["predecessors"]) == {bousai, kiki}
    entry = AuditEntry.objects.get(verb="department.reorganize")
    assert entry.actor == planner
    assert entry.target_id == str(change.pk)
    assert entry.data["handed_over"] == 1
    assert "統合" in entry.summary


def test_merge_keeps_one_line_when_action_named_both_predecessors(bousai, kiki, soumu_bu):
    plan = make_plan(start_fy=2023, end_fy=None)
    action = make_action(plan, kiki, bousai)  # 危機管理課 leads, 地域防災対策室 second

    result = department_reorganize(
        kind=Kind.MERGE,
        predecessors=[bousai, kiki],
        successor_names=[("危機管理課", KA, soumu_bu)],
        effective_fy=2025,
        by=None,
    )

    current = responsibilities_in(action=action, fy=2025)
    assert [(line.department, line.is_lead) for line in current] == [(result.successors[0], True)]
    assert names_in(action, 2024) == ["危機管理課", "地域防災対策室"]
    assert ActionDepartment.objects.filter(action=action, valid_until_fy__isnull=True).count() == 1


def test_merge_keeps_lead_when_the_lead_line_comes_second(bousai, kiki, soumu_bu):
    plan = make_plan(start_fy=2023)
    action = make_action(plan, bousai, kiki)
    # Swap positions so the non-lead line is handled first.
    ActionDepartment.objects.filter(action=action, department=kiki).update(position=0)
    ActionDepartment.objects.filter(action=action, department=bousai).update(position=1)

    department_reorganize(
        kind=Kind.MERGE,
        predecessors=[bousai, kiki],
        successor_names=[("危機管理課", KA, soumu_bu)],
        effective_fy=2025,
        by=None,
    )

    current = responsibilities_in(action=action, fy=2026)
    assert len(current) == 1 and current[0].is_lead


def test_handover_keeps_other_departments_and_markers(bousai, kiki, soumu_bu):
    zaisei = make_department("財政課", parent=soumu_bu)
    plan = make_plan(start_fy=2023)
    action = make_action(plan, zaisei, bousai, "all")

    department_reorganize(
        kind=Kind.RENAME,
        predecessors=[bousai],
        successor_names=[("防災課", KA, soumu_bu)],
        effective_fy=2025,
        by=None,
    )

    assert names_in(action, 2024) == ["財政課", "地域防災対策室", "全庁"]
    assert names_in(action, 2025) == ["財政課", "防災課", "全庁"]
    lead = [line for line in responsibilities_in(action=action, fy=2025) if line.is_lead]
    assert [line.label for line in lead] == ["財政課"]


def test_finished_plans_are_left_alone(bousai, soumu_bu):
    finished = make_action(make_plan(start_fy=2019, end_fy=2023), bousai)
    last_year = make_action(make_plan(start_fy=2020, end_fy=2024), bousai)

    result = department_reorganize(
        kind=Kind.RENAME,
        predecessors=[bousai],
        successor_names=[("防災課", KA, soumu_bu)],
        effective_fy=2025,
        by=None,
    )

    assert result.handed_over == 0
    for action in (finished, last_year):
        lines = list(action.responsibilities.all())
        assert [(line.department, line.valid_until_fy) for line in lines] == [(bousai, None)]


def test_plan_starting_at_effective_year_is_repointed_not_closed(bousai, soumu_bu):
    action = make_action(make_plan(start_fy=2025, end_fy=2029), bousai)

    result = department_reorganize(
        kind=Kind.RENAME,
        predecessors=[bousai],
        successor_names=[("防災課", KA, soumu_bu)],
        effective_fy=2025,
        by=None,
    )

    lines = list(action.responsibilities.all())
    assert [(line.label, line.valid_from_fy, line.valid_until_fy) for line in lines] == [
        ("防災課", None, None)
    ]
    assert lines[0].is_lead
    assert (result.handed_over, result.repointed) == (0, 1)


def test_rename_keeps_history(bousai, soumu_bu):
    action = make_action(make_plan(start_fy=2023, end_fy=2027), bousai)

    result = department_reorganize(
        kind=Kind.RENAME,
        predecessors=[bousai],
        successor_names=[SuccessorSpec("防災安全課", KA, soumu_bu)],
        effective_fy=2026,
        by=None,
    )

    bousai.refresh_from_db()
    assert bousai.name == "地域防災対策室"  # the old row is not rewritten
    assert bousai.valid_until_fy == 2025
    assert Department.objects.valid_in(2025).filter(name="地域防災対策室").exists()
    assert not Department.objects.valid_in(2026).filter(name="地域防災対策室").exists()
    assert list(Department.objects.valid_in(2026).filter(name="防災安全課")) == result.successors
    assert names_in(action, 2025) == ["地域防災対策室"]
    assert names_in(action, 2026) == ["防災安全課"]
    assert department_lineage(department=bousai)["successors"] == result.successors


def test_rename_carries_current_children_staff_and_roles(bousai, soumu_bu):
    kakari = make_department("防災係", parent=bousai)
    old_kakari = make_department("旧係", parent=bousai, valid_until_fy=2020)
    editor = make_user("editor", role=Role.DEPARTMENT_EDITOR, department=bousai)
    owned = make_plan(start_fy=2023, owner_department=bousai)

    result = department_reorganize(
        kind=Kind.RENAME,
        predecessors=[bousai],
        successor_names=[("防災課", KA, soumu_bu)],
        effective_fy=2025,
        by=None,
    )

    successor = result.successors[0]
    kakari.refresh_from_db()
    old_kakari.refresh_from_db()
    editor.refresh_from_db()
    owned.refresh_from_db()
    assert kakari.parent == successor
    assert old_kakari.parent == bousai  # closed sub-units keep their history
    assert editor.department == successor
    assert RoleAssignment.objects.get(user=editor).department == successor
    assert owned.owner_department == successor


def test_split_hands_over_to_first_successor_unless_mapped(bousai, soumu_bu):
    plan = make_plan(start_fy=2023)
    first = make_action(plan, bousai, text="防災訓練")
    second = make_action(plan, bousai, text="救命講習")

    result = department_reorganize(
        kind=Kind.SPLIT,
        predecessors=[bousai],
        successor_names=[("防災課", KA, soumu_bu), ("消防救急課", KA, soumu_bu)],
        effective_fy=2025,
        by=None,
        handover={second.pk: "消防救急課"},
    )

    assert [d.name for d in result.successors] == ["防災課", "消防救急課"]
    assert names_in(first, 2025) == ["防災課"]
    assert names_in(second, 2025) == ["消防救急課"]
    assert names_in(second, 2024) == ["地域防災対策室"]
    assert result.change.kind == Kind.SPLIT
    assert result.change.successors.count() == 2


def test_split_refuses_mapping_to_unknown_successor(bousai, soumu_bu):
    action = make_action(make_plan(start_fy=2023), bousai)

    with pytest.raises(ValidationError, match="振り分け先"):
        department_reorganize(
            kind=Kind.SPLIT,
            predecessors=[bousai],
            successor_names=[("防災課", KA, soumu_bu), ("消防救急課", KA, soumu_bu)],
            effective_fy=2025,
            by=None,
            handover={action.pk: "存在しない課"},
        )


def test_abolish_closes_lines_and_reports_orphaned_actions(soumu_bu):
    shitsu = make_department("臨時給付金室", parent=soumu_bu)
    action = make_action(make_plan(start_fy=2023), shitsu)

    result = department_reorganize(
        kind=Kind.ABOLISH,
        predecessors=[shitsu],
        successor_names=[],
        effective_fy=2025,
        by=None,
    )

    shitsu.refresh_from_db()
    assert shitsu.valid_until_fy == 2024
    assert names_in(action, 2024) == ["臨時給付金室"]
    assert names_in(action, 2025) == []
    assert result.orphaned_actions == [action.pk]
    assert result.successors == []


def test_abolish_refuses_department_with_open_sub_units(bousai):
    make_department("防災係", parent=bousai)
    with pytest.raises(ValidationError, match="下にまだ部署"):
        department_reorganize(
            kind=Kind.ABOLISH, predecessors=[bousai], successor_names=[], effective_fy=2025, by=None
        )


def test_abolish_refuses_department_with_staff(bousai):
    make_user("staff", department=bousai)
    with pytest.raises(ValidationError, match="所属する職員"):
        department_reorganize(
            kind=Kind.ABOLISH, predecessors=[bousai], successor_names=[], effective_fy=2025, by=None
        )


def test_refuses_department_already_closed(soumu_bu):
    closed = make_department("旧企画課", parent=soumu_bu, valid_until_fy=2020)
    with pytest.raises(ValidationError, match="既に"):
        department_reorganize(
            kind=Kind.RENAME,
            predecessors=[closed],
            successor_names=[("企画課", KA, soumu_bu)],
            effective_fy=2025,
            by=None,
        )


@pytest.mark.parametrize("effective_fy", [2022, 2023])
def test_refuses_effective_year_not_after_creation(soumu_bu, effective_fy):
    young = make_department("DX推進室", parent=soumu_bu, valid_from_fy=2023)
    with pytest.raises(ValidationError, match="設置です"):
        department_reorganize(
            kind=Kind.RENAME,
            predecessors=[young],
            successor_names=[("デジタル推進課", KA, soumu_bu)],
            effective_fy=effective_fy,
            by=None,
        )
    young.refresh_from_db()
    assert young.valid_until_fy is None


@pytest.mark.parametrize(
    ("kind", "n_predecessors", "successors", "message"),
    [
        (Kind.RENAME, 2, [("A課", KA, None)], "名称変更"),
        (Kind.RENAME, 1, [], "名称変更"),
        (Kind.MERGE, 1, [("A課", KA, None)], "統合"),
        (Kind.MERGE, 2, [("A課", KA, None), ("B課", KA, None)], "統合"),
        (Kind.SPLIT, 1, [("A課", KA, None)], "分割"),
        (Kind.SPLIT, 2, [("A課", KA, None), ("B課", KA, None)], "分割"),
        (Kind.ABOLISH, 1, [("A課", KA, None)], "廃止"),
        ("explode", 1, [], "種別"),
    ],
)
def test_refuses_wrong_shape(kind, n_predecessors, successors, message):
    predecessors = [make_department(f"旧{i}課") for i in range(n_predecessors)]
    with pytest.raises(ValidationError, match=message):
        department_reorganize(
            kind=kind,
            predecessors=predecessors,
            successor_names=successors,
            effective_fy=2025,
            by=None,
        )


def test_refuses_successor_clashing_with_existing_department(bousai, kiki, soumu_bu):
    # Merging 室 "into" 課 must list the 課 among the predecessors, not create a second one.
    with pytest.raises(ValidationError, match="既にあります"):
        department_reorganize(
            kind=Kind.RENAME,
            predecessors=[bousai],
            successor_names=[("危機管理課", KA, soumu_bu)],
            effective_fy=2025,
            by=None,
        )


def test_refuses_successor_under_a_predecessor(bousai, kiki):
    with pytest.raises(ValidationError, match="この改編で廃止"):
        department_reorganize(
            kind=Kind.MERGE,
            predecessors=[bousai, kiki],
            successor_names=[("危機管理課", KA, kiki)],
            effective_fy=2025,
            by=None,
        )


def test_refuses_rename_that_changes_nothing(bousai, soumu_bu):
    with pytest.raises(ValidationError, match="同じです"):
        department_reorganize(
            kind=Kind.RENAME,
            predecessors=[bousai],
            successor_names=[("地域防災対策室", bousai.kind, soumu_bu)],
            effective_fy=2025,
            by=None,
        )


def test_refusal_writes_nothing(bousai, soumu_bu):
    action = make_action(make_plan(start_fy=2023), bousai)
    with pytest.raises(ValidationError):
        department_reorganize(
            kind=Kind.SPLIT,
            predecessors=[bousai],
            successor_names=[("防災課", KA, soumu_bu), ("防災課", KA, soumu_bu)],
            effective_fy=2025,
            by=None,
        )
    assert not DepartmentChange.objects.exists()
    assert not AuditEntry.objects.exists()
    assert Department.objects.filter(name="防災課").count() == 0
    assert names_in(action, 2030) == ["地域防災対策室"]


def test_reorganizing_twice_in_a_row_chains_history(bousai, soumu_bu):
    action = make_action(make_plan(start_fy=2020), bousai)
    first = department_reorganize(
        kind=Kind.RENAME,
        predecessors=[bousai],
        successor_names=[("防災課", KA, soumu_bu)],
        effective_fy=2023,
        by=None,
    ).successors[0]
    department_reorganize(
        kind=Kind.RENAME,
        predecessors=[first],
        successor_names=[("危機管理防災課", KA, soumu_bu)],
        effective_fy=2025,
        by=None,
    )

    assert names_in(action, 2022) == ["地域防災対策室"]
    assert names_in(action, 2024) == ["防災課"]
    assert names_in(action, 2025) == ["危機管理防災課"]
    assert [line.is_lead for line in action.responsibilities.all()] == [True, True, True]


def test_renamed_office_keeps_its_contact_details_but_not_its_reading(soumu_bu):
    """Citizens who phone the renamed office reach the same desk; the reading follows the name."""
    office = make_department("広聴課", parent=soumu_bu)
    Department.objects.filter(pk=office.pk).update(
        reading="こうちょうか",
        phone="0000-00-1234",
        email="kouchou@example.jp",
        address="本庁舎2階",
        opening_hours="平日 8時30分〜17時15分",
    )
    office.refresh_from_db()

    result = department_reorganize(
        kind=Kind.RENAME,
        predecessors=[office],
        successor_names=[("広聴広報課", KA, soumu_bu)],
        effective_fy=2026,
        by=make_user("planner", role=Role.PLANNING_OFFICE),
    )

    renamed = result.successors[0]
    assert [getattr(renamed, key) for key in Department.CONTACT_FIELDS] == [
        "0000-00-1234",
        "kouchou@example.jp",
        "本庁舎2階",
        "平日 8時30分〜17時15分",
    ]
    assert renamed.reading == ""

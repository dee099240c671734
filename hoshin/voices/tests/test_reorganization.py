"""A reorganisation of departments and citizens' voices (voices' registered hand-over).

Open voices follow their department to the heir; answered ones keep the department of their
time; a department that still leads an open voice cannot be abolished.
"""

import pytest
from django.core.exceptions import ValidationError

from hoshin.audit.models import AuditEntry
from hoshin.org.models import Department, DepartmentChange, RoleAssignment, User
from hoshin.org.reorganization import department_reorganize
from hoshin.voices.models import CitizenVoice
from hoshin.voices.tests.handling_helpers import assigned, make_staff, sent

pytestmark = pytest.mark.django_db

RENAME = DepartmentChange.Kind.RENAME


@pytest.fixture
def staff():
    return make_staff()


def empty(department) -> None:
    """Nothing but voices left in the department: no staff, roles or open sub-units."""
    User.objects.filter(department=department).update(department=None)
    RoleAssignment.objects.filter(department=department).delete()
    Department.objects.filter(parent=department).update(valid_until_fy=2026)


def test_rename_hands_open_voices_to_the_successor_and_leaves_answered_ones(staff):
    open_voice = assigned(staff)  # lead 道路課, co-department 公園緑地課
    answered = sent(staff).voice
    result = department_reorganize(
        kind=RENAME,
        predecessors=[staff.road],
        successor_names=[("道路整備課", "ka", staff.road.parent)],
        effective_fy=2027,
        by=staff.admin,
    )
    heir = result.successors[0]
    open_voice.refresh_from_db()
    answered.refresh_from_db()
    assert open_voice.lead_department == heir
    assert list(open_voice.co_departments.all()) == [staff.park]
    assert answered.lead_department == staff.road  # history keeps last year's department
    entry = AuditEntry.objects.get(verb="department.reorganize")
    assert entry.data["moved"]["voices"] == 1


def test_merge_moves_a_co_department_link_to_the_heir_once(staff):
    voice = assigned(staff)  # co-department 公園緑地課
    result = department_reorganize(
        kind=DepartmentChange.Kind.MERGE,
        predecessors=[staff.park, staff.hearing_section],
        successor_names=[("公園広報課", "ka", None)],
        effective_fy=2027,
        by=staff.admin,
    )
    voice.refresh_from_db()
    assert list(voice.co_departments.all()) == [result.successors[0]]
    assert voice.lead_department == staff.road


def test_abolishing_the_lead_of_an_open_voice_is_refused_and_changes_nothing(staff):
    voice = assigned(staff)
    empty(staff.road)
    with pytest.raises(ValidationError, match="主管課の回答待ちの市民の声があります"):
        department_reorganize(
            kind=DepartmentChange.Kind.ABOLISH,
            predecessors=[staff.road],
            successor_names=[],
            effective_fy=2027,
            by=staff.admin,
        )
    staff.road.refresh_from_db()
    assert staff.road.valid_until_fy is None
    assert CitizenVoice.objects.get(pk=voice.pk).lead_department == staff.road


def test_abolishing_a_co_department_ends_its_links_on_open_voices(staff):
    voice = assigned(staff)
    empty(staff.park)
    department_reorganize(
        kind=DepartmentChange.Kind.ABOLISH,
        predecessors=[staff.park],
        successor_names=[],
        effective_fy=2027,
        by=staff.admin,
    )
    voice.refresh_from_db()
    assert list(voice.co_departments.all()) == []

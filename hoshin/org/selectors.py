"""Reads about departments and who may do what."""

import unicodedata
from dataclasses import dataclass, field

from hoshin.org.models import Department, Role, RoleAssignment, User


def normalize_department_name(name: str) -> str:
    """Names compare after NFKC (full/half width) and without spaces: 総務課 ＝ 総務 課."""
    return "".join(unicodedata.normalize("NFKC", name).split())


@dataclass
class DepartmentMatch:
    found: dict[str, Department] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)
    ambiguous: dict[str, list[Department]] = field(default_factory=dict)


def departments_match(*, labels: list[str], fy: int | None = None) -> DepartmentMatch:
    """Match department labels from a file to the master, by name or by full name (教育部総務課).

    With ``fy`` only departments existing in that fiscal year are candidates; otherwise the
    current ones. A name shared by several departments is reported as ambiguous.
    """
    candidates = Department.objects.select_related("parent__parent")
    candidates = candidates.valid_in(fy) if fy is not None else candidates.current()
    by_name: dict[str, list[Department]] = {}
    by_full_name: dict[str, list[Department]] = {}
    for department in candidates:
        by_name.setdefault(normalize_department_name(department.name), []).append(department)
        by_full_name.setdefault(normalize_department_name(department.full_name), []).append(
            department
        )
    result = DepartmentMatch()
    for label in labels:
        key = normalize_department_name(label)
        matches = by_full_name.get(key) or by_name.get(key) or []
        if len(matches) == 1:
            result.found[label] = matches[0]
        elif matches:
            result.ambiguous[label] = matches
        else:
            result.unknown.append(label)
    return result


def user_roles(*, user: User) -> list[RoleAssignment]:
    """The user's role assignments (cached on the user object for the request)."""
    if not hasattr(user, "_role_cache"):
        user._role_cache = list(user.role_assignments.select_related("department"))
    return user._role_cache


def user_has_role(*, user: User, role: str, department: Department | None = None) -> bool:
    """True if the user holds ``role`` (for ``department`` when given; city-wide roles match all)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    for assignment in user_roles(user=user):
        if assignment.role != role:
            continue
        if department is None or assignment.department_id in (None, department.pk):
            return True
    return False


def user_is_planning_office(*, user: User) -> bool:
    """Planning office and administrators run the cycle for every department."""
    return user_has_role(user=user, role=Role.PLANNING_OFFICE) or user_has_role(
        user=user, role=Role.ADMIN
    )

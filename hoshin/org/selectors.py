"""Reads about departments: matching names to the master, the department tree.

Who holds which role is in ``hoshin.org.roles``."""

import unicodedata
from dataclasses import dataclass, field

from hoshin.org.models import Department


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


def department_units(*, department_ids: set[int]) -> set[int]:
    """The departments with every unit below them (a 課's role covers its 係; a department's
    export covers its sub-units)."""
    if not department_ids:
        return set()
    children: dict[int, list[int]] = {}
    for pk, parent_id in Department.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, stack = set(), list(department_ids)
    while stack:
        pk = stack.pop()
        if pk not in found:
            found.add(pk)
            stack.extend(children.get(pk, []))
    return found


def departments_as_tree(departments) -> list[tuple[Department, int]]:
    """``departments`` (already in organisation order) depth first: each parent before its
    children, with its depth (0 for a department whose parent is not among them)."""
    departments = list(departments)
    ids = {department.pk for department in departments}
    children: dict[int | None, list[Department]] = {}
    for department in departments:
        parent_id = department.parent_id if department.parent_id in ids else None
        children.setdefault(parent_id, []).append(department)
    result: list[tuple[Department, int]] = []
    stack = [(department, 0) for department in reversed(children.get(None, []))]
    while stack:
        department, depth = stack.pop()
        result.append((department, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(department.pk, [])))
    return result

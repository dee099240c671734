"""Reorganisations of departments (rename / merge / split / abolish) and what follows them.

Organisation owns the departments; other apps hold things *for* a department (plans'
responsibility lines, the lead department of an open citizen's voice). Rather than this app
reaching up into them, each registers a hand-over from its ``AppConfig.ready()`` with
:func:`register_handover`, and :func:`department_reorganize` calls every registered hand-over
inside its transaction. An app whose records must not be left without a department (an
abolition) registers a ``check`` that refuses before anything is written.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from hoshin.audit.services import audit_record
from hoshin.lib.fiscal import format_fiscal_year
from hoshin.org.models import Department, DepartmentChange, RoleAssignment, User
from hoshin.org.services import check_fy, check_kind, check_name_free, check_parent


@dataclass
class SuccessorSpec:
    """A department to open by a reorganisation: name, kind and parent (None for top level)."""

    name: str
    kind: str
    parent: Department | None = None


@dataclass
class ReorganizeResult:
    change: DepartmentChange
    successors: list[Department]
    # Responsibility lines of running plans closed at effective_fy - 1 and reopened for a successor.
    handed_over: int = 0
    # Lines that could not have been in force before effective_fy: re-pointed, not closed.
    repointed: int = 0
    # Lines closed without a successor (abolish): these actions need a new department.
    orphaned_actions: list[int] = field(default_factory=list)


@dataclass
class Reorganization:
    """What a registered hand-over is told about the reorganisation being written."""

    change: DepartmentChange
    effective_fy: int
    predecessor_ids: list[int]
    # New departments in the order given; ``heir`` is the first (None when abolishing).
    successors: list[Department]
    # Split only: action id → name of the successor that takes it over.
    handover: dict[int, str]
    result: "ReorganizeResult"

    @property
    def heir(self) -> Department | None:
        return self.successors[0] if self.successors else None

    @property
    def by_name(self) -> dict[str, Department]:
        return {department.name: department for department in self.successors}


# A hand-over moves its app's records and returns how many it moved (for the audit entry);
# a check gets (predecessors, their names joined) before an abolition and raises
# ValidationError when the app still has something only those departments can do.
Handover = Callable[[Reorganization], int]
AbolishCheck = Callable[[list[Department], str], None]
_HANDOVERS: list[tuple[str, Handover, AbolishCheck | None]] = []


def register_handover(name: str, handover: Handover, *, check: AbolishCheck | None = None) -> None:
    """Register what ``name`` (an app's records) does when departments are reorganised.

    Called from ``AppConfig.ready()``; registering the same name again replaces the entry.
    """
    _HANDOVERS[:] = [entry for entry in _HANDOVERS if entry[0] != name]
    _HANDOVERS.append((name, handover, check))


# kind → (minimum, maximum or None, message) for the predecessors and for the successors.
_PREDECESSOR_COUNT = {
    DepartmentChange.Kind.RENAME: (1, 1, "名称変更の変更前は1部署です。"),
    DepartmentChange.Kind.MERGE: (2, None, "統合には変更前の部署が2つ以上必要です。"),
    DepartmentChange.Kind.SPLIT: (1, 1, "分割の変更前は1部署です。"),
    DepartmentChange.Kind.ABOLISH: (1, None, "廃止する部署を選んでください。"),
}
_SUCCESSOR_COUNT = {
    DepartmentChange.Kind.RENAME: (1, 1, "名称変更の変更後は1部署です。"),
    DepartmentChange.Kind.MERGE: (1, 1, "統合の変更後は1部署です。"),
    DepartmentChange.Kind.SPLIT: (2, None, "分割の変更後は2部署以上です。"),
    DepartmentChange.Kind.ABOLISH: (0, 0, "廃止では変更後の部署を指定しません。"),
}


def _check_count(items: list, bounds: tuple[int, int | None, str]) -> None:
    minimum, maximum, message = bounds
    if len(items) < minimum or (maximum is not None and len(items) > maximum):
        raise ValidationError(message)


def _check_reorganization_shape(*, kind: str, predecessors: list, successors: list) -> None:
    if kind not in DepartmentChange.Kind.values:
        raise ValidationError(f"組織改編の種別「{kind}」はありません。")
    if not predecessors:
        raise ValidationError("変更前の部署を選んでください。")
    if len({p.pk for p in predecessors}) != len(predecessors):
        raise ValidationError("変更前の部署が重複しています。")
    _check_count(predecessors, _PREDECESSOR_COUNT[kind])
    _check_count(successors, _SUCCESSOR_COUNT[kind])


@transaction.atomic
def department_reorganize(
    *,
    kind: str,
    predecessors: Sequence[Department],
    successor_names: Sequence[tuple[str, str, Department | None] | SuccessorSpec],
    effective_fy: int,
    by: User | None,
    note: str = "",
    handover: Mapping[int, str] | None = None,
) -> ReorganizeResult:
    """Rename, merge, split or abolish departments from the start of ``effective_fy``.

    * Each predecessor is closed (``valid_until_fy = effective_fy - 1``) and each successor is
      created as a new Department valid from ``effective_fy``, so records of earlier years keep
      pointing at the department of their year. A DepartmentChange links them.
    * Every registered hand-over runs (see the module docstring). The plans app's: open
      responsibilities (ActionDepartment lines with no end year) of plans still running at
      ``effective_fy`` are handed over: the old line ends at ``effective_fy - 1`` and a new line
      to the successor starts at ``effective_fy``, with the same position and lead flag. If a
      merge makes an action name the successor twice, one line is kept (lead if either was).
      For a split every line goes to the **first** successor unless ``handover`` maps the
      action's id to the name of another successor. Lines that cannot have been in force before
      ``effective_fy`` (the line or its plan starts then or later) are re-pointed instead.
      Abolishing closes the lines without a successor; those actions are reported as orphaned.
    * What is "current" rather than history follows the successor (the first one for a split):
      sub-units still open, staff members' department, role assignments, the owner department
      of running plans and the lead department of open citizens' voices. Abolishing a
      department that still has open sub-units, staff, roles or open voices is refused:
      reorganise or move them first.
    """
    predecessors = list(predecessors)
    specs = [
        spec if isinstance(spec, SuccessorSpec) else SuccessorSpec(*spec)
        for spec in successor_names
    ]
    _check_reorganization_shape(kind=kind, predecessors=predecessors, successors=specs)
    check_fy(effective_fy, "実施年度")

    # Re-read under lock so two reorganisations of the same department cannot both succeed.
    locked = {
        d.pk: d
        for d in Department.objects.select_for_update().filter(pk__in=[p.pk for p in predecessors])
    }
    predecessors = [locked[p.pk] for p in predecessors]
    predecessor_ids = [p.pk for p in predecessors]
    for department in predecessors:
        if department.valid_until_fy is not None:
            raise ValidationError(
                f"「{department.name}」は既に{format_fiscal_year(department.valid_until_fy)}"
                "を最後に廃止されています。"
            )
        if department.valid_from_fy is not None and effective_fy <= department.valid_from_fy:
            raise ValidationError(
                f"「{department.name}」は{format_fiscal_year(department.valid_from_fy)}の設置です。"
                "実施年度はそれより後の年度にしてください。"
            )

    seen_names: set[tuple[str, int | None]] = set()
    for spec in specs:
        spec.name = spec.name.strip()
        if not spec.name:
            raise ValidationError("変更後の部署名を入力してください。")
        check_kind(spec.kind)
        if spec.parent is not None and spec.parent.pk in predecessor_ids:
            raise ValidationError(
                f"「{spec.name}」の上位組織「{spec.parent.name}」はこの改編で廃止されます。"
            )
        check_parent(parent=spec.parent, fy=effective_fy, name=spec.name)
        key = (spec.name, spec.parent.pk if spec.parent else None)
        if key in seen_names:
            raise ValidationError(f"変更後の部署「{spec.name}」が重複しています。")
        seen_names.add(key)
        check_name_free(name=spec.name, parent=spec.parent, exclude=predecessor_ids)
    if kind == DepartmentChange.Kind.RENAME:
        old, new = predecessors[0], specs[0]
        if (old.name, old.kind, old.parent_id) == (
            new.name,
            new.kind,
            new.parent.pk if new.parent else None,
        ):
            raise ValidationError("変更前と変更後で名称・種別・上位組織が同じです。")

    handover = dict(handover or {})
    if handover and kind != DepartmentChange.Kind.SPLIT:
        raise ValidationError("担当の振り分けは分割のときだけ指定できます。")
    names = [spec.name for spec in specs]
    for action_id, name in handover.items():
        if name not in names:
            raise ValidationError(
                f"振り分け先「{name}」は変更後の部署にありません（取組 {action_id}）。"
            )

    if kind == DepartmentChange.Kind.ABOLISH:
        _check_nothing_left_behind(predecessors=predecessors, effective_fy=effective_fy)

    # Close the predecessors, open the successors.
    last_fy = effective_fy - 1
    for department in predecessors:
        department.valid_until_fy = last_fy
        department.save(update_fields=["valid_until_fy"])
    successors = [
        Department.objects.create(
            name=spec.name,
            kind=spec.kind,
            parent=spec.parent,
            valid_from_fy=effective_fy,
            position=predecessors[0].position,
            **{key: getattr(predecessors[0], key) for key in Department.CONTACT_FIELDS},
        )
        for spec in specs
    ]
    heir = successors[0] if successors else None

    change = DepartmentChange.objects.create(kind=kind, effective_fy=effective_fy, note=note)
    change.predecessors.set(predecessors)
    change.successors.set(successors)
    result = ReorganizeResult(change=change, successors=successors)

    # What other apps hold for a department (plans' responsibilities, open voices) follows the
    # successors through the hand-overs they registered.
    reorganization = Reorganization(
        change=change,
        effective_fy=effective_fy,
        predecessor_ids=predecessor_ids,
        successors=successors,
        handover=handover,
        result=result,
    )
    moved = {"children": 0, "staff": 0, "roles": 0}
    for name, handler, _check in _HANDOVERS:
        moved[name] = handler(reorganization)

    if heir is not None:
        moved["children"] = (
            Department.objects.current().filter(parent__in=predecessor_ids).update(parent=heir)
        )
        moved["staff"] = User.objects.filter(department__in=predecessor_ids).update(department=heir)
        for assignment in RoleAssignment.objects.filter(department__in=predecessor_ids):
            duplicate = RoleAssignment.objects.filter(
                user_id=assignment.user_id, role=assignment.role, department=heir
            ).exists()
            if duplicate:
                assignment.delete()
            else:
                assignment.department = heir
                assignment.save(update_fields=["department"])
            moved["roles"] += 1

    before = "、".join(d.name for d in predecessors)
    after = "、".join(d.name for d in successors)
    summary = f"{format_fiscal_year(effective_fy)} {change.get_kind_display()}: {before}"
    if after:
        summary += f" → {after}"
    audit_record(
        actor=by,
        verb="department.reorganize",
        target=change,
        summary=summary,
        data={
            "kind": kind,
            "effective_fy": effective_fy,
            "predecessors": predecessor_ids,
            "successors": [d.pk for d in successors],
            "handed_over": result.handed_over,
            "repointed": result.repointed,
            "orphaned_actions": result.orphaned_actions,
            "moved": moved,
            "note": note,
        },
    )
    return result


def _check_nothing_left_behind(*, predecessors: list[Department], effective_fy: int) -> None:
    names = "、".join(d.name for d in predecessors)
    if Department.objects.current().filter(parent__in=predecessors).exists():
        raise ValidationError(
            f"「{names}」の下にまだ部署があります。先にそれらを改編してください。"
        )
    if User.objects.filter(department__in=predecessors).exists():
        raise ValidationError(f"「{names}」に所属する職員がいます。先に所属を変更してください。")
    if RoleAssignment.objects.filter(department__in=predecessors).exists():
        raise ValidationError(f"「{names}」を対象とする役割があります。先に役割を外してください。")
    for _name, _handler, check in _HANDOVERS:
        if check is not None:
            check(predecessors, names)

"""Writes to the organisation: departments, reorganisations (rename / merge / split / abolish), roles.

Every function validates, writes inside one transaction and records an audit entry. Errors a
member of staff can fix are raised as ``ValidationError`` with a message in Japanese.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from hoshin.audit.services import audit_record
from hoshin.lib.fiscal import MAX_FY, MIN_FY, format_fiscal_year
from hoshin.org.models import (
    Department,
    DepartmentChange,
    DepartmentKind,
    Role,
    RoleAssignment,
    User,
)

# Roles that always act for the whole city: a department on them would mean nothing.
CITYWIDE_ONLY_ROLES = {Role.ADMIN, Role.PLANNING_OFFICE, Role.PUBLIC_HEARING, Role.MAYOR_OFFICE}

# Editable through ``department_update``; a change of name for a reorganisation goes through
# ``department_reorganize`` instead, so that history keeps the old name.
DEPARTMENT_EDITABLE_FIELDS = ("name", "kind", "parent", "code", "position")


def _check_kind(kind: str) -> None:
    if kind not in DepartmentKind.values:
        raise ValidationError(f"部署の種別「{kind}」はありません。")


def _check_fy(fy: int | None, label: str) -> None:
    if fy is not None and not MIN_FY <= fy <= MAX_FY:
        raise ValidationError(f"{label}（{fy}）が扱える年度の範囲外です。")


def _check_parent(*, parent: Department | None, fy: int | None, name: str) -> None:
    """A new department may only sit under a department that still exists when it starts."""
    if parent is None:
        return
    if parent.valid_until_fy is not None and (fy is None or fy > parent.valid_until_fy):
        raise ValidationError(
            f"「{name}」の上位組織「{parent.name}」は"
            f"{format_fiscal_year(parent.valid_until_fy)}で廃止されています。"
        )


def _check_name_free(*, name: str, parent: Department | None, exclude: Sequence[int] = ()) -> None:
    """Two current departments with the same name under the same parent cannot be told apart."""
    clash = (
        Department.objects.current()
        .filter(name=name, parent=parent)
        .exclude(pk__in=list(exclude))
        .exists()
    )
    if clash:
        where = f"「{parent.name}」の下に" if parent is not None else ""
        raise ValidationError(f"{where}「{name}」という部署は既にあります。")


def department_check(
    *,
    name: str,
    kind: str,
    parent: Department | None,
    code: str = "",
    valid_from_fy: int | None = None,
    department: Department | None = None,
) -> None:
    """Raise ValidationError if a department (new, or ``department`` changed) would be invalid.

    The rules of ``department_create`` and ``department_update``; forms call it to show the
    message next to the field before anything is written.
    """
    name = name.strip()
    if not name:
        raise ValidationError("部署名を入力してください。")
    _check_kind(kind)
    _check_fy(valid_from_fy, "設置年度")
    if department is None:
        _check_parent(parent=parent, fy=valid_from_fy, name=name)
    else:
        node = parent
        while node is not None:
            if node.pk == department.pk:
                raise ValidationError(
                    "部署を自分自身またはその下位組織の下に置くことはできません。"
                )
            node = node.parent
        outlives_parent = (
            parent is not None
            and parent.pk != department.parent_id
            and parent.valid_until_fy is not None
            and (
                department.valid_until_fy is None
                or department.valid_until_fy > parent.valid_until_fy
            )
        )
        if outlives_parent:
            raise ValidationError(f"上位組織「{parent.name}」はこの部署より先に廃止されています。")
    exclude = [department.pk] if department is not None else []
    if department is None or department.valid_until_fy is None:
        _check_name_free(name=name, parent=parent, exclude=exclude)
    code = code.strip()
    if code and Department.objects.filter(code=code).exclude(pk__in=exclude).exists():
        raise ValidationError(f"組織コード「{code}」は既に使われています。")


@transaction.atomic
def department_create(
    *,
    name: str,
    kind: str,
    parent: Department | None = None,
    valid_from_fy: int | None = None,
    code: str = "",
    position: int = 0,
    by: User | None,
) -> Department:
    """Create a department (a new unit, not the successor of a reorganisation)."""
    department_check(name=name, kind=kind, parent=parent, code=code, valid_from_fy=valid_from_fy)
    department = Department.objects.create(
        name=name.strip(),
        kind=kind,
        parent=parent,
        valid_from_fy=valid_from_fy,
        code=code.strip(),
        position=position,
    )
    audit_record(
        actor=by,
        verb="department.create",
        target=department,
        summary=f"部署「{department.full_name}」を登録",
        data={
            "kind": kind,
            "parent": parent.pk if parent else None,
            "valid_from_fy": valid_from_fy,
        },
    )
    return department


@transaction.atomic
def department_update(*, department: Department, by: User | None, **changes) -> Department:
    """Correct a department's master data (typo in the name, code, order, parent) in place.

    This rewrites history: use it for corrections only. A real rename is a reorganisation
    (``department_reorganize``), which keeps the old name for the years it was in force.
    """
    unknown = set(changes) - set(DEPARTMENT_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(f"変更できない項目です: {', '.join(sorted(unknown))}")
    for key in ("name", "code"):
        if key in changes:
            changes[key] = changes[key].strip()
    before = {key: getattr(department, key) for key in changes}
    changed = {key: value for key, value in changes.items() if before[key] != value}
    if not changed:
        return department
    proposed = {
        key: changed.get(key, getattr(department, key))
        for key in ("name", "kind", "parent", "code")
    }
    department_check(**proposed, valid_from_fy=department.valid_from_fy, department=department)
    for key, value in changed.items():
        setattr(department, key, value)
    department.save(update_fields=list(changed))

    def plain(value):
        return value.pk if isinstance(value, Department) else value

    audit_record(
        actor=by,
        verb="department.update",
        target=department,
        summary=f"部署「{department.full_name}」の登録内容を修正",
        data={key: [plain(before[key]), plain(value)] for key, value in changed.items()},
    )
    return department


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
    * Open responsibilities (ActionDepartment lines with no end year) of plans still running at
      ``effective_fy`` are handed over: the old line ends at ``effective_fy - 1`` and a new line
      to the successor starts at ``effective_fy``, with the same position and lead flag. If a
      merge makes an action name the successor twice, one line is kept (lead if either was).
      For a split every line goes to the **first** successor unless ``handover`` maps the
      action's id to the name of another successor. Lines that cannot have been in force before
      ``effective_fy`` (the line or its plan starts then or later) are re-pointed instead.
      Abolishing closes the lines without a successor; those actions are reported as orphaned.
    * What is "current" rather than history follows the successor (the first one for a split):
      sub-units still open, staff members' department, role assignments and the owner
      department of running plans. Abolishing a department that still has open sub-units,
      staff or roles is refused: reorganise or move them first.
    """
    from hoshin.plans.models import ActionDepartment, Plan

    predecessors = list(predecessors)
    specs = [
        spec if isinstance(spec, SuccessorSpec) else SuccessorSpec(*spec)
        for spec in successor_names
    ]
    _check_reorganization_shape(kind=kind, predecessors=predecessors, successors=specs)
    _check_fy(effective_fy, "実施年度")

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
        _check_kind(spec.kind)
        if spec.parent is not None and spec.parent.pk in predecessor_ids:
            raise ValidationError(
                f"「{spec.name}」の上位組織「{spec.parent.name}」はこの改編で廃止されます。"
            )
        _check_parent(parent=spec.parent, fy=effective_fy, name=spec.name)
        key = (spec.name, spec.parent.pk if spec.parent else None)
        if key in seen_names:
            raise ValidationError(f"変更後の部署「{spec.name}」が重複しています。")
        seen_names.add(key)
        _check_name_free(name=spec.name, parent=spec.parent, exclude=predecessor_ids)
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
        )
        for spec in specs
    ]
    by_name = {department.name: department for department in successors}
    heir = successors[0] if successors else None

    change = DepartmentChange.objects.create(kind=kind, effective_fy=effective_fy, note=note)
    change.predecessors.set(predecessors)
    change.successors.set(successors)
    result = ReorganizeResult(change=change, successors=successors)

    # Hand over open responsibilities of plans still running at effective_fy.
    running = Q(action__plan__end_fy__isnull=True) | Q(action__plan__end_fy__gte=effective_fy)
    lines = list(
        ActionDepartment.objects.select_for_update()
        .filter(running, department__in=predecessor_ids, valid_until_fy__isnull=True)
        .select_related("action__plan")
        .order_by("action_id", "position", "id")
    )
    # Successor lines opened for each action in this run: a merge must not add one twice.
    opened: dict[tuple[int, int], ActionDepartment] = {}
    orphaned: set[int] = set()
    for line in lines:
        target = by_name[handover[line.action_id]] if line.action_id in handover else heir
        plan_start = line.action.plan.start_fy
        never_in_force_before = (
            line.valid_from_fy is not None and line.valid_from_fy >= effective_fy
        ) or (line.valid_from_fy is None and plan_start is not None and plan_start >= effective_fy)
        if target is None:
            # Abolished without successor: the line ends, the action has to be given a new one.
            if never_in_force_before:
                line.delete()
            else:
                line.valid_until_fy = last_fy
                line.save(update_fields=["valid_until_fy"])
            orphaned.add(line.action_id)
            continue
        key = (line.action_id, target.pk)
        existing = opened.get(key)
        if never_in_force_before:
            if existing is not None:
                was_lead = line.is_lead
                line.delete()
                _keep_lead(existing, was_lead)
            else:
                line.department = target
                line.save(update_fields=["department"])
                opened[key] = line
                result.repointed += 1
            continue
        # Close first: the old line may be the current lead, and only one may be open.
        line.valid_until_fy = last_fy
        line.save(update_fields=["valid_until_fy"])
        result.handed_over += 1
        if existing is not None:
            _keep_lead(existing, line.is_lead)
            continue
        opened[key] = ActionDepartment.objects.create(
            action_id=line.action_id,
            position=line.position,
            department=target,
            is_lead=line.is_lead,
            valid_from_fy=effective_fy,
        )
    result.orphaned_actions = sorted(orphaned)

    moved = {"children": 0, "staff": 0, "roles": 0, "plans": 0}
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
        moved["plans"] = (
            Plan.objects.filter(owner_department__in=predecessor_ids)
            .filter(Q(end_fy__isnull=True) | Q(end_fy__gte=effective_fy))
            .update(owner_department=heir)
        )

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


def _keep_lead(line, was_lead: bool) -> None:
    """Two merged lines become one (the earlier in order); it leads if either line did."""
    if was_lead and not line.is_lead:
        line.is_lead = True
        line.save(update_fields=["is_lead"])


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


def role_assignment_check(*, role: str, department: Department | None) -> None:
    """Raise ValidationError if ``role`` cannot be held for ``department`` (None = city-wide)."""
    if role not in Role.values:
        raise ValidationError(f"役割「{role}」はありません。")
    if role in Role.department_scoped() and department is None:
        raise ValidationError("この役割には対象部署が必要です。")
    if role in CITYWIDE_ONLY_ROLES and department is not None:
        raise ValidationError("この役割は全庁の役割です。対象部署は指定できません。")
    if department is not None and department.valid_until_fy is not None:
        raise ValidationError(f"「{department.name}」は廃止された部署です。")


@transaction.atomic
def user_assign_role(
    *, user: User, role: str, department: Department | None = None, by: User | None
) -> RoleAssignment:
    """Give a user a role (idempotent: an existing identical assignment is returned as is)."""
    role_assignment_check(role=role, department=department)
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, department=department
    )
    if created:
        scope = f"（{department.full_name}）" if department else ""
        audit_record(
            actor=by,
            verb="role.assign",
            target=assignment,
            summary=f"{user.username} に役割「{Role(role).label}」{scope}を付与",
            data={
                "user": user.pk,
                "role": role,
                "department": department.pk if department else None,
            },
        )
    return assignment


@transaction.atomic
def user_revoke_role(*, assignment: RoleAssignment, by: User | None) -> None:
    """Take a role away from a user."""
    data = {
        "user": assignment.user_id,
        "role": assignment.role,
        "department": assignment.department_id,
    }
    summary = f"{assignment.user.username} の役割「{assignment.get_role_display()}」を解除"
    audit_record(actor=by, verb="role.revoke", target=assignment, summary=summary, data=data)
    assignment.delete()

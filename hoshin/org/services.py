"""Writes to the organisation: departments and roles (reorganisations: ``reorganization.py``).

Every function validates, writes inside one transaction and records an audit entry. Errors a
member of staff can fix are raised as ``ValidationError`` with a message in Japanese.
"""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from hoshin.audit.services import audit_record
from hoshin.lib.fiscal import MAX_FY, MIN_FY, format_fiscal_year
from hoshin.org.models import (
    Department,
    DepartmentKind,
    Role,
    RoleAssignment,
    User,
)

# Roles that always act for the whole city: a department on them would mean nothing.
CITYWIDE_ONLY_ROLES = {Role.ADMIN, Role.PLANNING_OFFICE, Role.PUBLIC_HEARING, Role.MAYOR_OFFICE}

# Reading and contact details: free to correct, copied to the successor of a rename.
DEPARTMENT_DETAIL_FIELDS = ("reading", *Department.CONTACT_FIELDS)

# Editable through ``department_update``; a change of name for a reorganisation goes through
# ``department_reorganize`` instead, so that history keeps the old name.
DEPARTMENT_EDITABLE_FIELDS = (
    "name",
    "kind",
    "parent",
    "code",
    "position",
    *DEPARTMENT_DETAIL_FIELDS,
)


def check_kind(kind: str) -> None:
    if kind not in DepartmentKind.values:
        raise ValidationError(f"部署の種別「{kind}」はありません。")


def check_fy(fy: int | None, label: str) -> None:
    if fy is not None and not MIN_FY <= fy <= MAX_FY:
        raise ValidationError(f"{label}（{fy}）が扱える年度の範囲外です。")


def check_parent(*, parent: Department | None, fy: int | None, name: str) -> None:
    """A new department may only sit under a department that still exists when it starts."""
    if parent is None:
        return
    if parent.valid_until_fy is not None and (fy is None or fy > parent.valid_until_fy):
        raise ValidationError(
            f"「{name}」の上位組織「{parent.name}」は"
            f"{format_fiscal_year(parent.valid_until_fy)}で廃止されています。"
        )


def check_name_free(*, name: str, parent: Department | None, exclude: Sequence[int] = ()) -> None:
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
    check_kind(kind)
    check_fy(valid_from_fy, "設置年度")
    if department is None:
        check_parent(parent=parent, fy=valid_from_fy, name=name)
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
        check_name_free(name=name, parent=parent, exclude=exclude)
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
    **details: str,
) -> Department:
    """Create a department (a new unit, not the successor of a reorganisation).

    ``details`` are the reading and contact fields (``DEPARTMENT_DETAIL_FIELDS``)."""
    unknown = set(details) - set(DEPARTMENT_DETAIL_FIELDS)
    if unknown:
        raise ValidationError(f"登録できない項目です: {', '.join(sorted(unknown))}")
    department_check(name=name, kind=kind, parent=parent, code=code, valid_from_fy=valid_from_fy)
    department = Department.objects.create(
        name=name.strip(),
        kind=kind,
        parent=parent,
        valid_from_fy=valid_from_fy,
        code=code.strip(),
        position=position,
        **{key: value.strip() for key, value in details.items()},
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

"""Who may see, edit, comment on and move which sheet."""

from django.db.models import Q, QuerySet

from hoshin.evaluations.models import EvaluationSheet
from hoshin.org.models import Role
from hoshin.org.roles import departments_for_role, is_planning_office, user_roles


def user_sees_all_sheets(*, user) -> bool:
    """Planning office, administrators and city-wide viewers see every department's sheets."""
    if is_planning_office(user=user):
        return True
    return any(a.role == Role.VIEWER and a.department_id is None for a in user_roles(user=user))


def own_department_ids(*, user) -> set[int]:
    """Departments whose sheets the user works on or may read as a department member."""
    ids = set()
    for role in (Role.DEPARTMENT_EDITOR, Role.DEPARTMENT_HEAD, Role.VIEWER):
        ids |= departments_for_role(user=user, role=role)
    return ids


def sheets_visible_to(*, user) -> QuerySet[EvaluationSheet]:
    """Sheets a member of staff may open: their departments' own and those they co-own."""
    sheets = EvaluationSheet.objects.all()
    if not user.is_authenticated:
        return sheets.none()
    if user_sees_all_sheets(user=user):
        return sheets
    ids = own_department_ids(user=user)
    if not ids:
        return sheets.none()
    co_responsible = Q(action__responsibilities__department_id__in=ids)
    return sheets.filter(Q(department_id__in=ids) | co_responsible).distinct()


def is_editor_of(*, user, sheet: EvaluationSheet) -> bool:
    """The sheet's department editor (the planning office for sheets with no department)."""
    if sheet.department_id is None:
        return is_planning_office(user=user)
    return sheet.department_id in departments_for_role(user=user, role=Role.DEPARTMENT_EDITOR)


def is_head_of(*, user, sheet: EvaluationSheet) -> bool:
    """The sheet's department head (the planning office for sheets with no department)."""
    if sheet.department_id is None:
        return is_planning_office(user=user)
    return sheet.department_id in departments_for_role(user=user, role=Role.DEPARTMENT_HEAD)


def can_edit(*, user, sheet: EvaluationSheet) -> bool:
    """Content may change only while drafting, and only by the sheet's own department."""
    return sheet.is_editable_stage and is_editor_of(user=user, sheet=sheet)


def can_comment(*, user, sheet: EvaluationSheet) -> bool:
    """Its department, co-responsible departments and the planning office may comment."""
    if is_planning_office(user=user):
        return True
    ids = departments_for_role(user=user, role=Role.DEPARTMENT_EDITOR) | departments_for_role(
        user=user, role=Role.DEPARTMENT_HEAD
    )
    if sheet.department_id in ids:
        return True
    return bool(
        sheet.action_id and sheet.action.responsibilities.filter(department_id__in=ids).exists()
    )


def can_view(*, user, sheet: EvaluationSheet) -> bool:
    return sheets_visible_to(user=user).filter(pk=sheet.pk).exists()

"""Who holds which role: the one set of role predicates and the view decorators built on them.

Every app asks here ("is this user the planning office?") rather than writing its own test of
``Role`` values, so a rule such as "administrators may do what the planning office does" is
written once. Superusers hold every role. Views use the decorators; templates get the answers
from ``hoshin.backoffice.context_processors``.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hoshin.org.models import Department, Role, RoleAssignment, User
from hoshin.org.selectors import department_units

# --- predicates -------------------------------------------------------------------------------


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


def is_admin(*, user: User) -> bool:
    """System administrators (and superusers)."""
    return user_has_role(user=user, role=Role.ADMIN)


def is_planning_office(*, user: User) -> bool:
    """The planning office (企画・行政管理担当) or an administrator: runs the cycle for every
    department, imports and publishes plans."""
    return user_has_role(user=user, role=Role.PLANNING_OFFICE) or is_admin(user=user)


def is_public_hearing_office(*, user: User) -> bool:
    """The public-hearing office (広聴担当) or an administrator: takes in and routes every voice,
    runs surveys."""
    return user_has_role(user=user, role=Role.PUBLIC_HEARING) or is_admin(user=user)


def is_mayor_office(*, user: User) -> bool:
    """The mayor's office (秘書担当): approves the replies that go out in the mayor's name."""
    return user_has_role(user=user, role=Role.MAYOR_OFFICE)


def departments_for_role(*, user: User, role: str) -> set[int]:
    """Ids of the departments (with their sub-units) for which ``user`` holds ``role``."""
    if not user.is_authenticated:
        return set()
    cache = user.__dict__.setdefault("_department_role_cache", {})
    if role not in cache:
        ids = {a.department_id for a in user_roles(user=user) if a.role == role and a.department_id}
        cache[role] = department_units(department_ids=ids)
    return cache[role]


# --- view decorators --------------------------------------------------------------------------

View = Callable[..., HttpResponse]


def login_required_staff(view: View) -> View:
    """Any signed-in member of staff, whatever their role; anonymous visitors go to the login
    page. Pages that need a role use :func:`role_required` (or check per object)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


# Who holds each predicate, in words: the 403 page names the role that may open a page, so
# nobody is told to ask themselves for access.
ROLE_HOLDERS: dict[Callable[..., bool], str | Promise] = {
    is_admin: gettext_lazy("システム管理者"),
    is_planning_office: gettext_lazy("企画担当とシステム管理者"),
    is_public_hearing_office: gettext_lazy("広聴担当とシステム管理者"),
    is_mayor_office: gettext_lazy("市長公室"),
}


def role_required(
    predicate: Callable[..., bool], *, holders: str | Promise | None = None
) -> Callable[[View], View]:
    """Signed-in staff for whom ``predicate(user=...)`` holds; other staff get 403 naming who may
    (``holders``, else ``ROLE_HOLDERS``) and anonymous visitors the login page.

    The view keeps the predicate as ``allowed_for`` (decorators built with ``functools.wraps``
    carry it outwards), so a menu asks the view itself whether to show its link
    (:func:`view_allows`) instead of repeating the rule."""
    who = holders or ROLE_HOLDERS.get(predicate)

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not predicate(user=request.user):
                if who:
                    raise PermissionDenied(_("この画面は%(who)sが使います。") % {"who": who})
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.allowed_for = predicate
        return wrapper

    return decorator


def view_allows(view: View, *, user: User) -> bool:
    """Whether ``user`` may open ``view``: signed in, and the view's role predicate, if it has one
    (:func:`role_required`), holds."""
    if not user.is_authenticated:
        return False
    predicate = getattr(view, "allowed_for", None)
    return predicate is None or predicate(user=user)


planning_office_required = role_required(is_planning_office)
public_hearing_office_required = role_required(is_public_hearing_office)

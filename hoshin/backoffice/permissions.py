"""Who may use which back-office page. Views use these decorators; templates use ``can_*``."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from hoshin.org.selectors import user_is_planning_office


def can_manage_plans(user) -> bool:
    """Importing and publishing plans is the planning office's (and administrators') job."""
    return user_is_planning_office(user=user)


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Any signed-in member of staff; anonymous visitors go to the login page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


def planning_office_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Planning office or administrator; other staff get 403, anonymous visitors the login page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_manage_plans(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper

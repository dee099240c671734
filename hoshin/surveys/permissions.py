"""Who may build surveys and read their results: the public-hearing office and administrators."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from hoshin.org.models import Role
from hoshin.org.selectors import user_has_role


def can_run_surveys(user) -> bool:
    """Public-hearing office (広聴担当) and administrators (superusers too)."""
    return user_has_role(user=user, role=Role.PUBLIC_HEARING) or user_has_role(
        user=user, role=Role.ADMIN
    )


def survey_staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous visitors go to the login page; other staff get 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_run_surveys(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper

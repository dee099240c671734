"""Sign-in events into the audit log: successes, failures, lockouts, refusals while locked.

Connected from ``AccountsConfig.ready()``. django-axes' own receivers run first (its app is
listed earlier), so by the time these run the request says whether this failure locked the
client (``axes_failures_since_start`` is set and ``axes_locked_out`` true) or was refused
because it already was (``axes_locked_out`` true, nothing counted). Only the user name is kept,
never the password (Django has already masked it in ``credentials``) nor a code.
"""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from hoshin.accounts.middleware import session_touch
from hoshin.audit.services import audit_record
from hoshin.lib.client import client_address
from hoshin.org.models import User


def connect() -> None:
    user_logged_in.connect(_logged_in, dispatch_uid="hoshin.accounts.logged_in")
    user_logged_out.connect(_logged_out, dispatch_uid="hoshin.accounts.logged_out")
    user_login_failed.connect(_login_failed, dispatch_uid="hoshin.accounts.login_failed")


def _logged_in(sender, request, user, **kwargs) -> None:
    if request is None:
        return
    session_touch(request)
    # Only sign-ins over HTTP are audited: ``login()`` called on a bare HttpRequest (the test
    # client's force_login, a shell) has no request method and is nobody signing in.
    if not request.META.get("REQUEST_METHOD"):
        return
    audit_record(
        actor=user,
        verb="signin.success",
        target=user,
        summary=f"{user} がログインしました（パスワード）",
        data={"address": client_address(request), "path": request.path[:200]},
    )


def _logged_out(sender, request, user, **kwargs) -> None:
    if request is None or user is None:
        return
    audit_record(
        actor=user,
        verb="signin.logout",
        target=user,
        summary=f"{user} がログアウトしました",
        data={"address": client_address(request)},
    )


def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    if request is None:
        return
    username = str(credentials.get("username") or "")[:150]
    target = User.objects.filter(username=username).first() if username else None
    data = {
        "username": username,
        "address": client_address(request),
        "path": request.path[:200],
        "step": "second_factor" if credentials.get("second_factor") else "password",
    }
    locked = getattr(request, "axes_locked_out", False)
    counted = getattr(request, "axes_failures_since_start", None)
    if locked and counted is None:
        audit_record(
            actor=None,
            verb="signin.refused_locked",
            target=target,
            summary=f"停止中のためログインを拒否しました（{username}）",
            data=data,
        )
        return
    audit_record(
        actor=None,
        verb="signin.failed",
        target=target,
        summary=f"ログインに失敗しました（{username}）",
        data={**data, "failures": counted},
    )
    if locked:
        audit_record(
            actor=None,
            verb="signin.lockout",
            target=target,
            summary=f"失敗が続いたためログインを停止しました（{username}）",
            data=data,
        )

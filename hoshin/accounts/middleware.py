"""The gate in front of every staff page: idle expiry and the second factor.

After Django's ``AuthenticationMiddleware`` and django-otp's ``OTPMiddleware``:

1. **Idle expiry.** A signed-in session unused for ``HOSHIN_SESSION_IDLE_MINUTES`` is ended
   (sliding: every request restarts the clock; the time is stored at most once a minute so that
   reading pages does not write the session each time).
2. **Second factor.** A session that signed in with a password but still owes a code (or must
   set up an authenticator first, ``selectors.pending_step``) reaches only that step and the
   log-out: every other staff or admin URL — any method — is redirected to the step, and on
   public pages the visitor is anonymous. So no view has to remember to check.

Requests without a session cookie (citizens on the portal) are passed through untouched: no
session read, no query, no ``Vary: Cookie``.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext

from hoshin.accounts.selectors import STEP_ENROL, STEP_NONE, pending_step

LAST_SEEN_KEY = "hoshin_last_seen"
# Where a half-signed-in session is stopped (anything else is public and served anonymously).
GATED_PREFIXES = ("/staff/", "/admin/")
TOUCH_EVERY_SECONDS = 60


def session_touch(request: HttpRequest) -> None:
    """Record that the signed-in session was used now."""
    request.session[LAST_SEEN_KEY] = int(time.time())


def _idle_expired(request: HttpRequest) -> bool:
    limit = settings.HOSHIN_SESSION_IDLE_MINUTES * 60
    last = request.session.get(LAST_SEEN_KEY)
    now = int(time.time())
    if limit > 0 and last is not None and now - last > limit:
        return True
    if last is None or now - last >= TOUCH_EVERY_SECONDS:
        session_touch(request)
    return False


class SignInMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.SESSION_COOKIE_NAME not in request.COOKIES or not request.user.is_authenticated:
            return self.get_response(request)
        gated = request.path.startswith(GATED_PREFIXES)
        if _idle_expired(request):
            logout(request)
            if gated:
                messages.info(
                    request,
                    gettext(
                        "%(minutes)d分以上操作がなかったため、安全のためログアウトしました。"
                        "もう一度ログインしてください。"
                    )
                    % {"minutes": settings.HOSHIN_SESSION_IDLE_MINUTES},
                )
                return redirect_to_login(request.get_full_path())
            return self.get_response(request)
        step = request.sign_in_step = pending_step(user=request.user)
        if step == STEP_NONE:
            return self.get_response(request)
        step_url = reverse("accounts:enrol" if step == STEP_ENROL else "accounts:verify")
        if request.path in (step_url, reverse("backoffice:logout")):
            return self.get_response(request)
        if gated:
            next_url = request.get_full_path() if request.method == "GET" else ""
            return redirect(f"{step_url}?{urlencode({'next': next_url})}" if next_url else step_url)
        request.user = AnonymousUser()
        return self.get_response(request)

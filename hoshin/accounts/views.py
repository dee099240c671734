"""Sign-in pages: the second step, setting up an authenticator, one's own security page, and the
administrators' page of lockouts. Thin: forms in, services out (``services.py``)."""

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from hoshin.accounts import services
from hoshin.accounts.forms import CodeForm, EnrolForm, SecondFactorResetForm, UnlockForm
from hoshin.accounts.lockouts import current_lockouts, lockout_response
from hoshin.accounts.selectors import (
    STEP_ENROL,
    STEP_NONE,
    STEP_VERIFY,
    authenticator,
    authenticator_secret,
    pending_step,
    recovery_codes_left,
    second_factor_required,
)
from hoshin.org.models import User
from hoshin.org.roles import is_admin, login_required_staff, role_required


def _next_url(request: HttpRequest) -> str:
    """Where to go after the step: ``next`` if it is a page of this site, else the staff home."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@login_required_staff
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the authenticator or a recovery code."""
    step = pending_step(user=request.user)
    if step != STEP_VERIFY:
        return redirect("accounts:enrol") if step == STEP_ENROL else redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            verified = services.second_factor_verify(
                request=request, code=form.cleaned_data["code"]
            )
        except services.SecondFactorLocked:
            verified = None
        if verified:
            return redirect(_next_url(request))
        if verified is None or getattr(request, "axes_locked_out", False):
            # Locked (now or already): the half-signed-in session ends with the lockout page.
            logout(request)
            return lockout_response(request)
        form.add_error(
            "code",
            gettext(
                "コードが正しくないか、使用済みです。続けて間違えると、しばらく待つ必要があります。"
            ),
        )
    return render(request, "accounts/verify.html", {"form": form, "next": _next_url(request)})


@login_required_staff
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator: QR code and the secret as text, confirmed with a code; then the
    recovery codes, shown once. Someone who already has one must pass it first (a password
    alone never replaces a second factor)."""
    if pending_step(user=request.user) == STEP_VERIFY:
        return redirect("accounts:verify")
    device = services.authenticator_pending(user=request.user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.authenticator_confirm(
            request=request, device=device, code=form.cleaned_data["code"]
        )
        if codes is not None:
            return _show_codes(request, codes, first=True)
        form.add_error(
            "code",
            gettext("コードが一致しません。認証アプリの時刻と、登録した項目を確かめてください。"),
        )
    qr = segno.make(device.config_url, error="m")
    text = authenticator_secret(device)
    response = render(
        request,
        "accounts/enrol.html",
        {
            "form": form,
            "qr_svg": mark_safe(
                qr.svg_inline(scale=5, border=2, title=gettext("登録用のQRコード"))
            ),
            "secret_groups": [text[i : i + 4] for i in range(0, len(text), 4)],
            "required": second_factor_required(user=request.user),
            "next": _next_url(request),
        },
    )
    response["Cache-Control"] = "no-store"  # the secret is on the page
    return response


def _show_codes(request: HttpRequest, codes: list[str], *, first: bool) -> HttpResponse:
    response = render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "first": first, "next": _next_url(request)},
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required_staff
def security(request: HttpRequest) -> HttpResponse:
    """One's own sign-in settings: the authenticator, recovery codes left."""
    return render(
        request,
        "accounts/security.html",
        {
            "device": authenticator(user=request.user),
            "codes_left": recovery_codes_left(user=request.user),
            "required": second_factor_required(user=request.user),
        },
    )


@require_POST
@login_required_staff
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes (only for a session that passed its second factor)."""
    if authenticator(user=request.user) is None or pending_step(user=request.user) != STEP_NONE:
        return redirect("accounts:security")
    codes = services.recovery_codes_regenerate(user=request.user, by=request.user)
    return _show_codes(request, codes, first=False)


@require_POST
@login_required_staff
def remove(request: HttpRequest) -> HttpResponse:
    """Opt out of the second factor (not for the roles that require it)."""
    if second_factor_required(user=request.user):
        messages.error(request, gettext("あなたの役割では二要素認証を解除できません。"))
    else:
        services.second_factor_remove(user=request.user, by=request.user)
        messages.success(request, gettext("二要素認証を解除しました。"))
    return redirect("accounts:security")


@role_required(is_admin)
def lockouts(request: HttpRequest) -> HttpResponse:
    """Administrators: the accounts and addresses locked now, with an unlock button each, and
    the reset of a member of staff's second factor."""
    reset_form = SecondFactorResetForm(prefix="reset")
    if request.method == "POST" and "reset-username" in request.POST:
        reset_form = SecondFactorResetForm(request.POST, prefix="reset")
        if reset_form.is_valid():
            user = User.objects.filter(username=reset_form.cleaned_data["username"]).first()
            if user is None:
                reset_form.add_error("username", gettext("そのユーザー名の職員はいません。"))
            else:
                services.second_factor_remove(user=user, by=request.user)
                messages.success(
                    request, gettext("%(user)s の二要素認証を解除しました。") % {"user": user}
                )
                return redirect("accounts:lockouts")
    elif request.method == "POST":
        form = UnlockForm(request.POST)
        if form.is_valid():
            services.lockout_reset(
                username=form.cleaned_data["username"],
                address=form.cleaned_data["address"] or "",
                by=request.user,
            )
            messages.success(
                request,
                gettext("%(who)s のログイン停止を解除しました。")
                % {"who": form.cleaned_data["username"] or form.cleaned_data["address"]},
            )
        return redirect("accounts:lockouts")
    return render(
        request,
        "accounts/lockouts.html",
        {
            "lockouts": current_lockouts(),
            "reset_form": reset_form,
            "minutes": settings.HOSHIN_SIGNIN_LOCKOUT_MINUTES,
        },
    )

"""Sign-in services: second-factor set-up, verification and recovery codes, unlocking.

Every change is written to the audit log (``hoshin.audit.services.audit_record``); passwords,
codes and secrets never are.
"""

from axes.utils import reset as axes_reset
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from hoshin.accounts.lockouts import is_locked_out
from hoshin.accounts.selectors import authenticator
from hoshin.audit.services import audit_record
from hoshin.lib.client import client_address
from hoshin.org.models import User

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "認証アプリ"
RECOVERY_NAME = "回復コード"


class SecondFactorLocked(Exception):
    """Too many failed sign-ins for this account or address: the code is not even checked."""


def authenticator_pending(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator being set up (a new secret the first time)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


@transaction.atomic
def authenticator_confirm(
    *, request: HttpRequest, device: TOTPDevice, code: str
) -> list[str] | None:
    """Confirm the authenticator being set up with a code it shows; on success it replaces any
    earlier one, the session counts as verified, and the new recovery codes are returned (to be
    shown once). None when the code is wrong."""
    user = request.user
    if device.user_id != user.pk or device.confirmed or not device.verify_token(code.strip()):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _recovery_codes_replace(user=user)
    _session_verified(request, device)
    audit_record(
        actor=user,
        verb="signin.second_factor_enrol",
        target=user,
        summary=f"{user} が二要素認証（認証アプリ）を設定しました",
        data={"address": client_address(request)},
    )
    return codes


def authenticator_for_demo(*, user: User) -> tuple[TOTPDevice, list[str]]:
    """A confirmed authenticator with a fresh secret and fresh recovery codes (the demo users)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=True)
        codes = _recovery_codes_replace(user=user)
        audit_record(
            actor=None,
            verb="signin.second_factor_enrol",
            target=user,
            summary=f"{user} のデモ用二要素認証を設定しました",
        )
    return device, codes


@transaction.atomic
def recovery_codes_regenerate(*, user: User, by: User) -> list[str]:
    """New recovery codes for ``user``; the old ones stop working. Returned to be shown once."""
    codes = _recovery_codes_replace(user=user)
    audit_record(
        actor=by,
        verb="signin.recovery_codes_regenerate",
        target=user,
        summary=f"{user} の回復コードを作り直しました",
    )
    return codes


def _recovery_codes_replace(*, user: User) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def second_factor_remove(*, user: User, by: User) -> None:
    """Remove ``user``'s authenticator and recovery codes (a lost phone, or an opt-out). A user
    whose role requires a second factor sets up a new one at the next sign-in."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit_record(
        actor=by,
        verb="signin.second_factor_remove",
        target=user,
        summary=f"{user} の二要素認証を解除しました",
    )


def second_factor_verify(*, request: HttpRequest, code: str) -> bool:
    """Check the code of the signed-in ``request.user``: six digits from the authenticator or
    one recovery code (used up by this). On success the session counts as verified and its id
    changes. A failure counts towards the account's lockout like a wrong password; while the
    account or address is locked, :class:`SecondFactorLocked` is raised and no code is checked.
    """
    user = request.user
    if is_locked_out(request, username=user.get_username()):
        raise SecondFactorLocked
    code = "".join(code.split()).lower()
    device = None
    if code.isdigit():
        candidate = authenticator(user=user)
        if candidate is not None and candidate.verify_token(code):
            device = candidate
    elif code:
        candidate = StaticDevice.objects.filter(user=user, confirmed=True).first()
        if candidate is not None and candidate.verify_token(code):
            device = candidate
    if device is None:
        # axes counts it (and may lock the account); hoshin.accounts.signals audits it.
        user_login_failed.send(
            sender=__name__,
            credentials={"username": user.get_username(), "second_factor": True},
            request=request,
        )
        return False
    _session_verified(request, device)
    if isinstance(device, StaticDevice):
        audit_record(
            actor=user,
            verb="signin.recovery_code_used",
            target=user,
            summary=f"{user} が回復コードでログインしました",
            data={"address": client_address(request), "left": device.token_set.count()},
        )
    else:
        audit_record(
            actor=user,
            verb="signin.second_factor",
            target=user,
            summary=f"{user} が二要素認証を通過しました",
            data={"address": client_address(request)},
        )
    return True


def _session_verified(request: HttpRequest, device) -> None:
    # A new session id at each step up in privilege: a session id learnt before is worthless.
    request.session.cycle_key()
    otp_login(request, device)


@transaction.atomic
def lockout_reset(*, username: str = "", address: str = "", by: User) -> int:
    """Unlock an account (``username``) or an address: their counted failures are removed.
    Returns how many attempt records were removed."""
    removed = 0
    if username:
        removed += axes_reset(username=username)
    if address:
        removed += axes_reset(ip=address)
    target = User.objects.filter(username=username).first() if username else None
    audit_record(
        actor=by,
        verb="signin.unlock",
        target=target,
        summary=f"ログインの停止を解除しました（{username or address}）",
        data={"username": username, "address": address, "removed": removed},
    )
    return removed

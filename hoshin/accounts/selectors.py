"""Reads about sign-in: who needs a second factor, which devices a user has, what is pending."""

from base64 import b32encode

from django.conf import settings
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from hoshin.org.models import User
from hoshin.org.roles import is_admin, is_public_hearing_office

# What a signed-in session still has to do before it may reach a staff page.
STEP_NONE, STEP_VERIFY, STEP_ENROL = "", "verify", "enrol"


def second_factor_required(*, user: User) -> bool:
    """True for the roles that see personal data or administer (the public-hearing office,
    administrators, superusers), and for everyone with ``HOSHIN_OTP_REQUIRED_FOR_ALL``."""
    if not user.is_authenticated:
        return False
    return (
        settings.HOSHIN_OTP_REQUIRED_FOR_ALL
        or is_admin(user=user)
        or is_public_hearing_office(user=user)
    )


def authenticator(*, user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator app (TOTP), if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-id").first()


def recovery_codes_left(*, user: User) -> int:
    """How many unused recovery codes the user has."""
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return device.token_set.count() if device is not None else 0


def pending_step(*, user: User) -> str:
    """What the session of a signed-in ``user`` (``request.user`` with django-otp's middleware)
    still has to do: nothing, type a code (``STEP_VERIFY``) or set up an authenticator
    (``STEP_ENROL``). Someone who opted in is asked for a code like those who must."""
    # is_verified comes from django-otp's middleware; a request built without it is unverified.
    if not user.is_authenticated or getattr(user, "is_verified", lambda: False)():
        return STEP_NONE
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return STEP_VERIFY
    if second_factor_required(user=user):
        return STEP_ENROL
    return STEP_NONE


def authenticator_secret(device: TOTPDevice) -> str:
    """The secret as people type it into an authenticator app (base32, no padding)."""
    return b32encode(device.bin_key).decode("ascii").rstrip("=")


def request_fully_signed_in(request) -> bool:
    """Signed in with every step passed (the middleware's answer for this request, if it gave
    one, so asking again costs no query)."""
    if not request.user.is_authenticated:
        return False
    step = getattr(request, "sign_in_step", None)
    return (pending_step(user=request.user) if step is None else step) == STEP_NONE

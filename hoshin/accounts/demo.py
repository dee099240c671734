"""The demo users' second factor (``create_demo_users``): whoever's role requires one gets an
authenticator whose secret is printed, to be typed into an authenticator app, and recovery
codes, so that `make demo` stays usable."""

from django.utils.translation import gettext

from hoshin.accounts.selectors import authenticator_secret, second_factor_required
from hoshin.accounts.services import authenticator_for_demo
from hoshin.org.demo import register_demo_user_step
from hoshin.org.models import User


def connect() -> None:
    register_demo_user_step("second_factor", demo_second_factors)


def demo_second_factors(users: list[User]) -> list[str]:
    """A fresh authenticator for each user who needs one; the lines to print."""
    lines = []
    for user in users:
        if not second_factor_required(user=user):
            continue
        device, codes = authenticator_for_demo(user=user)
        secret = authenticator_secret(device)
        if not lines:
            lines += [
                "",
                gettext("二要素認証が必要な利用者（認証アプリに設定キーを入力してください）:"),
            ]
        lines += [
            f"  {user.username}",
            gettext("    設定キー（TOTP、30秒、6桁）: %(secret)s") % {"secret": secret},
            f"    otpauth: {device.config_url}",
            gettext("    回復コード: %(codes)s") % {"codes": " ".join(codes)},
        ]
    return lines

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "hoshin.accounts"
    label = "accounts"
    verbose_name = _("ログインと二要素認証")

    def ready(self) -> None:
        from hoshin.accounts import demo, signals

        signals.connect()
        demo.connect()

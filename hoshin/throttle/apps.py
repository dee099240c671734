from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThrottleConfig(AppConfig):
    name = "hoshin.throttle"
    label = "throttle"
    verbose_name = _("回数制限")

    def ready(self) -> None:
        # The lowest app with a ready(): query lookups every app relies on (hoshin/lib has no
        # AppConfig of its own).
        from hoshin.lib import id_lookups

        id_lookups.install()

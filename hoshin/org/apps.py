from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "hoshin.org"
    label = "org"
    verbose_name = _("組織・職員")

    def ready(self) -> None:
        from hoshin.org import signals

        signals.connect()

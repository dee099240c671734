from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    name = "hoshin.backoffice"
    label = "backoffice"
    verbose_name = _("職員向け画面")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoicesConfig(AppConfig):
    name = "hoshin.voices"
    label = "voices"
    verbose_name = _("市民の声")

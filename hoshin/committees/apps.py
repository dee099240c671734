from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteesConfig(AppConfig):
    name = "hoshin.committees"
    label = "committees"
    verbose_name = _("外部評価委員会")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChangesConfig(AppConfig):
    name = "hoshin.changes"
    label = "changes"
    verbose_name = _("公開データの変更")

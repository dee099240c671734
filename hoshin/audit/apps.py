from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "hoshin.audit"
    label = "audit"
    verbose_name = _("操作記録")

    def ready(self) -> None:
        from hoshin.audit import checks  # noqa: F401  (registers the deploy check)

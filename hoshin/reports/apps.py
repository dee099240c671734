from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "hoshin.reports"
    label = "reports"
    verbose_name = _("報告書")

    def ready(self) -> None:
        from hoshin.reports import builds  # noqa: F401  queues reports after public data changes

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "hoshin.evaluations"
    label = "evaluations"
    verbose_name = _("行政評価")

    def ready(self) -> None:
        from hoshin.evaluations import inbox, signals
        from hoshin.org.inbox import register_inbox_provider

        signals.connect()
        register_inbox_provider(inbox.KIND, inbox.LABEL, inbox.sheet_inbox_items)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "hoshin.plans"
    label = "plans"
    verbose_name = _("計画")

    def ready(self) -> None:
        from hoshin.org.reorganization import register_handover
        from hoshin.plans import signals
        from hoshin.plans.reorganization import plans_handover

        signals.connect()
        register_handover("plans", plans_handover)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoicesConfig(AppConfig):
    name = "hoshin.voices"
    label = "voices"
    verbose_name = _("市民の声")

    def ready(self) -> None:
        from hoshin.evaluations.panels import register_sheet_panel
        from hoshin.org.reorganization import register_handover
        from hoshin.voices import signals
        from hoshin.voices.panels import ratings_sheet_panel
        from hoshin.voices.reorganization import voices_abolish_check, voices_handover

        signals.connect()
        register_handover("voices", voices_handover, check=voices_abolish_check)
        register_sheet_panel("ratings", ratings_sheet_panel)

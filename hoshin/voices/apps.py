from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoicesConfig(AppConfig):
    name = "hoshin.voices"
    label = "voices"
    verbose_name = _("市民の声")

    def ready(self) -> None:
        from hoshin.evaluations.sheet_panels import sheet_panel_register
        from hoshin.voices.views.ratings import sheet_ratings_panel

        # The staff sheet page shows citizens' ratings; evaluations cannot import voices.
        sheet_panel_register(sheet_ratings_panel)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteesConfig(AppConfig):
    name = "hoshin.committees"
    label = "committees"
    verbose_name = _("外部評価委員会")

    def ready(self) -> None:
        from hoshin.committees.panels import responses_sheet_panel
        from hoshin.evaluations.panels import register_sheet_panel

        register_sheet_panel("committee_responses", responses_sheet_panel)

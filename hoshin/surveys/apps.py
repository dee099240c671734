from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "hoshin.surveys"
    label = "surveys"
    verbose_name = _("市民アンケート")

    def ready(self) -> None:
        from hoshin.org.inbox import register_inbox_provider
        from hoshin.surveys import inbox

        register_inbox_provider(inbox.KIND, inbox.LABEL, inbox.survey_inbox_items)

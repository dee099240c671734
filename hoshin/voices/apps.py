from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoicesConfig(AppConfig):
    name = "hoshin.voices"
    label = "voices"
    verbose_name = _("市民の声")

    def ready(self) -> None:
        from hoshin.evaluations.panels import register_sheet_panel
        from hoshin.org.inbox import register_inbox_provider
        from hoshin.org.reorganization import register_handover
        from hoshin.voices import inbox, signals
        from hoshin.voices.panels import ratings_sheet_panel
        from hoshin.voices.reorganization import voices_abolish_check, voices_handover

        signals.connect()
        register_handover("voices", voices_handover, check=voices_abolish_check)
        register_sheet_panel("ratings", ratings_sheet_panel)
        register_inbox_provider(inbox.LETTERS, inbox.LETTERS_LABEL, inbox.letter_inbox_items)
        register_inbox_provider(inbox.APPROVALS, inbox.APPROVALS_LABEL, inbox.reply_inbox_items)
        register_inbox_provider(inbox.MODERATION, inbox.MODERATION_LABEL, inbox.rating_inbox_items)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QueueConfig(AppConfig):
    name = "hoshin.queue"
    label = "queue"
    verbose_name = _("ジョブキュー")

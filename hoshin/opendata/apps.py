from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "hoshin.opendata"
    label = "opendata"
    verbose_name = _("オープンデータ")

    def ready(self) -> None:
        from hoshin.changes.channel import public_data_changing
        from hoshin.opendata.models import record_changes

        public_data_changing.connect(record_changes, dispatch_uid="opendata-record-changes")

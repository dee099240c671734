from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "hoshin.search"
    label = "search"
    verbose_name = _("検索")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from hoshin.search import services  # connects the index to data changes

        post_migrate.connect(services.search_clear_orphans, sender=self)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "hoshin.search"
    label = "search"
    verbose_name = _("検索")

    def ready(self) -> None:
        from hoshin.search import services  # noqa: F401  (connects the index to data changes)

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _create_cache_tables(sender, using="default", verbosity=1, **kwargs) -> None:
    """``createcachetable`` after every ``migrate``: the shared default cache is a table
    (settings.CACHES), and no setup path, server or test database should have to remember it.
    It skips tables that exist, so a second ``migrate`` costs nothing."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=max(0, verbosity - 1))


class ThrottleConfig(AppConfig):
    name = "hoshin.throttle"
    label = "throttle"
    verbose_name = _("回数制限")

    def ready(self) -> None:
        # The lowest app with a ready(): query lookups every app relies on (hoshin/lib has no
        # AppConfig of its own).
        from hoshin.lib import id_lookups

        id_lookups.install()
        post_migrate.connect(_create_cache_tables, sender=self, dispatch_uid="hoshin-cache-tables")

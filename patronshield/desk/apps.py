from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    name = "patronshield.desk"
    verbose_name = _("Desk response")

    def ready(self):
        from . import chain

        connection_created.connect(chain.register_sqlite_functions)
        post_migrate.connect(chain.install_triggers, sender=self)

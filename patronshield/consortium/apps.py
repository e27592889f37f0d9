from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsortiumConfig(AppConfig):
    name = "patronshield.consortium"
    verbose_name = _("Consortium early warning")

    def ready(self):
        from patronshield.desk.signals import encounter_closed, purge_due

        from . import services

        encounter_closed.connect(services.share_on_close, dispatch_uid="consortium.share")
        purge_due.connect(services.purge_due_receiver, dispatch_uid="consortium.purge")

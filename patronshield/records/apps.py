from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "patronshield.records"
    verbose_name = _("Records requests")

    def ready(self):
        from patronshield.desk.signals import purge_due

        from . import retention

        purge_due.connect(retention.purge_due_receiver, dispatch_uid="records.purge")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "patronshield.records"
    verbose_name = _("Records requests")

    def ready(self):
        from patronshield.desk.signals import purge_due

        from . import retention

        purge_due.connect(retention.purge_due_receiver, dispatch_uid="records.purge")
        register_sealed()


def register_sealed():
    """`patronshield rotate-keys` re-encrypts every column an app registers in its SEALED
    list (where that command exists): the request's document files are such a column."""
    try:
        from patronshield.libraries.management.commands.rotate_keys import SEALED
    except ImportError:
        return
    if not any(label == "records.RequestFile" for label, *_ in SEALED):
        SEALED.append(("records.RequestFile", "content", lambda r: f"records-file:{r.sha256}"))

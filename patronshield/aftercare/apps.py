from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AftercareConfig(AppConfig):
    name = "patronshield.aftercare"
    verbose_name = _("After the visit")

    def ready(self):
        from patronshield.desk.signals import encounter_closed, purge_due

        from . import retention, services

        encounter_closed.connect(services.encounter_closed_receiver, dispatch_uid="aftercare.open")
        purge_due.connect(retention.purge_due_receiver, dispatch_uid="aftercare.purge")
        register_sealed()


def register_sealed():
    """`patronshield rotate-keys` re-encrypts the check-ins' sealed answers too."""
    try:
        from patronshield.libraries.management.commands.rotate_keys import SEALED
    except ImportError:
        return
    if not any(label == "aftercare.CheckIn" for label, *_ in SEALED):
        SEALED.append(("aftercare.CheckIn", "sealed", lambda r: r.purpose))

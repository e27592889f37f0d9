from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "patronshield.public"
    verbose_name = _("Public pages")

    def ready(self):
        from patronshield.desk.signals import encounter_closed

        from . import transparency

        encounter_closed.connect(transparency.freeze_on_close, dispatch_uid="public.report")

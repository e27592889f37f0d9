from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "patronshield.training"
    verbose_name = _("Training")

    def ready(self):
        from patronshield.libraries.signals import policy_adopted

        from . import schedule

        policy_adopted.connect(schedule.on_policy_adopted, dispatch_uid="training.policy_adopted")

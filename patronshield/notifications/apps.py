from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "patronshield.notifications"
    verbose_name = _("Notifications")

    def ready(self):
        # The tasks are declared now, against the configured backend and its queues, not
        # first under some override_settings(TASKS=…) that lacks the heartbeat queue.
        from . import tasks  # noqa: F401

from django.core.management.base import BaseCommand

from patronshield.notifications import services


class Command(BaseCommand):
    help = "Send again the messages a stopped worker left half-sent (same idempotency key)."

    def handle(self, *args, **options):
        count = services.requeue_stale()
        if count:
            self.stdout.write(f"{count} message(s) queued again.")

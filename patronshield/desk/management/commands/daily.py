"""patronshield daily: for every library, the retention purge and the daily signed
checkpoint (skipped when one was made in the last 20 hours), then the reminders of records
requests whose nondisclosure order has ended and of training due within two weeks. Safe to
run as often as you like; `patronshield serve` runs it every hour, elsewhere run it from cron
or a timer."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from patronshield.desk import chain, retention
from patronshield.desk.models import Checkpoint
from patronshield.libraries.models import Library

# The purge report's keys said in the line's first words (and the starts, for verify-log).
SAID = ("encounters", "refs", "events", "document_files", "attachments", "started")


def daily(now=None, stdout=None) -> list[str]:
    now = now or timezone.now()
    from patronshield.public.transparency import daily as transparency_daily

    lines = transparency_daily(now=now)  # report entries and ended periods frozen; canaries
    for library in Library.objects.order_by("pk"):
        report = retention.purge_library(library, now=now)
        if any(report.values()):
            lines.append(
                f"{library.slug}: purged {len(report['encounters'])} encounters, "
                f"{report['events']} events' content, {report['document_files']} document "
                f"files, {report['attachments']} attachments"
                + "".join(
                    f", {len(v) if isinstance(v, list) else v} {k.replace('_', ' ')}"
                    for k, v in report.items()
                    if k not in SAID and v
                )
            )
        recent = Checkpoint.objects.filter(
            library=library, reason="daily", created_at__gte=now - timedelta(hours=20)
        ).exists()
        if not recent and library.events.exists():
            cp = chain.checkpoint_make(library=library, reason="daily")
            lines.append(f"{library.slug}: checkpoint at event {cp.seq}")
    from patronshield.records.services import records_reminders_send

    lines += records_reminders_send(now=now)  # nondisclosure orders that have ended
    from patronshield.training.schedule import reminders_send

    lines += reminders_send(now=now)  # training due within two weeks
    from patronshield.libraries.policies import policy_reminders_send

    lines += policy_reminders_send(now=now)  # adopted policies due for a review
    from patronshield.aftercare.services import task_reminders_send

    lines += task_reminders_send(now=now)  # after-action follow-up tasks due
    from patronshield.consortium.services import warnings_send

    lines += warnings_send(now=now)  # consortium warnings not sent yet (retried)
    return lines


class Command(BaseCommand):
    help = "The retention purge and the daily signed checkpoint, for every library."

    def add_arguments(self, parser):
        parser.add_argument(
            "--every", type=int, metavar="SECONDS", help="keep running, once every SECONDS"
        )

    def handle(self, *args, every=None, **options):
        import time

        while True:
            try:
                for line in daily():
                    self.stdout.write(line)
            except Exception as e:
                if not every:
                    raise
                # Kept running: the next round tries again (a locked database, mail down).
                self.stderr.write(f"daily: {type(e).__name__}: {e}")
            if not every:
                return
            time.sleep(every)

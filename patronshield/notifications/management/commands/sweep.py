import time

from django.core.management.base import BaseCommand

from patronshield.desk.services import document_checks_expire
from patronshield.notifications import services


class Command(BaseCommand):
    help = (
        "Do what a stopped worker left undone: half-sent or lost messages and escalation "
        "steps past their time, document checks whose task never ended (idempotent)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every", type=float, default=0, metavar="SECONDS", help="Repeat, this far apart."
        )

    def handle(self, *args, every=0, **options):
        while True:
            try:
                report = services.sweep()
                report["checks_failed"] = document_checks_expire()
            except Exception as e:
                if not every:
                    raise
                self.stderr.write(f"sweep: {type(e).__name__}: {e}")  # next round tries again
                report = {}
            if any(report.values()):
                self.stdout.write(
                    "sweep: {resent} half-sent, {redelivered} lost, {escalated} escalated, "
                    "{checks_failed} document checks given up".format(**report)
                )
            if not every:
                return
            time.sleep(every)

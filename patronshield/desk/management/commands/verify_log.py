"""patronshield verify-log [--library SLUG] [--checkpoint FILE ...]

Checks every event chain (or one library's), every checkpoint stored with it, and every
checkpoint file given (the copies mailed to the director and counsel: one newer than every
stored checkpoint tells of a rollback), and that every encounter's and records request's
fields say what their events say. Exit status 0 when everything holds; 1 naming the first
broken event (or the first record that contradicts its events) otherwise."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from patronshield import ledger
from patronshield.desk import chain
from patronshield.libraries.models import Library


class Command(BaseCommand):
    help = "Verify the tamper-evident incident log."

    def add_arguments(self, parser):
        parser.add_argument("--library", metavar="SLUG")
        parser.add_argument("--checkpoint", nargs="+", default=[], metavar="FILE")

    def handle(self, *args, library=None, checkpoint=(), **options):
        libraries = Library.objects.order_by("pk")
        if library:
            libraries = libraries.filter(slug=library)
            if not libraries:
                raise CommandError(f"no library {library!r}")
        given = []
        for path in checkpoint:
            try:
                with open(path) as f:  # noqa: PTH123
                    given.append(ledger.Checkpoint.from_dict(json.load(f)))
            except (OSError, ValueError, KeyError, TypeError) as e:
                raise CommandError(f"{path}: not a checkpoint file ({e})") from e
        known = {lib.pk for lib in libraries}
        stray = [c for c in given if c.library not in known]
        broken = False
        for lib in libraries:
            report = chain.verify_library(lib.pk, given)
            if report.ok:
                self.stdout.write(
                    f"{lib.slug}: OK: {report.events} events ({report.purged} purged), "
                    f"{report.checkpoints} checkpoints"
                )
                continue
            broken = True
            first = (
                f"first broken event: {report.first_broken}"
                if report.first_broken is not None
                else report.problems[0]
            )
            self.stdout.write(f"{lib.slug}: BROKEN: {first}")
            for problem in report.problems[:20]:
                self.stdout.write(f"  {problem}")
            if len(report.problems) > 20:
                self.stdout.write(f"  … and {len(report.problems) - 20} more")
        for c in stray:
            broken = True
            self.stdout.write(f"checkpoint for library {c.library}: no such library here")
        if broken:
            sys.exit(1)

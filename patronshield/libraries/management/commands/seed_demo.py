import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from patronshield.libraries.demo import (
    DEMO_TOTP_SECRET,
    demo_logins,
    seed_demo,
    seed_encounters,
)
from patronshield.libraries.models import Library


class Command(BaseCommand):
    help = "Create the demo library (Ecorse Public Library, Michigan) and its staff."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Only seed when the database holds no library yet.",
        )
        parser.add_argument(
            "--quiet-logins", action="store_true", help="Do not print the demo logins."
        )
        parser.add_argument(
            "--encounters",
            type=int,
            default=0,
            metavar="N",
            help="Also add N realistic encounters over the last 18 months (each run adds more).",
        )
        parser.add_argument(
            "--seed", type=int, default=0, help="Random seed for --encounters (default 0)."
        )
        parser.add_argument(
            "--force-demo",
            action="store_true",
            help="Seed even with DEBUG=0 and PATRONSHIELD_HTTPS=1 (production), where it "
            "refuses: the demo's passwords and authenticator key are public.",
        )

    def handle(self, *args, if_empty=False, quiet_logins=False, encounters=0, **options):
        if settings.HTTPS and not settings.DEBUG and not options["force_demo"]:
            raise CommandError(
                "This looks like production (DEBUG=0, PATRONSHIELD_HTTPS=1): the demo's "
                "passwords and authenticator key are public, so seed-demo will not add its "
                "accounts here. Give --force-demo to seed it anyway."
            )
        if if_empty and Library.objects.exists():
            self.stdout.write("The database already holds a library: nothing seeded.")
        else:
            library = seed_demo()
            self.stdout.write(self.style.SUCCESS(f"Demo library ready: {library.name}"))
            if encounters > 0:
                t0 = time.perf_counter()
                seed_encounters(library, encounters, seed=options["seed"])
                self.stdout.write(
                    self.style.SUCCESS(
                        f"{encounters} demo encounters added in {time.perf_counter() - t0:.1f} s"
                    )
                )
        if not quiet_logins and Library.objects.filter(slug="ecorse").exists():
            self.stdout.write("Demo logins (e-mail / password):")
            for email, password, role in demo_logins():
                self.stdout.write(f"  {role:<14} {email:<24} {password}")
            self.stdout.write(
                "The director, designees and administrator also give a code from an "
                f"authenticator app: add the key {DEMO_TOTP_SECRET} to one, or run "
                "`.venv/bin/patronshield manage demo_code` for the current code."
            )

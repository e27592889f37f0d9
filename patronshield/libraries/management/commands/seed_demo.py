from django.core.management.base import BaseCommand

from patronshield.libraries.demo import demo_logins, seed_demo
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

    def handle(self, *args, if_empty=False, quiet_logins=False, **options):
        if if_empty and Library.objects.exists():
            self.stdout.write("The database already holds a library: nothing seeded.")
        else:
            library = seed_demo()
            self.stdout.write(self.style.SUCCESS(f"Demo library ready: {library.name}"))
        if not quiet_logins and Library.objects.filter(slug="ecorse").exists():
            self.stdout.write("Demo logins (e-mail / password):")
            for email, password, role in demo_logins():
                self.stdout.write(f"  {role:<14} {email:<24} {password}")

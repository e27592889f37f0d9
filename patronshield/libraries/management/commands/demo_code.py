from django.core.management.base import BaseCommand

from patronshield.libraries.demo import demo_code


class Command(BaseCommand):
    help = "Print the demo accounts' current authenticator code (the demo key is public)."

    def handle(self, *args, **options):
        self.stdout.write(demo_code())

import hashlib
import secrets

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from patronshield.libraries.models import Library
from patronshield.notifications.models import Device


def library_for(slug):
    if slug:
        try:
            return Library.objects.get(slug=slug)
        except Library.DoesNotExist:
            raise CommandError(f"no library with the short name {slug!r}") from None
    libraries = list(Library.objects.all()[:2])
    if len(libraries) != 1:
        raise CommandError("several libraries: name one with --library SLUG")
    return libraries[0]


class Command(BaseCommand):
    help = "Register or revoke a silent-alert device (a panic button, a phone shortcut)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="register a device and print its token once")
        add.add_argument("name")
        add.add_argument("--library", metavar="SLUG")
        add.add_argument("--branch", metavar="NAME")
        revoke = sub.add_parser("revoke", help="revoke a device's token")
        revoke.add_argument("name")
        revoke.add_argument("--library", metavar="SLUG")

    def handle(self, *args, action, name, library=None, branch=None, **options):
        lib = library_for(library)
        if action == "add":
            if Device.objects.filter(library=lib, name=name).exists():
                raise CommandError(f"a device named {name!r} exists; revoke it or pick a name")
            branch_obj = None
            if branch:
                branch_obj = lib.branches.filter(name=branch).first()
                if branch_obj is None:
                    raise CommandError(f"no branch named {branch!r} at {lib}")
            token = secrets.token_urlsafe(32)
            Device.objects.create(
                library=lib,
                branch=branch_obj or lib.branches.order_by("pk").first(),
                name=name,
                token_hash=hashlib.sha256(token.encode()).hexdigest(),
            )
            self.stdout.write(token)
            self.stderr.write(
                f"Device {name!r} registered at {lib}. The token above is shown once:\n"
                f"  curl -X POST -H 'Authorization: Bearer <token>' <site>/api/alert"
            )
        else:
            updated = Device.objects.filter(library=lib, name=name, revoked_at__isnull=True).update(
                revoked_at=timezone.now()
            )
            if not updated:
                raise CommandError(f"no active device named {name!r} at {lib}")
            self.stdout.write(f"Device {name!r} revoked.")

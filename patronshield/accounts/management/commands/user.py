"""patronshield user add EMAIL --role ROLE [--library SLUG] [--volunteer]   (password on stdin)
   patronshield user add EMAIL --operator   (a consortium operator: no library, no role)
   patronshield user deactivate EMAIL

The password is read from standard input (one line), never from the command line, where
other users of the machine could see it; it must pass the password rules."""

import sys

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from patronshield.accounts.models import Role, User
from patronshield.libraries.models import Library


class Command(BaseCommand):
    help = "Add or deactivate a staff account."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="add a staff account; the password comes on stdin")
        add.add_argument("email")
        who = add.add_mutually_exclusive_group(required=True)
        who.add_argument("--role", choices=[r.value for r in Role])
        who.add_argument(
            "--operator",
            action="store_true",
            help="a consortium operator: creates libraries and their first administrators",
        )
        add.add_argument("--library", metavar="SLUG")
        add.add_argument("--name", default="", help="full name")
        add.add_argument(
            "--volunteer", action="store_true", help="a volunteer (desk staff who train too)"
        )
        off = sub.add_parser("deactivate", help="end the account and its sessions")
        off.add_argument("email")

    def handle(self, *args, action, email, **options):
        email = email.strip().lower()
        if action == "deactivate":
            if not User.objects.filter(email=email).update(is_active=False):
                raise CommandError(f"no account {email}")
            self.stdout.write(f"{email}: deactivated; its sessions no longer work")
            return
        slug = options["library"]
        libraries = Library.objects.all()
        if options["operator"]:
            library = None
        elif slug:
            library = libraries.filter(slug=slug).first()
            if library is None:
                raise CommandError(f"no library {slug!r}")
        elif libraries.count() == 1:
            library = libraries.get()
        else:
            raise CommandError("several libraries here: name one with --library SLUG")
        if User.objects.filter(email=email).exists():
            raise CommandError(f"{email} already has an account")
        password = sys.stdin.readline().rstrip("\n")
        if not password:
            raise CommandError("give the password on standard input")
        first, _, last = options["name"].partition(" ")
        staff = options["operator"] or options["role"] == Role.ADMIN  # they use the admin
        if options["volunteer"] and library is None:
            raise CommandError("a volunteer belongs to a library")
        user = User(email=email, role=options["role"] or "", library=library, first_name=first,
                    last_name=last, is_staff=staff, is_operator=options["operator"],
                    volunteer=options["volunteer"])  # fmt: skip
        try:
            validate_password(password, user)
        except ValidationError as e:
            raise CommandError("password: " + " ".join(e.messages)) from e
        with transaction.atomic():
            user.set_password(password)
            user.branch = library.branches.order_by("pk").first() if library else None
            user.full_clean()
            user.save()
        where = library.name if library else "every library (no encounter content)"
        kind = " (volunteer)" if user.volunteer else ""
        what = "Consortium operator" if user.is_operator else user.get_role_display()
        self.stdout.write(f"{email}: {what}{kind} at {where}")

"""patronshield restore PATH: replace the whole database with an encrypted backup made by
`patronshield backup` (same kind of database). Everything written since is lost: the
command asks first unless given --yes. Afterwards it checks every event chain."""

import sqlite3
import subprocess
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from patronshield import crypto

from .backup import PURPOSE, pg_env


def load(data: bytes) -> None:
    kind, _, body = data.partition(b":")
    connection.ensure_connection()
    if kind == b"sqlite" and connection.vendor == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "backup.sqlite3"
            path.write_bytes(body)
            source = sqlite3.connect(path)
            source.backup(connection.connection)
            source.close()
        return
    if kind == b"pgdump" and connection.vendor == "postgresql":
        args, env = pg_env()
        connection.close()
        try:
            subprocess.run(
                ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                 *args],
                input=body, env=env, capture_output=True, check=True,
            )  # fmt: skip
        except FileNotFoundError as e:
            raise CommandError("pg_restore is not installed (Debian: postgresql-client)") from e
        except subprocess.CalledProcessError as e:
            raise CommandError(f"pg_restore failed: {e.stderr.decode()[:300]}") from e
        return
    raise CommandError(
        f"this backup is of a {kind.decode(errors='replace')} database; "
        f"this one is {connection.vendor}"
    )


class Command(BaseCommand):
    help = "Replace the database with an encrypted backup."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--yes", action="store_true", help="do not ask")

    def handle(self, *args, path, yes=False, **options):
        try:
            sealed = Path(path).read_bytes()
        except OSError as e:
            raise CommandError(f"{path}: {e.strerror}") from e
        try:
            data = crypto.decrypt(sealed, PURPOSE)
        except crypto.MissingKey as e:
            raise CommandError(f"{path}: {e}; restore needs the data keys it was made with") from e
        except Exception as e:
            raise CommandError(f"{path}: not a Patron Shield backup, or damaged") from e
        if not yes and input("Replace the whole database with this backup? [y/N] ") != "y":
            raise CommandError("nothing restored")
        load(data)
        from patronshield.desk import chain
        from patronshield.libraries.models import Library

        for library in Library.objects.order_by("pk"):
            report = chain.verify_library(library.pk)
            state = "log OK" if report.ok else f"LOG BROKEN at event {report.first_broken}"
            self.stdout.write(f"{library.slug}: {report.events} events, {state}")
        self.stdout.write(f"restored from {path}")

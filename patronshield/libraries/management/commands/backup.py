"""patronshield backup PATH: the whole database, encrypted (AES-GCM under the current data
key), into PATH. SQLite through its online backup API (consistent while the app runs);
PostgreSQL through pg_dump. Keep the data keys somewhere else: without them the backup
cannot be read, and neither can the documents inside it."""

import os
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from patronshield import crypto

PURPOSE = "patronshield-backup"


def pg_env() -> tuple[list[str], dict]:
    s = connection.settings_dict
    args = ["--host", s["HOST"] or "localhost", "--port", str(s["PORT"] or 5432),
            "--username", s["USER"] or "postgres", "--dbname", s["NAME"]]  # fmt: skip
    env = dict(os.environ, PGPASSWORD=s["PASSWORD"] or "")
    return args, env


def dump() -> bytes:
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            target = sqlite3.connect(Path(tmp) / "copy.sqlite3")
            connection.connection.backup(target)
            target.close()
            return b"sqlite:" + (Path(tmp) / "copy.sqlite3").read_bytes()
    if connection.vendor == "postgresql":
        args, env = pg_env()
        try:
            out = subprocess.run(
                ["pg_dump", "--format=custom", "--no-owner", *args],
                env=env, capture_output=True, check=True,
            )  # fmt: skip
        except FileNotFoundError as e:
            raise CommandError("pg_dump is not installed (Debian: postgresql-client)") from e
        except subprocess.CalledProcessError as e:
            raise CommandError(f"pg_dump failed: {e.stderr.decode()[:300]}") from e
        return b"pgdump:" + out.stdout
    raise CommandError(f"no backup for a {connection.vendor} database")


class Command(BaseCommand):
    help = "Write an encrypted backup of the whole database to PATH."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        sealed = crypto.encrypt(dump(), PURPOSE)
        target = Path(path)
        tmp = target.with_name(target.name + ".part")
        tmp.write_bytes(sealed)
        tmp.chmod(0o600)
        tmp.replace(target)  # never a half-written backup under the real name
        self.stdout.write(f"{target}: {len(sealed):,} bytes, encrypted with data key "
                          f"{crypto.key_id(sealed)}")  # fmt: skip

"""Django's `flush`, allowed to empty the event table (the append-only triggers refuse
DELETE and TRUNCATE otherwise). It removes every row of every table: tests use it between
runs; nobody should run it on a library's database."""

from django.core.management.commands.flush import Command as FlushCommand

from patronshield.desk import chain


class Command(FlushCommand):
    def handle(self, **options):
        from django.db import connections

        connection = connections[options["database"]]
        connection.ensure_connection()
        with chain.maintenance():
            return super().handle(**options)

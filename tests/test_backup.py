"""The restore drill: back up, lose data, restore, and the log still verifies. On SQLite
and on PostgreSQL (pg_dump / pg_restore)."""

import io

import pytest
from django.core.management import CommandError, call_command

from patronshield.desk import chain, services
from patronshield.desk.models import Encounter, Event

pytestmark = pytest.mark.django_db(transaction=True)


def test_backup_then_restore_brings_back_everything(people, tmp_path):
    desk = people["desk"]
    kept = services.encounter_start(user=desk)
    path = tmp_path / "backup.bin"
    call_command("backup", str(path), stdout=io.StringIO())
    data = path.read_bytes()
    assert data[:3] == b"PS1" and b"Ecorse" not in data  # encrypted
    events = Event.objects.count()
    services.encounter_start(user=desk)  # written after the backup: lost by the restore
    assert Encounter.objects.count() == 2
    out = io.StringIO()
    call_command("restore", str(path), "--yes", stdout=out)
    assert list(Encounter.objects.values_list("pk", flat=True)) == [kept.pk]
    assert Event.objects.count() == events
    assert "log OK" in out.getvalue()
    assert chain.verify_library(kept.library_id).ok
    # The restored database still refuses to change its events.
    from django.db import DatabaseError, connection, transaction

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as c:
        c.execute("DELETE FROM desk_event")


def test_a_damaged_or_foreign_backup_is_refused(people, tmp_path):
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"PS1\x04nopebytesbytesbytes")
    with pytest.raises(CommandError, match="not a Patron Shield backup|not configured"):
        call_command("restore", str(bad), "--yes")
    with pytest.raises(CommandError, match="No such file"):
        call_command("restore", str(tmp_path / "missing"), "--yes")
    assert Encounter.objects.count() == 0 and people["desk"].pk

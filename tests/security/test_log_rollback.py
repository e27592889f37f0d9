"""Point 8: the log cannot be quietly rolled back or contradicted.

The attacker has the database (raw SQL, and may drop the triggers) but not the data key;
the checkpoints mailed to the director live off the server. Runs on SQLite and PostgreSQL.
"""

import io
import json
from datetime import timedelta

import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse

from patronshield.desk import chain, record, retention, services
from patronshield.desk.models import Access, Chain, Checkpoint, Encounter, Event
from patronshield.records import services as records
from patronshield.records.models import RecordsRequest
from tests.test_incident_log import raw, run_verify_log, tamper, triggers_off


@pytest.fixture
def encounter(people):
    return record.encounter_close(encounter=nsl_visit(people), user=people["director"])


def nsl_visit(people):
    e = services.encounter_start(user=people["desk"])
    e = services.encounter_answer(
        encounter=e,
        actor=people["desk"],
        agency="fbi",
        request="patron_records",
        requester="officer",
        document="national_security_letter",
        emergency=False,
        patron_consent=False,
    )
    return e


# -------------------------------------------------------------- contradicting the events


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("document", "none"),  # the warrant canary can be affirmed again
        ("outcome", "permit"),  # the report counts it as "permitted in public areas"
        ("agency", "local_police"),
        ("drill", True),  # a drill is counted nowhere
        ("closed_at", None),  # reopened: more can be added to a closed record
    ],
)
def test_it_refuses_an_encounter_field_edited_in_the_database(encounter, field, value):
    assert run_verify_log()[0] == 0
    tamper(f"UPDATE desk_encounter SET {field} = %s WHERE id = %s", [value, encounter.pk])  # noqa: S608
    code, out = run_verify_log()
    assert code == 1, out
    assert f"BROKEN: encounter {encounter.pk}: {field} is" in out


def test_it_refuses_a_records_request_edited_in_the_database(encounter, people):
    rr = records.records_receive(
        user=people["director"], kind="grand_jury_subpoena", description="Borrowing history",
        encounter=encounter,
    )  # fmt: skip
    assert run_verify_log()[0] == 0
    tamper("UPDATE records_recordsrequest SET kind = 'other' WHERE id = %s", [rr.pk])
    code, out = run_verify_log()
    assert code == 1 and f"records request {rr.pk}: kind is 'other'" in out, out


def test_it_refuses_a_purged_visit_relabelled_as_a_drill(encounter, people):
    drill = services.encounter_start(user=people["desk"], drill=True)
    services.encounter_answer(encounter=drill, actor=people["desk"], agency="ice")
    retention.purge_library(encounter.library, now=encounter.closed_at + timedelta(days=1500))
    assert Encounter.objects.filter(purged_at__isnull=False).count() == 2
    code, out = run_verify_log()
    assert code == 0, out
    # Its content is gone, but the purge's own event still says it was a real visit.
    tamper("UPDATE desk_encounter SET drill = %s WHERE id = %s", [True, encounter.pk])
    code, out = run_verify_log()
    assert code == 1 and f"encounter {encounter.pk}: drill is" in out, out


# ------------------------------------------------------------------ moving a time earlier


def moved(model, field, pk, delta):
    """Someone with the database moves a stored time earlier by `delta` (raw SQL)."""
    from django.db import connection

    at = model.objects.values_list(field, flat=True).get(pk=pk) - delta
    tamper(
        f"UPDATE {model._meta.db_table} SET {field} = %s WHERE id = %s",  # noqa: S608
        [connection.ops.adapt_datetimefield_value(at), pk],
    )


def test_it_refuses_a_visit_moved_into_an_earlier_quarter(encounter):
    """The transparency report counts visits by the quarter they started in: 100 days
    earlier is always another quarter, and the record's timeline would lie to counsel."""
    open_visit = services.encounter_start(user=encounter.started_by)
    assert run_verify_log()[0] == 0
    for e in (encounter, open_visit):
        moved(Encounter, "started_at", e.pk, timedelta(days=100))
    code, out = run_verify_log()
    assert code == 1, out
    assert f"BROKEN: encounter {encounter.pk}: started_at is" in out
    assert f"encounter {open_visit.pk}: started_at is" in out


@pytest.mark.parametrize("field", ["started_at", "decided_at", "acknowledged_at", "closed_at"])
def test_it_refuses_an_encounter_time_moved_a_second_earlier(people, field):
    """An earlier close is purged earlier; an earlier acknowledgement hides a slow answer."""
    from patronshield.notifications import services as alerts
    from patronshield.notifications.models import AckLink

    encounter = nsl_visit(people)
    for n in encounter.notifications.all():
        alerts.deliver(n.pk)
    link = AckLink.objects.filter(encounter=encounter).first()
    # Acknowledged while open (a closed visit refuses "I'm on it"), then closed.
    alerts.acknowledge(alerts.signing.dumps({"j": link.jti}, salt=alerts.ACK_SALT, compress=True))
    encounter = record.encounter_close(encounter=encounter, user=people["director"])
    assert run_verify_log()[0] == 0
    moved(Encounter, field, encounter.pk, timedelta(seconds=1))
    code, out = run_verify_log()
    assert code == 1 and f"BROKEN: encounter {encounter.pk}: {field} is" in out, out


@pytest.mark.parametrize("field", ["created_at", "advised_at", "decided_at", "closed_at"])
def test_it_refuses_a_records_request_time_moved_a_second_earlier(encounter, people, field):
    """An earlier close is purged earlier; an earlier decision reads as made before advice."""
    rr = records.records_receive(
        user=people["director"], kind="national_security_letter",
        description="Borrowing history", encounter=encounter,
    )  # fmt: skip
    rr = records.records_advise(rr=rr, user=people["director"], advice="comply")
    p = records.proposal(rr)
    rr = records.records_decide(
        rr=rr, user=people["director"], release="none", legal_basis=p["explanation"],
        citations=p["citations"],
    )  # fmt: skip
    rr = records.records_release_close(rr=rr, user=people["director"])
    rr = records.records_close_under_gag(rr=rr, user=people["director"])
    assert run_verify_log()[0] == 0
    moved(RecordsRequest, field, rr.pk, timedelta(seconds=1))
    code, out = run_verify_log()
    assert code == 1 and f"BROKEN: records request {rr.pk}: {field} is" in out, out


def test_it_accepts_the_demos_back_dated_visits_but_not_one_moved_further(db):
    """The demo back-dates its visits (their events keep the time they were written); the
    retention purge then deletes the content of the oldest."""
    from django.core.management import call_command

    from patronshield.libraries.models import Library

    call_command("seed_demo", "--encounters", "20", "--quiet-logins", stdout=io.StringIO())
    assert run_verify_log()[0] == 0
    library = Library.objects.get(slug="ecorse")
    Library.objects.filter(pk=library.pk).update(retain_encounters_days=300)
    library.refresh_from_db()
    assert retention.purge_library(library)["encounters"]
    assert run_verify_log()[0] == 0
    visits = Encounter.objects.filter(library=library, drill=False)
    kept, purged = visits.filter(purged_at=None).first(), visits.exclude(purged_at=None).first()
    for e in (kept, purged):  # the purge's own event says when a purged visit started
        moved(Encounter, "started_at", e.pk, timedelta(days=100))
    code, out = run_verify_log()
    assert code == 1, out
    assert f"encounter {kept.pk}: started_at is" in out
    assert f"encounter {purged.pk}: started_at is" in out


def test_it_keeps_the_old_check_for_visits_whose_start_was_not_recorded(people):
    """A visit whose started event does not record its start (written before it did):
    its start may be earlier than the event, as the demo's were."""
    e = Encounter.objects.create(library=people["desk"].library, started_by=people["desk"])
    chain.event_append(library=e.library, encounter=e, kind="started", actor=people["desk"])
    moved(Encounter, "started_at", e.pk, timedelta(days=100))
    assert run_verify_log()[0] == 0
    moved(Encounter, "started_at", e.pk, -timedelta(days=101))  # later than its event
    code, out = run_verify_log()
    assert code == 1 and f"BROKEN: encounter {e.pk}: started_at is" in out, out


# ------------------------------------------------------------------------- rolling back


def mailed(cp, tmp_path):
    path = tmp_path / f"checkpoint-{cp.seq}.json"
    path.write_text(json.dumps(chain.as_ledger(cp).as_dict()))
    return str(path)


def test_it_refuses_a_rollback_that_deleted_later_events_and_checkpoints(
    encounter, people, tmp_path
):
    later = services.encounter_start(user=people["desk"])
    keep = Chain.objects.get(library=encounter.library)
    stored = Checkpoint.objects.latest("seq")
    record.note_add(encounter=later, user=people["desk"], text="They took the hard drive.")
    record.encounter_close(encounter=later, user=people["director"])
    cp = Checkpoint.objects.latest("seq")  # its copy went to the director
    assert cp.seq > keep.seq
    with triggers_off():  # the rollback, by someone with the database
        raw("DELETE FROM desk_checkpoint WHERE seq > %s", [keep.seq])
        raw("DELETE FROM desk_event WHERE seq > %s", [keep.seq])
        raw(
            "UPDATE desk_encounter SET closed_at = NULL, closed_by_id = NULL WHERE id = %s",
            [later.pk],
        )
        raw(
            "UPDATE desk_chain SET seq = %s, head = %s, mac = %s WHERE library_id = %s",
            [keep.seq, keep.head, keep.mac, keep.library_id],
        )
    assert run_verify_log()[0] == 0  # the server's copy alone cannot tell
    code, out = run_verify_log("--checkpoint", mailed(cp, tmp_path))
    assert code == 1, out
    assert (
        f"the newest stored checkpoint (at event {stored.seq}) is older than the one mailed "
        f"(at event {cp.seq}): the log was rolled back" in out
    )


def test_it_refuses_to_change_or_delete_a_checkpoint(encounter):
    cp = Checkpoint.objects.latest("seq")
    for sql in (
        "UPDATE desk_checkpoint SET seq = 1",
        "UPDATE desk_checkpoint SET head = 'x'",
        "DELETE FROM desk_checkpoint",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            raw(sql)
    Checkpoint.objects.filter(pk=cp.pk).update(sent_to=["director@a.example.org"])  # kept up


def test_it_refuses_to_move_the_head_back_or_delete_it(encounter):
    head = Chain.objects.get(library=encounter.library)
    earlier = Event.objects.get(library=encounter.library, seq=head.seq - 3)
    for sql, params in (
        ("UPDATE desk_chain SET seq = %s, head = %s", [earlier.seq, earlier.hash]),
        ("UPDATE desk_chain SET head = %s", [earlier.hash]),
        ("UPDATE desk_chain SET seq = seq + 1", []),  # forward, but to no stored event
        ("DELETE FROM desk_chain", []),
    ):
        with pytest.raises(DatabaseError, match="only moves forward"), transaction.atomic():
            raw(sql, params)
    assert Chain.objects.get(library=encounter.library).seq == head.seq


# -------------------------------------------------------------------------- the admin


def test_it_logs_an_encounter_opened_in_the_admin(client, people):
    from tests.conftest import reauthenticate

    admin = people["admin"]
    admin.is_staff = True
    admin.save()
    e = services.encounter_start(user=people["desk"])
    client.force_login(admin)
    reauthenticate(client, admin)
    assert client.get(reverse("admin:desk_encounter_changelist")).status_code == 200
    assert not Access.objects.exists()  # the list need not be
    assert client.get(reverse("admin:desk_encounter_change", args=[e.pk])).status_code == 200
    access = Access.objects.get()
    assert (access.user, access.encounter, access.what) == (admin, e, Access.What.ADMIN)

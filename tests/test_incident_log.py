"""The incident record: append-only events on a hash chain, signed checkpoints,
`verify-log`, the retention purge and legal holds. Runs on SQLite and PostgreSQL."""

import contextlib
import io
import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from patronshield import ledger
from patronshield.desk import chain, record, retention, services
from patronshield.desk.models import Chain, Checkpoint, DocumentCheck, DocumentPage, Event
from patronshield.desk.tasks import checkpoint_recipients, mail_checkpoint


@pytest.fixture
def encounter(people):
    e = services.encounter_start(user=people["desk"])
    return services.encounter_answer(
        encounter=e,
        actor=people["desk"],
        agency="ice",
        request="enter_nonpublic_area",
        document="administrative_warrant",
        emergency=False,
    )


def verify(library_id, given=()):
    return chain.verify_library(library_id, given)


def run_verify_log(*args):
    out = io.StringIO()
    try:
        call_command("verify_log", *args, stdout=out)
    except SystemExit as e:
        return e.code, out.getvalue()
    return 0, out.getvalue()


def raw(sql, params=()):
    with connection.cursor() as c:
        c.execute(sql, params)


# ------------------------------------------------------------------------------ chain


def test_every_event_is_numbered_and_linked_to_the_one_before(encounter):
    events = list(Event.objects.filter(library=encounter.library).order_by("seq"))
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert events[0].prev_hash == ledger.GENESIS
    assert all(b.prev_hash == a.hash for a, b in zip(events, events[1:], strict=False))
    head = Chain.objects.get(library=encounter.library)
    assert (head.seq, head.head) == (events[-1].seq, events[-1].hash)
    report = verify(encounter.library_id)
    assert report.ok, report.problems
    assert report.events == len(events)


def test_each_library_has_its_own_chain(encounter, outsider):
    other = services.encounter_start(user=outsider)
    assert other.events.get().seq == 1
    assert verify(encounter.library_id).ok and verify(outsider.library_id).ok


def test_an_event_written_around_the_service_is_refused(encounter):
    with pytest.raises(Exception), transaction.atomic():  # noqa: B017 - IntegrityError
        Event.objects.create(library=encounter.library, seq=999, at=timezone.now(), kind="note")


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE desk_event SET data = '{}' WHERE seq = 1",
        "UPDATE desk_event SET kind = 'note' WHERE seq = 2",
        "UPDATE desk_event SET hash = 'x' WHERE seq = 1",
        "DELETE FROM desk_event WHERE seq = 1",
        "DELETE FROM desk_event",
    ],
)
def test_the_database_refuses_to_change_or_delete_events(encounter, sql):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw(sql)
    assert verify(encounter.library_id).ok


def test_even_the_purge_path_cannot_touch_hashes(encounter):
    with pytest.raises(DatabaseError), transaction.atomic(), chain.purging():
        raw("UPDATE desk_event SET data = NULL, purged_at = %s, hash = 'x'", [timezone.now()])
    with pytest.raises(DatabaseError), transaction.atomic(), chain.purging():
        raw("DELETE FROM desk_event")


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.django_db(transaction=True)
def test_postgres_refuses_truncate(encounter):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw("TRUNCATE desk_event CASCADE")


def test_triggers_survive_a_migration_that_rebuilds_the_table(encounter):
    """SQLite rebuilds a table for most schema changes, dropping its triggers: they are
    put back after every migrate."""
    call_command("migrate", verbosity=0)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw("DELETE FROM desk_event")


def gps_photo() -> bytes:
    from PIL import Image

    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (42.0, 16.0, 0.0), 3: "W", 4: (83.0, 8.0, 0.0)}
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (240, 240, 230)).save(out, "JPEG", exif=exif.tobytes())
    assert b"GPS" in out.getvalue() or b"Exif" in out.getvalue()
    return out.getvalue()


def text_pdf(text: str) -> bytes:
    import weasyprint

    return weasyprint.HTML(string=f"<p>{text}</p>").write_pdf()


# ----------------------------------------------------------------------- tampering


@contextlib.contextmanager
def triggers_off():
    """What someone with the database could do: switch the triggers off, edit, and put
    them back."""
    if connection.vendor == "postgresql":
        raw("SET session_replication_role = replica")  # triggers off (superuser)
        yield
        raw("SET session_replication_role = DEFAULT")
    else:
        with connection.cursor() as c:
            c.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            for (name,) in c.fetchall():
                c.execute(f"DROP TRIGGER {name}")
        yield
        chain.install_triggers()


def tamper(sql, params=()):
    with triggers_off():
        raw(sql, params)


def rewrite_from(library_id, seq, data, *, with_keys=False):
    """A careful forger: changes an event, then recomputes every hash after it and the
    head, as if the chain had always been so; `with_keys`, one who also holds the server's
    data keys and so can make the MACs too."""
    events = list(Event.objects.filter(library_id=library_id).order_by("seq"))
    prev = events[seq - 2].hash if seq > 1 else ledger.GENESIS
    for e in events[seq - 1 :]:
        content = data if e.seq == seq else e.data
        forged = ledger.seal(
            library=e.library_id, seq=e.seq, at=e.at, kind=e.kind, encounter=e.encounter_id,
            ref=e.ref, actor=e.actor_id, data=content, prev_hash=prev,
        )  # fmt: skip
        mac = chain.event_mac(library_id, forged.hash) if with_keys else e.mac
        tamper(
            "UPDATE desk_event SET data = %s, content_hash = %s, prev_hash = %s, hash = %s, "
            "mac = %s WHERE id = %s",
            [json.dumps(content), forged.content_hash, forged.prev_hash, forged.hash, mac, e.pk],
        )
        prev = forged.hash
    head = Chain.objects.get(library_id=library_id)
    mac = chain.head_mac(library_id, head.seq, prev) if with_keys else head.mac
    with triggers_off():
        Chain.objects.filter(library_id=library_id).update(head=prev, mac=mac)


@pytest.mark.parametrize(
    ("name", "sql", "first"),
    [
        ("edit", 'UPDATE desk_event SET data = \'{"agency": "fbi"}\' WHERE seq = 2', 2),
        ("delete", "DELETE FROM desk_event WHERE seq = 3", 3),
        ("reorder", "UPDATE desk_event SET at = '2020-01-01 00:00:00' WHERE seq = 2", 2),
        ("relabel", "UPDATE desk_event SET kind = 'note' WHERE seq = 1", 1),
        ("truncate", "DELETE FROM desk_event WHERE seq >= 4", 4),
    ],
)
def test_verify_log_names_the_first_broken_event(encounter, name, sql, first):
    assert run_verify_log()[0] == 0
    tamper(sql)
    code, out = run_verify_log("--library", "ecorse")
    assert code == 1, out
    assert f"first broken event: {first}" in out


def test_swapping_content_between_events_is_caught(encounter):
    a, b = Event.objects.filter(library=encounter.library).order_by("seq")[1:3]
    tamper("UPDATE desk_event SET data = %s WHERE id = %s", [json.dumps(b.data), a.pk])
    tamper("UPDATE desk_event SET data = %s WHERE id = %s", [json.dumps(a.data), b.pk])
    report = verify(encounter.library_id)
    assert not report.ok and report.first_broken == a.seq


def test_a_rewritten_chain_is_caught_by_the_macs(encounter):
    rewrite_from(encounter.library_id, 2, {"agency": "local_police"})
    report = verify(encounter.library_id)
    assert not report.ok and report.first_broken == 2
    assert any("MAC does not hold" in p for p in report.problems)


def test_a_forged_event_at_the_end_is_caught_by_its_mac(encounter):
    head = Chain.objects.get(library=encounter.library)
    forged = ledger.seal(
        library=encounter.library_id, seq=head.seq + 1, at=timezone.now(), kind="note",
        encounter=encounter.pk, ref="", actor=None, data={"text": "nothing was taken"},
        prev_hash=head.head,
    )  # fmt: skip
    Event.objects.create(
        library=encounter.library, seq=forged.seq, encounter=encounter, at=timezone.now(),
        kind="note", data=forged.data, content_hash=forged.content_hash,
        prev_hash=forged.prev_hash, hash=forged.hash, mac="k:" + "0" * 64,
    )  # fmt: skip
    Chain.objects.filter(pk=head.pk).update(seq=forged.seq, head=forged.hash)
    code, out = run_verify_log()
    assert code == 1 and f"first broken event: {forged.seq}" in out


def test_a_rewrite_with_the_servers_keys_is_caught_by_the_mailed_checkpoint(encounter):
    cp = chain.checkpoint_make(library=encounter.library, reason="test", notify=False)
    rewrite_from(encounter.library_id, 2, {"agency": "local_police"}, with_keys=True)
    # Every link and MAC holds now; only the signature over the old head tells.
    report = verify(encounter.library_id)
    assert not report.ok
    assert any("differs from the signed checkpoint" in p for p in report.problems)
    # Even with the stored checkpoints deleted, the copy mailed away still tells.
    with triggers_off():
        Checkpoint.objects.all().delete()
    assert verify(encounter.library_id).ok
    assert not verify(encounter.library_id, [chain.as_ledger(cp)]).ok


def test_a_checkpoint_file_is_checked_by_verify_log(encounter, tmp_path):
    cp = chain.checkpoint_make(library=encounter.library, reason="test", notify=False)
    path = tmp_path / "cp.json"
    path.write_text(json.dumps(chain.as_ledger(cp).as_dict()))
    code, out = run_verify_log("--checkpoint", str(path))
    assert code == 0 and "1 checkpoints" not in out and "2 checkpoints" in out
    forged = {**chain.as_ledger(cp).as_dict(), "head": "0" * 64}
    path.write_text(json.dumps(forged))
    code, out = run_verify_log("--checkpoint", str(path))
    assert code == 1 and "signature invalid" in out
    path.write_text("not json")
    with pytest.raises(Exception, match="not a checkpoint file"):
        call_command("verify_log", "--checkpoint", str(path))


# ------------------------------------------------------------------ closing, checkpoints


def test_closing_signs_a_checkpoint_and_mails_it_to_director_and_counsel(
    encounter, people, smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        record.encounter_close(encounter=encounter, user=people["desk"])
    encounter.refresh_from_db()
    assert encounter.closed_at and encounter.closed_by == people["desk"]
    cp = Checkpoint.objects.get()
    assert cp.reason == f"encounter {encounter.pk} closed"
    assert checkpoint_recipients(encounter.library) == [
        "counsel@a.example.org",
        "director@a.example.org",
    ]
    assert mail_checkpoint.call(cp.pk) == 2
    to, body = smtp.messages[0]
    assert sorted(to) == ["counsel@a.example.org", "director@a.example.org"]
    assert cp.head in body and "verify-log" in body
    assert Checkpoint.objects.get().sent_to == to
    assert encounter.events.filter(kind="closed").exists()
    assert Event.objects.filter(kind="checkpoint").get().data["seq"] == cp.seq
    assert verify(encounter.library_id).ok


def test_the_checkpoint_mail_is_in_each_readers_language(encounter, people, smtp):
    """The director chose Spanish in their account; counsel (named only in the profile)
    reads English. Each gets one message in their language, the same attachment."""
    import email

    people["director"].language = "es"
    people["director"].save()
    cp = chain.checkpoint_make(library=encounter.library, reason="test", notify=False)
    assert mail_checkpoint.call(cp.pk) == 2
    texts = {}
    for to, raw in smtp.messages:
        msg = email.message_from_string(raw)
        body = next(p for p in msg.walk() if p.get_content_type() == "text/plain")
        texts[tuple(to)] = (
            str(email.header.make_header(email.header.decode_header(msg["Subject"]))),
            body.get_payload(decode=True).decode(),
        )
    subject, body = texts[("director@a.example.org",)]
    assert subject.startswith("Punto de control") and cp.head in body
    subject, body = texts[("counsel@a.example.org",)]
    assert subject.startswith("Incident log checkpoint") and "verify-log" in body


def test_a_mail_outage_retries_the_checkpoint_later(encounter, people, settings):
    from tests.conftest import free_port

    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        }
    }
    cp = chain.checkpoint_make(library=encounter.library, reason="test", notify=False)
    assert mail_checkpoint.call(cp.pk) == -1  # not lost: queued again
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.filter(task_path__endswith="mail_checkpoint").exists()


def test_desk_staff_close_only_their_own_encounters(encounter, people, library):
    from patronshield.accounts.models import Role
    from tests.conftest import make_user

    other = make_user("desk2@a.example.org", Role.DESK, *library)
    with pytest.raises(PermissionDenied):
        record.encounter_close(encounter=encounter, user=other)
    assert record.encounter_close(encounter=encounter, user=people["director"]).closed_at


def test_the_daily_job_checkpoints_once_a_day(encounter):
    from patronshield.desk.management.commands.daily import daily

    assert any("checkpoint" in line for line in daily())
    assert not any("checkpoint" in line for line in daily())
    later = timezone.now() + timedelta(days=1)
    assert any("checkpoint" in line for line in daily(now=later))


# ------------------------------------------------------------------------ the record


def test_officers_items_receipt_notes_and_approval_are_on_the_chain(encounter, people):
    desk, director = people["desk"], people["director"]
    record.officer_add(
        encounter=encounter, user=desk, name="Agent R. Smith", agency="ICE", badge="4471",
        vehicle="white SUV", id_checked=True,
    )  # fmt: skip
    item = record.item_record(
        encounter=encounter, user=desk, action="taken", description="Public computer 3",
        from_collection=False,
    )  # fmt: skip
    book = record.item_record(
        encounter=encounter, user=desk, action="taken", description="Two DVDs",
        from_collection=True, barcode="31234000123456",
    )  # fmt: skip
    assert [i["description"] for i in record.seized_items(encounter)] == ["Two DVDs"]
    record.item_marked_missing(encounter=encounter, user=desk, item=book)
    assert record.seized_items(encounter)[0]["missing"]
    record.note_add(encounter=encounter, user=desk, text="They waited in the lobby.")
    with pytest.raises(PermissionDenied):
        record.approval_record(encounter=encounter, user=desk, approved=False)
    record.approval_record(encounter=encounter, user=director, approved=False, note="Refused.")
    record.officers_left(encounter=encounter, user=desk)
    kinds = list(encounter.events.order_by("seq").values_list("kind", flat=True))
    for k in ("officer", "item", "note", "approval", "left"):
        assert k in kinds
    assert item.data["action"] == "taken"
    assert verify(encounter.library_id).ok


def test_a_receipt_photo_is_kept_only_encrypted_without_its_gps(encounter, people):
    data = gps_photo()
    att = record.receipt_add(encounter=encounter, user=people["desk"], name="r.jpg", data=data)
    assert bytes(att.content)[:3] == b"PS1" and b"Exif" not in bytes(att.content)
    clear = record.attachment_content(att)
    assert clear[:3] == b"\xff\xd8\xff" and b"GPS" not in clear
    assert encounter.events.get(kind="receipt").data["sha256"] == att.sha256
    with pytest.raises(Exception, match="ZIP"):
        record.receipt_add(
            encounter=encounter, user=people["desk"], name="x.jpg", data=b"PK\x03\x04abc"
        )


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("They asked about Maria Lopez at the computers.", ["name"]),
        ("Officer Diaz and Agent Smith waited in the lobby.", []),
        ("The patron Jose asked to be hidden.", ["name"]),
        ("Mrs. Garcia left by the back door.", ["name"]),
        ("They asked whether John was in the library.", ["name"]),
        ("Reach her at 313-555-0142.", ["phone"]),
        ("Sent from jane@example.org", ["email"]),
        ("Card 21234000567890 was shown.", ["card"]),
        ("ICE agents from Homeland Security showed a Form I-200.", []),
        ("Badge 4471, Detroit Police Department, white SUV.", []),
    ],
)
def test_notes_that_look_like_they_name_a_patron_warn_first(encounter, people, text, kinds):
    desk = people["desk"]
    if not kinds:
        record.note_add(encounter=encounter, user=desk, text=text)
        return
    with pytest.raises(record.PossiblePatronData) as warned:
        record.note_add(encounter=encounter, user=desk, text=text)
    assert [f.kind for f in warned.value.found] == kinds
    assert "looks like" in str(warned.value.messages[0])
    assert not encounter.events.filter(kind="note").exists()
    record.note_add(encounter=encounter, user=desk, text=text, confirmed=True)
    assert encounter.events.filter(kind="note").exists()


def test_the_card_pattern_is_the_librarys(encounter, people):
    encounter.library.card_number_pattern = r"\bEPL\d{6}\b"
    with pytest.raises(record.PossiblePatronData):
        record.note_add(encounter=encounter, user=people["desk"], text="Card EPL123456.")


# ------------------------------------------------------------------------- retention


def old(encounter, days):
    from patronshield.desk.models import Encounter

    Encounter.objects.filter(pk=encounter.pk).update(
        started_at=timezone.now() - timedelta(days=days)
    )


def with_document(encounter, people):
    return services.document_check_run(
        encounter=encounter, user=people["desk"], files=[("w.pdf", text_pdf("WARRANT"))]
    )


def test_the_purge_deletes_content_keeps_hashes_and_the_chain_verifies(encounter, people):
    with_document(encounter, people)
    record.note_add(encounter=encounter, user=people["desk"], text="Waited in the lobby.")
    report = retention.purge_library(encounter.library, now=timezone.now() + timedelta(days=1500))
    assert report["encounters"] == [encounter.pk] and report["events"] > 5
    assert report["document_files"] == 1
    encounter.refresh_from_db()
    assert encounter.purged_at
    assert not encounter.events.filter(purged_at=None).exists()
    assert all(e.data is None and len(e.hash) == 64 for e in encounter.events.all())
    page = DocumentPage.objects.get()
    assert page.content is None and len(page.sha256) == 64
    assert DocumentCheck.objects.get().evidence is None
    purge = Event.objects.get(kind="purged")
    assert purge.data["encounters"] == [encounter.pk]
    report = verify(encounter.library_id)
    assert report.ok and report.purged == encounter.events.count()
    assert retention.purge_library(encounter.library)["encounters"] == []


def test_a_legal_hold_stops_the_purge(encounter, people):
    with pytest.raises(PermissionDenied):  # desk staff cannot
        record.legal_hold_set(encounter=encounter, user=people["desk"], on=True, reason="x")
    record.legal_hold_set(
        encounter=encounter, user=people["director"], on=True, reason="Subpoena 25-113"
    )
    old(encounter, 4 * 365)
    with_document(encounter, people)
    DocumentCheck.objects.update(created_at=timezone.now() - timedelta(days=900))
    report = retention.purge_library(encounter.library)
    assert report["encounters"] == [] and report["document_files"] == 0
    record.legal_hold_set(encounter=encounter, user=people["director"], on=False)
    assert retention.purge_library(encounter.library)["encounters"] == [encounter.pk]


def test_document_photos_have_their_own_shorter_schedule(encounter, people):
    with_document(encounter, people)
    DocumentCheck.objects.update(created_at=timezone.now() - timedelta(days=400))
    report = retention.purge_library(encounter.library)
    assert report == {**report, "encounters": [], "document_files": 1}
    assert encounter.events.filter(purged_at=None).exists()
    assert DocumentPage.objects.get().content is None


def test_a_purged_record_takes_no_more_writes(encounter, people):
    old(encounter, 4 * 365)
    retention.purge_library(encounter.library)
    encounter.refresh_from_db()
    with pytest.raises(Exception, match="purged"):
        record.note_add(encounter=encounter, user=people["desk"], text="late")


def test_content_deleted_outside_a_purge_is_caught(encounter):
    tamper("UPDATE desk_event SET data = NULL, purged_at = %s WHERE seq = 2", [timezone.now()])
    report = verify(encounter.library_id)
    assert not report.ok and report.first_broken == 2
    assert "no purge that says so" in report.problems[0]


def test_a_truncated_tail_with_its_head_moved_back_is_caught(encounter):
    keep = Event.objects.filter(library=encounter.library).order_by("seq")[2]
    with triggers_off():
        raw("DELETE FROM desk_event WHERE seq > %s", [keep.seq])
        Chain.objects.filter(library=encounter.library).update(seq=keep.seq, head=keep.hash)
    report = verify(encounter.library_id)
    assert not report.ok and "not written by this server" in report.problems[0]

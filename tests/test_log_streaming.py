"""The log at a consortium's size: `verify-log` streams raw rows in chunks through the
same checks, the hashing shortcuts write exactly the canonical bytes, and the retention
purge runs in short transactions, each committing its purge event with the content it
deletes. Speed itself is measured by bench/ledger.py, not here. Runs on SQLite and
PostgreSQL."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from patronshield import ledger
from patronshield.desk import chain, record, retention, services
from patronshield.desk.models import Encounter, Event


def canonical_json(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"text": "They waited in the lobby.", "confirmed": True},
        {"ü": 'a "quoted" \\ line\nnext', "z": [1, 2.5, None, -0.0, 1e-7, 10**20]},
        {"nested": {"b": {"d": 1, "c": [{}]}, "a": "\u2028\u00e9\U0001f600"}},
    ],
)
def test_canonical_is_json_dumps_sorted_compact_utf8(data):
    assert ledger.canonical(data) == canonical_json(data)
    assert ledger.content_hash(data) == ledger.sha256(canonical_json(data))


@pytest.mark.parametrize(
    ("kind", "ref", "encounter", "actor"),
    [
        ("note", "", 12, 3),
        ("purged", "", None, None),
        ("records", "records:7", 5, None),
        ("note", 'a "ref" with \\ and é and \u2028', None, 10**12),
    ],
)
def test_the_verifiers_header_bytes_are_the_canonical_header(kind, ref, encounter, actor):
    e = ledger.seal(
        library=4, seq=99, at=timezone.now(), kind=kind, encounter=encounter, ref=ref,
        actor=actor, data={"x": 1}, prev_hash="a" * 64,
    )  # fmt: skip
    fields = (e.library, e.seq, e.at, e.kind, e.encounter, e.ref, e.actor, e.content_hash)
    assert ledger.header_bytes(*fields, e.prev_hash) == canonical_json(e.header())
    assert ledger.sha256(canonical_json(e.header())) == e.hash


@pytest.mark.parametrize(
    ("stored", "moment"),
    [
        ("2026-12-06 18:32:49.123456", datetime(2026, 12, 6, 18, 32, 49, 123456, tzinfo=UTC)),
        ("2026-12-06 18:32:49", datetime(2026, 12, 6, 18, 32, 49, tzinfo=UTC)),
        ("2026-12-06 18:32:49.5", datetime(2026, 12, 6, 18, 32, 49, 500000, tzinfo=UTC)),
    ],
)
def test_a_stored_time_stamps_as_the_orm_datetime_would(db, stored, moment):
    assert chain._stamp(stored, UTC) == ledger.timestamp(moment)  # noqa: SLF001
    assert chain._stamp(moment, UTC) == ledger.timestamp(moment)  # noqa: SLF001
    assert chain._stamp(moment.replace(tzinfo=None), UTC) == ledger.timestamp(moment)  # noqa: SLF001


def test_the_streaming_verifier_reads_every_chunk(people, monkeypatch):
    monkeypatch.setattr(chain, "CHUNK", 3)
    e = services.encounter_start(user=people["desk"])
    for i in range(8):
        record.note_add(encounter=e, user=people["desk"], text=f"note {i}", confirmed=True)
    chain.checkpoint_make(library=e.library_id, reason="test", notify=False)
    n = Event.objects.filter(library_id=e.library_id).count()
    report = chain.verify_library(e.library_id)
    assert report.ok, report.problems
    assert report.events == n and report.checkpoints == 1


def test_an_event_altered_in_a_later_chunk_is_caught(people, monkeypatch):
    from tests.test_incident_log import tamper

    monkeypatch.setattr(chain, "CHUNK", 2)
    e = services.encounter_start(user=people["desk"])
    for i in range(6):
        record.note_add(encounter=e, user=people["desk"], text=f"note {i}", confirmed=True)
    last = Event.objects.filter(library_id=e.library_id).order_by("seq").last()
    data = {**last.data, "text": "something else"}
    if connection.vendor == "postgresql":
        tamper("UPDATE desk_event SET data = %s::jsonb WHERE id = %s", [json.dumps(data), last.pk])
    else:
        tamper("UPDATE desk_event SET data = %s WHERE id = %s", [json.dumps(data), last.pk])
    report = chain.verify_library(e.library_id)
    assert not report.ok and report.first_broken == last.seq
    assert "content altered" in report.problems[0]


def make_old(people, n, drill=False):
    made = []
    for i in range(n):
        e = services.encounter_start(user=people["desk"], drill=drill)
        record.note_add(encounter=e, user=people["desk"], text=f"visit {i}", confirmed=True)
        made.append(e.pk)
    return made


LATER = timedelta(days=1500)  # when all of them are due


def test_a_long_purge_commits_in_batches_each_with_its_purge_event(people, monkeypatch):
    monkeypatch.setattr(retention, "BATCH", 2)
    monkeypatch.setattr(retention, "MIN_BATCH", 2)
    monkeypatch.setattr(retention, "MAX_BATCH", 2)
    real = make_old(people, 5)
    drills = make_old(people, 2, drill=True)
    library = people["desk"].library
    report = retention.purge_library(library, now=timezone.now() + LATER)
    assert report["encounters"] == real and report["drills"] == drills
    assert sorted(report["started"]) == sorted(str(pk) for pk in real)
    purges = list(Event.objects.filter(kind=Event.Kind.PURGED).order_by("seq"))
    assert len(purges) == 4  # 2 + 2 + 2, then the last one with what else was due
    named = [pk for p in purges for pk in p.data["encounters"] + p.data.get("drills", [])]
    assert sorted(named) == sorted(real + drills)
    assert sum(p.data["events"] for p in purges) == report["events"] > 0
    assert not Event.objects.filter(encounter_id__in=real + drills, purged_at=None).exists()
    report = chain.verify_library(library.pk)
    assert report.ok, report.problems
    assert retention.purge_library(library, now=timezone.now() + LATER)["encounters"] == []


def test_a_batch_rechecks_what_is_due_in_its_own_transaction(people, monkeypatch):
    """An encounter put on legal hold after the purge listed it is not purged."""
    monkeypatch.setattr(retention, "BATCH", 1)
    monkeypatch.setattr(retention, "MIN_BATCH", 1)
    monkeypatch.setattr(retention, "MAX_BATCH", 1)
    real = make_old(people, 3)
    library = people["desk"].library
    listed, calls = retention._due, []  # noqa: SLF001

    def due_then_hold(library, now):
        calls.append(1)
        if len(calls) == 2:  # listed; the first batch's transaction begins
            held = Encounter.objects.get(pk=real[2])
            record.legal_hold_set(encounter=held, user=people["director"], on=True, reason="x")
        return listed(library, now)

    monkeypatch.setattr(retention, "_due", due_then_hold)
    report = retention.purge_library(library, now=timezone.now() + LATER)
    assert report["encounters"] == real[:2]
    assert Event.objects.filter(encounter_id=real[2], purged_at=None).exists()
    assert chain.verify_library(library.pk).ok

"""Every event of a library goes on one hash chain (see `patronshield.ledger`).

`event_append` is the only way an event is written. Database triggers (installed after every
migration, on SQLite and PostgreSQL) refuse UPDATE and DELETE on events and checkpoints,
and let the chain's head only move forward, to a stored event. Two narrow ways
through, both for this process only: `purging()`, in which an update may delete an event's
content and nothing else, and `maintenance()`, in which `flush` may empty a test database.
The triggers guard against mistakes and casual edits; the hash chain and the signed
checkpoints are what prove, to someone who has the database, that nothing changed.
"""

from __future__ import annotations

import contextlib
import threading
from datetime import UTC

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from patronshield import crypto, ledger

from .models import Chain, Checkpoint, Event

_state = threading.local()


def _flag(name: str) -> int:
    return int(bool(getattr(_state, name, False)))


@contextlib.contextmanager
def _allowing(name: str, setting: str):
    setattr(_state, name, True)
    pg = connection.vendor == "postgresql"
    try:
        if pg:
            with connection.cursor() as c:
                c.execute("SELECT set_config(%s, 'on', false)", [setting])
        yield
    finally:
        setattr(_state, name, False)
        if pg:
            with connection.cursor() as c:
                c.execute("SELECT set_config(%s, 'off', false)", [setting])


def purging():
    """The retention purge: events' content may be deleted, their hashes may not."""
    return _allowing("purge", "patronshield.purge")


def maintenance():
    """Emptying a whole database (`manage flush`, test teardown)."""
    return _allowing("maintenance", "patronshield.maintenance")


def register_sqlite_functions(sender, connection, **kwargs):
    """The triggers ask these functions; a client without them (the sqlite3 shell) is
    refused."""
    if connection.vendor == "sqlite":
        raw = connection.connection
        raw.create_function("ps_purging", 0, lambda: _flag("purge"))
        raw.create_function("ps_maintenance", 0, lambda: _flag("maintenance"))


# The header columns a purge must leave as they are.
_KEPT = ("id", "library_id", "seq", "encounter_id", "ref", "at", "kind", "actor_id",
         "content_hash", "prev_hash", "hash", "mac")  # fmt: skip

SQLITE_TRIGGERS = [
    "DROP TRIGGER IF EXISTS desk_event_append_only_update",
    "DROP TRIGGER IF EXISTS desk_event_append_only_delete",
    """CREATE TRIGGER desk_event_append_only_update BEFORE UPDATE ON desk_event
    WHEN NOT (ps_purging() AND OLD.purged_at IS NULL AND NEW.purged_at IS NOT NULL
              AND NEW.data IS NULL AND """
    + " AND ".join(f"NEW.{c} IS OLD.{c}" for c in _KEPT)
    + """)
    BEGIN SELECT RAISE(ABORT, 'patronshield: events are append-only'); END""",
    """CREATE TRIGGER desk_event_append_only_delete BEFORE DELETE ON desk_event
    WHEN NOT ps_maintenance()
    BEGIN SELECT RAISE(ABORT, 'patronshield: events are append-only'); END""",
]

POSTGRES_TRIGGERS = [
    """CREATE OR REPLACE FUNCTION desk_event_append_only() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'UPDATE' AND current_setting('patronshield.purge', true) = 'on'
         AND OLD.purged_at IS NULL AND NEW.purged_at IS NOT NULL AND NEW.data IS NULL AND """
    + " AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in _KEPT)
    + """ THEN
        RETURN NEW;
      END IF;
      IF TG_OP IN ('DELETE', 'TRUNCATE')
         AND current_setting('patronshield.maintenance', true) = 'on' THEN
        RETURN NULL;
      END IF;
      RAISE EXCEPTION 'patronshield: events are append-only';
    END $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS desk_event_append_only ON desk_event",
    "DROP TRIGGER IF EXISTS desk_event_no_truncate ON desk_event",
    """CREATE TRIGGER desk_event_append_only BEFORE UPDATE OR DELETE ON desk_event
    FOR EACH ROW EXECUTE FUNCTION desk_event_append_only()""",
    """CREATE TRIGGER desk_event_no_truncate BEFORE TRUNCATE ON desk_event
    FOR EACH STATEMENT EXECUTE FUNCTION desk_event_append_only()""",
]


# The head only moves forward, to an event that is stored; the signing key is set once.
# A checkpoint is never changed or deleted: only the list of whom it was mailed to is kept up.
_SIGNED = ("id", "library_id", "seq", "head", "at", "created_at", "public_key", "signature",
           "reason")  # fmt: skip
_HEAD_MOVES = """NEW.library_id = OLD.library_id
    AND (NEW.public_key = OLD.public_key OR OLD.public_key = '')
    AND ((NEW.seq = OLD.seq AND NEW.head = OLD.head)
         OR (NEW.seq > OLD.seq AND EXISTS (SELECT 1 FROM desk_event e
             WHERE e.library_id = NEW.library_id AND e.seq = NEW.seq AND e.hash = NEW.head)))"""

SQLITE_TRIGGERS += [
    "DROP TRIGGER IF EXISTS desk_chain_forward_only_update",
    "DROP TRIGGER IF EXISTS desk_chain_forward_only_delete",
    "DROP TRIGGER IF EXISTS desk_checkpoint_append_only_update",
    "DROP TRIGGER IF EXISTS desk_checkpoint_append_only_delete",
    f"""CREATE TRIGGER desk_chain_forward_only_update BEFORE UPDATE ON desk_chain
    WHEN NOT ({_HEAD_MOVES})
    BEGIN SELECT RAISE(ABORT, 'patronshield: the chain only moves forward'); END""",
    """CREATE TRIGGER desk_chain_forward_only_delete BEFORE DELETE ON desk_chain
    WHEN NOT ps_maintenance()
    BEGIN SELECT RAISE(ABORT, 'patronshield: the chain only moves forward'); END""",
    """CREATE TRIGGER desk_checkpoint_append_only_update BEFORE UPDATE ON desk_checkpoint
    WHEN NOT ("""
    + " AND ".join(f"NEW.{c} IS OLD.{c}" for c in _SIGNED)
    + """)
    BEGIN SELECT RAISE(ABORT, 'patronshield: checkpoints are append-only'); END""",
    """CREATE TRIGGER desk_checkpoint_append_only_delete BEFORE DELETE ON desk_checkpoint
    WHEN NOT ps_maintenance()
    BEGIN SELECT RAISE(ABORT, 'patronshield: checkpoints are append-only'); END""",
]


def _postgres_guard(table: str, allowed_update: str, message: str) -> list[str]:
    """A row UPDATE passes only if `allowed_update` holds; DELETE and TRUNCATE only under
    `maintenance()`."""
    return [
        f"""CREATE OR REPLACE FUNCTION {table}_guard() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'UPDATE' AND {allowed_update} THEN
        RETURN NEW;
      END IF;
      IF TG_OP IN ('DELETE', 'TRUNCATE')
         AND current_setting('patronshield.maintenance', true) = 'on' THEN
        RETURN OLD;
      END IF;
      RAISE EXCEPTION 'patronshield: {message}';
    END $$ LANGUAGE plpgsql""",
        f"DROP TRIGGER IF EXISTS {table}_guard ON {table}",
        f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
        f"""CREATE TRIGGER {table}_guard BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {table}_guard()""",
        f"""CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION {table}_guard()""",
    ]


POSTGRES_TRIGGERS += _postgres_guard(
    "desk_chain", f"({_HEAD_MOVES})", "the chain only moves forward"
) + _postgres_guard(
    "desk_checkpoint",
    "(" + " AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in _SIGNED) + ")",
    "checkpoints are append-only",
)


def install_triggers(using=None, **kwargs):
    """Run after every migration: a migration that rebuilds the table (SQLite does that
    for most changes) would otherwise drop them silently."""
    from django.db import connections

    conn = connections[using or "default"]
    statements = {"sqlite": SQLITE_TRIGGERS, "postgresql": POSTGRES_TRIGGERS}.get(conn.vendor)
    if not statements or "desk_event" not in conn.introspection.table_names():
        return
    with conn.cursor() as c:
        for sql in statements:
            c.execute(sql)


# ------------------------------------------------------------------------------ append


def _jsonable(data: dict) -> dict:
    """What is hashed is exactly what the database gives back."""
    import json

    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def event_append(
    *, library, kind: str, encounter=None, actor=None, ref: str = "", data: dict | None = None
) -> Event:
    """Append one event to the library's chain, in the caller's transaction (or its own).

    The chain's head row is locked, so appends to one library are serialised and the
    numbering has no gaps; a transaction that rolls back takes its events with it."""
    library_id = library if isinstance(library, int) else library.pk
    data = _jsonable(data or {})
    with transaction.atomic():
        Chain.objects.get_or_create(library_id=library_id)
        head = Chain.objects.select_for_update().get(library_id=library_id)
        now = timezone.now()
        entry = ledger.seal(
            library=library_id,
            seq=head.seq + 1,
            at=now,
            kind=kind,
            encounter=getattr(encounter, "pk", encounter),
            ref=ref,
            actor=getattr(actor, "pk", actor),
            data=data,
            prev_hash=head.head,
        )
        event = Event.objects.create(
            library_id=library_id,
            seq=entry.seq,
            encounter_id=entry.encounter,
            ref=ref,
            at=now,
            kind=kind,
            actor_id=entry.actor,
            data=data,
            content_hash=entry.content_hash,
            prev_hash=entry.prev_hash,
            hash=entry.hash,
            mac=event_mac(library_id, entry.hash),
        )
        Chain.objects.filter(library_id=library_id).update(
            seq=entry.seq, head=entry.hash, mac=head_mac(library_id, entry.seq, entry.hash)
        )
    return event


def event_mac(library_id: int, event_hash: str, kid: str | None = None) -> str:
    return crypto.mac(event_hash.encode(), f"event:{library_id}", kid)


def head_mac(library_id: int, seq: int, head: str, kid: str | None = None) -> str:
    return crypto.mac(f"{seq}:{head}".encode(), f"head:{library_id}", kid)


def mac_holds(library_id: int, event: Event) -> bool:
    return crypto.mac_valid(event.mac, event.hash.encode(), f"event:{library_id}")


def encounter_event(encounter, kind: str, actor=None, **data) -> Event:
    """An event of one encounter, on its library's chain."""
    return event_append(
        library=encounter.library_id, encounter=encounter, kind=kind, actor=actor, data=data
    )


def entry_of(event: Event) -> ledger.Entry:
    return ledger.Entry(
        library=event.library_id,
        seq=event.seq,
        at=ledger.timestamp(event.at),
        kind=event.kind,
        encounter=event.encounter_id,
        ref=event.ref,
        actor=event.actor_id,
        content_hash=event.content_hash,
        prev_hash=event.prev_hash,
        hash=event.hash,
        data=None if event.purged_at else event.data,
        pk=event.pk,
    )


# ------------------------------------------------------------------------- checkpoints


def _signing_key(library_id: int) -> bytes:
    """The library's Ed25519 key, made on first use, kept sealed under the data key."""
    purpose = f"checkpoint-key:{library_id}"
    with transaction.atomic():
        Chain.objects.get_or_create(library_id=library_id)
        chain = Chain.objects.select_for_update().get(library_id=library_id)
        if not chain.signing_key:
            key = ledger.new_signing_key()
            chain.signing_key = crypto.encrypt(key, purpose)
            chain.public_key = ledger.public_key_hex(key)
            chain.save(update_fields=["signing_key", "public_key"])
            return key
        return crypto.decrypt(chain.signing_key, purpose)


def sign_public(library_id: int, document: dict) -> dict:
    """A public document (the warrant canary) signed with the library's checkpoint key, whose
    public half anyone may fetch (`public_key`)."""
    return ledger.sign_document(_signing_key(library_id), document)


def public_key(library_id: int) -> str:
    """The library's public key (hex), the key made on first use."""
    return ledger.public_key_hex(_signing_key(library_id))


def trusted_keys(library_id: int) -> list[str]:
    """The library's current public key and every key its checkpoints were signed with
    when it was current (a rotated key stays trusted for what it signed)."""
    keys = list(
        Chain.objects.filter(library_id=library_id)
        .exclude(public_key="")
        .values_list("public_key", flat=True)
    )
    return keys


def checkpoint_make(*, library, reason: str, notify: bool = True) -> Checkpoint:
    """Sign the chain's head now; the checkpoint is itself recorded on the chain, and a
    copy is mailed to the director and counsel so that one lives off the server."""
    library_id = library if isinstance(library, int) else library.pk
    key = _signing_key(library_id)
    with transaction.atomic():
        head = Chain.objects.select_for_update().get(library_id=library_id)
        signed = ledger.sign_checkpoint(
            key, library=library_id, seq=head.seq, head=head.head, at=timezone.now()
        )
        cp = Checkpoint.objects.create(
            library_id=library_id,
            seq=signed.seq,
            head=signed.head,
            at=signed.at,
            public_key=signed.public_key,
            signature=signed.signature,
            reason=reason[:100],
        )
        event_append(
            library=library_id,
            kind=Event.Kind.CHECKPOINT,
            data={"checkpoint": cp.pk, "seq": cp.seq, "head": cp.head, "reason": cp.reason},
        )
        if notify:
            from .tasks import mail_checkpoint

            transaction.on_commit(lambda: mail_checkpoint.enqueue(cp.pk))
    return cp


def as_ledger(cp: Checkpoint) -> ledger.Checkpoint:
    return ledger.Checkpoint(cp.library_id, cp.seq, cp.head, cp.at, cp.public_key, cp.signature)


class _Row:
    """An event as `verify_library` reads it (a raw row, no model instance): what the
    cross-check's `Replay.feed` reads of an `Event`. `at` is made a datetime only when read
    (most events' times are not)."""

    __slots__ = ("seq", "kind", "_at", "ref", "encounter_id", "actor_id", "data", "purged_at",
                 "_tz")  # fmt: skip

    def __init__(self, seq, kind, at, ref, encounter_id, actor_id, data, purged_at, tz):
        self.seq, self.kind, self._at, self.ref = seq, kind, at, ref
        self.encounter_id, self.actor_id, self.data, self.purged_at = (
            encounter_id, actor_id, data, purged_at)  # fmt: skip
        self._tz = tz

    @property
    def at(self):
        return _aware(self._at, self._tz)


def _aware(at, tz):
    """What the ORM makes of a stored time: an aware datetime in the connection's zone
    (`tz`, read once: `connection.timezone` costs more than the rest)."""
    from datetime import datetime

    if isinstance(at, str):  # SQLite: the text Django wrote
        at = datetime.fromisoformat(at)
    if at.tzinfo is None:
        at = at.replace(tzinfo=tz)
    return at


def _stamp(at, tz) -> str:
    """`ledger.timestamp` of a stored time. SQLite's text in UTC, as Django writes it
    ("2026-12-06 18:32:49.123456", or without the fraction when it is 0), is rewritten
    as is, without making a datetime."""
    if tz is UTC and isinstance(at, str):
        if len(at) == 26 and at[10] == " " and at[19] == ".":
            return f"{at[:10]}T{at[11:]}+00:00"
        if len(at) == 19 and at[10] == " ":
            return f"{at[:10]}T{at[11:]}.000000+00:00"
    return ledger.timestamp(_aware(at, tz))


_COLUMNS = ("seq", "kind", "at", "ref", "encounter_id", "actor_id", "data", "purged_at",
            "library_id", "content_hash", "prev_hash", "hash", "mac")  # fmt: skip
CHUNK = 5000  # rows fetched at a time


def _event_rows(library_id: int):
    """The library's events in sequence order, as raw rows fetched in chunks (a server-side
    cursor on PostgreSQL), with `data` decoded as the ORM would: a fraction of the cost of
    a model instance per row, and memory for one chunk, not the chain."""
    import json

    table = connection.ops.quote_name(Event._meta.db_table)
    columns = list(_COLUMNS)
    if connection.vendor == "sqlite":  # the text, not the slower converter's datetimes
        columns[2], columns[7] = "CAST(at AS TEXT)", "CAST(purged_at AS TEXT)"
    sql = f"SELECT {', '.join(columns)} FROM {table} WHERE library_id = %s ORDER BY seq"  # noqa: S608
    scan, loads = json.JSONDecoder().scan_once, json.loads
    # On SQLite no transaction: it would hold the write lock (IMMEDIATE) for the whole walk,
    # and one statement reads one snapshot anyway. On PostgreSQL one, so that the cursor
    # streams (outside one, a WITH HOLD cursor copies the whole result before the first row).
    pg = connection.vendor == "postgresql"
    with (
        transaction.atomic() if pg else contextlib.nullcontext(),
        connection.chunked_cursor() as cursor,
    ):
        cursor.execute(sql, [library_id])
        while rows := cursor.fetchmany(CHUNK):
            for row in rows:
                data = row[6]
                if isinstance(data, str):
                    try:  # the C scanner json.loads ends in, for the text Django wrote
                        value, end = scan(data, 0)
                    except (StopIteration, ValueError):
                        end = -1
                    data = value if end == len(data) else loads(data)
                yield row, data


def verify_library(library_id: int, extra_checkpoints=()) -> ledger.Report:
    """The whole chain of one library: hashes, links, numbering, head, every checkpoint
    (stored here and given), each event's MAC, that content was deleted only by a
    purge that says so (a PURGED event naming the encounter or the reference), that no
    checkpoint given is newer than the newest stored (a rollback), and that the records'
    fields say what their events say (`crosscheck`).

    The events are streamed (`_event_rows`): memory holds the chunk being read, not the
    chain."""
    from .crosscheck import Replay, check

    forged, purged, covered, checkpoint_events = [], [], set(), {}
    replay = Replay(library_id)
    feed = replay.feed
    mac_valid = crypto.mac_checker(f"event:{library_id}")
    ROTATED, CHECKPOINT, PURGED = (str(k) for k in (Event.Kind.ROTATED, Event.Kind.CHECKPOINT,
                                                   Event.Kind.PURGED))  # fmt: skip

    head = Chain.objects.filter(library_id=library_id).first()
    checkpoints = [as_ledger(c) for c in Checkpoint.objects.filter(library_id=library_id)]
    stored = max((c.seq for c in checkpoints), default=0)
    given = [c for c in extra_checkpoints if c.library == library_id]
    checkpoints += given
    verifier = ledger.Verifier(library_id, checkpoints)
    add = verifier.add
    key = None  # after a key rotation, only the new key makes MACs
    tz = connection.timezone
    for row, data in _event_rows(library_id):
        seq, kind, at, ref, encounter_id, actor_id, _, purged_at = row[:8]
        lib, content, prev, hash_, mac = row[8:]
        if not mac_valid(mac, hash_.encode()) or (key and mac.partition(":")[0] != key):
            forged.append(seq)
        if kind == ROTATED and data:
            key = data.get("key")
        if purged_at or data is None:
            purged.append((seq, encounter_id, ref))
        if kind == CHECKPOINT:
            checkpoint_events[seq] = data
        elif kind == PURGED and data:
            covered.update(("encounter", pk) for pk in data.get("encounters", []))
            covered.update(("encounter", pk) for pk in data.get("drills", []))
            covered.update(("ref", ref) for ref in data.get("refs", []))
        feed(_Row(seq, kind, at, ref, encounter_id, actor_id, data, purged_at, tz))
        add(lib, seq, _stamp(at, tz), kind, encounter_id, ref, actor_id, content, prev,
            hash_, None if purged_at else data)  # fmt: skip

    report = verifier.finish(
        head_seq=head.seq if head else 0,
        head_hash=head.head if head and head.seq else None,
        trusted_keys=trusted_keys(library_id),
    )
    if (
        head
        and head.seq
        and not crypto.mac_valid(head.mac, f"{head.seq}:{head.head}".encode(), f"head:{library_id}")
    ):
        report.fail(head.seq, "the recorded end of the chain was not written by this server")
    # A checkpoint is recorded on the chain right after the event it signs.
    for cp in checkpoints:
        if cp.seq + 1 not in checkpoint_events:
            report.fail(cp.seq + 1, f"event {cp.seq + 1}: the checkpoint's record is missing")
        elif (data := checkpoint_events[cp.seq + 1]) is not None and data.get("head") != cp.head:
            report.fail(cp.seq + 1, f"event {cp.seq + 1}: records another checkpoint")
    for seq in forged:
        report.fail(seq, f"event {seq}: not written by this server (its MAC does not hold)")
    for seq, encounter_id, ref in purged:
        if ("encounter", encounter_id) not in covered and ("ref", ref) not in covered:
            report.fail(seq, f"event {seq}: content deleted with no purge that says so")
    mailed = max((c.seq for c in given if c.signature_valid()), default=0)
    if mailed > stored:
        report.fail(
            None,
            f"the newest stored checkpoint (at event {stored}) is older than the one mailed "
            f"(at event {mailed}): the log was rolled back",
        )
    check(replay, report)
    return report

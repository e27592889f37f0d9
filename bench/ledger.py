"""The incident log at a consortium's size: verify a million events, purge a million.

Builds N events (default 1,000,000) on one library's chain, fast: valid chained rows are
computed with the app's own functions (`ledger.seal`, `chain.event_mac`, `head_mac`,
`ledger.sign_checkpoint`) and bulk-inserted. Each encounter is a started event, an officer,
seven notes and a closing event (its record says what its events say, so the cross-check
holds), closed three years ago, so that the retention purge finds it all due; a signed
checkpoint every 1,000 events. Then it prints, in one run:

- a baseline: a plain hashlib SHA-256 chain over the same rows in Python (hash of the
  previous hash and the row), entries/s;
- `verify-log` (`chain.verify_library`, as the command runs it): events/s, and the ratio to
  the baseline;
- `daily`'s retention purge of every event's content (`retention.purge_library`): seconds,
  the number of transactions and the longest one (the longest the database's write lock is
  held at a time);
- `verify-log` again on the purged chain.

    .venv/bin/python bench/ledger.py                     # SQLite (a file in a temp folder)
    .venv/bin/python bench/ledger.py --postgres          # PostgreSQL (database psbench_ledger)
    DATABASE_URL=postgres://... .venv/bin/python bench/ledger.py   # that database, emptied
    .venv/bin/python bench/ledger.py --events 100000 --profile     # cProfile of verify
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.durability import prepare  # noqa: E402

PER_ENCOUNTER = 10  # started, officer, 7 notes, closed
CHECKPOINT_EVERY = 1000


def build(n_events: int) -> int:
    """One library with about `n_events` events; returns its id."""
    from django.db import connection, transaction

    from patronshield import ledger
    from patronshield.accounts.models import Role, User
    from patronshield.desk import chain
    from patronshield.desk.models import Chain, Checkpoint, Encounter, Event
    from patronshield.libraries.models import Branch, Library

    library = Library.objects.create(name="Bench Library", slug="bench", state="MI")
    branch = Branch.objects.create(library=library, name="Main")
    desk = User.objects.create_user("desk@bench.example", "x", role=Role.DESK, library=library)
    lib = library.pk
    key = chain._signing_key(lib)  # noqa: SLF001 (the library's own key, made as the app does)

    n_encounters = max(1, n_events // PER_ENCOUNTER)
    t0 = datetime.now(UTC) - timedelta(days=3 * 365)
    field = Encounter._meta.get_field("started_at")  # noqa: SLF001
    field.auto_now_add = False  # the bench back-dates them, as the events say
    try:
        encounters = Encounter.objects.bulk_create(
            [
                Encounter(
                    library=library,
                    branch=branch,
                    started_by=desk,
                    started_at=t0 + timedelta(minutes=i),
                    closed_at=t0 + timedelta(minutes=i, seconds=30),
                    closed_by=desk,
                )
                for i in range(n_encounters)
            ],
            batch_size=5000,
        )
    finally:
        field.auto_now_add = True
    if not encounters[0].pk:  # a backend that returns no ids
        encounters = list(Encounter.objects.filter(library=library).order_by("pk"))

    pg = connection.vendor == "postgresql"
    sql = (
        "INSERT INTO desk_event (library_id, seq, encounter_id, ref, at, kind, actor_id, data, "
        "content_hash, prev_hash, hash, mac, purged_at) VALUES (%s, %s, %s, '', %s, %s, %s, "
        "%s, %s, %s, %s, %s, NULL)"
    )
    if pg:
        sql = sql.replace("%s, %s, %s, %s, %s, NULL", "%s::jsonb, %s, %s, %s, %s, NULL")
    adapt = connection.ops.adapt_datetimefield_value
    rows, checkpoints = [], []
    prev, seq = ledger.GENESIS, 0

    def append(kind, at, encounter, actor, data):
        nonlocal prev, seq
        seq += 1
        e = ledger.seal(
            library=lib, seq=seq, at=at, kind=kind, encounter=encounter, ref="",
            actor=actor, data=data, prev_hash=prev,
        )  # fmt: skip
        rows.append(
            (lib, seq, encounter, adapt(at), kind, actor, json.dumps(data),
             e.content_hash, e.prev_hash, e.hash, chain.event_mac(lib, e.hash))
        )  # fmt: skip
        prev = e.hash

    def flush(cursor):
        cursor.executemany(sql, rows)
        rows.clear()

    with transaction.atomic(), connection.cursor() as cursor:
        for i, enc in enumerate(encounters):
            start = enc.started_at
            append("started", start, enc.pk, desk.pk, {"started_at": start.isoformat()})
            append("officer", start + timedelta(seconds=5), enc.pk, desk.pk,
                   {"agency": "ICE", "badge": str(1000 + i % 9000)})  # fmt: skip
            for k in range(7):
                append("note", start + timedelta(seconds=6 + k), enc.pk, desk.pk,
                       {"text": f"They waited in the lobby ({k}).", "confirmed": True})  # fmt: skip
            append("closed", enc.closed_at, enc.pk, desk.pk, {})
            if seq // CHECKPOINT_EVERY != (seq - PER_ENCOUNTER) // CHECKPOINT_EVERY:
                at = enc.closed_at + timedelta(seconds=1)
                cp = ledger.sign_checkpoint(key, library=lib, seq=seq, head=prev, at=at)
                checkpoints.append(cp)
                append("checkpoint", at, None, None,
                       {"checkpoint": len(checkpoints), "seq": cp.seq, "head": cp.head,
                        "reason": "daily"})  # fmt: skip
            if len(rows) >= 20000:
                flush(cursor)
        flush(cursor)
    with transaction.atomic():
        made = Checkpoint.objects.bulk_create(
            [
                Checkpoint(
                    library_id=lib,
                    seq=c.seq,
                    head=c.head,
                    at=c.at,
                    public_key=c.public_key,
                    signature=c.signature,
                    reason="daily",
                )
                for c in checkpoints
            ]  # fmt: skip
        )
        # The checkpoint events name their checkpoint's id, as checkpoint_make records it.
        assert not made or made[0].pk in (None, 1), "a fresh database is needed"
        Chain.objects.filter(library_id=lib).update(
            seq=seq, head=prev, mac=chain.head_mac(lib, seq, prev)
        )
        with connection.cursor() as c:  # statistics, as a database in use has them
            c.execute("ANALYZE")
    return lib, Event.objects.filter(library_id=lib).count()


def baseline(library_id: int) -> tuple[float, int]:
    """A plain SHA-256 chain over the same rows, in Python: entries/s."""
    from django.db import connection

    with connection.cursor() as c:
        c.execute(
            "SELECT seq, kind, content_hash, prev_hash FROM desk_event WHERE library_id = %s "
            "ORDER BY seq",
            [library_id],
        )
        rows = [f"{s}|{k}|{ch}|{p}".encode() for s, k, ch, p in c.fetchall()]
    sha = hashlib.sha256
    t, cpu = time.perf_counter(), time.process_time()
    prev = b"0" * 64
    for row in rows:
        prev = sha(prev + row).hexdigest().encode()
    elapsed, cpu = time.perf_counter() - t, time.process_time() - cpu
    print(f"  (baseline: {len(rows) / cpu:,.0f} entries/s of this process's CPU)")
    return len(rows) / elapsed, len(rows)


def verify(library_id: int, profile: bool = False):
    from patronshield.desk import chain

    if profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        t = time.perf_counter()
        report = prof.runcall(chain.verify_library, library_id)
        elapsed = time.perf_counter() - t
        pstats.Stats(prof).sort_stats("cumulative").print_stats(30)
        pstats.Stats(prof).sort_stats("tottime").print_stats(25)
    else:
        t, cpu = time.perf_counter(), time.process_time()
        report = chain.verify_library(library_id)
        elapsed, cpu = time.perf_counter() - t, time.process_time() - cpu
        print(f"  (verify-log: {cpu:.2f} s of this process's CPU, {elapsed:.2f} s elapsed)")
    assert report.ok, report.problems[:5]
    return report, elapsed


def purge(library_id: int):
    """The retention purge as `daily` runs it; times each transaction it commits."""
    from django.db import connection, transaction
    from django.utils import timezone

    from patronshield.desk import retention
    from patronshield.libraries.models import Library

    spans, cpus, opened = [], [], []

    def closed():
        began, cpu = opened.pop()
        spans.append(time.perf_counter() - began)
        cpus.append(time.process_time() - cpu)

    # A transaction is timed from its first statement to its commit.
    def wrapper(execute, sql, params, many, context):
        if not opened and connection.in_atomic_block:
            opened.append((time.perf_counter(), time.process_time()))
            transaction.on_commit(closed)
        return execute(sql, params, many, context)

    library = Library.objects.get(pk=library_id)
    # As the daily job will run once the newest of them is past the library's schedule.
    now = timezone.now() + timedelta(days=library.retain_encounters_days)
    t, cpu = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(wrapper):
        report = retention.purge_library(library, now=now)
    elapsed, cpu = time.perf_counter() - t, time.process_time() - cpu
    print(
        f"  (purge: {cpu:.1f} s of this process's CPU, {elapsed:.1f} s elapsed; the "
        f"longest transaction used {max(cpus, default=0):.3f} s of CPU)"
    )
    return report, elapsed, spans


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--profile", action="store_true", help="cProfile verify-log")
    parser.add_argument(
        "--keep", metavar="DIR", help="build in DIR (SQLite) or DATABASE_URL, reuse if there"
    )
    parser.add_argument("--no-purge", action="store_true")
    parser.add_argument("--purge-only", action="store_true", help="no verify before the purge")
    args = parser.parse_args()

    tmp = Path(args.keep or tempfile.mkdtemp(prefix="psledger"))
    tmp.mkdir(parents=True, exist_ok=True)
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres") and not args.postgres:
        env = dict(os.environ, PATRONSHIELD_VAR_DIR=str(tmp))
        import psycopg

        if not args.keep:
            with psycopg.connect(url, autocommit=True) as c:  # emptied: the bench's own
                c.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    else:
        env = prepare(args.postgres, tmp, "psbench_ledger")
    env["PATRONSHIELD_DATA_KEYS"] = os.environ.get("PATRONSHIELD_DATA_KEYS") or (
        "bench:" + "A" * 43
    )
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "patronshield.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from patronshield.desk.models import Event

    reuse = args.keep and Event.objects.exists() if _migrated() else False
    if not reuse:
        call_command("migrate", verbosity=0)
        t = time.perf_counter()
        library_id, n = build(args.events)
        print(f"built {n:,} events in {time.perf_counter() - t:.1f} s ({connection.vendor})")
    else:
        library_id = Event.objects.values_list("library_id", flat=True).first()
        print(f"reusing {Event.objects.count():,} events in {tmp}")

    base, rows = baseline(library_id)
    print(f"baseline (plain SHA-256 chain in Python): {base:,.0f} entries/s over {rows:,}")
    if not args.purge_only:
        verify_and_print(library_id, base, args.profile)
    if args.no_purge:
        return
    purged, elapsed, spans = purge(library_id)
    longest = max(spans, default=0)
    print(
        f"purge: {purged['events']:,} events' content ({len(purged['encounters']):,} "
        f"encounters) in {elapsed:.1f} s, {len(spans)} transactions, the longest "
        f"{longest:.3f} s"
    )
    report, elapsed = verify(library_id)
    print(
        f"verify-log after the purge: {report.events:,} events ({report.purged:,} purged) in "
        f"{elapsed:.2f} s = {report.events / elapsed:,.0f} events/s"
    )


def verify_and_print(library_id, base, profile):
    report, elapsed = verify(library_id, profile)
    rate = report.events / elapsed
    print(
        f"verify-log: {report.events:,} events, {report.checkpoints} checkpoints in "
        f"{elapsed:.2f} s = {rate:,.0f} events/s ({rate / base:.1%} of the baseline)"
    )


def _migrated() -> bool:
    from django.db import connection

    return "desk_event" in connection.introspection.table_names()


if __name__ == "__main__":
    main()

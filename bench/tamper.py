"""Tamper evidence of the incident log: 1,000 random alterations, each detected?

Builds a library with realistic encounters (through the services), closes them (each close
signs a checkpoint), keeps the last checkpoint as the copy mailed to the director, then
makes 1,000 random alterations of the database, as someone with the database would (the
append-only triggers switched off first): edit an event's content or header, delete one,
truncate the tail (with and without fixing the recorded head), reorder, insert, swap
content between events, fake a purge, rewrite the chain from an event on with every hash
recomputed, edit a checkpoint; and, as someone who also stole the server's data keys,
rewrite with the MACs recomputed and the stored checkpoints deleted (only the mailed
copy can tell then, so that alteration is aimed at events the copy covers). Each
alteration is made in a transaction, checked with the verifier, and rolled back.

    .venv/bin/python bench/tamper.py [--postgres] [--n 1000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.durability import prepare  # noqa: E402


class Rollback(Exception):
    pass


def build(encounters: int):
    from patronshield.accounts.models import Role, User
    from patronshield.desk import record, services
    from patronshield.libraries.models import Branch, Library
    from patronshield.notifications.models import Contact
    from patronshield.policy import vocab

    library = Library.objects.create(name="Bench Library", slug="bench", state="MI")
    branch = Branch.objects.create(library=library, name="Main")
    desk = User.objects.create_user("desk@bench.example", "x", role=Role.DESK, library=library)
    director = User.objects.create_user(
        "director@bench.example", "x", role=Role.DIRECTOR, library=library, branch=branch
    )
    Contact.objects.create(
        library=library, role="director", position=1, name="Director", email="d@bench.example"
    )
    rng = random.Random(7)
    for _ in range(encounters):
        e = services.encounter_start(user=desk, branch=branch)
        e = services.encounter_answer(
            encounter=e,
            actor=desk,
            agency=rng.choice(vocab.AGENCIES),
            request=rng.choice(vocab.REQUESTS),
            document=rng.choice([d for d in vocab.DOCUMENTS if d not in vocab.GAG_DOCUMENTS]),
            emergency=False,
            patron_consent=False,
        )
        record.officer_add(encounter=e, user=desk, agency="ICE", badge=str(rng.randint(1, 9999)))
        record.note_add(encounter=e, user=desk, text="They waited in the lobby.", confirmed=True)
        if rng.random() < 0.5:
            record.approval_record(encounter=e, user=director, approved=False, note="Refused.")
        record.officers_left(encounter=e, user=desk)
        record.encounter_close(encounter=e, user=desk)
    return library


def alterations(library, mailed_seq: int):
    """name -> function(rng) that alters the database (triggers already off)."""
    from django.db import connection

    from patronshield import ledger
    from patronshield.desk import chain
    from patronshield.desk.models import Chain, Checkpoint, Event

    events = list(Event.objects.filter(library=library).order_by("seq"))
    last = events[-1].seq

    def sql(q, params=()):
        with connection.cursor() as c:
            c.execute(q, params)

    def pick(rng, lo=1, hi=None):
        return events[rng.randint(lo, hi or last) - 1]

    def edit(rng):
        e = pick(rng)
        data = dict(e.data or {}, **{rng.choice(["agency", "text", "badge", "outcome"]): "x"})
        sql("UPDATE desk_event SET data = %s WHERE id = %s", [json.dumps(data), e.pk])

    def edit_header(rng):
        e = pick(rng)
        column, value = rng.choice(
            [("kind", "note" if e.kind != "note" else "left"), ("actor_id", None),
             ("at", e.at - timedelta(minutes=rng.randint(1, 600))), ("ref", "x")]
        )  # fmt: skip
        if column == "actor_id" and e.actor_id is None:
            column, value = "kind", "note" if e.kind != "note" else "left"
        sql(f"UPDATE desk_event SET {column} = %s WHERE id = %s", [value, e.pk])  # noqa: S608

    def delete(rng):
        sql("DELETE FROM desk_event WHERE id = %s", [pick(rng).pk])

    def truncate(rng):
        sql("DELETE FROM desk_event WHERE library_id = %s AND seq > %s",
            [library.pk, last - rng.randint(1, 50)])  # fmt: skip

    def truncate_and_fix_head(rng):
        keep = events[last - rng.randint(1, 50) - 1]
        sql("DELETE FROM desk_event WHERE library_id = %s AND seq > %s", [library.pk, keep.seq])
        Chain.objects.filter(library=library).update(seq=keep.seq, head=keep.hash)

    def reorder(rng):
        a, b = pick(rng, hi=last - 1), None
        b = events[a.seq]  # the next one
        big = 10**12
        sql("UPDATE desk_event SET seq = %s WHERE id = %s", [big, a.pk])
        sql("UPDATE desk_event SET seq = %s WHERE id = %s", [a.seq, b.pk])
        sql("UPDATE desk_event SET seq = %s WHERE id = %s", [b.seq, a.pk])

    def insert(rng):
        """A new event linked to the head, the head moved on: a perfect forged append."""
        head = Chain.objects.get(library=library)
        forged = ledger.seal(
            library=library.pk, seq=head.seq + 1, at=events[-1].at, kind="note", encounter=None,
            ref="", actor=None, data={"text": "nothing was taken"}, prev_hash=head.head,
        )  # fmt: skip
        Event.objects.create(
            library=library, seq=forged.seq, at=events[-1].at, kind="note", data=forged.data,
            content_hash=forged.content_hash, prev_hash=forged.prev_hash, hash=forged.hash,
            mac=events[-1].mac,
        )  # fmt: skip
        Chain.objects.filter(library=library).update(seq=forged.seq, head=forged.hash)

    def swap_content(rng):
        while True:
            a, b = pick(rng), pick(rng)
            if a.content_hash != b.content_hash:
                break
        for x, y in ((a, b), (b, a)):
            sql("UPDATE desk_event SET data = %s, content_hash = %s WHERE id = %s",
                [json.dumps(y.data), y.content_hash, x.pk])  # fmt: skip

    def fake_purge(rng):
        e = pick(rng)
        sql("UPDATE desk_event SET data = NULL, purged_at = %s WHERE id = %s", [e.at, e.pk])

    def rewrite(rng, with_keys=False, hi=None):
        start = pick(rng, hi=hi)
        prev = events[start.seq - 2].hash if start.seq > 1 else ledger.GENESIS
        for e in events[start.seq - 1 :]:
            data = dict(e.data or {}, forged=True) if e.seq == start.seq else e.data
            f = ledger.seal(
                library=e.library_id, seq=e.seq, at=e.at, kind=e.kind, encounter=e.encounter_id,
                ref=e.ref, actor=e.actor_id, data=data, prev_hash=prev,
            )  # fmt: skip
            mac = chain.event_mac(library.pk, f.hash) if with_keys else e.mac
            sql("UPDATE desk_event SET data = %s, content_hash = %s, prev_hash = %s, hash = %s, "
                "mac = %s WHERE id = %s",
                [json.dumps(data), f.content_hash, f.prev_hash, f.hash, mac, e.pk])  # fmt: skip
            prev = f.hash
        head = Chain.objects.get(library=library)
        mac = chain.head_mac(library.pk, head.seq, prev) if with_keys else head.mac
        Chain.objects.filter(library=library).update(head=prev, mac=mac)

    def rewrite_with_keys(rng):
        rewrite(rng, with_keys=True, hi=mailed_seq)
        Checkpoint.objects.filter(library=library).delete()

    def edit_checkpoint(rng):
        cp = rng.choice(list(Checkpoint.objects.filter(library=library)))
        column, value = rng.choice([("head", "0" * 64), ("seq", cp.seq - 1), ("at", "2020")])
        Checkpoint.objects.filter(pk=cp.pk).update(**{column: value})

    return {
        f.__name__: f
        for f in (edit, edit_header, delete, truncate, truncate_and_fix_head, reorder, insert,
                  swap_content, fake_purge, rewrite, rewrite_with_keys, edit_checkpoint)
    }  # fmt: skip


def triggers_off():
    from django.db import connection

    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute("SET LOCAL session_replication_role = replica")
        else:
            c.execute("DROP TRIGGER desk_event_append_only_update")
            c.execute("DROP TRIGGER desk_event_append_only_delete")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--encounters", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="pstamper-"))
    os.environ.update(prepare(args.postgres, tmp, name="pstamper"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "patronshield.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from patronshield.desk import chain
    from patronshield.desk.models import Checkpoint, Event

    call_command("migrate", verbosity=0)
    library = build(args.encounters)
    mailed = chain.as_ledger(Checkpoint.objects.filter(library=library).latest("pk"))
    assert chain.verify_library(library.pk, [mailed]).ok
    events = Event.objects.filter(library=library).count()
    checkpoints = Checkpoint.objects.count()
    print(f"{library.name}: {args.encounters} encounters, {events} events, {checkpoints} "
          f"checkpoints; mailed copy at event {mailed.seq}")  # fmt: skip
    kinds = alterations(library, mailed.seq)
    rng = random.Random(args.seed)
    tried, caught = Counter(), Counter()
    t0 = time.monotonic()
    for _ in range(args.n):
        name = rng.choice(sorted(kinds))
        tried[name] += 1
        try:
            with transaction.atomic():
                triggers_off()
                kinds[name](rng)
                report = chain.verify_library(library.pk, [mailed])
                caught[name] += not report.ok
                raise Rollback
        except Rollback:
            pass
    seconds = time.monotonic() - t0
    assert chain.verify_library(library.pk, [mailed]).ok  # every alteration was rolled back
    db = "PostgreSQL" if args.postgres else "SQLite"
    total = sum(caught.values())
    print(f"{db}: {args.n} random alterations, {total} detected ({100 * total / args.n:.1f} %)")
    for name in sorted(tried):
        print(f"  {name:24} {caught[name]:4} / {tried[name]:4}")
    print(f"  {seconds / args.n * 1000:.0f} ms per alteration and full verification")


if __name__ == "__main__":
    main()

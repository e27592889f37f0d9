"""Durability of the incident log under crashes.

8 writer processes append events through the service layer (`chain.event_append`, one
transaction each) while all of them are killed with SIGKILL at a random moment, 50 times;
then they run on until at least 2,000 events are in. A writer prints an event's number only
after its transaction committed: that is an acknowledged event. After each kill the log is
checked: every acknowledged event must be there with the same hash, and the chain must
verify. Prints acknowledged events lost (goal 0), chains broken (goal 0), events per second.

    .venv/bin/python bench/durability.py                 # SQLite (a file in a temp folder)
    .venv/bin/python bench/durability.py --postgres      # PostgreSQL (database psbench)
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WRITERS = 8
KILLS = 50
TARGET = 2000
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_URL = "postgres://postgres@127.0.0.1:5432/psbench"


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "patronshield.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def writer(library_id: int, limit: float) -> None:
    """Append events until killed (or for `limit` seconds); print each one committed."""
    setup_django()
    from patronshield.desk.chain import event_append

    print("ready", flush=True)
    end = time.monotonic() + limit
    n = 0
    while time.monotonic() < end:
        n += 1
        e = event_append(
            library=library_id, kind="note", data={"text": f"writer {os.getpid()} #{n}"}
        )
        print(f"ack {e.seq} {e.hash}", flush=True)


def prepare(postgres: bool, tmp: Path, name: str = "psbench") -> dict:
    """A fresh database: a SQLite file in `tmp`, or the PostgreSQL database `name`."""
    env = dict(os.environ, PATRONSHIELD_VAR_DIR=str(tmp))
    if postgres:
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as c:
            c.execute(f"DROP DATABASE IF EXISTS {name}")
            c.execute(f"CREATE DATABASE {name}")
        env["DATABASE_URL"] = PG_URL.rsplit("/", 1)[0] + "/" + name
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    env.setdefault("PATRONSHIELD_DATA_KEYS", "")
    return env


def run_writers(env: dict, library_id: int, kill_after: float | None, acks: dict) -> float:
    """Start the writers, kill them all `kill_after` seconds after they are all ready (or
    once the target is reached); returns the seconds they were writing."""
    procs = [
        subprocess.Popen(
            [sys.executable, __file__, "--writer", str(library_id), "--limit", "600"],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        for _ in range(WRITERS)
    ]
    ready = threading.Barrier(WRITERS + 1)

    def read(p):
        first = True
        for line in p.stdout:
            if line.startswith("ready") and first:
                first = False
                ready.wait()
            elif line.startswith("ack "):
                _, seq, digest = line.split()
                acks[int(seq)] = digest

    threads = [threading.Thread(target=read, args=(p,), daemon=True) for p in procs]
    for t in threads:
        t.start()
    ready.wait(timeout=60)
    started = time.monotonic()
    if kill_after is None:
        while len(acks) < TARGET:
            time.sleep(0.05)
        kill_after = 0
    time.sleep(kill_after)
    for p in procs:
        os.killpg(p.pid, signal.SIGKILL)
    writing = time.monotonic() - started
    for p in procs:
        p.wait()
    for t in threads:
        t.join(timeout=5)
    return writing


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--writer", type=int)
    parser.add_argument("--limit", type=float, default=600)
    parser.add_argument("--kills", type=int, default=KILLS)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.writer:
        return writer(args.writer, args.limit)

    random.seed(args.seed)
    tmp = Path(tempfile.mkdtemp(prefix="psdurability-"))
    env = prepare(args.postgres, tmp)
    os.environ.update(env)
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from patronshield.desk.chain import verify_library
    from patronshield.desk.models import Event
    from patronshield.libraries.models import Library

    library = Library.objects.create(name="Bench Library", slug="bench", state="MI")
    # Every writer uses the same data key: make it once, before they start.
    from patronshield import crypto

    if not os.environ.get("PATRONSHIELD_DATA_KEYS"):
        crypto.keyring()
        env["PATRONSHIELD_DATA_KEYS"] = (tmp / "data_keys").read_text().strip()

    acks: dict[int, str] = {}
    lost = broken = 0
    busy = 0.0
    for i in range(args.kills + 1):
        final = i == args.kills
        if final and len(acks) >= TARGET:
            break
        before = len(acks)
        busy += run_writers(env, library.pk, None if final else random.uniform(0.05, 1.5), acks)
        stored = dict(Event.objects.filter(library=library).values_list("seq", "hash"))
        missing = [s for s, h in acks.items() if stored.get(s) != h]
        lost += len(missing)
        report = verify_library(library.pk)
        broken += not report.ok
        if missing or not report.ok:
            print(f"  round {i + 1}: lost {missing[:5]}, problems {report.problems[:3]}")
        if (i + 1) % 10 == 0 or final:
            print(f"  after {i + 1} rounds: {len(acks)} acknowledged (+{len(acks) - before})")
    total = Event.objects.filter(library=library).count()
    db = "PostgreSQL" if args.postgres else "SQLite"
    print(f"{db}: {args.kills} SIGKILLs of {WRITERS} writers")
    print(f"  events acknowledged: {len(acks)}; in the log: {total}")
    print(f"  acknowledged events lost: {lost}")
    print(f"  chains broken: {broken} (verified after every kill)")
    print(f"  events per second (8 writers, while running): {total / busy:.0f}")


if __name__ == "__main__":
    main()

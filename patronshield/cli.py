"""The `patronshield` command.

`decide` and `law` answer from the policy engine alone, without booting the web application.
Everything else hands over to Django.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

USAGE = """usage: patronshield COMMAND [ARGS]

commands:
  serve [--host H] [--port P]   migrate, then serve the app (default 127.0.0.1:8000) with
                                the background worker, the sweep and the daily job
  seed-demo                     create the demo library and print its logins
  decide [--library SLUG]       a scenario as JSON on stdin -> the decision as JSON
         [--ndjson [FILE]]      one scenario per line -> one decision per line, streamed
  check-document [--json] [--library SLUG] FILE [FILE ...]
                                what each photo or PDF is and what it allows here
  law [STATE]                   each state's library-records law as JSON (all, or one)
  device add NAME [--library SLUG] | device revoke NAME
                                silent-alert devices (prints the token once)
  verify-canary URL [--key HEX]  check a library's signed warrant canary (from anywhere)
  verify-log [--library SLUG] [--checkpoint FILE ...]
                                check the incident log's hash chains and checkpoints
  daily                         signed checkpoints, the retention purge, reminders
  user add EMAIL --role ROLE [--library SLUG]   (the password on stdin)
  user deactivate EMAIL         staff accounts
  backup PATH | restore PATH [--yes]
                                the whole database, encrypted with the data key
  rotate-keys                   re-encrypt everything under the current data key
  manage ARGS...                any Django management command
"""


LIBRARY_COLUMNS = ("name", "address", "time_zone", "state")


def configured_library(slug: str | None = None) -> dict:
    """The configured library, read without booting Django: the one library in the embedded
    SQLite database (or the one named by --library); {} when there is none or several."""
    url = os.environ.get("DATABASE_URL", "")
    if url and not url.startswith("sqlite"):
        return {}
    var = Path(os.environ.get("PATRONSHIELD_VAR_DIR", Path(__file__).parent.parent / "var"))
    if url.startswith("sqlite:///"):
        path = Path(url.split("sqlite:///", 1)[1])
    else:
        path = var / "patronshield.sqlite3"
    if not path.exists():
        return {}
    query = "SELECT name, address, time_zone, state FROM libraries_library"
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=2) as db:
            if slug:
                rows = db.execute(query + " WHERE slug = ?", (slug,)).fetchall()
            else:
                rows = db.execute(query + " LIMIT 2").fetchall()
    except sqlite3.Error:
        return {}
    return dict(zip(LIBRARY_COLUMNS, rows[0], strict=True)) if len(rows) == 1 else {}


def configured_state(slug: str | None = None) -> str:
    """PATRONSHIELD_STATE, else the configured library's state, else Michigan."""
    if state := os.environ.get("PATRONSHIELD_STATE"):
        return state.upper()
    return configured_library(slug).get("state") or "MI"


def check_document(argv: list[str]) -> int:
    import argparse
    import json

    parser = argparse.ArgumentParser(
        prog="patronshield check-document",
        description="What each photo or PDF is, how sure, the words that show it, and what "
        "it allows under the configured library's policy (else Michigan's).",
    )
    parser.add_argument("--json", action="store_true", help="one JSON array, an object a file")
    parser.add_argument("--library", metavar="SLUG")
    parser.add_argument("files", nargs="+", metavar="FILE")
    args = parser.parse_args(argv)

    from patronshield.checker import LibraryContext, check_path

    library = {k: v for k, v in configured_library(args.library).items() if v}
    library["state"] = configured_state(args.library)
    context = LibraryContext(**library)
    results = [check_path(f, context=context).as_dict() for f in args.files]
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return 0
    for r in results:
        print(f"{r['file']}: {r['kind']} (confidence {r['confidence']:.2f})")
        if r.get("error"):
            print(f"  cannot read: {r['error']}")
            continue
        if r["form"] or r["signed_by"]:
            print(f"  form: {r['form'] or '-'}; signed by: {r['signed_by'] or '-'}")
        for s in r["signals"]:
            print(f"  signal {s['signal']}: {s['evidence']!r}")
        for part, found in r["commands"].items():
            print(f"  {part.replace('_', ' ')}: {found['value']!r}")
        for c in r["checks"]:
            print(f"  check {c['check']}: {c['result']} {c['evidence']!r}")
        if r["defects"]:
            print(f"  does not hold here: {', '.join(r['defects'])}")
        allows = [k for k, v in r["authorizes"].items() if v] or ["nothing the policy protects"]
        print(f"  allows here: {', '.join(allows)}")
        if r["needs_human_review"]:
            print("  a person must confirm this with the checklist")
    return 0


def django_main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "patronshield.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["patronshield", *argv])
    return 0


# The web server's options, shared by `serve` and bench/http_load.py (which measures with them).
THREADS = 4


def gunicorn_command(
    host: str,
    port: int,
    *,
    workers: int = 2,
    threads: int = THREADS,
    app: str = "patronshield.wsgi",
) -> list[str]:
    """gunicorn with `workers` processes of `threads` threads. No access log: the public
    pages promise to log nothing about their visitors, and a line holds their address."""
    bin_dir = Path(sys.executable).parent
    return [
        str(bin_dir / "gunicorn"),
        app,
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--timeout",
        "120",  # the document checker reads a page in about a second
    ]


def serve(argv: list[str]) -> int:
    """The embedded default: the web server, the worker of the configured task backend, the
    sweep and the daily job together. It does not start if the worker cannot run: an alert
    must never wait on a worker that is not there. In production run them separately
    (gunicorn patronshield.wsgi; the worker command in README.md; manage sweep --every 10)."""
    import argparse
    import signal
    import subprocess
    import time

    parser = argparse.ArgumentParser(prog="patronshield serve")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-worker", action="store_true", help="web server only")
    args = parser.parse_args(argv)
    django_main(["migrate", "--noinput", "--verbosity", "0"])
    django_main(["collectstatic", "--noinput", "--verbosity", "0"])
    from django.db import connections
    from django.utils import timezone

    from patronshield.notifications import health

    if not args.no_worker:
        try:
            health.check_queue()
            command = health.worker_command()
        except health.WorkerUnavailable as e:
            print(f"patronshield serve: {e}: alerts would wait. Not starting.", file=sys.stderr)
            return 1
    django_main(["notifications_recover"])

    bin_dir = Path(sys.executable).parent
    ps = str(bin_dir / "patronshield")
    children = []

    def stop(*_):
        for child in children:
            if child.poll() is None:
                child.terminate()

    def wait_all():
        stop()
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()

    if not args.no_worker:
        asked = timezone.now()
        health.ask(force=True)
        connections.close_all()
        worker = subprocess.Popen([ps, *command])  # noqa: S603
        children.append(worker)
        deadline = time.monotonic() + 60
        while not health.heard_since(asked):
            if worker.poll() is not None or time.monotonic() > deadline:
                why = "ran no task in 60 s"
                if worker.returncode is not None:
                    why = f"stopped (exit {worker.returncode})"
                wait_all()
                print(
                    f"patronshield serve: the background worker ({command[1]}) {why}: alerts "
                    "would wait. Not starting.",
                    file=sys.stderr,
                )
                return 1
            time.sleep(0.1)
        connections.close_all()
        children.append(subprocess.Popen([ps, "manage", "daily", "--every", "3600"]))  # noqa: S603
        children.append(subprocess.Popen([ps, "manage", "sweep", "--every", "10"]))  # noqa: S603
    web = subprocess.Popen(gunicorn_command(args.host, args.port, workers=args.workers))  # noqa: S603
    children.append(web)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        status = web.wait()
    finally:
        wait_all()
    return status


def main(argv: list[str] | None = None) -> int:
    os.umask(0o077)  # before anything is written: the database, keys, cache, backups
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(USAGE)
        return 0
    command, rest = argv[0], argv[1:]
    if command == "decide":
        from patronshield.policy import cli as decide_cli

        slug = None
        if rest[:1] == ["--library"] and len(rest) >= 2:
            slug, rest = rest[1], rest[2:]
        return decide_cli.main(rest, default_state=configured_state(slug))
    if command == "law":
        from patronshield.policy import law

        return law.main(rest)
    if command == "check-document":
        return check_document(rest)
    if command == "verify-canary":
        from patronshield.ledger import canary

        return canary.main(rest)
    if command == "serve":
        return serve(rest)
    if command == "device":
        return django_main(["device", *rest])
    if command == "seed-demo":
        django_main(["migrate", "--noinput", "--verbosity", "0"])
        return django_main(["seed_demo", *rest])
    if command in ("verify-log", "daily", "user", "backup", "restore", "rotate-keys"):
        return django_main([command.replace("-", "_"), *rest])
    if command == "manage":
        return django_main(rest)
    print(f"patronshield: unknown command {command!r}\n\n{USAGE}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())

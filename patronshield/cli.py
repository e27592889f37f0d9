"""The `patronshield` command.

`decide` answers from the policy engine alone, without booting the web application.
Everything else hands over to Django.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

USAGE = """usage: patronshield COMMAND [ARGS]

commands:
  serve [--host H] [--port P]   migrate, then serve the app (default 127.0.0.1:8000)
  seed-demo                     create the demo library and print its logins
  decide [--library SLUG]       a scenario as JSON on stdin -> the decision as JSON
  manage ARGS...                any Django management command
"""


def configured_state(slug: str | None = None) -> str:
    """The state of the configured library: PATRONSHIELD_STATE, else the one library in
    the embedded SQLite database (or the one named by --library), else Michigan."""
    if state := os.environ.get("PATRONSHIELD_STATE"):
        return state.upper()
    url = os.environ.get("DATABASE_URL", "")
    if url and not url.startswith("sqlite"):
        return "MI"
    var = Path(os.environ.get("PATRONSHIELD_VAR_DIR", Path(__file__).parent.parent / "var"))
    path = (
        url.split("sqlite:///", 1)[1]
        if url.startswith("sqlite:///")
        else var / "patronshield.sqlite3"
    )
    if not Path(path).exists():
        return "MI"
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=2) as db:
            if slug:
                rows = db.execute("SELECT state FROM libraries_library WHERE slug = ?", (slug,))
            else:
                rows = db.execute("SELECT state FROM libraries_library LIMIT 2")
            states = [r[0] for r in rows]
    except sqlite3.Error:
        return "MI"
    return states[0] if len(states) == 1 else "MI"


def django_main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "patronshield.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["patronshield", *argv])
    return 0


def serve(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="patronshield serve")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    django_main(["migrate", "--noinput", "--verbosity", "0"])
    django_main(["collectstatic", "--noinput", "--verbosity", "0"])
    gunicorn = Path(sys.executable).with_name("gunicorn")
    os.execv(  # noqa: S606 - replaces this process with gunicorn, no shell
        gunicorn,
        [
            str(gunicorn),
            "patronshield.wsgi",
            "--bind",
            f"{args.host}:{args.port}",
            "--workers",
            str(args.workers),
            "--threads",
            "4",
            "--access-logfile",
            "-",
        ],
    )
    return 0  # not reached


def main(argv: list[str] | None = None) -> int:
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
    if command == "serve":
        return serve(rest)
    if command == "seed-demo":
        return django_main(["seed_demo", *rest])
    if command == "manage":
        return django_main(rest)
    print(f"patronshield: unknown command {command!r}\n\n{USAGE}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())

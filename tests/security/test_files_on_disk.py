"""Point 4 of issue 14: another account on the same machine reads nothing of ours.

Each test runs the real `patronshield` command in a child process started with the usual
umask 022 (what a shell or a service manager gives), on its own var/ directory, then looks
at the permissions another local user would meet: var/ must be 0700 and every file in it
0600 (the SQLite database and its -wal and -shm, the keys, the cache), backups too, also
after a restore, and an install left readable by an older version is tightened on start.
"""

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent / "patronshield"
HOLD_OPEN = """
import sys
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from patronshield import crypto
SessionStore().create()        # a write: the database's -wal and -shm exist while open
cache.set("greeting", "hello")  # a file in the cache directory
crypto.encrypt(b"page", "test")  # the data key, generated into var/data_keys
print("ready", flush=True)
sys.stdin.read()
"""


def environment(var: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "PATRONSHIELD_DATA_KEYS",
                        "PATRONSHIELD_DATA_KEYS_FILE", "DJANGO_ALLOW_ASYNC_UNSAFE")}  # fmt: skip
    return dict(env, PATRONSHIELD_VAR_DIR=str(var), **extra)


def patronshield(var: Path, *args: str, **extra) -> str:
    r = subprocess.run(
        [str(BIN), *args], env=environment(var, **extra), umask=0o022,
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert r.returncode == 0, r.stdout + r.stderr
    return r.stdout


def readable_by_others(root: Path) -> dict[str, str]:
    """Every path under root (root included) whose mode is not 0600 (files) or 0700
    (directories), with its mode: what another local account could read or list."""
    found = {}
    for path in [root, *root.rglob("*")]:
        mode = path.lstat().st_mode
        wanted = 0o700 if stat.S_ISDIR(mode) else 0o600
        if stat.S_IMODE(mode) != wanted:
            found[str(path.relative_to(root.parent))] = oct(stat.S_IMODE(mode))
    return found


def test_it_refuses_other_accounts_the_database_keys_cache_and_backups(tmp_path):
    var = tmp_path / "var"
    patronshield(var, "manage", "migrate", "--noinput", "--verbosity", "0")
    running = subprocess.Popen(
        [str(BIN), "manage", "shell", "--no-imports", "--command", HOLD_OPEN], env=environment(var),
        umask=0o022, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert running.stdout.readline().strip() == "ready"
        names = {p.name for p in var.rglob("*")}
        assert {"patronshield.sqlite3-wal", "patronshield.sqlite3-shm"} <= names
        assert {"secret_key", "data_keys", "cache"} <= names
        assert any(p.suffix == ".djcache" for p in (var / "cache").iterdir())
        assert readable_by_others(var) == {}  # while the app runs, -wal and -shm included
    finally:
        running.communicate("", timeout=60)
    assert running.returncode == 0

    backups = tmp_path / "backups"
    backups.mkdir(mode=0o700)
    patronshield(var, "backup", str(backups / "nightly.bin"))
    assert readable_by_others(backups) == {}

    # Restored onto a new machine: only the data key comes along; restore makes the database.
    keys = (var / "data_keys").read_text().strip()
    new = tmp_path / "new" / "var"
    patronshield(new, "restore", str(backups / "nightly.bin"), "--yes",
                 PATRONSHIELD_DATA_KEYS=keys)  # fmt: skip
    assert (new / "patronshield.sqlite3").exists()
    assert readable_by_others(new) == {}


def test_it_tightens_an_install_left_readable_by_others(tmp_path):
    """An install made before the umask: var/ 0755, the database and the key 0644."""
    var = tmp_path / "var"
    (var / "cache").mkdir(parents=True)
    (var / "static").mkdir()
    sqlite3.connect(var / "patronshield.sqlite3").close()
    (var / "secret_key").write_text("an old key that must stay secret, with enough length")
    (var / "cache" / "0123.djcache").write_bytes(b"cached")
    (var / "static" / "app.css").write_text("body {}")
    for path in [var, *var.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    assert readable_by_others(var)

    patronshield(var, "manage", "check")

    assert readable_by_others(var) == {}
    assert (var / "secret_key").read_text().startswith("an old key")  # kept, not replaced


def test_it_gives_gunicorn_workers_the_same_umask(tmp_path):
    """`gunicorn patronshield.wsgi` started by hand or by a service manager, not by
    `patronshield serve`: loading the application sets the umask before anything is written."""
    r = subprocess.run(
        [sys.executable, "-c", "import os, patronshield.wsgi; print(oct(os.umask(0)))"],
        env=environment(tmp_path / "var"), umask=0o022, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip
    assert r.stdout.strip() == "0o77", r.stderr

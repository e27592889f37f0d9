"""`patronshield serve` on PostgreSQL and Redis, as a library would run it: an alert reaches a
real SMTP server (aiosmtpd) through the RQ worker; with the worker killed, `/healthz` turns
503 and the sweep delivers the alert itself. Skipped only where PostgreSQL or Redis is not
running on this machine (CI has both)."""

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import Inbox, free_port

BIN = Path(sys.executable).parent
# A Redis database of its own: the test empties it.
REDIS = os.environ.get("CI_SERVE_REDIS_URL", "redis://127.0.0.1:6379/7")

pytestmark = [pytest.mark.redis, pytest.mark.postgres]

START = """
import time, django; django.setup()
from patronshield.libraries.demo import seed_demo
from patronshield.desk import services
from patronshield.accounts.models import User
seed_demo()
services.encounter_start(user=User.objects.get(email="desk@example.org"))
print(time.time())
"""


def reachable(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port or default_port), timeout=1):
            return True
    except OSError:
        return False


def postgres_server() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = os.environ.get("CI_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
    return url


@pytest.fixture
def postgres():
    """A database of its own on the PostgreSQL server, created and dropped here."""
    url = postgres_server()
    if not reachable(url, 5432):
        pytest.skip(f"PostgreSQL is not running at {urlsplit(url).hostname}")
    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'patronshield'}_serve"
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        db.execute(f'CREATE DATABASE "{name}"')
    yield parts._replace(path=f"/{name}").geturl()
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def redis_db():
    if not reachable(REDIS, 6379):
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    import redis

    redis.Redis.from_url(REDIS).flushdb()
    return REDIS


class TimedInbox(Inbox):
    async def handle_DATA(self, server, session, envelope):
        self.arrived = [*getattr(self, "arrived", []), time.time()]
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    inbox = TimedInbox()
    inbox.arrived = []
    inbox.port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    yield inbox
    controller.stop()


def healthz(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, json.load(e)
    except OSError:
        return None, None


def wait_for(what, check, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if value := check():
            return value
        time.sleep(0.2)
    raise AssertionError(f"{what}: not within {timeout} s")


def descendants(pid):
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    return [int(c) for c in children] + [d for c in children for d in descendants(int(c))]


def cmdline(pid):
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def test_serve_delivers_through_redis_and_the_sweep_covers_a_dead_worker(
    tmp_path, postgres, redis_db, smtp_server
):
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": postgres,
        "REDIS_URL": redis_db,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_server.port}",
        "PATRONSHIELD_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "patronshield.settings",
    }
    log = (tmp_path / "serve.log").open("w")
    serve = subprocess.Popen(
        [BIN / "patronshield", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, ended below whatever happens
    )

    def start_encounter():
        out = subprocess.run([sys.executable, "-c", START], env=env, capture_output=True, text=True)
        assert out.returncode == 0, out.stderr[-2000:]
        return float(out.stdout.split()[-1])

    try:
        wait_for("serve answers /healthz", lambda: healthz(port)[0], 240)
        code, body = healthz(port)
        assert code == 200 and body["status"] == "ok", body
        assert [p for p in descendants(serve.pid) if " rqworker " in cmdline(p)]

        # 1. The worker delivers at once.
        committed = start_encounter()
        wait_for("two alerts delivered", lambda: len(smtp_server.messages) >= 2, 30)
        print(f"\nserve + RQ worker: first alert at the SMTP server "
              f"{smtp_server.arrived[0] - committed:.2f} s after the tap, both in "
              f"{smtp_server.arrived[1] - committed:.2f} s")  # fmt: skip
        assert sorted(to[0] for to, _ in smtp_server.messages) == [
            "designee1@example.org",
            "director@example.org",
        ]

        # 2. The worker dies (its scheduler and work horse with it) and stays dead.
        worker = [p for p in descendants(serve.pid) if " rqworker " in cmdline(p)][0]
        for pid in [*descendants(worker), worker]:
            os.kill(pid, signal.SIGKILL)
        killed = time.time()
        wait_for(
            "the heartbeat goes stale",
            lambda: (healthz(port)[1]["worker"]["last_heartbeat_seconds"] or 0) > 30,
            90,
        )
        assert healthz(port)[0] == 200  # nothing waits: nothing is stuck yet

        # 3. An alert now waits on no worker: /healthz says so, the sweep sends it.
        committed = start_encounter()
        code, body = wait_for(
            "/healthz turns 503", lambda: (r := healthz(port))[0] == 503 and r, 10
        )
        assert body["status"] == "stuck" and body["queue"]["oldest_waiting_seconds"] is not None
        wait_for("the sweep delivers", lambda: len(smtp_server.messages) >= 4, 90)
        print(f"worker killed {committed - killed:.0f} s before the tap: the sweep delivered "
              f"in {smtp_server.arrived[3] - committed:.1f} s")  # fmt: skip
        code, body = wait_for("/healthz clears", lambda: (r := healthz(port))[0] == 200 and r, 20)
        assert body["queue"]["oldest_waiting_seconds"] is None
    finally:
        serve.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            serve.wait(timeout=20)
        with contextlib.suppress(ProcessLookupError):  # anything of it left behind
            os.killpg(serve.pid, signal.SIGKILL)
        log.close()
        print((tmp_path / "serve.log").read_text()[-3000:])


def test_serve_refuses_to_start_without_its_worker(tmp_path):
    """REDIS_URL names a server that is not there: serve says so and stops, rather than run
    a web server whose alerts nobody would send."""
    env = {
        **os.environ,
        "DATABASE_URL": "",
        "REDIS_URL": f"redis://127.0.0.1:{free_port()}/7",
        "PATRONSHIELD_VAR_DIR": str(tmp_path),
    }
    port = free_port()
    done = subprocess.run(
        [BIN / "patronshield", "serve", "--port", str(port)],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 1
    assert "cannot reach the Redis server named by REDIS_URL" in done.stderr
    assert "Not starting" in done.stderr
    assert healthz(port) == (None, None)

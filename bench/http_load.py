"""HTTP benchmark: the app served by gunicorn with the options of `patronshield serve`, beside a
bare Django "hello" view (bench/bare.py) served with the same options, loaded in the same run
with the same load: for the public rights page, a cached PDF and a desk question page (signed
in as the demo's desk worker), requests/s, p50, p99 and the ratio to the bare view's
requests/s. The bare view is measured first and last; the ratio is to the mean of the two.

    .venv/bin/python bench/http_load.py [--duration 10] [--connections 50] [--workers 2]
                                   [--threads 4] [--only public,pdf,desk] [--json FILE]

The load comes from `wrk` (Debian package `wrk`) when it is installed, else from a Python
asyncio client in this process. wrk is written in C and costs little; on a 2-core machine the
Python client takes a core of its own and is itself the limit for fast pages (the bare view
above all), so its ratios come out too high: install wrk for numbers that mean something.
Goals (issue 19): the public page >= 50 % of the bare view, p99 <= 100 ms; the desk page
>= 20 %, p99 <= 250 ms.
"""

# ruff: noqa: E402 (sys.path is set before the imports: see below)
from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path, and this file's name would hide
# the standard library's `http` package: the folder is left out, the project's root put in.
ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

import argparse
import asyncio
import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

GOALS = {"public": (0.50, 100.0), "desk": (0.20, 250.0)}  # ratio to bare, p99 in ms


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(env: dict) -> dict:
    """A fresh demo database in the bench's own var/ directory: the demo library, an
    encounter started by the desk worker, and that worker's session cookie."""
    os.environ.update(env)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from patronshield.accounts.models import User
    from patronshield.desk import services
    from patronshield.desk.steps import STEP_ORDER
    from patronshield.libraries.demo import seed_demo

    seed_demo()
    desk = User.objects.get(email="desk@example.org")
    encounter = services.encounter_start(user=desk)
    client = Client()
    client.force_login(desk)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    from django.db import connections

    connections.close_all()
    return {"desk_url": f"/desk/{encounter.pk}/{STEP_ORDER[0]}/", "cookie": cookie}


def start_server(app: str, port: int, env: dict, workers: int, threads: int, server: str):
    from patronshield.cli import gunicorn_command

    if server == "granian":
        command = [
            str(Path(sys.executable).parent / "granian"),
            "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port),
            "--workers", str(workers), "--blocking-threads", str(threads),
            app.replace(".wsgi", ".wsgi:application"),
        ]  # fmt: skip
    else:
        command = gunicorn_command("127.0.0.1", port, workers=workers, threads=threads, app=app)
    process = subprocess.Popen(  # noqa: S603
        command,
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{app}: the server stopped (exit {process.returncode})")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"{app}: the server did not start in 60 s")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect (to the sign-in page) is an answer to report, not to follow


OPENER = urllib.request.build_opener(NoRedirect)


def get(url: str, cookie: str = "") -> tuple[int, bytes, float]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    start = time.perf_counter()
    try:
        with OPENER.open(request, timeout=120) as response:
            body = response.read()
            status = response.status
    except urllib.error.HTTPError as e:
        body, status = e.read(), e.code
    return status, body, time.perf_counter() - start


# ------------------------------------------------------------------------------- load
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def wrk(url: str, cookie: str, duration: int, connections: int) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout  # noqa: S603
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])
    latency = {
        p: float(v) * UNITS[u]
        for p, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    }
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    errors += sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    return {"rps": rps, "p50": latency.get("50"), "p99": latency.get("99"), "errors": errors}


async def _python_load(url: str, cookie: str, duration: int, connections: int) -> dict:
    """50 keep-alive connections, each sending its next request when the last answer
    arrived (what wrk does), HTTP/1.1 with Content-Length or chunked answers."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    head = f"GET {parts.path}{'?' + parts.query if parts.query else ''} HTTP/1.1\r\n"
    head += f"Host: {parts.hostname}:{parts.port}\r\n"
    if cookie:
        head += f"Cookie: {cookie}\r\n"
    request = (head + "\r\n").encode()
    latencies: list[float] = []
    errors = 0
    end = time.perf_counter() + duration

    async def one():
        nonlocal errors
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        while time.perf_counter() < end:
            start = time.perf_counter()
            writer.write(request)
            status_line = await reader.readline()
            headers = {}
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                headers[name.strip().lower()] = value.strip()
            if "content-length" in headers:
                await reader.readexactly(int(headers["content-length"]))
            elif headers.get("transfer-encoding") == "chunked":
                while size := int((await reader.readline()).strip(), 16):
                    await reader.readexactly(size + 2)
                await reader.readline()
            latencies.append((time.perf_counter() - start) * 1000)
            if not status_line.split()[1].startswith((b"2", b"3")):
                errors += 1
            if headers.get("connection", "").lower() == "close":
                writer.close()
                reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(one() for _ in range(connections)))
    elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] if latencies else None

    return {"rps": len(latencies) / elapsed, "p50": pct(0.5), "p99": pct(0.99), "errors": errors}


def load(url: str, cookie: str, duration: int, connections: int) -> dict:
    if shutil.which("wrk"):
        return wrk(url, cookie, duration, connections)
    return asyncio.run(_python_load(url, cookie, duration, connections))


# ------------------------------------------------------------------------------- main
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per target")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=None, help="default: as `serve`")
    parser.add_argument("--server", choices=["gunicorn", "granian"], default="gunicorn")
    parser.add_argument("--only", help="comma-separated: public,pdf,desk (default: all)")
    parser.add_argument("--json", help="write the results here too")
    args = parser.parse_args()
    from patronshield.cli import THREADS

    threads = args.threads or THREADS
    tool = "wrk" if shutil.which("wrk") else "python asyncio client (may be the bottleneck)"

    with tempfile.TemporaryDirectory(prefix="patronshield-bench-") as var_dir:
        env = {
            "PATRONSHIELD_VAR_DIR": var_dir,
            "DJANGO_SETTINGS_MODULE": "patronshield.settings",
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        }
        state = prepare(env)
        app_port, bare_port = free_port(), free_port()
        servers = [
            start_server("patronshield.wsgi", app_port, env, args.workers, threads, args.server),
            start_server("bench.bare", bare_port, env, args.workers, threads, args.server),
        ]
        try:
            app = f"http://127.0.0.1:{app_port}"
            targets = {
                "public": (f"{app}/rights/es/", ""),
                "pdf": (f"{app}/rights/es/poster.pdf", ""),
                "desk": (app + state["desk_url"], state["cookie"]),
            }
            if args.only:
                targets = {k: v for k, v in targets.items() if k in args.only.split(",")}
            print(
                f"{args.server}: {args.workers} workers x {threads} threads; load: {tool}, "
                f"{args.connections} connections, {args.duration} s per target"
            )
            # The first request of each (a PDF renders here), then a few to warm each worker.
            first = {}
            for name, (url, cookie) in targets.items():
                status, body, seconds = get(url, cookie)
                if status != 200:
                    raise SystemExit(f"{name}: {url} answered {status}")
                first[name] = seconds
                for _ in range(2 * args.workers):
                    get(url, cookie)
            if "pdf" in targets:
                warm = min(get(targets["pdf"][0])[2] for _ in range(3))
                print(f"PDF {targets['pdf'][0]}: first request {first['pdf']:.2f} s, "
                      f"then {warm * 1000:.0f} ms")  # fmt: skip
            bare_url = f"http://127.0.0.1:{bare_port}/"
            load(bare_url, "", 2, args.connections)  # warm-up
            results = {"bare (first)": load(bare_url, "", args.duration, args.connections)}
            for name, (url, cookie) in targets.items():
                results[name] = load(url, cookie, args.duration, args.connections)
            results["bare (last)"] = load(bare_url, "", args.duration, args.connections)
        finally:
            for server in servers:
                server.terminate()
            for server in servers:
                server.wait(timeout=30)

    bare = (results["bare (first)"]["rps"] + results["bare (last)"]["rps"]) / 2
    print(
        f"{'target':14} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>7} {'errors':>7}  goal"
    )
    missed = []
    for name, r in results.items():
        r["ratio"] = r["rps"] / bare
        goal = ""
        if name in GOALS:
            ratio, p99 = GOALS[name]
            met = r["ratio"] >= ratio and (r["p99"] or 1e9) <= p99 and not r["errors"]
            goal = f"{ratio:.0%} and p99 <= {p99:.0f} ms: {'met' if met else 'MISSED'}"
            if not met:
                missed.append(name)
        print(
            f"{name:14} {r['rps']:9.0f} {r['p50'] or 0:8.1f} {r['p99'] or 0:8.1f} "
            f"{r['ratio']:7.1%} {r['errors']:7d}  {goal}"
        )
    if args.json:
        Path(args.json).write_text(json.dumps({"results": results, "first": first}, indent=2))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())

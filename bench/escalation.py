"""Escalation benchmark: the real app (gunicorn + task worker, SQLite under a temporary
var/), a real SMTP server (aiosmtpd) and a webhook receiver on loopback; 100 silent alerts
through /api/alert. Prints p50/p95 seconds from the alert request to the message accepted
by the SMTP server and by the webhook, delivered/expected, and how late re-escalation is
after the library's delay. Goals: p95 <= 2 s, 100% delivered, re-escalation within 2 s.

    .venv/bin/python bench/escalation.py [--alerts 100] [--delay 15]
"""

from __future__ import annotations

import argparse
import http.server
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))] if values else None


class Arrivals:
    def __init__(self):
        self.lock = threading.Lock()
        self.at = {}  # idempotency key -> arrival time

    def add(self, key):
        with self.lock:
            self.at.setdefault(key, time.monotonic())


def start_smtp(arrivals: Arrivals, port: int):
    import logging

    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            for line in envelope.content.decode("utf-8", "replace").splitlines():
                if line.lower().startswith("x-patronshield-key:"):
                    arrivals.add("mail:" + line.split(":", 1)[1].strip())
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    return controller


def start_webhook(arrivals: Arrivals, port: int):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            arrivals.add("hook:" + self.headers.get("Idempotency-Key", ""))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--alerts", type=int, default=100)
    parser.add_argument("--delay", type=int, default=15, help="re-escalation delay, seconds")
    args = parser.parse_args()

    var = Path(tempfile.mkdtemp(prefix="ps-bench-"))
    smtp_port, hook_port, web_port = free_port(), free_port(), free_port()
    env = {
        **os.environ,
        "PATRONSHIELD_VAR_DIR": str(var),
        "DATABASE_URL": "",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "SITE_URL": f"http://127.0.0.1:{web_port}",
        "DJANGO_SETTINGS_MODULE": "patronshield.settings",
    }
    os.environ.update(env)
    subprocess.run(
        [BIN / "patronshield", "seed-demo", "--quiet-logins"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )

    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import hashlib

    from patronshield.libraries.models import Library
    from patronshield.notifications.models import Device

    library = Library.objects.get(slug="ecorse")
    library.reescalation_seconds = args.delay
    library.save()
    library.contacts.update(webhook_url=f"http://127.0.0.1:{hook_port}/hook")
    token = secrets.token_urlsafe(32)
    Device.objects.create(
        library=library,
        branch=library.branches.first(),
        name="bench",
        token_hash=hashlib.sha256(token.encode()).hexdigest(),
    )
    first_wave = list(library.contacts.order_by("position")[:2].values_list("pk", flat=True))
    second = library.contacts.order_by("position")[2].pk

    arrivals = Arrivals()
    smtp = start_smtp(arrivals, smtp_port)
    hook = start_webhook(arrivals, hook_port)
    server = subprocess.Popen(
        [BIN / "patronshield", "serve", "--port", str(web_port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{web_port}/login/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        sent_at = {}
        for i in range(args.alerts):
            request = urllib.request.Request(
                f"http://127.0.0.1:{web_port}/api/alert",
                data=json.dumps({"agency": "ice", "request": "enter_nonpublic_area"}).encode(),
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
                method="POST",
            )
            t0 = time.monotonic()
            with urllib.request.urlopen(request, timeout=10) as r:
                sent_at[json.load(r)["id"]] = t0
            if i % 10 == 9:
                time.sleep(0.5)  # a burst of alerts, not a flood

        expected = {
            f"{kind}:e{e}-c{c}-{ch}-w1": e
            for e in sent_at
            for c in first_wave
            for kind, ch in (("mail", "email"), ("hook", "webhook"))
        }
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not all(k in arrivals.at for k in expected):
            time.sleep(0.1)
        mail = [
            arrivals.at[k] - sent_at[e]
            for k, e in expected.items()
            if k.startswith("mail:") and k in arrivals.at
        ]
        hooks = [
            arrivals.at[k] - sent_at[e]
            for k, e in expected.items()
            if k.startswith("hook:") and k in arrivals.at
        ]
        delivered = sum(1 for k in expected if k in arrivals.at)

        wave2 = {f"mail:e{e}-c{second}-email-w2": e for e in sent_at}
        deadline = time.monotonic() + args.delay + 30
        while time.monotonic() < deadline and not all(k in arrivals.at for k in wave2):
            time.sleep(0.1)
        late = [
            arrivals.at[k] - sent_at[e] - args.delay for k, e in wave2.items() if k in arrivals.at
        ]
    finally:
        server.terminate()
        server.wait(timeout=20)
        smtp.stop()
        hook.shutdown()

    print(f"alerts: {args.alerts}   re-escalation delay: {args.delay} s")
    print(
        f"e-mail  alert -> accepted by SMTP: p50 {pct(mail, 0.5):.3f} s  "
        f"p95 {pct(mail, 0.95):.3f} s  max {max(mail):.3f} s  (goal p95 <= 2 s)"
    )
    print(
        f"webhook alert -> received:         p50 {pct(hooks, 0.5):.3f} s  "
        f"p95 {pct(hooks, 0.95):.3f} s  max {max(hooks):.3f} s  (goal p95 <= 2 s)"
    )
    print(
        f"delivered: {delivered} of {len(expected)} "
        f"({100 * delivered / len(expected):.1f}%, goal 100%)"
    )
    if late:
        print(
            f"re-escalation after the delay: p50 +{pct(late, 0.5):.3f} s  "
            f"p95 +{pct(late, 0.95):.3f} s  max +{max(late):.3f} s  "
            f"({len(late)} of {len(wave2)} encounters; goal within 2 s)"
        )
    else:
        print("re-escalation: none observed")


if __name__ == "__main__":
    main()

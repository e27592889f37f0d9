"""The documented front server, run for real: Debian's nginx with `deploy/nginx.conf` (the
very file docs/deploy.md tells a library to install) and a self-signed certificate, in
front of `patronshield serve` set up as `deploy/patronshield.service` sets it up. Checked
through nginx: plain HTTP is sent to HTTPS, HSTS, static files, uploads at the size limit,
the client address django-axes records, and the SITE_URL of the link in a real alert.
Skipped, saying why, where nginx is not installed (script/bootstrap --test installs it)."""

import contextlib
import datetime as dt
import email
import email.policy
import http.cookiejar
import os
import re
import shutil
import sqlite3
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.conftest import free_port
from tests.test_serve_worker import descendants, healthz, smtp_server, wait_for

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
__all__ = ["smtp_server"]  # the real SMTP server fixture, shared


def self_signed(directory: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .sign(key, hashes.SHA256())
    )
    crt, pem = directory / "cert.pem", directory / "key.pem"
    crt.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    pem.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return crt, pem


def nginx_config(tmp: Path, *, http: int, https: int, app: int) -> Path:
    """deploy/nginx.conf with this test's ports, certificate and host, inside the few lines of
    nginx.conf Debian's package provides (events, http, mime types, temporary files)."""
    crt, pem = self_signed(tmp)
    site = (ROOT / "deploy" / "nginx.conf").read_text()
    for old, new in [
        ("listen 80;", f"listen 127.0.0.1:{http};"),
        ("listen [::]:80;", ""),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https} ssl http2;"),
        ("listen [::]:443 ssl http2;", ""),
        ("https://$host$request_uri", f"https://$host:{https}$request_uri"),
        ("patronshield.example.org;", "localhost;"),
        ("/etc/letsencrypt/live/patronshield.example.org/fullchain.pem", str(crt)),
        ("/etc/letsencrypt/live/patronshield.example.org/privkey.pem", str(pem)),
        ("127.0.0.1:8000", f"127.0.0.1:{app}"),
    ]:
        assert old in site, f"deploy/nginx.conf no longer says {old!r}: update this test"
        site = site.replace(old, new)
    (tmp / "site.conf").write_text(site)
    user = "user root;\n" if os.geteuid() == 0 else ""  # its temporary files are ours
    config = tmp / "nginx.conf"
    config.write_text(
        f"{user}worker_processes 1;\npid {tmp}/nginx.pid;\nerror_log {tmp}/error.log;\n"
        "events { worker_connections 64; }\n"
        "http {\n  include /etc/nginx/mime.types;\n"
        + "".join(
            f"  {what}_temp_path {tmp}/{what};\n"
            for what in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        + f"  include {tmp}/site.conf;\n}}\n"
    )
    return config


class Client:
    """A browser in miniature: cookies, no redirects followed, the test's certificate
    accepted, the Host header the certificate names."""

    def __init__(self, https: int):
        self.base = f"https://localhost:{https}"
        self.jar = http.cookiejar.CookieJar()
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=context),
            urllib.request.HTTPCookieProcessor(self.jar),
            NoRedirect,
        )

    def request(self, url, data=None, headers=None, content_type=None):
        url = url if url.startswith("http") else self.base + url
        request = urllib.request.Request(url, data=data, headers=headers or {})  # noqa: S310
        request.add_header("Referer", self.base + "/")
        if content_type:
            request.add_header("Content-Type", content_type)
        try:
            with self.opener.open(request, timeout=60) as r:
                return r.status, dict(r.headers), r.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read().decode("utf-8", "replace")

    def csrf(self, path):
        status, _headers, body = self.request(path)
        assert status == 200, (path, status)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)[1], body

    def post(self, path, fields, headers=None):
        token, _body = self.csrf(path)
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
        return self.request(path, data, headers, "application/x-www-form-urlencoded")

    def upload(self, path, field, name, content: bytes):
        token, _body = self.csrf("/")  # the upload view takes a POST only
        boundary = uuid.uuid4().hex
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"'
                f"\r\n\r\n{token}\r\n--{boundary}\r\nContent-Disposition: form-data; "
                f'name="{field}"; filename="{name}"\r\nContent-Type: image/jpeg\r\n\r\n'
            ).encode()
            + content
            + f"\r\n--{boundary}--\r\n".encode()
        )
        return self.request(path, body, None, f"multipart/form-data; boundary={boundary}")


@pytest.fixture
def front(tmp_path, smtp_server):
    """`patronshield serve` with the demo library, and nginx in front of it."""
    if not Path(NGINX).exists():
        pytest.skip("nginx is not installed: script/bootstrap --test installs Debian's nginx")
    app, http_port, https_port = free_port(), free_port(), free_port()
    env = {
        **os.environ,
        "PATRONSHIELD_VAR_DIR": str(tmp_path / "var"),
        "PATRONSHIELD_HTTPS": "1",
        "TRUSTED_PROXY_COUNT": "1",
        "SITE_URL": f"https://localhost:{https_port}",
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_server.port}",
        "DJANGO_SETTINGS_MODULE": "patronshield.settings",
    }
    env.pop("DATABASE_URL", None)  # the embedded default, in the test's own directory
    env.pop("REDIS_URL", None)
    subprocess.run(
        [BIN / "patronshield", "seed-demo", "--force-demo"],
        env=env,
        check=True,
        capture_output=True,
    )
    log = (tmp_path / "serve.log").open("w")
    serve = subprocess.Popen(
        [BIN / "patronshield", "serve", "--port", str(app), "--workers", "1"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    config = nginx_config(tmp_path, http=http_port, https=https_port, app=app)
    for what in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp_path / what).mkdir()
    nginx = None
    try:
        wait_for("serve answers /healthz", lambda: healthz(app)[0], 240)
        check = subprocess.run([NGINX, "-t", "-c", config], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        nginx = subprocess.Popen(
            [NGINX, "-c", config, "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        client = Client(https_port)
        wait_for("nginx answers", lambda: client.request("/healthz")[0] == 200, 30)
        yield {
            "client": client,
            "http": http_port,
            "https": https_port,
            "db": tmp_path / "var" / "patronshield.sqlite3",
            "inbox": smtp_server,
        }
    finally:
        if nginx:
            nginx.terminate()
            nginx.wait(timeout=10)
        for pid in [*descendants(serve.pid), serve.pid]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, 15)
        serve.wait(timeout=30)
        log.close()


def test_the_documented_nginx_in_front_of_the_app(front):
    client = front["client"]

    # Plain HTTP: sent to HTTPS, same host and path.
    request = urllib.request.Request(f"http://127.0.0.1:{front['http']}/login/?next=/")
    request.add_header("Host", "localhost")
    with pytest.raises(urllib.error.HTTPError) as redirect:
        urllib.request.build_opener(
            type(
                "NoRedirect",
                (urllib.request.HTTPRedirectHandler,),
                {"redirect_request": lambda *a, **k: None},
            )  # fmt: skip
        ).open(request, timeout=10)
    assert redirect.value.code == 301
    assert redirect.value.headers["Location"] == f"https://localhost:{front['https']}/login/?next=/"

    # HTTPS: the app knows it is behind HTTPS (no redirect loop) and sends HSTS.
    status, headers, body = client.request("/login/")
    assert status == 200, body[:500]
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "Secure" in headers["Set-Cookie"]

    # Static files, through nginx, from the app.
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', body)[1]
    status, headers, css = client.request(stylesheet)
    assert status == 200 and headers["Content-Type"].startswith("text/css") and css

    # A wrong password: django-axes records the address nginx saw, not the one the client
    # wrote into X-Forwarded-For itself.
    status, _h, _b = client.post(
        "/login/",
        {"login": "desk@example.org", "password": "not the password"},
        headers={"X-Forwarded-For": "203.0.113.9"},
    )
    assert status == 200
    with sqlite3.connect(front["db"]) as db:
        addresses = {row[0] for row in db.execute("SELECT ip_address FROM axes_accessattempt")}
    assert addresses == {"127.0.0.1"}, addresses

    # Signed in at the desk: the big button goes through nginx, and a real alert goes out.
    status, headers, _b = client.post(
        "/login/", {"login": "desk@example.org", "password": "ecorse-desk-demo"}
    )
    assert status == 302, status
    tapped = time.time()
    token, _home = client.csrf("/")
    status, headers, _b = client.request(
        "/desk/start/",
        urllib.parse.urlencode({"csrfmiddlewaretoken": token}).encode(),
        None,
        "application/x-www-form-urlencoded",
    )
    assert status == 302, status
    pk = re.search(r"/desk/(\d+)/", headers["Location"])[1]

    # The alert's "I'm on it" link is SITE_URL's, and it works through nginx.
    inbox = front["inbox"]

    def alert_email():
        for _to, raw in inbox.messages:
            message = email.message_from_string(raw, policy=email.policy.default)
            text = message.get_body(("plain",)).get_content()
            if "I'm on it (one tap)" in text:  # the e-mail, not a text message's
                return text
        return None

    text = wait_for("an alert e-mail at the SMTP server", alert_email, 60)
    print(
        f"\nthrough nginx: an alert e-mail reached SMTP {time.time() - tapped:.2f} s after the tap"
    )
    link = re.search(r"I'm on it \(one tap\): (\S+)", text)[1]
    assert link.startswith(f"https://localhost:{front['https']}/ack/"), link
    assert f"https://localhost:{front['https']}/desk/{pk}/" in text
    status, _h, page = client.request(link)
    assert status == 200 and "<form" in page

    # Uploads at the size limit: just under the app's 30 MB reaches the app (not nginx's
    # 413); just over gets the app's own words; far over, nginx refuses it.
    check = f"/desk/{pk}/check/"
    status, _h, page = client.upload(check, "pages", "under.jpg", b"\xff" * (29 * 1_048_576))
    assert status != 413 and "nginx" not in page
    status, _h, page = client.upload(check, "pages", "over.jpg", b"\xff" * (31 * 1_048_576))
    assert status != 413 and "is too large (the limit is 30 MB)" in page, page[:300]
    status, _h, page = client.upload(check, "pages", "huge.jpg", b"\xff" * (70 * 1_048_576))
    assert status == 413

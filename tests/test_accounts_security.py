"""Sessions, login throttling and security headers: what a shared desk, a weak password
or a stolen laptop meets."""

import time

import pytest
from django.urls import reverse

from patronshield.accounts.middleware import SessionLimitsMiddleware as Limits
from tests.conftest import reauthenticate

PASSWORD = "correct horse battery staple"


def sign_in(client, email, password=PASSWORD, ip="10.0.0.1"):
    return client.post(reverse("login"), {"login": email, "password": password}, REMOTE_ADDR=ip)


# ---------------------------------------------------------------------------- headers


@pytest.mark.parametrize("path", ["/", "/desk/start/", "/login/", "/admin/login/"])
def test_every_response_carries_the_security_headers(client, people, path):
    client.force_login(people["director"])
    r = client.get(path)
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Referrer-Policy"] == "same-origin"
    assert r["X-Frame-Options"] == "DENY"
    csp = r["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert "http" not in csp.replace("https:", "")  # no other origin
    assert "geolocation=()" in r["Permissions-Policy"]


def test_the_camera_is_allowed_only_on_the_desk_pages(client, people):
    client.force_login(people["desk"])
    assert "camera=()" in client.get("/")["Permissions-Policy"]
    client.post(reverse("desk:start"))
    r = client.get("/desk/1/document/")
    assert "camera=(self)" in r["Permissions-Policy"]


def test_pages_for_signed_in_staff_are_never_cached(client, people):
    client.force_login(people["desk"])
    r = client.get("/")
    assert "no-store" in r["Cache-Control"] and "private" in r["Cache-Control"]


# --------------------------------------------------------------------------- sessions


def age_session(client, idle=0, since_sign_in=0):
    session = client.session
    now = int(time.time())
    session[Limits.KEY_SEEN] = now - idle
    session[Limits.KEY_START] = now - since_sign_in
    session.save()


def test_an_idle_session_ends(client, people, settings):
    client.force_login(people["director"])
    assert client.get("/").status_code == 200
    age_session(client, idle=settings.SESSION_IDLE_SECONDS + 5)
    r = client.get("/")
    assert r.status_code == 302 and "expired=1" in r.url
    assert "signed out because the page was left unused" in client.get(r.url).text
    assert client.get("/").status_code == 302  # really signed out


def test_the_desk_stays_signed_in_for_the_shift(client, people, settings):
    client.force_login(people["desk"])
    age_session(client, idle=2 * 3600)
    assert client.get("/").status_code == 200
    age_session(client, since_sign_in=settings.SESSION_COOKIE_AGE + 5)
    assert client.get("/").status_code == 302


def test_signing_out_and_deactivation_end_the_session(client, people):
    client.force_login(people["desk"])
    client.post(reverse("logout"))
    assert client.get("/").status_code == 302
    client.force_login(people["director"])
    people["director"].is_active = False
    people["director"].save()
    assert client.get("/").status_code == 302


# ----------------------------------------------------------------------- throttling


def test_five_wrong_passwords_lock_that_email_on_that_device(client, people):
    for email in [
        "desk@a.example.org",
        "Desk@a.example.org",
        "DESK@a.example.org ",
        "desk@a.example.org",
    ]:
        assert sign_in(client, email, "wrong").status_code == 200
    assert sign_in(client, "desk@a.example.org", "wrong").status_code == 429
    r = sign_in(client, "desk@a.example.org")  # even the right password now
    assert r.status_code == 429 and "Too many attempts" in r.text
    # The shared desk address does not lock out the rest of the library ...
    assert sign_in(client, "director@a.example.org").status_code == 302
    client.post(reverse("logout"))
    # ... and the same person elsewhere is not locked out by someone guessing here.
    assert sign_in(client, "desk@a.example.org", ip="10.9.9.9").status_code == 302


def test_a_guessed_email_learns_nothing(client, people):
    def body(r):
        return r.text.replace("nobody@a.example.org", "X").replace("desk@a.example.org", "X")

    known = sign_in(client, "desk@a.example.org", "wrong")
    unknown = sign_in(client, "nobody@a.example.org", "wrong")
    assert known.status_code == unknown.status_code == 200
    assert "do not match" in known.text and "do not match" in unknown.text
    for _ in range(5):
        known = sign_in(client, "desk@a.example.org", "wrong")
        unknown = sign_in(client, "nobody@a.example.org", "wrong")
    assert known.status_code == unknown.status_code == 429
    import re

    def strip(text):
        return re.sub(r'nonce="[^"]*"|csrfmiddlewaretoken" value="[^"]*"', "", text)

    assert strip(body(known)) == strip(body(unknown))


# ------------------------------------------------------------------------- access log


def test_the_director_sees_who_opened_which_encounter(client, people):
    from patronshield.desk.models import Access
    from tests.test_desk_views import run_flow

    client.force_login(people["desk"])
    encounter, _ = run_flow(
        client,
        ("agency", "ice"),
        ("request", "enter_nonpublic_area"),
        ("document", "administrative_warrant"),
        ("emergency", "no"),
    )
    client.get(reverse("desk:result", args=[encounter.pk]))
    client.get(reverse("desk:result", args=[encounter.pk]))  # once per five minutes
    assert Access.objects.filter(encounter=encounter, user=people["desk"]).count() == 1
    assert client.get(reverse("desk:access_log")).status_code == 403
    client.force_login(people["designee"])
    assert client.get(reverse("desk:access_log")).status_code == 403
    client.force_login(people["director"])
    reauthenticate(client, people["director"])
    page = client.get(reverse("desk:access_log")).text
    assert "Desk" in page and "what to do" in page


def test_each_row_of_the_access_log_links_to_the_encounter_it_is_about(client, people):
    """Issue 17: the director goes from a row of the log to the encounter, and it opens."""
    import re

    from patronshield.desk import services
    from patronshield.desk.models import Access

    encounters = [services.encounter_start(user=people["desk"]) for _ in range(2)]
    for e in encounters:
        Access.objects.create(library=e.library, encounter=e, user=people["desk"], what="result")
    client.force_login(people["director"])
    reauthenticate(client, people["director"])
    page = client.get(reverse("desk:access_log")).text
    rows = re.findall(r"<li>.*?</li>", page, flags=re.S)
    assert len(rows) == 2
    for row, e in zip(rows, reversed(encounters), strict=True):  # newest first
        href = reverse("desk:result", args=[e.pk])
        assert f'href="{href}"' in row
        assert client.get(href, follow=True).status_code == 200  # its questions if unanswered


def test_another_librarys_director_sees_none_of_it(client, people, outsider):
    from patronshield.desk import services

    e = services.encounter_start(user=people["desk"])
    from patronshield.desk.models import Access

    Access.objects.create(library=e.library, encounter=e, user=people["desk"], what="result")
    client.force_login(outsider)
    reauthenticate(client, outsider)
    assert "Desk (" not in client.get(reverse("desk:access_log")).text


# --------------------------------------------------------------------- deployment


def test_the_production_settings_pass_check_deploy(tmp_path):
    import os
    import subprocess
    import sys

    env = dict(
        os.environ,
        DEBUG="0",
        SECRET_KEY="x" * 30 + "-production-secret-key-with-enough-entropy-9q8w7e6r5t",
        PATRONSHIELD_HTTPS="1",
        ALLOWED_HOSTS="library.example.org",
        EMAIL_URL="smtp+tls://user:pass@mail.example.org:587",
        PATRONSHIELD_VAR_DIR=str(tmp_path),
    )
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests for Playwright
    r = subprocess.run(
        [sys.executable, "-m", "patronshield.cli", "manage", "check", "--deploy",
         "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert r.returncode == 0, r.stdout + r.stderr


def test_every_page_of_the_matrix_carries_the_headers(client, people):
    """The headers on each page a signed-in director can open, not only the home page."""
    from tests.test_permission_matrix import MATRIX

    client.force_login(people["director"])
    e = services_start(people)
    for name, (kwargs, methods) in MATRIX.items():
        if "GET" not in methods or "cid" in str(kwargs) or "seq" in str(kwargs):
            continue
        try:
            url = reverse(name, kwargs=kwargs({"e": e.pk}))
        except KeyError:
            continue
        r = client.get(url)
        assert r["X-Content-Type-Options"] == "nosniff", url
        assert "frame-ancestors 'none'" in r["Content-Security-Policy"], url
        assert "Permissions-Policy" in r and "no-store" in r["Cache-Control"], url


def services_start(people):
    from patronshield.desk import services

    return services.encounter_start(user=people["desk"])


# --------------------------------------------------------------------------- uploads


def test_a_polyglot_upload_is_re_encoded_and_its_payload_dropped(client, people):
    """A JPEG with an HTML page and a ZIP appended: what is kept is a clean JPEG."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from patronshield import crypto
    from patronshield.desk.models import DocumentPage

    out = io.BytesIO()
    Image.new("RGB", (600, 400), (250, 250, 245)).save(out, "JPEG")
    payload = b"<html><script>alert(1)</script></html>PK\x03\x04zipzipzip"
    client.force_login(people["desk"])
    e = services_start(people)
    client.post(
        reverse("desk:upload", args=[e.pk]),
        {"pages": SimpleUploadedFile("p.jpg", out.getvalue() + payload, "image/jpeg")},
    )
    from patronshield.desk.models import DocumentCheck
    from patronshield.desk.services import document_check_process

    document_check_process(DocumentCheck.objects.get().pk)  # the background task
    page = DocumentPage.objects.get()
    kept = crypto.decrypt(page.content, f"document-page:{page.sha256}")
    assert kept[:3] == b"\xff\xd8\xff" and b"<script>" not in kept and b"PK\x03\x04" not in kept
    # and nothing serves it back by a URL: the files appear only inside the counsel export
    assert page.sha256 not in client.get(reverse("desk:result", args=[e.pk])).text

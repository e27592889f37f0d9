"""Point 2: the second-factor code cannot be guessed. Someone who has the password tries
codes after the password step: five wrong ones for the account, from any address or browser,
and the code step answers 429 for 15 minutes, even to the right code; the counter lives in
the shared cache (files or Redis), so every process sees it; the lock-out is in the access
log."""

import os
import subprocess
import sys
import time

import pytest
from django.test import Client
from django.urls import reverse

from patronshield.desk.models import Access
from tests.conftest import PASSWORD, reauthenticate, totp_code

DIRECTOR = "director@a.example.org"


def password_step(client, ip):
    r = client.post(reverse("login"), {"login": DIRECTOR, "password": PASSWORD}, REMOTE_ADDR=ip)
    assert r.status_code == 302 and r.url == reverse("mfa_authenticate")


def code_step(client, code, ip, **headers):
    return client.post(reverse("mfa_authenticate"), {"code": code}, REMOTE_ADDR=ip, **headers)


def test_it_refuses_the_right_code_for_15_minutes_after_5_wrong_ones_from_anywhere(
    people, monkeypatch
):
    director = people["director"]
    attempts = [(Client(), f"203.0.113.{n}") for n in range(1, 6)]  # five browsers, addresses
    for client, ip in attempts[:4]:
        password_step(client, ip)
        r = code_step(client, "000000", ip)
        assert r.status_code == 200 and "Incorrect code" in r.text
    client, ip = attempts[4]
    password_step(client, ip)
    r = code_step(client, "000000", ip)  # the fifth wrong code locks the step
    assert r.status_code == 429
    assert "no code is accepted for this account for 15 minutes" in r.text
    assert code_step(client, totp_code(director), ip).status_code == 429  # even the right one
    # The director herself, elsewhere, with the right code: refused too, and told why.
    director_browser = Client()
    password_step(director_browser, "198.51.100.9")
    r = code_step(director_browser, totp_code(director), "198.51.100.9")
    assert r.status_code == 429 and "Too many attempts" in r.text
    assert director_browser.get(reverse("desk:home")).status_code == 302  # not signed in
    # Written to the director's library's access log, once.
    assert Access.objects.filter(user=director, what=Access.What.MFA_LOCKOUT).count() == 1
    # 14 minutes later: still refused.
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 14 * 60)
    password_step(director_browser, "198.51.100.9")
    assert code_step(director_browser, totp_code(director), "198.51.100.9").status_code == 429
    # After 15 minutes the right code works again.
    monkeypatch.setattr(time, "time", lambda: now + 15 * 60 + 1)
    password_step(director_browser, "198.51.100.9")
    r = code_step(director_browser, totp_code(director), "198.51.100.9")
    assert r.status_code == 302
    assert director_browser.get(reverse("desk:home")).status_code == 200


def test_it_refuses_in_the_readers_language(people):
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    password_step(client, "203.0.113.1")
    for _ in range(4):
        code_step(client, "000000", "203.0.113.1")
    r = code_step(client, "000000", "203.0.113.1")
    assert r.status_code == 429
    assert 'lang="es"' in r.text and "Demasiados intentos" in r.text


def test_it_refuses_guessing_the_code_again_on_a_sensitive_page(client, people):
    """A signed-in session left open (a stolen laptop) guessing at the code a sensitive page
    asks for again: the same counter."""
    client.force_login(people["director"])
    for _ in range(4):
        r = client.post(reverse("mfa_reauthenticate"), {"code": "000000"})
        assert r.status_code == 200
    assert client.post(reverse("mfa_reauthenticate"), {"code": "000000"}).status_code == 429
    r = client.post(reverse("mfa_reauthenticate"), {"code": totp_code(people["director"])})
    assert r.status_code == 429


OTHER_PROCESS = """
import sys
from types import SimpleNamespace
import django
django.setup()
from django.test import RequestFactory
from patronshield.accounts import throttle
user = SimpleNamespace(pk=int(sys.argv[1]), library_id=None)
request = RequestFactory().post("/accounts/2fa/authenticate/", REMOTE_ADDR="192.0.2.44")
for _ in range(4):  # four wrong codes, as the form counts them
    assert throttle.code_try(request, user) and not throttle.code_wrong(request, user)
"""


def redis_up():
    import socket

    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.parametrize("backend", ["files", "redis"])
def test_it_refuses_the_fifth_guess_when_the_other_four_came_through_another_process(
    people, settings, tmp_path, backend
):
    """Four wrong codes spent in another server process (another gunicorn worker) count: the
    fifth, here, locks the step. The cache is the deployment's own: files under var/, or
    Redis with REDIS_URL."""
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="patronshield.settings")
    env["PATRONSHIELD_VAR_DIR"] = str(tmp_path)  # files under <var>/cache
    if backend == "redis":
        if not redis_up():
            pytest.skip("no Redis on 127.0.0.1:6379")
        env["REDIS_URL"] = "redis://127.0.0.1:6379/13"
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": env["REDIS_URL"],
            }
        }
    else:
        env.pop("REDIS_URL", None)
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": str(tmp_path / "cache"),
            }
        }
    from django.core.cache import cache

    cache.clear()  # Redis: this test's own database
    subprocess.run(
        [sys.executable, "-c", OTHER_PROCESS, str(people["director"].pk)], env=env, check=True
    )
    client = Client()
    password_step(client, "203.0.113.1")
    assert code_step(client, "000000", "203.0.113.1").status_code == 429
    assert code_step(client, totp_code(people["director"]), "203.0.113.1").status_code == 429
    cache.clear()


def test_the_director_reads_the_lock_out_in_the_access_log(client, people):
    """The lock-out's line names who and what, with no empty place for a visit."""
    director = people["director"]
    Access.objects.create(
        library=director.library, user=people["designee"], what=Access.What.MFA_LOCKOUT
    )
    client.force_login(director)
    reauthenticate(client, director)
    r = client.get(reverse("desk:access_log"))
    assert r.status_code == 200
    line = next(li for li in r.text.split("<li>") if "second-factor code locked" in li)
    assert "Designee" in line and "·  ·" not in line and "· ·" not in line

"""Point 9: behind a reverse proxy, one person's typos lock out nobody else. Every request
reaches the app from the proxy's address; the client's is in X-Forwarded-For. Someone on the
library's public Wi-Fi typing the director's e-mail with wrong passwords must not lock the
director out at her desk, nor use up everyone's sign-ins; and with no proxy trusted, a
client writing its own X-Forwarded-For does not escape the lock."""

import json
import os
import subprocess
import sys

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD

PROXY = "127.0.0.1"  # nginx or Caddy on the same machine
DIRECTOR = "director@a.example.org"
KEYS = [
    "AXES_IPWARE_PROXY_COUNT",
    "AXES_IPWARE_PROXY_TRUSTED_IPS",
    "AXES_IPWARE_META_PRECEDENCE_ORDER",
    "IPWARE_STRICT",
    "ALLAUTH_TRUSTED_PROXY_COUNT",
]


def settings_from(tmp_path, **environ):
    """The proxy settings settings.py makes of these environment variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRUSTED_PROXY")}
    env.update(environ, PATRONSHIELD_VAR_DIR=str(tmp_path))
    code = "import json, sys, patronshield.settings as s; "
    code += f"json.dump({{k: getattr(s, k) for k in {KEYS}}}, sys.stdout)"
    r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    if r.returncode:
        raise RuntimeError(r.stderr.strip().splitlines()[-1])
    return json.loads(r.stdout)


@pytest.fixture
def behind_nginx(settings, tmp_path):
    for key, value in settings_from(tmp_path, TRUSTED_PROXY_COUNT="1").items():
        setattr(settings, key, tuple(value) if isinstance(value, list) else value)


def sign_in(client, forwarded_for, password=PASSWORD, email=DIRECTOR):
    return client.post(
        reverse("login"),
        {"login": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_it_refuses_to_lock_out_the_director_for_someone_elses_wrong_passwords(
    client, people, behind_nginx
):
    for _ in range(5):
        r = sign_in(client, "203.0.113.7", "wrong")
    assert r.status_code == 429  # the one guessing is locked out ...
    # ... and cannot borrow the director's address by writing it first (nginx appends the
    # address it sees; the client's own part stays on the left).
    assert sign_in(client, "198.51.100.9, 203.0.113.7").status_code == 429
    # The director, behind the same proxy, signs in.
    r = sign_in(client, "198.51.100.9")
    assert r.status_code == 302 and r.url == reverse("mfa_authenticate")


def test_it_refuses_to_let_one_browser_behind_the_proxy_use_up_everyones_sign_ins(
    client, people, behind_nginx
):
    for n in range(31):  # allauth allows 30 sign-in attempts a minute from one address
        sign_in(client, "203.0.113.7", "wrong", email=f"nobody{n}@a.example.org")
    assert sign_in(client, "203.0.113.7", email="x@a.example.org").status_code == 429
    r = sign_in(client, "198.51.100.9")
    assert r.status_code == 302 and r.url == reverse("mfa_authenticate")


def test_it_refuses_a_forged_x_forwarded_for_when_no_proxy_is_trusted(client, people):
    def attempt(n, password="wrong"):
        return client.post(
            reverse("login"),
            {"login": DIRECTOR, "password": password},
            REMOTE_ADDR="203.0.113.7",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",  # a new address each time
        )

    for n in range(4):
        assert attempt(n).status_code == 200
    assert attempt(4).status_code == 429
    assert attempt(5, PASSWORD).status_code == 429


def test_the_proxies_are_settings_from_the_environment(tmp_path):
    assert settings_from(tmp_path) == {
        "AXES_IPWARE_PROXY_COUNT": None,
        "AXES_IPWARE_PROXY_TRUSTED_IPS": None,
        "AXES_IPWARE_META_PRECEDENCE_ORDER": ["REMOTE_ADDR"],  # X-Forwarded-For ignored
        "IPWARE_STRICT": False,
        "ALLAUTH_TRUSTED_PROXY_COUNT": 0,
    }
    cdn = settings_from(tmp_path, TRUSTED_PROXY_COUNT="2", TRUSTED_PROXY_IPS="173.245.48.0/20")
    assert cdn["AXES_IPWARE_PROXY_COUNT"] == 1  # ipware leaves out the nearest proxy
    assert cdn["AXES_IPWARE_PROXY_TRUSTED_IPS"] == ["173.245.48.0/20"]
    assert cdn["AXES_IPWARE_META_PRECEDENCE_ORDER"] == ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    assert cdn["ALLAUTH_TRUSTED_PROXY_COUNT"] == 2
    with pytest.raises(RuntimeError, match="TRUSTED_PROXY_IPS"):
        settings_from(tmp_path, TRUSTED_PROXY_COUNT="1", TRUSTED_PROXY_IPS="10.0.0.2")

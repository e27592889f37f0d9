"""Sign in with the library's accounts: the settings read from the environment, the MFA
decision table, and what the pages show. The sign-in itself, against a real provider, is in
test_e2e_oidc.py."""

from types import SimpleNamespace

import pytest
from allauth.socialaccount.models import SocialApp
from django.contrib import admin
from django.core.exceptions import ImproperlyConfigured

from patronshield.accounts import oidc
from patronshield.settings import oidc_apps, oidc_origins


def ecorse_env(tmp_path, **extra):
    secret = tmp_path / "secret"
    secret.write_text("s3cret-from-a-file\n")
    return {
        "OIDC_LIBRARIES": "ecorse, river-rouge",
        "OIDC_ECORSE_ISSUER": "https://accounts.google.com/",
        "OIDC_ECORSE_CLIENT_ID": "ecorse-client",
        "OIDC_ECORSE_SECRET_FILE": str(secret),
        "OIDC_ECORSE_NAME": "Ecorse Google",
        "OIDC_RIVER_ROUGE_ISSUER": "https://login.microsoftonline.com/tid/v2.0",
        "OIDC_RIVER_ROUGE_CLIENT_ID": "rr-client",
        "OIDC_RIVER_ROUGE_SECRET": "rr-secret",
        "OIDC_RIVER_ROUGE_TRUST_MFA": "1",
        **extra,
    }


def test_it_reads_one_provider_per_library_from_the_environment(tmp_path):
    ecorse, river = oidc_apps(ecorse_env(tmp_path))
    assert ecorse["provider_id"] == "ecorse" and ecorse["name"] == "Ecorse Google"
    assert ecorse["secret"] == "s3cret-from-a-file"  # _FILE, stripped
    assert ecorse["settings"] == {
        "server_url": "https://accounts.google.com",
        "library": "ecorse",
        "trust_mfa": False,  # the default: our second factor still
        "oauth_pkce_enabled": True,
    }
    assert river["provider_id"] == "river-rouge" and river["name"] == "river-rouge"
    assert river["settings"]["trust_mfa"] is True
    assert oidc_origins([ecorse, river]) == [
        "https://accounts.google.com",
        "https://login.microsoftonline.com",
    ]


def test_it_refuses_a_provider_without_its_secret(tmp_path):
    env = ecorse_env(tmp_path)
    del env["OIDC_RIVER_ROUGE_SECRET"]
    with pytest.raises(ImproperlyConfigured):
        oidc_apps(env)


def test_it_configures_nothing_by_default():
    assert oidc_apps({}) == []


@pytest.mark.parametrize(
    ("trust", "amr", "did_mfa"),
    [
        (False, ["pwd", "mfa"], False),  # the library has not chosen to trust it
        (True, ["pwd", "mfa"], True),
        (True, ["pwd", "otp"], True),
        (True, ["hwk"], True),
        (True, ["swk"], True),
        (True, ["sc"], True),
        (True, ["pwd"], False),
        (True, ["pwd", "sms"], False),  # not on the list
        (True, None, False),  # no amr at all (Google's ID tokens)
        (True, "mfa", False),  # not a list: not trusted
    ],
)
def test_it_trusts_the_providers_mfa_only_when_the_library_does(trust, amr, did_mfa):
    token = {} if amr is None else {"amr": amr}
    assert oidc.provider_did_mfa({"trust_mfa": trust}, token) is did_mfa


@pytest.mark.parametrize(
    ("id_token", "userinfo", "expected"),
    [
        ({"email": "Desk@A.example.org", "email_verified": True}, {}, ("desk@a.example.org", True)),
        ({"email": "d@a.example.org", "email_verified": "true"}, {}, ("d@a.example.org", True)),
        ({"email": "d@a.example.org", "email_verified": False}, {}, ("d@a.example.org", False)),
        ({"email": "d@a.example.org"}, {}, ("d@a.example.org", False)),  # not said: not verified
        ({"email": "d@a.example.org", "xms_edov": True}, {}, ("d@a.example.org", True)),  # Entra
        ({}, {"email": "d@a.example.org", "email_verified": True}, ("d@a.example.org", True)),
        ({}, {}, ("", False)),
    ],
)
def test_it_takes_the_verified_email_from_the_token(id_token, userinfo, expected):
    account = SimpleNamespace(extra_data={"id_token": id_token, "userinfo": userinfo})
    assert oidc.claimed_email(SimpleNamespace(account=account)) == expected


def configure(settings, apps):
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": apps}}


def test_the_sign_in_page_shows_a_button_only_for_configured_providers(
    client, settings, db, tmp_path
):  # noqa: E501
    configure(settings, [])
    r = client.get("/login/")
    assert r.status_code == 200 and b"Sign in with" not in r.content
    configure(settings, oidc_apps(ecorse_env(tmp_path)))
    r = client.get("/login/")
    assert b"Sign in with Ecorse Google" in r.content
    assert b"Sign in with river-rouge" in r.content
    assert b'action="/accounts/oidc/ecorse/login/?process=login"' in r.content


def test_a_provider_saved_in_the_database_is_ignored(client, settings, db):
    """Its client secret would sit in the database: only the environment configures one."""
    configure(settings, [])
    SocialApp.objects.create(
        provider="openid_connect",
        provider_id="ecorse",
        name="Typed into the database",
        client_id="x",
        secret="secret in the database",
        settings={"server_url": "https://accounts.google.com", "library": "ecorse"},
    )
    assert b"Typed into the database" not in client.get("/login/").content
    assert client.post("/accounts/oidc/ecorse/login/").status_code == 404
    assert not admin.site.is_registered(SocialApp)


def test_no_page_connects_or_signs_up_an_account(client, people):
    client.force_login(people["desk"])
    assert client.get("/accounts/3rdparty/").status_code == 404
    assert client.get("/accounts/3rdparty/signup/").status_code == 404


def test_an_unreachable_provider_gives_the_error_page_not_a_500(client, settings, db, tmp_path):
    from tests.conftest import free_port

    env = ecorse_env(tmp_path, OIDC_ECORSE_ISSUER=f"http://127.0.0.1:{free_port()}/o")
    configure(settings, oidc_apps(env))
    r = client.post("/accounts/oidc/ecorse/login/")
    assert r.status_code == 401
    assert "did not complete" in r.text

"""Sign in with the library's accounts, end to end: Debian's Chromium, driven by Playwright,
from our sign-in page through a real OpenID Connect provider (django-oauth-toolkit in OIDC
mode, tests/oidc_provider.py, in its own process) and back. The provider is Ecorse's; it
also knows people who must not get in: an unverified e-mail, an unknown one, and the
director of another library."""

import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import unquote

import pytest
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from axes.models import AccessAttempt
from django.conf import settings as django_settings

from patronshield.accounts.models import User
from patronshield.settings import oidc_apps, oidc_origins
from tests.conftest import free_port, totp_code
from tests.test_e2e_desk import PHONE, axe_violations, browser  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

IDP_PASSWORD = "provider password 4812"
CLIENT_ID, CLIENT_SECRET = "patronshield-ecorse", "ecorse-client-secret-0123456789"
BUTTON = "Sign in with Ecorse staff accounts"
SHOTS = Path(django_settings.VAR_DIR) / "screenshots"
PROVIDER_USERS = [
    {"email": "desk@a.example.org", "email_verified": True, "amr": ["pwd"]},
    {"email": "director@a.example.org", "email_verified": True, "amr": ["pwd", "mfa"]},
    {"email": "designee@a.example.org", "email_verified": True, "amr": ["pwd"]},
    {"email": "admin@a.example.org", "email_verified": False},
    {"email": "stranger@a.example.org", "email_verified": True},
    {"email": "director@b.example.org", "email_verified": True, "amr": ["pwd", "mfa"]},
]


@pytest.fixture(scope="module")
def provider(live_server, tmp_path_factory):
    """The provider's process, for the length of this file: Ecorse's client registered with
    the live server's callback; it names itself http://127.0.0.1:<port>/o."""
    port = free_port()
    tmp = tmp_path_factory.mktemp("idp")
    issuer = f"http://127.0.0.1:{port}/o"
    config = {
        "port": port,
        "issuer": issuer,
        "db": str(tmp / "idp.sqlite3"),
        "clients": [
            {
                "client_id": CLIENT_ID,
                "secret": CLIENT_SECRET,
                "redirect_uris": [f"{live_server.url}/accounts/oidc/ecorse/login/callback/"],
            }
        ],
        "users": [{**u, "password": IDP_PASSWORD} for u in PROVIDER_USERS],
    }
    (tmp / "config.json").write_text(json.dumps(config))
    log = (tmp / "idp.log").open("w")
    script = Path(__file__).with_name("oidc_provider.py")
    proc = subprocess.Popen(
        [sys.executable, str(script), str(tmp / "config.json")], stdout=log, stderr=log
    )
    discovery = f"{issuer}/.well-known/openid-configuration"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(discovery, timeout=2) as r:  # noqa: S310
                assert json.load(r)["issuer"] == issuer
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError((tmp / "idp.log").read_text()[-3000:]) from None
            time.sleep(0.2)
    yield {"port": port, "issuer": issuer, "log": tmp / "idp.log"}
    proc.terminate()
    proc.wait(10)
    log.close()


def configure(settings, provider, *, issuer=None, trust_mfa=False):
    """Ecorse's provider, read from the environment as in production (a secret file too)."""
    secret = Path(provider["log"]).with_name("secret")
    secret.write_text(CLIENT_SECRET + "\n")
    apps = oidc_apps(
        {
            "OIDC_LIBRARIES": "ecorse",
            "OIDC_ECORSE_ISSUER": issuer or provider["issuer"],
            "OIDC_ECORSE_CLIENT_ID": CLIENT_ID,
            "OIDC_ECORSE_SECRET_FILE": str(secret),
            "OIDC_ECORSE_NAME": "Ecorse staff accounts",
            "OIDC_ECORSE_TRUST_MFA": "1" if trust_mfa else "0",
        }
    )
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": apps}}
    origins = {*oidc_origins(apps), f"http://127.0.0.1:{provider['port']}"}
    settings.SECURE_CSP = {
        **django_settings.SECURE_CSP,
        "form-action": ["'self'", *sorted(origins)],
    }


@pytest.fixture
def page(browser, live_server, people):  # noqa: F811
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base = live_server.url
    yield page
    context.close()


def provider_sign_in(page, email, remembered=False):
    """Our sign-in page, the library's button, the provider's own log-in page, and back
    (straight back if the provider remembers the person)."""
    page.goto(page.base + "/login/")
    with page.expect_navigation():
        page.get_by_role("button", name=BUTTON).click()
    if remembered:
        page.wait_for_load_state()
        return
    assert page.url.startswith("http://127.0.0.1:"), page.url  # at the provider
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(IDP_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def signed_in_as(page):
    """Who the browser's session belongs to, as the server sees it (None: nobody)."""
    from django.contrib.sessions.models import Session

    cookie = next((c for c in page.context.cookies() if c["name"] == "sessionid"), None)
    if cookie is None:
        return None
    session = Session.objects.filter(session_key=cookie["value"]).first()
    user_id = session and session.get_decoded().get("_auth_user_id")
    return User.objects.filter(pk=user_id).first() if user_id else None


def test_desk_worker_signs_in_with_the_library_account(page, settings, provider, people):
    configure(settings, provider)
    users = User.objects.count()
    provider_sign_in(page, "desk@a.example.org")
    assert page.url == page.base + "/", page.url
    assert page.get_by_role("button", name="Law enforcement is here").is_visible()
    assert signed_in_as(page) == people["desk"]
    account = SocialAccount.objects.get()
    assert (account.user, account.provider) == (people["desk"], "ecorse")
    assert User.objects.count() == users
    assert people["desk"].role == User.objects.get(pk=people["desk"].pk).role  # role untouched

    # Signed out here, still signed in at the provider: its button signs in again at once,
    # through the link made the first time.
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    assert signed_in_as(page) is None
    provider_sign_in(page, "desk@a.example.org", remembered=True)
    assert page.url == page.base + "/" and signed_in_as(page) == people["desk"]
    assert SocialAccount.objects.count() == 1


def test_director_still_gives_our_code_by_default(page, settings, provider, people):
    """The provider says it did MFA, but the library has not chosen to trust it."""
    configure(settings, provider, trust_mfa=False)
    provider_sign_in(page, "director@a.example.org")
    assert "/accounts/2fa/authenticate/" in page.url
    assert signed_in_as(page) is None
    page.locator("#id_code").fill(totp_code(people["director"]))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    assert page.url == page.base + "/"
    assert signed_in_as(page) == people["director"]


def test_without_mfa_in_the_token_our_code_is_asked(page, settings, provider, people):
    """The library trusts its provider's MFA, but this ID token's amr is only ["pwd"]."""
    configure(settings, provider, trust_mfa=True)
    provider_sign_in(page, "designee@a.example.org")
    assert "/accounts/2fa/authenticate/" in page.url
    assert signed_in_as(page) is None


def test_director_with_trusted_provider_mfa(page, settings, provider, people):
    """Trusted, and amr says "mfa": no code of ours, and no authenticator app required."""
    Authenticator.objects.filter(user=people["director"]).delete()
    configure(settings, provider, trust_mfa=False)
    provider_sign_in(page, "director@a.example.org")
    assert "/2fa/totp/activate/" in unquote(page.url)  # not trusted: set up our second factor
    page.context.clear_cookies()

    configure(settings, provider, trust_mfa=True)
    provider_sign_in(page, "director@a.example.org")
    assert page.url == page.base + "/", page.url
    assert signed_in_as(page) == people["director"]
    page.goto(page.base + "/desk/access/")  # a director's page: no set-up asked for
    assert "/2fa/" not in page.url


def refused(page, expected):
    assert signed_in_as(page) is None
    alert = page.get_by_role("alert").inner_text()
    assert expected in alert, alert
    assert page.get_by_role("heading", name="Not signed in").is_visible()


def test_wrong_issuer_is_refused(page, settings, provider, people):
    """Configured as http://localhost:<port>/o, but the discovery document found there (and
    the provider's tokens) name http://127.0.0.1:<port>/o."""
    configure(settings, provider, issuer=f"http://localhost:{provider['port']}/o")
    sent = provider["log"].read_text().count("/o/authorize/")
    page.goto(page.base + "/login/")
    with page.expect_navigation():
        page.get_by_role("button", name=BUTTON).click()
    # Refused on our side, before anyone is sent to the provider to sign in.
    refused(page, "answered as another issuer")
    assert page.url.startswith(page.base)
    assert provider["log"].read_text().count("/o/authorize/") == sent
    assert not SocialAccount.objects.exists()


def test_unverified_email_is_refused(page, settings, provider, people):
    configure(settings, provider)
    provider_sign_in(page, "admin@a.example.org")
    refused(page, "not marked as verified")
    assert not SocialAccount.objects.exists()
    # django-axes counts it as a failed sign-in for that e-mail from this address.
    assert AccessAttempt.objects.get(username="admin@a.example.org").failures_since_start == 1


def test_unknown_account_is_refused_and_nobody_is_created(page, settings, provider, people):
    configure(settings, provider)
    users = User.objects.count()
    provider_sign_in(page, "stranger@a.example.org")
    refused(page, "No staff account of Ecorse Public Library uses the e-mail address")
    assert User.objects.count() == users
    assert not User.objects.filter(email="stranger@a.example.org").exists()
    assert not SocialAccount.objects.exists()


def test_another_librarys_director_is_refused(page, settings, provider, people, outsider):
    """Ecorse's provider vouches for director@b.example.org, whose account is at Other
    Town: Ecorse's provider never signs in anyone of another library."""
    configure(settings, provider, trust_mfa=True)
    provider_sign_in(page, "director@b.example.org")
    refused(page, "No staff account of Ecorse Public Library")
    assert not SocialAccount.objects.exists()


@pytest.mark.parametrize("language", ["en", "es"])
def test_sign_in_page_with_the_button_on_a_phone(
    browser,  # noqa: F811
    live_server,
    settings,
    provider,
    people,
    language,
):
    configure(settings, provider)
    context = browser.new_context(
        viewport=PHONE, bypass_csp=True, extra_http_headers={"Accept-Language": language}
    )
    page = context.new_page()
    page.goto(live_server.url + "/login/")
    assert page.locator("button.provider").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert axe_violations(page) == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"oidc-login-{language}.png", full_page=True)
    context.close()

"""Sign in with the library's accounts (OpenID Connect, django-allauth's `openid_connect`).

Each provider belongs to one library (settings.oidc_apps: from the environment, never the
database). It signs in only someone who already has a staff account at that library, found
by the e-mail address the provider has verified; nobody signs up, and the role stays the
one the library's administrator set. A provider of library A never signs in anyone of
library B, whatever e-mail it vouches for.

The second factor is still ours (RequireMFAMiddleware, allauth's code step) unless the
library chose to trust its provider's (OIDC_<SLUG>_TRUST_MFA) and the provider's signed ID
token says a second factor was used (`amr`, RFC 8176).
"""

import logging

import requests
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount import app_settings as socialaccount_settings
from allauth.socialaccount.providers.base import AuthProcess
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

log = logging.getLogger("patronshield.security")

# Why a sign-in was refused: what the person is told (never the provider's own words).
REFUSED = {
    "issuer": _(
        "This sign-in provider answered as another issuer than the one this library set up, "
        "so its answer was not accepted. Ask your administrator to check the provider's "
        "settings; meanwhile, sign in with your e-mail and password."
    ),
    "unverified": _(
        "Your sign-in provider did not confirm that this e-mail address is yours (it is not "
        "marked as verified), so it cannot be used here. Ask your administrator, or sign in "
        "with your e-mail and password."
    ),
    "unknown": _(
        "No staff account of %(library)s uses the e-mail address %(email)s. Accounts are made "
        "by the library's administrator, not by signing in: ask them, or use your own "
        "library's sign-in button."
    ),
    "mismatch": _(
        "Your account at the sign-in provider is linked to another staff account here. Ask "
        "your administrator."
    ),
    "process": _("Accounts are linked by signing in, not from this page."),
}


def app_settings(sociallogin) -> dict:
    return sociallogin.provider.app.settings


def id_token(sociallogin) -> dict:
    return (sociallogin.account.extra_data or {}).get("id_token") or {}


def claimed_email(sociallogin) -> tuple[str, bool]:
    """The e-mail and whether the provider verified it, from the signed ID token, else from
    the provider's userinfo answer (fetched directly from it over TLS)."""
    data = id_token(sociallogin)
    if not data.get("email"):
        data = (sociallogin.account.extra_data or {}).get("userinfo") or {}
    email = str(data.get("email") or "").strip().lower()
    return email, _true(data.get("email_verified")) or _true(data.get("xms_edov"))


def _true(value) -> bool:
    """A claim that is true: JSON true, or the string "true" some providers send. Microsoft
    Entra ID sends no email_verified; its optional claim xms_edov says the e-mail's domain
    belongs to the tenant and was verified by its administrator."""
    return value is True or (isinstance(value, str) and value.lower() == "true")


def provider_did_mfa(app: dict, token: dict) -> bool:
    """True only if the library trusts its provider's second factor and the ID token's `amr`
    names one."""
    amr = token.get("amr")
    if not app.get("trust_mfa") or not isinstance(amr, list):
        return False
    return bool(set(amr) & set(settings.OIDC_MFA_AMR))


def login_did_mfa(login) -> bool:
    """For a sign-in in progress (allauth's Login): the provider's second factor counts."""
    sociallogin = (login.signal_kwargs or {}).get("sociallogin")
    if sociallogin is None:
        return False
    return provider_did_mfa(app_settings(sociallogin), id_token(sociallogin))


def link(request, sociallogin) -> None:
    """allauth's pre_social_login: let the sign-in through to the one staff account it is
    for, or refuse it (ImmediateHttpResponse)."""
    from patronshield.accounts.models import User
    from patronshield.libraries.models import Library

    app = app_settings(sociallogin)
    provider_id = sociallogin.provider.app.provider_id
    library = Library.objects.filter(slug=app.get("library")).first()
    email, verified = claimed_email(sociallogin)
    if sociallogin.state.get("process") != AuthProcess.LOGIN:
        refuse(request, "process", email, library, provider_id)
    # The discovery document's issuer must be the one configured (OpenID Connect Discovery
    # 1.0 §4.3); allauth has already checked the ID token's `iss` against that document.
    issuer = str(id_token(sociallogin).get("iss") or "").rstrip("/")
    if library is None:
        log.error("sign-in provider %s: no library %r", provider_id, app.get("library"))
    if library is None or issuer != app.get("server_url", "").rstrip("/"):
        refuse(request, "issuer", email, library, provider_id)
    if not email or not verified:
        refuse(request, "unverified", email, library, provider_id)
    user = User.objects.filter(email__iexact=email, library=library, is_active=True).first()
    if user is None:
        refuse(request, "unknown", email, library, provider_id)
    if sociallogin.is_existing:
        if sociallogin.user.pk != user.pk:
            refuse(request, "mismatch", email, library, provider_id)
        return
    log.info("sign-in provider %s linked to user %s", provider_id, user.pk)
    sociallogin.connect(request, user)


def refuse(request, reason: str, email: str, library, provider_id: str):
    """The refusal page (403), a line in the security log, and a failure django-axes counts
    for this e-mail from this address, as a wrong password would be."""
    log.warning("sign-in provider %s refused (%s): %s", provider_id, reason, email or "-")
    if email:
        user_login_failed.send(
            sender=__name__, credentials={"email": email}, request=request
        )  # django-axes counts it
    message = REFUSED[reason] % {
        "library": library.name if library else "",
        "email": email,
    }
    response = render(request, "account/oidc_refused.html", {"message": message}, status=403)
    raise ImmediateHttpResponse(response)


SESSION_KEY = "ps_provider_mfa"


def remember_mfa(sender, request, user, sociallogin=None, **kwargs):
    """allauth's user_logged_in: note in the session that the provider's second factor stood
    for ours (RequireMFAMiddleware reads it); any other sign-in clears it."""
    if sociallogin is not None and provider_did_mfa(
        app_settings(sociallogin), id_token(sociallogin)
    ):
        request.session[SESSION_KEY] = user.pk
    else:
        request.session.pop(SESSION_KEY, None)


def session_did_mfa(request, user) -> bool:
    return request.session.get(SESSION_KEY) == user.pk


WELL_KNOWN = "/.well-known/openid-configuration"


class IssuerMismatch(OAuth2Error):
    pass


class DiscoverySession(requests.Session):
    """allauth's HTTP session, which also checks each discovery document before anything is
    taken from it: the issuer it names must be the one it was fetched for (OpenID Connect
    Discovery 1.0, §4.3), so a wrong issuer is refused before anyone is sent to the provider."""

    def request(self, method, url, *args, **kwargs):
        kwargs.setdefault("timeout", socialaccount_settings.REQUESTS_TIMEOUT)
        discovery = str(url).endswith(WELL_KNOWN)
        try:
            response = super().request(method, url, *args, **kwargs)
        except requests.RequestException as e:
            if discovery:  # the sign-in page's button: an error page, not a 500
                raise OAuth2Error(f"discovery document unreachable: {e}") from e
            raise
        if discovery and response.ok:
            expected = str(url)[: -len(WELL_KNOWN)].rstrip("/")
            try:
                named = str(response.json().get("issuer") or "").rstrip("/")
            except ValueError as e:
                raise OAuth2Error("discovery document is not JSON") from e
            if named != expected:
                raise IssuerMismatch(f"discovery document names {named!r}, not {expected!r}")
        return response


def login_view(request, provider_id):
    """allauth's sign-in view for a provider (the button's form), with a discovery document
    that cannot be used (wrong issuer, unreachable) answered by the error page, not a 500:
    allauth reads the document before its own error handling begins."""
    from allauth.socialaccount.adapter import get_adapter
    from allauth.socialaccount.helpers import render_authentication_error
    from allauth.socialaccount.providers.openid_connect import views

    try:
        return views.login(request, provider_id)
    except OAuth2Error as e:
        provider = get_adapter().get_provider(request, provider_id)
        return render_authentication_error(request, provider, exception=e)

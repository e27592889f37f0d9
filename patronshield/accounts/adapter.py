import base64
import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter

from patronshield import crypto

from . import oidc

log = logging.getLogger("patronshield.security")


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        """Staff accounts are made by the library's administrator, never by sign-up."""
        return False

    def get_reauthentication_methods(self, user):
        """Someone with an authenticator app proves it again (not only the password)."""
        methods = super().get_reauthentication_methods(user)
        mfa = [m for m in methods if m["id"].startswith("mfa")]
        return mfa or methods

    def get_login_stages(self):
        """allauth's code step, but skipped when the library trusts its sign-in provider's
        own second factor and the provider says it was used (oidc.py)."""
        return [
            "patronshield.accounts.stages.AuthenticateStage"
            if stage == "allauth.mfa.stages.AuthenticateStage"
            else stage
            for stage in super().get_login_stages()
        ]


class MFAAdapter(DefaultMFAAdapter):
    PREFIX = "ps1:"

    def encrypt(self, text: str) -> str:
        """Authenticator secrets are sealed with the data key (AES-GCM), so the database
        alone does not give anyone the codes."""
        return self.PREFIX + base64.b64encode(crypto.encrypt(text.encode(), "mfa")).decode()

    def decrypt(self, encrypted_text: str) -> str:
        if not encrypted_text.startswith(self.PREFIX):
            return encrypted_text
        return crypto.decrypt(base64.b64decode(encrypted_text[len(self.PREFIX) :]), "mfa").decode()

    def can_delete_authenticator(self, authenticator) -> bool:
        """Those who must have a second factor cannot remove their only one."""
        if authenticator.user.needs_second_factor and authenticator.type == "totp":
            return False
        return super().can_delete_authenticator(authenticator)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Sign-in through the library's own provider (oidc.py): existing staff only."""

    def list_apps(self, request, provider=None, client_id=None):
        """Only the providers configured in settings (from the environment): a provider
        saved in the database would keep its client secret there, so it is ignored."""
        apps = super().list_apps(request, provider=provider, client_id=client_id)
        return [app for app in apps if app.pk is None]

    def is_open_for_signup(self, request, sociallogin):
        return False

    def is_auto_signup_allowed(self, request, sociallogin):
        return False

    def pre_social_login(self, request, sociallogin):
        oidc.link(request, sociallogin)

    def get_requests_session(self):
        return oidc.DiscoverySession()

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ):
        provider_id = getattr(getattr(provider, "app", None), "provider_id", provider)
        log.warning("sign-in provider %s failed: %s %r", provider_id, error, exception)
        if isinstance(exception, oidc.IssuerMismatch):
            oidc.refuse(request, "issuer", "", None, provider_id)

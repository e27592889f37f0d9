import base64

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter

from patronshield import crypto


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        """Staff accounts are made by the library's administrator, never by sign-up."""
        return False

    def get_reauthentication_methods(self, user):
        """Someone with an authenticator app proves it again (not only the password)."""
        methods = super().get_reauthentication_methods(user)
        mfa = [m for m in methods if m["id"].startswith("mfa")]
        return mfa or methods


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

from allauth.mfa import stages

from . import oidc


class AuthenticateStage(stages.AuthenticateStage):
    """The second-factor code, unless this sign-in came through a provider whose own second
    factor the library trusts and whose ID token says it was used."""

    def _should_handle(self, request) -> bool:
        if oidc.login_did_mfa(self.login):
            return False
        return super()._should_handle(request)

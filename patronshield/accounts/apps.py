from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "patronshield.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from allauth.account.signals import user_logged_in

        from . import oidc

        user_logged_in.connect(oidc.remember_mfa, dispatch_uid="ps-provider-mfa")

from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.base import forms as mfa
from django.core.exceptions import ValidationError

from . import throttle


class ThrottledCode:
    """The code (authenticator or recovery) is counted per account whatever the address:
    too many wrong ones and the step answers 429 for a while (throttle.py)."""

    def clean_code(self):
        request = context.request
        if not throttle.code_try(request, self.user):
            raise ImmediateHttpResponse(throttle.code_locked_out(request))
        try:
            code = super().clean_code()
        except ValidationError:
            if throttle.code_wrong(request, self.user):
                raise ImmediateHttpResponse(throttle.code_locked_out(request)) from None
            raise
        throttle.code_right(request, self.user)
        return code


class AuthenticateForm(ThrottledCode, mfa.AuthenticateForm):
    pass


class ReauthenticateForm(ThrottledCode, mfa.ReauthenticateForm):
    pass

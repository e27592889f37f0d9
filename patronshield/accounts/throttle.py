"""Sign-in throttles: the password step (django-axes counts one e-mail from one address) and
the second-factor code (counted for the account, whatever the address)."""

import logging

from allauth.core import ratelimit
from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

log = logging.getLogger("patronshield.security")


def username(request, credentials=None) -> str:
    """The e-mail the login throttle counts, however it was typed (Desk@… = desk@…)."""
    credentials = credentials or {}
    value = (
        credentials.get("email")
        or credentials.get("username")
        or request.POST.get("login", "")
        or request.POST.get("username", "")
    )
    return str(value).strip().lower()


# The second-factor code: MFA_FAILURE_LIMIT tries per account in the shared cache (allauth's
# rate limit, "mfa_code" in ACCOUNT_RATE_LIMITS, so parallel requests cannot race past it);
# the try that uses the last one up, if wrong, locks the step for MFA_LOCKOUT_MINUTES.


def _key(user) -> str:
    return f"mfa-code:{user.pk}"


def code_try(request, user) -> bool:
    """Spend one try at the code for this account; False while the step is locked."""
    if cache.get(f"{_key(user)}:locked"):
        return False
    return bool(ratelimit.consume(request, action="mfa_code", key=_key(user)))


def code_right(request, user) -> None:
    ratelimit.clear(request, action="mfa_code", key=_key(user))


def code_wrong(request, user) -> bool:
    """After a wrong code: True when it was the last try, and the step is now locked."""
    if ratelimit.consume(request, action="mfa_code", key=_key(user), dry_run=True):
        return False
    if not cache.add(f"{_key(user)}:locked", True, settings.MFA_LOCKOUT_MINUTES * 60):
        return True  # locked by a request running alongside: written down once
    log.warning("second-factor code locked after wrong codes: user %s", user.pk)
    if user.library_id:
        from patronshield.desk.models import Access

        Access.objects.create(library_id=user.library_id, user=user, what=Access.What.MFA_LOCKOUT)
    return True


def code_locked_out(request):
    context = {"minutes": settings.MFA_LOCKOUT_MINUTES}
    return render(request, "account/mfa_locked_out.html", context, status=429)

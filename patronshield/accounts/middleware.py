"""Headers and session limits on every response.

- Permissions-Policy: no powerful feature anywhere, except the camera on the desk's
  document pages (the checker takes the photo there).
- Cache-Control: no-store on every page for a signed-in user (they show encounter
  content), so a shared desk browser keeps nothing in its cache.
- Sessions end after SESSION_IDLE_SECONDS without a request (30 minutes by default) and
  SESSION_COOKIE_AGE after sign-in whatever happens (one shift, 12 hours). A desk
  worker's session may idle longer (DESK_IDLE_SECONDS, the shift by default): when an
  officer walks in, the desk must not have to sign in first.
"""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control

from . import oidc

FEATURES = (
    "accelerometer", "autoplay", "bluetooth", "camera", "display-capture", "geolocation",
    "gyroscope", "hid", "magnetometer", "microphone", "midi", "payment", "serial", "usb",
    "publickey-credentials-get", "screen-wake-lock", "xr-spatial-tracking",
)  # fmt: skip
CAMERA_PATHS = ("/desk/",)  # the document step and the receipt photo live under /desk/<pk>/


def permissions_policy(path: str) -> str:
    camera = path.startswith(CAMERA_PATHS)
    return ", ".join(f"{f}=(self)" if f == "camera" and camera else f"{f}=()" for f in FEATURES)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", permissions_policy(request.path))
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if is_public(response):  # the same for everyone: the session is not even read
            return response
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        return response


def is_public(response) -> bool:
    """A public page says so (Cache-Control: public): it shows nobody's data."""
    directives = response.get("Cache-Control", "").split(",")
    return "public" in (d.split("=")[0].strip().lower() for d in directives)


def needs_login(view_func) -> bool:
    """False for the views anyone may open (public pages, sign-in): they read no session,
    so their answers carry no `Vary: Cookie` and stay cacheable."""
    return getattr(view_func, "login_required", True)


class SessionLimitsMiddleware:
    """After AuthenticationMiddleware: idle timeout and absolute lifetime."""

    KEY_START, KEY_SEEN = "ps_started", "ps_seen"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if needs_login(view_func) and user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.setdefault(self.KEY_START, now)
            seen = session.get(self.KEY_SEEN, now)
            idle = (
                settings.DESK_IDLE_SECONDS if user.role == "desk" else settings.SESSION_IDLE_SECONDS
            )
            if now - seen > idle or now - started > settings.SESSION_COOKIE_AGE:
                logout(request)
                return redirect(f"{reverse('login')}?next={request.path}&expired=1")
            if now - seen > 30:  # write the session at most every 30 seconds
                session[self.KEY_SEEN] = now
            session.setdefault(self.KEY_SEEN, now)
        return None


class RequireMFAMiddleware:
    """Directors, designees, counsel, administrators and consortium operators set up a
    second factor before anything else: until then every page sends them to the set-up
    page. A sign-in through the library's provider whose own second factor the library
    trusts, and which says it used one, stands for it (accounts/oidc.py)."""

    OPEN = ("/accounts/", "/logout/", "/static/", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if (
            needs_login(view_func)
            and user is not None
            and user.is_authenticated
            and user.needs_second_factor
            and not request.path.startswith(self.OPEN)
            and not has_second_factor(user)
            and not oidc.session_did_mfa(request, user)
        ):
            return redirect(f"{reverse('mfa_activate_totp')}?required=1")
        return None


def has_second_factor(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()

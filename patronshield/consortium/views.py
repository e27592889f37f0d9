"""The consortium's pages. Thin: `services` decides and writes (each change an event on the
library's chain)."""

from __future__ import annotations

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from patronshield.accounts.models import Role

from . import services


@require_GET
def page(request):
    """The last 90 days' shared visits: for the director and designees of a library that
    receives warnings. No link to any visit: there is nothing behind it to open."""
    user = request.user
    if not services.may_see_page(user):
        raise PermissionDenied
    s = services.settings_of(user.library)
    context = {
        "settings": s,
        "visits": services.recent() if s.receives else [],
        "days": services.PAGE_DAYS,
        "is_director": user.role == Role.DIRECTOR,
    }
    return render(request, "consortium/page.html", context)


def _library(request):
    user = request.user
    if user.library_id is None or user.role != Role.DIRECTOR:
        raise PermissionDenied
    return user.library


@require_http_methods(["GET", "POST"])
def settings_page(request):
    library = _library(request)
    if request.method == "POST":
        return _save(request, library)
    context = {"library": library, "settings": services.settings_of(library)}
    return render(request, "consortium/settings.html", context)


@reauthentication_required
def _save(request, library):
    services.consortium_settings_update(
        library=library,
        user=request.user,
        shares=request.POST.get("shares") == "on",
        shares_name=request.POST.get("shares_name") == "on",
        receives=request.POST.get("receives") == "on",
    )
    messages.success(request, _("Saved."))
    return redirect("consortium:settings")

"""The director's page for the transparency report and the warrant canary. Thin: the
functions in `transparency` decide and write (each change an event on the chain)."""

from __future__ import annotations

import datetime as dt

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from patronshield.accounts.models import Role

from . import transparency


def _library(request):
    user = request.user
    if user.library_id is None or user.role != Role.DIRECTOR:
        raise PermissionDenied
    return user.library


def _page(request, library, status=200):
    settings = transparency.settings_of(library)
    now = timezone.now()
    as_of = transparency.canary_as_of(library, now, settings)
    lapses = (
        settings.canary_affirmed_at + dt.timedelta(days=transparency.CANARY_DAYS)
        if settings.canary_affirmed_at
        else None
    )
    context = {
        "library": library,
        "settings": settings,
        "as_of": as_of,
        "lapses": lapses,
        "blockers": transparency.canary_blockers(library),
        "rule": transparency.NATIONAL_SECURITY_RULE,
        "days": transparency.CANARY_DAYS,
    }
    return render(request, "transparency/settings.html", context, status=status)


@require_http_methods(["GET", "POST"])
def settings_page(request):
    library = _library(request)
    if request.method == "POST":
        return _save(request, library)
    return _page(request, library)


@reauthentication_required
def _save(request, library):
    transparency.transparency_settings_update(
        library=library,
        user=request.user,
        national_security_bands=request.POST.get("national_security_bands") == "on",
        canary=request.POST.get("canary") == "on",
    )
    messages.success(request, _("Saved."))
    return redirect("transparency:settings")


@require_POST
def affirm(request):
    library = _library(request)
    return _affirm(request, library)


@reauthentication_required
def _affirm(request, library):
    try:
        transparency.canary_affirm(library=library, user=request.user)
    except ValidationError as e:
        for m in e.messages:
            messages.error(request, m)
        return _page(request, library, status=409)
    messages.success(request, _("Re-affirmed. The statement is on the public page."))
    return redirect("transparency:settings")


app_name = "transparency"
urlpatterns = [
    path("", settings_page, name="settings"),
    path("canary/", affirm, name="affirm"),
]

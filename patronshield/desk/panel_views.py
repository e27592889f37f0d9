"""The director's live panel (issue 17, point 2): the library's open encounters first, then
today's and older ones, for the director and designees on a phone; counsel read the ones
they are invited to. On each open one: "I'm on it" (the same acknowledgement as the alert's
link: `notifications.services.encounter_acknowledge`), "call the desk" (the branch's desk
phone) and "tell the desk" (`services.encounter_tell_desk`). Who sees which encounter is
`views.visible_encounters`: under a gag, only the director and counsel invited."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from patronshield.accounts.models import APPROVER_ROLES, Role
from patronshield.notifications import services as alerts

from . import services
from .models import Event
from .pii import confirm_token
from .record import PossiblePatronData
from .result import coming, told
from .views import _encounter, _library_or_403, visible_encounters

PANEL_ROLES = frozenset({*APPROVER_ROLES, Role.COUNSEL})  # counsel read, never act
SHOWS = ("all", "open", "today")
EARLIER_LIMIT = 50

OPEN = Q(closed_at=None, purged_at=None)


def open_encounters(user):
    """The encounters `user` may see that are still open: not closed, not cancelled (that
    closes too), not purged. Never a drill (`visible_encounters`)."""
    return visible_encounters(user).filter(OPEN)


def _panel_user(request):
    _library_or_403(request)
    if request.user.role not in PANEL_ROLES:
        raise PermissionDenied
    return request.user


def _may_act(user) -> bool:
    return user.role in APPROVER_ROLES


def _row(encounter, now) -> dict:
    is_open = not encounter.closed_at and not encounter.purged_at
    if is_open:
        state = coming(encounter, now)
    elif encounter.purged_at:
        state = {"state": "closed", "text": _("Purged under the retention schedule")}
    elif encounter.cancelled:
        state = {"state": "closed", "text": _("Cancelled: started by mistake")}
    else:
        state = {"state": "closed", "text": _("Closed")}
    if now - encounter.started_at < timedelta(minutes=1):
        ago = _("started just now")
    else:
        ago = _("started %(ago)s ago") % {"ago": timesince(encounter.started_at, now, depth=1)}
    return {"e": encounter, "open": is_open, "state": state, "ago": ago}


@require_safe
def panel(request):
    user = _panel_user(request)
    show = request.GET.get("show", "all")
    if show not in SHOWS:
        show = "all"
    branches = list(user.library.branches.order_by("name"))
    branch = request.GET.get("branch", "")
    qs = visible_encounters(user).annotate(
        cancelled=Exists(Event.objects.filter(encounter=OuterRef("pk"), kind="cancelled"))
    )
    if branch.isdigit() and any(b.pk == int(branch) for b in branches):
        qs = qs.filter(branch_id=int(branch))
    else:
        branch = ""
    now = timezone.now()
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    open_rows = [_row(e, now) for e in qs.filter(OPEN).order_by("-started_at")]
    # Nobody on it yet first: those are the ones that need someone.
    open_rows.sort(key=lambda r: r["state"]["state"] == "on_it")
    closed = qs.exclude(OPEN)
    today_rows = [] if show == "open" else [
        _row(e, now) for e in closed.filter(started_at__gte=today).order_by("-started_at")
    ]  # fmt: skip
    earlier_rows = [] if show != "all" else [
        _row(e, now) for e in closed.filter(started_at__lt=today).order_by("-started_at")[
            :EARLIER_LIMIT]
    ]  # fmt: skip
    return render(
        request,
        "desk/panel.html",
        {
            "open_rows": open_rows,
            "today_rows": today_rows,
            "earlier_rows": earlier_rows,
            "show": show,
            "shows": [
                ("all", _("All")),
                ("open", _("Open")),
                ("today", _("Today")),
            ],
            "branches": branches,
            "branch": branch,
            "may_act": _may_act(user),
            "earlier_limit": EARLIER_LIMIT,
        },
    )


def _back(request, encounter):
    """Back to where the button was: the panel (with its filters) or the encounter's page."""
    nxt = request.POST.get("next", "")
    if nxt.startswith("/") and url_has_allowed_host_and_scheme(nxt, allowed_hosts=None):
        return nxt
    return "desk:panel"


@require_POST
def ack(request, pk):
    """ "I'm on it" from the panel or the encounter's page, as the signed-in person."""
    encounter = _encounter(request, pk)
    user = request.user
    if not _may_act(user):
        raise PermissionDenied
    try:
        alerts.encounter_acknowledge(
            encounter=encounter, name=user.display_name, role=user.role, actor=user, via="panel"
        )
    except alerts.AckRefused as e:
        messages.warning(request, alerts.ack_refused_message(e.reason))
    else:
        messages.success(request, _("The desk can see you are on it. Nobody more is called."))
    return redirect(_back(request, encounter))


@require_http_methods(["GET", "POST"])
def tell(request, pk):
    """ "Tell the desk": a short message shown at the top of the desk's page."""
    encounter = _encounter(request, pk)
    user = request.user
    if not _may_act(user):
        raise PermissionDenied
    text = request.POST.get("text", "")
    errors, warning, status = [], None, 200
    if request.method == "POST":
        confirmed = bool(text.strip()) and request.POST.get("confirm") == confirm_token(text)
        try:
            services.encounter_tell_desk(
                encounter=encounter, user=user, text=text, confirmed=confirmed
            )
        except PossiblePatronData as e:
            warning = {"messages": e.messages, "token": confirm_token(text)}
        except ValidationError as e:
            errors, status = e.messages, 400
        else:
            messages.success(request, _("Sent: the desk sees it at the top of their screen."))
            return redirect("desk:panel")
    elif encounter.closed_at or encounter.purged_at:
        errors = [_("This record is closed: nothing more can be added.")]
    return render(
        request,
        "desk/tell.html",
        {
            "encounter": encounter,
            "text": text,
            "errors": errors,
            "warning": warning,
            "told": told(encounter),
            "max": services.TELL_DESK_MAX,
            "closed": bool(encounter.closed_at or encounter.purged_at),
        },
        status=status,
    )


urlpatterns = [
    path("panel/", panel, name="panel"),
    path("desk/<int:pk>/ack/", ack, name="ack"),
    path("desk/<int:pk>/tell/", tell, name="tell"),
]

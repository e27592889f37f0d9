"""The records-request workflow as data: which step may follow which, and who owns each.

    received ─advice→ advised ─decision→ decided ─release*→ decided ─release_closed→ released
    released ─notice→ closed                  (no nondisclosure in force)
    released ─closed_under_gag→ closed        (nondisclosure in force, with no end date)

Counsel's review is done by a user with the counsel role, or by the director recording
counsel's advice under counsel's name (many libraries' counsel has no account); either way
the event says who wrote it and whose advice it is. The decision, the release log and the
patron's notice belong to the director and the designees ("the director or their
designee", as the policy says). A request under a nondisclosure requirement (a National
Security Letter, a FISA order, a court's nondisclosure order) is seen only by the director,
counsel and the designees the director names, never by desk staff or administrators.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from patronshield.accounts.models import APPROVER_ROLES, Role

from .models import GAGGED, RecordsRequest, Release, State

COUNSEL_REVIEW_ROLES = frozenset({Role.COUNSEL, Role.DIRECTOR})
# Roles that see every request of their library that is not under a nondisclosure order.
SEE_ALL_ROLES = frozenset({Role.DIRECTOR, Role.DESIGNEE, Role.ADMIN, Role.COUNSEL})
HOLD_ROLES = frozenset({Role.DIRECTOR, Role.DESIGNEE, Role.ADMIN, Role.COUNSEL})


@dataclass(frozen=True)
class Step:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    roles: frozenset[str]
    todo: str  # the step as a task, for whoever owns it
    # A condition on the request beyond its state, by name (see GUARDS).
    when: str = ""


STEPS: dict[str, Step] = {
    s.name: s
    for s in (
        Step("advice", _("Counsel's advice"), (State.RECEIVED,), State.ADVISED,
             COUNSEL_REVIEW_ROLES, _("Counsel's advice")),
        Step("decision", _("The director's decision"), (State.ADVISED,), State.DECIDED,
             APPROVER_ROLES, _("Decide what is released")),
        Step("release", _("Released"), (State.DECIDED,), State.DECIDED, APPROVER_ROLES,
             _("Log what was released"), when="releases"),
        Step("release_closed", _("Release log closed"), (State.DECIDED,), State.RELEASED,
             APPROVER_ROLES, _("Close the release log")),
        Step("notice", _("Patron notified"), (State.RELEASED,), State.CLOSED, APPROVER_ROLES,
             _("Tell the patron"), when="no_gag"),
        Step("closed_under_gag", _("Closed under nondisclosure"), (State.RELEASED,),
             State.CLOSED, APPROVER_ROLES, _("Close under nondisclosure"), when="gag"),
    )
}  # fmt: skip

GUARDS = {
    "": lambda rr: True,
    "releases": lambda rr: rr.release in (Release.ALL, Release.PART),
    # Closing without notice only when the nondisclosure has no end date: with one, the
    # request waits for it (a reminder is mailed) and the patron is told then.
    "gag": lambda rr: rr.gag_in_force() and rr.nondisclosure_ends is None,
    "no_gag": lambda rr: not rr.gag_in_force(),
}

# Labels of the events that are not steps of the state machine.
OTHER_EVENTS = {
    "received": _("Received"),
    "hold": _("Legal hold set or lifted"),
    "grant": _("Access granted"),
    "reminder": _("Reminder: nondisclosure ended"),
    "purged": _("Details deleted under the retention schedule"),
}


def label(step: str) -> str:
    return STEPS[step].label if step in STEPS else OTHER_EVENTS.get(step, step)


def open_steps(rr: RecordsRequest) -> list[str]:
    """The steps the request's state allows now, in order."""
    if rr.purged_at:
        return []
    return [s.name for s in STEPS.values() if rr.state in s.sources and GUARDS[s.when](rr)]


def can_see(user, rr: RecordsRequest) -> bool:
    if not user.is_authenticated or user.library_id != rr.library_id:
        return False
    if user.role == Role.COUNSEL:  # counsel see what they are invited to, and nothing else
        return (
            rr.received_by_id == user.pk
            or rr.granted.filter(pk=user.pk).exists()
            or bool(rr.encounter_id and rr.encounter.counsel.filter(pk=user.pk).exists())
        )
    if rr.gagged:
        return user.role in (Role.DIRECTOR, Role.COUNSEL) or (
            user.role == Role.DESIGNEE and rr.granted.filter(pk=user.pk).exists()
        )
    return user.role in SEE_ALL_ROLES or rr.received_by_id == user.pk


def may(user, rr: RecordsRequest, step: str) -> bool:
    """The user owns this step of this request (whatever its state)."""
    return can_see(user, rr) and user.role in STEPS[step].roles


def visible(user) -> QuerySet[RecordsRequest]:
    """The requests of the user's library that the user's role may see."""
    qs = RecordsRequest.objects.filter(library_id=user.library_id).select_related("library")
    if user.library_id is None:
        return qs.none()
    gag = GAGGED
    if user.role == Role.DIRECTOR:
        return qs
    if user.role == Role.COUNSEL:  # only what they are invited to: here, or on the visit
        invited = Q(granted=user) | Q(encounter__counsel=user) | Q(received_by=user)
        return qs.filter(invited).distinct()
    if user.role == Role.DESIGNEE:
        return qs.filter(~gag | Q(granted=user)).distinct()
    if user.role == Role.ADMIN:
        return qs.exclude(gag)
    return qs.exclude(gag).filter(received_by=user)

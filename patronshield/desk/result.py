"""What the result screen says about danger, the alerts and whom to call: one function, from
the decision and whom the alerts actually reach (the escalation's own chain: under a gag the
director and counsel, in a drill only who opted in), so the banner, the call list and the
script never contradict one another. The templates only render it."""

from datetime import timedelta

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from patronshield.notifications.models import Contact
from patronshield.notifications.services import chain, who_acknowledged


def _verdict(outcome: str) -> str:
    return {
        "permit": _("Do not interfere"),
        "comply_after_approval": _("Ask them to wait for the director"),
        "refer": _("Hand nothing over: the director and counsel respond"),
    }.get(outcome, _("Politely decline"))


def nobody_alerted(encounter) -> str:
    """What the desk is told when no alert goes out at all."""
    if encounter.drill:
        return _("Nobody is alerted: nobody on the roster opted in to drills.")
    return _("Nobody is on the roster to alert: call the director.")


def _alerts(encounter, alerted: list[Contact]) -> str:
    if encounter.acknowledged_at:
        return _("%(name)s is on it.") % {"name": encounter.acknowledged_by}
    if not alerted:
        return nobody_alerted(encounter)
    if encounter.drill:
        return _("Only people who opted in to drills are alerted, and their message says DRILL.")
    if encounter.gagged:
        return _(
            "The director and counsel are being alerted. Call them too: the numbers are below."
        )
    return _("The director and designees are being alerted. Call them too: the numbers are below.")


def voice(encounter, decision: dict) -> dict:
    """The banner and the call list for `encounter`'s result under `decision`:
    `call_911` (an active threat to life: a tel:911 button before anything else, not a
    link in a drill),
    `verdict`, `alerts` (who is being alerted, or who is on it), `gag` and `roster`
    (whom to call: whom the alerts reach, counsel only when the decision consults them)."""
    alerted = chain(encounter)
    roster = [
        c for c in alerted if c.role != Contact.Role.COUNSEL or decision.get("consult_counsel")
    ]
    return {
        # The desk's "is anyone in danger?" is the engine's active threat (scenario_for).
        "call_911": bool(encounter.emergency),
        "call_911_href": "" if encounter.drill else "tel:911",  # a drill never dials
        "verdict": _verdict(decision["outcome"]),
        "alerts": _alerts(encounter, alerted),
        "gag": bool(decision.get("nondisclosure")),
        "roster": roster,
        "call_nobody": (
            nobody_alerted(encounter)
            if encounter.drill
            else _("No director or designee is on the roster yet. Ask your administrator.")
        ),
    }


def clock(encounter, at) -> str:
    """HH:MM in the library's time zone."""
    from .timeline import library_zone

    return timezone.localtime(at, library_zone(encounter.library)).strftime("%H:%M")


def told(encounter) -> list[dict]:
    """The messages the director told the desk, newest first, each with who, in what role
    and when (HH:MM), for the top of the desk's page."""
    from .services import desk_messages

    return [
        {**m, "role": _role_label(m["role"]), "time": clock(encounter, m["at"])}
        for m in desk_messages(encounter)
    ]


def _role_label(value: str) -> str:
    from patronshield.accounts.models import Role

    return str(Role(value).label).lower() if value in Role.values else value


def on_it(who: dict, now) -> str:
    """ "Dana Director (director) is on it: 2 min ago"."""
    minutes = max(0, int((now - who["at"]).total_seconds() // 60))
    values = {"name": who["name"], "role": _role_label(who["role"]), "n": minutes}
    if not who["role"]:
        if minutes < 1:
            return _("%(name)s is on it: just now") % values
        return (
            ngettext(
                "%(name)s is on it: %(n)d min ago", "%(name)s is on it: %(n)d min ago", minutes
            )
            % values
        )
    if minutes < 1:
        return _("%(name)s (%(role)s) is on it: just now") % values
    return (
        ngettext(
            "%(name)s (%(role)s) is on it: %(n)d min ago",
            "%(name)s (%(role)s) is on it: %(n)d min ago",
            minutes,
        )
        % values
    )


def next_call_at(encounter):
    """When the escalation calls the next person: the last wave's queue time plus the
    library's delay (as `notifications.services.sweep` reckons it)."""
    began = (
        encounter.notifications.filter(wave=encounter.escalation_wave).aggregate(
            at=Max("created_at")
        )["at"]
        or encounter.started_at
    )
    return began + timedelta(seconds=encounter.library.reescalation_seconds)


def coming(encounter, now=None) -> dict:
    """Who is coming, for the top of the desk's page: `state` ("on_it", "waiting",
    "everyone", "nobody", "closed") and `text`, one sentence. Derived from whom the
    alerts actually reach (`chain`), as `voice` is: under a gag the director and counsel
    only; in a drill only who opted in, never anyone else."""
    now = now or timezone.now()
    if encounter.closed_at or encounter.purged_at:
        return {"state": "closed", "text": ""}
    who = who_acknowledged(encounter)
    if who:
        return {"state": "on_it", "text": on_it(who, now)}
    alerted = chain(encounter)
    if not alerted:
        return {"state": "nobody", "text": nobody_alerted(encounter)}
    told = set(encounter.notifications.values_list("contact_id", flat=True))
    if not [c for c in alerted if c.pk not in told]:
        if encounter.drill:
            text = _(
                "Nobody has answered yet: everyone who takes drill alerts has been told. "
                "In a real visit you would call the director now."
            )
        elif encounter.gagged:
            text = _(
                "Nobody has answered yet: the director and counsel have been told. "
                "Call the director."
            )
        else:
            text = _(
                "Nobody has answered yet: everyone on the roster has been told. Call the director."
            )
        return {"state": "everyone", "text": text}
    at = next_call_at(encounter)
    if at <= now:
        return {
            "state": "waiting",
            "text": _("Nobody has answered yet: calling the next person now"),
        }
    return {
        "state": "waiting",
        "text": _("Nobody has answered yet: calling the next person at %(time)s")
        % {"time": clock(encounter, at)},
        "at": at,
    }

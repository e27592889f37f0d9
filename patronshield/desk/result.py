"""What the result screen says about danger, the alerts and whom to call: one function, from
the decision and whom the alerts actually reach (the escalation's own chain: under a gag the
director and counsel, in a drill only who opted in), so the banner, the call list and the
script never contradict one another. The templates only render it."""

from django.utils.translation import gettext as _

from patronshield.notifications.models import Contact
from patronshield.notifications.services import chain


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

"""An encounter's events in plain words, for the record page and the counsel export.

One line per event, in chain order, with its local time and who did it. What an event says
comes only from its stored `data`; a purged event says that its content was deleted.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from patronshield.policy import defect_reasons

from .models import Document, Encounter, Event, Outcome
from .record import ITEM_ACTIONS

CHANNELS = {
    "email": gettext_lazy("e-mail"),
    "sms": gettext_lazy("text message"),
    "text": gettext_lazy("text message"),
    "call": gettext_lazy("phone call"),
    "webhook": gettext_lazy("webhook"),
}
ANSWER_FIELDS = ("agency", "request", "document", "emergency", "patron_consent", "requester",
                 "crime_at_library")  # fmt: skip


@dataclass
class Line:
    event: Event
    at: datetime  # in the library's time zone
    kind: str
    text: str
    who: str
    purged: bool


def library_zone(library) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(library.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def _choice(model_field: str, value) -> str:
    field = Encounter._meta.get_field(model_field)
    if isinstance(value, bool) or value is None:
        return {True: _("yes"), False: _("no"), None: _("not answered")}[value]
    return str(dict(field.choices).get(value, value))


def answer_text(data: dict) -> str:
    parts = []
    for name in ANSWER_FIELDS:
        if name in data:
            label = capfirst(Encounter._meta.get_field(name).verbose_name)
            parts.append(f"{label}: {_choice(name, data[name])}")
    return "; ".join(parts) or _("Answer recorded")


def _channels(names) -> str:
    return ", ".join(str(CHANNELS.get(c, c)) for c in names or [])


def _contact_role(value: str) -> str:
    """The roster role in the reader's language (events before this kept the label itself)."""
    from patronshield.notifications.models import Contact

    return str(Contact.Role(value).label) if value in Contact.Role.values else value


def describe(event: Event, items: dict[int, str] | None = None) -> str:
    """What happened, in one sentence of the current language."""
    if event.purged_at or event.data is None:
        return _("Content deleted under the retention schedule")
    d, K = event.data, Event.Kind
    match event.kind:
        case K.STARTED:
            if d.get("device"):
                return _("Silent alert from the device “%(device)s”") % {"device": d["device"]}
            return _("Started at the desk")
        case K.ANSWERED:
            return answer_text(d)
        case K.DECIDED:
            outcome = dict(Outcome.choices).get(d.get("outcome"), d.get("outcome", ""))
            return _("Decision from the policy: %(outcome)s") % {"outcome": outcome}
        case K.DOCUMENT:
            if d.get("error"):
                return _("A document could not be checked: %(error)s") % {"error": d["error"]}
            kind = dict(Document.choices).get(d.get("found") or "unknown", d.get("found"))
            pages = d.get("pages") or 0
            return ngettext(
                "Document checked (%(pages)s page): %(kind)s",
                "Document checked (%(pages)s pages): %(kind)s",
                pages,
            ) % {"pages": pages, "kind": kind}
        case K.QUEUED if d.get("cancel"):
            return _("“Cancelled” queued for %(name)s, %(role)s (%(channels)s)") % {
                "role": _contact_role(d.get("role", "")),
                "name": d.get("contact", ""),
                "channels": _channels(d.get("channels")),
            }
        case K.QUEUED if d.get("update"):
            return _("Update with the decision queued for %(name)s, %(role)s (%(channels)s)") % {
                "role": _contact_role(d.get("role", "")),
                "name": d.get("contact", ""),
                "channels": _channels(d.get("channels")),
            }
        case K.QUEUED:
            return _("Alert queued for %(name)s, %(role)s (%(channels)s)") % {
                "role": _contact_role(d.get("role", "")),
                "name": d.get("contact", ""),
                "channels": _channels(d.get("channels")),
            }
        case K.SENT if d.get("cancel"):
            return _("“Cancelled” delivered to %(name)s by %(channel)s") % {
                "name": d.get("contact", ""),
                "channel": _channels([d.get("channel")]),
            }
        case K.SENT if d.get("confirmed"):
            return _("The phone network confirmed delivery to %(name)s by %(channel)s") % {
                "name": d.get("contact", ""),
                "channel": _channels([d.get("channel")]),
            }
        case K.SENT if d.get("update"):
            return _("Update with the decision delivered to %(name)s by %(channel)s") % {
                "name": d.get("contact", ""),
                "channel": _channels([d.get("channel")]),
            }
        case K.SENT:
            return _("Alert delivered to %(name)s by %(channel)s") % {
                "name": d.get("contact", ""),
                "channel": _channels([d.get("channel")]),
            }
        case K.FAILED:
            if str(d.get("error", "")).startswith("withheld"):
                return _("Not sent to %(name)s: the document forbids telling others") % {
                    "name": d.get("contact", "")
                }
            return _("Alert to %(name)s by %(channel)s not delivered: %(error)s") % {
                "name": d.get("contact", ""),
                "channel": _channels([d.get("channel")]),
                "error": d.get("error", ""),
            }
        case K.ESCALATED:
            if d.get("contact"):
                return _("Nobody answered in time: alerting %(name)s") % {"name": d["contact"]}
            return _("Everyone on the roster has been told; nobody has answered yet")
        case K.ACKNOWLEDGED:
            return _("%(name)s (%(role)s) is on it") % {
                "name": d.get("contact", ""),
                "role": _contact_role(d.get("role", "")),
            }
        case K.OFFICER:
            parts = [d.get("name"), d.get("agency")]
            if d.get("badge"):
                parts.append(_("badge %(badge)s") % {"badge": d["badge"]})
            parts += [d.get("contact"), d.get("vehicle")]
            parts.append(_("ID checked") if d.get("id_checked") else _("ID not checked"))
            return _("Officer: %(details)s") % {"details": ", ".join(p for p in parts if p)}
        case K.ITEM:
            if "marked_missing" in d:
                what = (items or {}).get(d["marked_missing"], "")
                return _("Marked missing in the catalogue: %(item)s") % {
                    "item": what or f"#{d['marked_missing']}"
                }
            action = ITEM_ACTIONS.get(d.get("action"), d.get("action"))
            text = f"{action}: {d.get('description')}"
            if d.get("from_collection"):
                text += " (" + _("from the collection") + ")"
            if d.get("barcode"):
                text += " · " + _("item barcode %(barcode)s") % {"barcode": d["barcode"]}
            return text
        case K.RECEIPT:
            if d.get("kept"):
                return _("Officer's receipt photographed (kept encrypted)")
            return _("Officer's receipt photographed (only its fingerprint kept)")
        case K.NOTE:
            return _("Note: %(text)s") % {"text": d.get("text", "")}
        case K.TOLD_DESK:
            return _("Told the desk: %(text)s") % {"text": d.get("text", "")}
        case K.APPROVAL:
            text = _("Approved") if d.get("approved") else _("Refused")
            if d.get("note"):
                text += f": {d['note']}"
            return text
        case K.OVERRIDE:
            reasons = defect_reasons(d.get("defects", []), d.get("document", ""), get_language())
            text = _("Document check set aside by the director (%(what)s): %(reason)s")
            return text % {
                "what": " ".join(reasons),
                "reason": d.get("reason", ""),
            }
        case K.LEFT:
            return _("The officers left")
        case K.CLOSED:
            return _("Record closed")
        case K.CANCELLED:
            return _("Cancelled, started by mistake: %(reason)s") % {"reason": d.get("reason", "")}
        case K.HOLD:
            if d.get("on"):
                return _("Legal hold set: %(reason)s") % {"reason": d.get("reason", "")}
            text = _("Legal hold lifted")
            return f"{text}: {d['reason']}" if d.get("reason") else text
        case K.CHECKPOINT:
            return _("Signed checkpoint at event %(seq)s") % {"seq": d.get("seq")}
        case K.EXPORTED:
            return _("Exported for counsel (PDF, SHA-256 %(sha256)s)") % {
                "sha256": d.get("sha256", "")
            }
    return str(event.get_kind_display())


def who(event: Event) -> str:
    if event.actor_id:
        return event.actor.display_name
    data = event.data or {}
    if event.kind == Event.Kind.ACKNOWLEDGED and data.get("contact"):
        return data["contact"]
    if data.get("device"):
        return _("Silent alert device")
    return _("Patron Shield (automatic)")


def lines(encounter: Encounter) -> list[Line]:
    events = list(encounter.events.select_related("actor").order_by("seq"))
    items = {
        e.seq: e.data.get("description", "")
        for e in events
        if e.kind == Event.Kind.ITEM and e.data and "description" in e.data
    }
    zone = library_zone(encounter.library)
    return [
        Line(
            event=e,
            at=timezone.localtime(e.at, zone),
            kind=str(e.get_kind_display()),
            text=describe(e, items),
            who=who(e),
            purged=bool(e.purged_at),
        )
        for e in events
    ]

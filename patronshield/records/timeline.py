"""A request's timeline, read from its events on the chain, in words."""

from __future__ import annotations

from django.utils.translation import gettext as _

from patronshield.desk.models import Agency, Event, Outcome

from . import workflow
from .models import Advice, Asked, Kind, NoticeMethod, RecordsRequest, Release

CHOICES = {
    "kind": dict(Kind.choices),
    "agency": dict(Agency.choices),
    "asked": dict(Asked.choices),
    "advice": dict(Advice.choices),
    "release": dict(Release.choices),
    "method": dict(NoticeMethod.choices),
    "outcome": dict(Outcome.choices),
}


def _row(label, value=None, items=None, mono=False):
    return {"label": label, "value": value, "items": items, "mono": mono}


def _shown(kind: str, value) -> str:
    return str(CHOICES[kind].get(value, value)) if value else ""


def details(step: str, d: dict) -> list[dict]:
    rows: list[dict] = []
    if step == "received":
        rows += [
            _row(_("Document"), _shown("kind", d.get("kind"))),
            _row(_("Agency or office"), _shown("agency", d.get("agency"))),
            _row(_("Officer or official"), d.get("officer")),
            _row(_("Case or document number"), d.get("reference")),
            _row(_("Asked for"), _shown("asked", d.get("asked"))),
            _row(_("What is asked for"), d.get("description")),
            _row(_("Deadline"), d.get("deadline")),
        ]
        if d.get("nondisclosure"):
            rows.append(_row(_("Nondisclosure"), d.get("nondisclosure_ends") or _("no end date")))
        files = [f["sha256"] for f in d.get("files", [])]
        rows.append(_row(_("Files (SHA-256)"), items=files, mono=True))
    elif step == "advice":
        rows += [
            _row(_("Advice"), _shown("advice", d.get("advice"))),
            _row(_("Counsel"), d.get("counsel")),
            _row(_("Notes"), d.get("notes")),
        ]
        if d.get("recorded_by_role") == "director":
            rows.append(_row(_("Recorded by"), _("the director, for counsel")))
    elif step == "decision":
        rows += [
            _row(_("Decision"), _shown("release", d.get("release"))),
            _row(_("Legal basis"), d.get("legal_basis")),
            _row(_("Policy and statutes cited"), items=d.get("citations", [])),
            _row(_("The policy engine proposed"),
                 _shown("outcome", (d.get("engine") or {}).get("outcome"))),
        ]  # fmt: skip
    elif step == "release":
        rows += [
            _row(_("What was handed over"), d.get("what")),
            _row(_("To whom"), d.get("recipient")),
            _row(_("Under"), d.get("under")),
            _row(_("Released on"), d.get("released_on")),
            _row(_("Files (SHA-256)"), items=[f["sha256"] for f in d.get("files", [])],
                 mono=True),
        ]  # fmt: skip
    elif step == "release_closed":
        rows.append(_row(_("Items released"), str(d.get("items", 0))))
    elif step == "notice":
        rows += [
            _row(_("Notified on"), d.get("notified_on")),
            _row(_("How"), _shown("method", d.get("method"))),
            _row(_("Remarks"), d.get("note")),
        ]
    elif step == "hold":
        rows += [
            _row(_("Hold"), _("set") if d.get("on") else _("lifted")),
            _row(_("Why"), d.get("reason")),
        ]
    elif step == "grant":
        rows.append(
            _row(_("Access granted to") if d.get("on") else _("Access withdrawn from"),
                 d.get("name"))
        )  # fmt: skip
    elif step == "reminder":
        rows.append(_row(_("E-mailed to"), items=d.get("to", [])))
    elif step == "purged":
        rows.append(_row(_("Files deleted"), str(d.get("records_files", 0))))
    return [r for r in rows if r["value"] or r["items"]]


def timeline(rr: RecordsRequest) -> list[dict]:
    events = (
        Event.objects.filter(library_id=rr.library_id, ref=rr.ref)
        .select_related("actor")
        .order_by("seq")
    )
    rows = []
    for e in events:
        data = e.data or {}
        step = data.get("step", "")
        rows.append(
            {
                "seq": e.seq,
                "at": e.at,
                "step": step,
                "label": workflow.label(step)
                if data
                else _("This step's details were deleted under the retention schedule"),
                "actor": e.actor.display_name if e.actor else _("Patron Shield"),
                "details": details(step, data),
                "hash": e.hash,
                "purged": bool(e.purged_at),
            }
        )
    return rows

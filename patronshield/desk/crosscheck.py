"""The records against their events: what `verify-log` adds to the hash chain.

The services write an encounter's fields (and a records request's) in the transaction that
appends the event recording them. Someone with the database can edit the field and leave
the event alone: the chain still verifies, while the transparency report, the warrant
canary and the retention purge read the field. `Replay` reads the events once, in order,
as `verify_library` walks the chain, rebuilds each field an event decides, and then names
each record whose field says otherwise (one query per kind of record, none per record).

What is checked is what the events say:
- fields given in an event's content (the answers, the decision, who acknowledged, the
  legal hold, a drill; a request's document, dates, advice, decision, notice, state) must
  equal the latest event's; once the purge has deleted a record's content, they are not
  checked (the hashes prove the content existed, not what it was);
- whether a record was started, decided, acknowledged, closed (or cancelled: started by
  mistake) or purged, and by whom,
  comes from the events' headers, which the purge keeps;
- when: an encounter's start (a request's receipt) is the time its first event's content
  records, and the purge's event repeats it (the report counts a purged visit by its
  start); every other time is its event's own, to the microsecond. The demo back-dates
  an encounter (its started event says so): its other times lie between its start and
  their events. A record written before its first event recorded its time, and a purged
  one but for its start, only has times no later than their events'. The purge may be
  given its own time.
"""

from __future__ import annotations

import datetime as dt

from patronshield.policy import vocab

from .models import Encounter, Event

K = Event.Kind
ANSWERS = ("agency", "request", "document", "emergency", "patron_consent", "requester",
           "crime_at_library")  # fmt: skip
ENCOUNTER_DEFAULTS = {
    **dict.fromkeys(ANSWERS[:3], ""),
    "emergency": None,
    "patron_consent": None,
    "requester": "",
    "crime_at_library": None,
    "outcome": "",
    "drill": False,
    "legal_hold": False,
    "acknowledged_by": "",
}
# A request's fields as its events name them: {step: {field: key in the event's data}}.
REQUEST_FIELDS = {
    "received": {f: f for f in ("kind", "requester", "agency", "officer", "reference",
                                "asked", "description", "received_on", "deadline",
                                "nondisclosure_ends")},
    "advice": {"advice": "advice", "advice_notes": "notes", "counsel_name": "counsel"},
    "decision": {"release": "release", "legal_basis": "legal_basis", "citations": "citations"},
    "notice": {"notice_on": "notified_on", "notice_method": "method", "notice_note": "note"},
    "hold": {"legal_hold": "on"},
}  # fmt: skip
REQUEST_DEFAULTS = {
    **{f: "" for fields in REQUEST_FIELDS.values() for f in fields},
    "deadline": None,
    "nondisclosure_ends": None,
    "notice_on": None,
    "citations": [],
    "legal_hold": False,
    "state": "received",
    "requester": "officer",  # requests received before it was asked: an officer's
}
# The header of the step's event: (time field, actor field) on the request.
REQUEST_STAMPS = {
    "received": ("created_at", "received_by_id"),
    "advice": ("advised_at", "advised_by_id"),
    "decision": ("decided_at", "decided_by_id"),
    "release_closed": ("released_at", None),
    "notice": ("closed_at", "closed_by_id"),
    "closed_under_gag": ("closed_at", "closed_by_id"),
    "purged": ("purged_at", None),
}


class _Record:
    def __init__(self):
        self.values = {}  # field -> what the latest event says
        self.stamps = {}  # field -> (time of the event, its actor)
        self.said = {}  # field -> the time its event's content records
        self.exact = False  # every other time is its event's own
        self.since = None  # back-dated: no time before this one
        self.purged = False  # some of its content was deleted by the purge
        self.gag_unknown = False  # a request: whether its encounter was gagged is unknown


class Replay:
    def __init__(self, library_id: int):
        self.library_id = library_id
        self.encounters: dict[int, _Record] = {}
        self.requests: dict[int, _Record] = {}

    # ------------------------------------------------------------------------ reading

    def feed(self, e: Event) -> None:
        data = None if e.purged_at else e.data
        if e.kind == K.PURGED and data:
            for pk in data.get("encounters", []):
                self._encounter(pk).stamps["purged_at"] = (e.at, False)
            for pk in data.get("drills", []):
                self._encounter(pk).stamps["purged_at"] = (e.at, True)
            for pk, at in data.get("started", {}).items():  # as its started event said
                self._encounter(int(pk)).said["started_at"] = dt.datetime.fromisoformat(at)
        elif e.ref.startswith("records:"):
            self._request_event(e, data)
        elif e.encounter_id is not None:
            self._encounter_event(self._encounter(e.encounter_id), e, data)

    def _encounter(self, pk) -> _Record:
        return self.encounters.setdefault(pk, _Record())

    def _encounter_event(self, s: _Record, e: Event, data) -> None:
        if data is None:
            s.purged = True
        values = s.values if data is not None else {}
        if e.kind == K.STARTED:
            if "started_at" not in s.stamps and data and "started_at" in data:
                s.said["started_at"] = dt.datetime.fromisoformat(data["started_at"])
                s.exact = not data.get("backdated")
                s.since = None if s.exact else s.said["started_at"]
            s.stamps.setdefault("started_at", (e.at, e.actor_id))
            if data is not None:  # a silent alert may carry the first answers
                values.update({k: data[k] for k in ANSWERS[:3] if k in data})
                values["drill"] = bool(data.get("drill"))
        elif e.kind == K.ANSWERED:
            values.update({k: v for k, v in (data or {}).items() if k in ANSWERS})
            if data is not None and vocab.REQUEST_CLASSES.get(values.get("request")) != (
                "patron_info"
            ):
                values["patron_consent"] = None
            # A decision follows in the same transaction if every answer is in.
            s.values.update(outcome="", rules=None)
            s.stamps.pop("decided_at", None)
        elif e.kind == K.DECIDED:
            s.stamps["decided_at"] = (e.at, None)
            patrons = vocab.REQUEST_CLASSES.get(values.get("request")) == "patron_info"
            if data is not None and patrons and not values.get("requester"):
                # Decided before "Who is asking?" was asked: an officer's (migration 0014).
                values["requester"] = "officer"
            values.update(outcome=(data or {}).get("outcome"), rules=(data or {}).get("rules"))
        elif e.kind == K.ACKNOWLEDGED and "acknowledged_at" not in s.stamps:
            s.stamps["acknowledged_at"] = (e.at, None)
            if data is not None:
                values["acknowledged_by"] = data.get("contact")
        elif e.kind in (K.CLOSED, K.CANCELLED):  # "started by mistake" closes it too
            s.stamps.setdefault("closed_at", (e.at, e.actor_id))
        elif e.kind == K.HOLD and data is not None:
            values["legal_hold"] = bool(data.get("on"))

    def _request_event(self, e: Event, data) -> None:
        pk = e.ref.partition(":")[2]
        if not pk.isdigit():
            return
        r = self.requests.setdefault(int(pk), _Record())
        if data is None:
            r.purged = True
            return
        step = data.get("step")
        r.values.update(
            {
                f: data.get(key, REQUEST_DEFAULTS[f])
                for f, key in REQUEST_FIELDS.get(step, {}).items()
            }
        )
        if step in REQUEST_STAMPS:
            time_field, actor_field = REQUEST_STAMPS[step]
            r.stamps[time_field] = (e.at, e.actor_id)
        from patronshield.records.workflow import STEPS

        if step in STEPS:
            r.values["state"] = STEPS[step].target
        if step == "received":
            if "created_at" in data:
                r.said["created_at"] = dt.datetime.fromisoformat(data["created_at"])
                r.exact = True
            r.values["encounter_id"] = e.encounter_id
            r.values["nondisclosure"] = bool(data.get("nondisclosure"))
            s = self.encounters.get(e.encounter_id)
            r.values["encounter_gagged"] = bool(
                s and s.values.get("document") in vocab.GAG_DOCUMENTS
            )
            r.gag_unknown = bool(s and s.purged)

    # ---------------------------------------------------------------------- comparing

    def contradictions(self):
        """(record, field, what it says, what its events say) for each field that differs."""
        yield from self._encounter_contradictions()
        yield from self._request_contradictions()

    def _encounter_contradictions(self):
        fields = ["pk", "started_by_id", *ENCOUNTER_DEFAULTS, "authorized", "decision",
                  "started_at", "decided_at", "acknowledged_at", "closed_at", "closed_by_id",
                  "purged_at"]  # fmt: skip
        rows = {r["pk"]: r for r in Encounter.objects.filter(library_id=self.library_id)
                .values(*fields).order_by("pk")}  # fmt: skip
        for pk in sorted(set(rows) | set(self.encounters)):
            name = f"encounter {pk}"
            row, s = rows.get(pk), self.encounters.get(pk, _Record())
            if row is None:
                yield name, "library", "another library", "this library"
                continue
            if "started_at" not in s.stamps:
                yield name, "started_at", row["started_at"], "no event of its start"
                continue
            yield from _stamped(name, row, s, "started_at", "started_by_id")
            yield from _stamped(name, row, s, "closed_at", "closed_by_id")
            for field in ("decided_at", "acknowledged_at", "purged_at"):
                yield from _stamped(name, row, s, field)
            if "purged_at" in s.stamps and row["drill"] != s.stamps["purged_at"][1]:
                yield name, "drill", row["drill"], s.stamps["purged_at"][1]
            if s.purged:
                continue  # the content the fields came from is gone
            expected = {**ENCOUNTER_DEFAULTS, **s.values}
            for field in ENCOUNTER_DEFAULTS:
                if row[field] != expected[field]:
                    yield name, field, row[field], expected[field]
            decision = row["decision"] or {}
            if expected["outcome"]:
                said = {"outcome": expected["outcome"], "rules": expected["rules"]}
                for key, value in said.items():
                    if decision.get(key) != value:
                        yield name, f"decision.{key}", decision.get(key), value
                if row["authorized"] != decision.get("authorized"):
                    yield name, "authorized", row["authorized"], decision.get("authorized")
            elif decision or row["authorized"] is not None:
                yield name, "decision", decision.get("outcome"), "no decision"

    def _request_contradictions(self):
        from patronshield.records.models import GAG_KINDS, RecordsRequest

        stamps = [f for pair in REQUEST_STAMPS.values() for f in pair if f]
        fields = {"pk", "encounter_id", "nondisclosure_order", *REQUEST_DEFAULTS, *stamps}
        rows = {r["pk"]: r for r in RecordsRequest.objects.filter(library_id=self.library_id)
                .values(*fields).order_by("pk")}  # fmt: skip
        for pk in sorted(set(rows) | set(self.requests)):
            name = f"records request {pk}"
            row, r = rows.get(pk), self.requests.get(pk, _Record())
            if row is None:
                yield name, "library", "another library", "this library"
                continue
            if r.purged:  # only the purge's own event still says something
                yield from _stamped(name, row, r, "purged_at")
                continue
            if "created_at" not in r.stamps:
                yield name, "received_on", row["received_on"], "no event of its receipt"
                continue
            for time_field, actor_field in dict(REQUEST_STAMPS.values()).items():
                yield from _stamped(name, row, r, time_field, actor_field)
            expected = {**REQUEST_DEFAULTS, **r.values}
            for field in (*REQUEST_DEFAULTS, "encounter_id"):
                value = row[field]
                value = value.isoformat() if hasattr(value, "isoformat") else value
                if value != expected[field]:
                    yield name, field, value, expected[field]
            # Under a nondisclosure order when received: by its kind, its encounter's
            # document or the order itself; only the order is a field of its own.
            said, order = r.values["nondisclosure"], row["nondisclosure_order"]
            others = row["kind"] in GAG_KINDS or r.values["encounter_gagged"] or r.gag_unknown
            if (order and not said) or (said and not order and not others):
                yield name, "nondisclosure_order", order, not order


def _stamped(name, row, s: _Record, time_field, actor_field=None):
    """Set if and only if its event exists, at the time it says (see the top), by the
    event's actor."""
    stamp = s.stamps.get(time_field)
    at = row[time_field]
    if (at is None) != (stamp is None):
        yield name, time_field, at, stamp[0] if stamp else None
    elif stamp and (said := _when(s, time_field, stamp[0])) and at != said:
        yield name, time_field, at, said
    elif stamp and time_field != "purged_at" and not (s.since or at) <= at <= stamp[0]:
        since = f"not before {s.since.isoformat()}, " if s.since else ""
        yield name, time_field, at, f"{since}no later than {stamp[0].isoformat()}"
    elif stamp and actor_field and row[actor_field] != stamp[1]:
        yield name, actor_field, row[actor_field], stamp[1]


def _when(s: _Record, time_field, event_at):
    """The exact time the field must hold, if the events tell it."""
    if time_field in s.said:
        return s.said[time_field]
    if s.exact and time_field != "purged_at":  # the purge may be given `now`
        return event_at
    return None


def check(replay: Replay, report) -> None:
    """Add each contradiction to the verifier's report."""
    for record, field, found, said in replay.contradictions():
        found, said = (v.isoformat() if isinstance(v, dt.datetime) else v for v in (found, said))
        report.fail(None, f"{record}: {field} is {found!r} but its events say {said!r}")

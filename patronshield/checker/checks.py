"""Validity checks: does the paper hold here, now? Each passed, failed or not found, with the
words it rests on; and the defects (policy.vocab.DOCUMENT_DEFECTS) the others make."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from .commands import (
    ADDRESS,
    Commands,
    Part,
    fold,
    library_pattern,
    parse_date,  # noqa: F401 - the desk reads a check's dates with it
    read_commands,
    street_pattern,
)

FEDERAL_DAYS = 14  # Fed. R. Crim. P. 41(e)(2)(A)
FEDERAL = re.compile(r"united\W{0,3}states", re.IGNORECASE)
# The kinds that command a release, and which of them a judge must sign.
COMMANDING_KINDS = ("court_order", "judicial_subpoena", "grand_jury_subpoena", "fisa_order")
SIGNED_BY_A_JUDGE = ("court_order", "fisa_order")


# What a check adds to the words it quotes, in English for the command line; the desk
# translates the note from its code and parameters.
NOTES = {
    "deadline_passed": "the deadline has passed (today is {today})",
    "over_federal_limit": "more than {days} days after it was issued",
    "over_state_limit": "more than {days} days after it was issued ({ref})",
    "local_time": "it is {time} here",
    "not_this_library": "not {library}",
    "no_library": "no library is set up here to compare it with",
}


@dataclass(frozen=True)
class Check:
    check: str
    result: str  # "passed", "failed" or "not_found"
    quote: str  # the words of the paper the check rests on
    note: str = ""  # a key of NOTES, or ""
    params: dict = field(default_factory=dict)

    @property
    def evidence(self) -> str:
        """The quote and the note, in English."""
        if not self.note:
            return self.quote
        return f"{self.quote} — {NOTES[self.note].format(**self.params)}"

    def as_dict(self):
        out = {"check": self.check, "result": self.result, "evidence": self.evidence}
        if self.note:
            out |= {"quote": self.quote, "note": self.note, "params": self.params}
        return out


def state_window(state: str):
    """The state's search-warrant execution window, where its table confirms one."""
    from patronshield.policy.engine import state_tables

    table = state_tables().get(state)
    return table.warrant_window if table else None


def _found(name: str, part: Part | None) -> Check:
    return Check(name, "passed", part.evidence) if part else Check(name, "not_found", "")


def _signature_check(commands: Commands) -> Check:
    """Signed by a judge: a judge's name and title where the paper is signed."""
    sig = commands.signature
    if sig is None:
        return Check("judge_signature", "not_found", "")
    return Check("judge_signature", "passed" if commands.judge_signed else "failed", sig.evidence)


def _deadline_check(commands: Commands, *, context, now: datetime) -> Check:
    """Within its execution window: the paper's own date, no later than the state's window
    (its table, with the rule) or Rule 41's 14 days for a federal warrant."""
    today = now.date()
    issued = date.fromisoformat(commands.issued.value) if commands.issued else None
    deadline = date.fromisoformat(commands.execute_by.value) if commands.execute_by else None
    federal = bool(commands.court and FEDERAL.search(commands.court.value))
    window = None if federal or not context else state_window(context.state)
    limit, note, params = None, "", {}
    if federal:
        limit, note, params = FEDERAL_DAYS, "over_federal_limit", {"days": FEDERAL_DAYS}
    elif window:
        limit, note, params = (
            window.days,
            "over_state_limit",
            {"days": window.days, "ref": window.ref},
        )
    if deadline and deadline < today:  # the paper's own date has passed: say that first
        return Check(
            "execution_deadline",
            "failed",
            commands.execute_by.evidence,
            "deadline_passed",
            {"today": today.isoformat()},
        )
    if issued and limit is not None:
        last = issued + timedelta(days=limit)
        if today > last:
            return Check("execution_deadline", "failed", commands.issued.evidence, note, params)
        if deadline and deadline > last:
            return Check("execution_deadline", "failed", commands.execute_by.evidence, note, params)
    if deadline is None:
        return Check("execution_deadline", "not_found", "")
    return Check("execution_deadline", "passed", commands.execute_by.evidence)


def _daytime_check(text: str, *, context, now: datetime) -> Check:
    anytime = re.search(r"at any time in the day or night", text, re.IGNORECASE)
    daytime = re.search(
        r"in the daytime(?: between)?(?: 6:00 ?a\.?m\.? (?:to|and) 10:00 ?p\.?m\.?)?"
        r"|6:00 ?a\.?m\.? (?:to|and) 10:00 ?p\.?m\.?",
        text,
        re.IGNORECASE,
    )
    local = now.astimezone(context.zone) if context else now
    if anytime:
        return Check("daytime", "passed", anytime.group(0))
    if daytime:
        inside = 6 <= local.hour < 22
        return Check(
            "daytime",
            "passed" if inside else "failed",
            daytime.group(0),
            "local_time",
            {"time": f"{local:%H:%M}"},
        )
    return Check("daytime", "not_found", "")


def _place_check(commands: Commands, *, context) -> Check:
    """The place to be searched is this library: its street address, or its name where the
    place gives no other address. With no library configured nothing about place passes."""
    place = commands.place
    if place is None:
        return Check("place_matches_library", "not_found", "")
    library = library_pattern(context)
    if library is None:
        return Check("place_matches_library", "not_found", place.evidence, "no_library")
    described = fold(place.value)
    street = street_pattern(getattr(context, "address", "") or "")
    if street and re.search(street, described, re.IGNORECASE):
        return Check("place_matches_library", "passed", place.evidence)
    other_address = ADDRESS.search(described)
    name = (context.name or "").strip()
    if name and not other_address and re.search(library, described, re.IGNORECASE):
        return Check("place_matches_library", "passed", place.evidence)
    return Check(
        "place_matches_library",
        "failed",
        place.evidence,
        "not_this_library",
        {"library": name or context.address},
    )


def search_warrant_checks(
    text: str, hits=(), *, context, now: datetime, commands: Commands | None = None
) -> list[Check]:
    commands = commands or read_commands(text, context=context, kind="judicial_search_warrant")
    return [
        _found("court_named", commands.court),
        _signature_check(commands),
        _found("date_issued", commands.issued),
        _deadline_check(commands, context=context, now=now),
        _daytime_check(text, context=context, now=now),
        _place_check(commands, context=context),
        _found("items_described", commands.records),
    ]


def command_checks(commands: Commands, *, kind: str) -> list[Check]:
    """An order or a subpoena: it commands this library (its name, or its custodian of
    records), and names the records or items to produce; an order is signed by a judge."""
    addressee = commands.addressee
    if addressee is None:
        addressed = Check("addressed_to_library", "not_found", "")
    else:
        result = "passed" if addressee.who == "library" else "failed"
        addressed = Check("addressed_to_library", result, addressee.evidence)
    checks = [_found("court_named", commands.court)]
    if kind in SIGNED_BY_A_JUDGE:
        checks.append(_signature_check(commands))
    checks += [addressed, _found("records_named", commands.records)]
    if commands.produce_by:
        checks.append(_found("date_to_produce", commands.produce_by))
    return checks


def document_checks(
    kind: str, text: str, *, context, now: datetime, commands: Commands
) -> list[Check]:
    """The checks for a paper of this kind ([] for a kind that authorizes nothing here)."""
    if kind == "judicial_search_warrant":
        return search_warrant_checks(text, context=context, now=now, commands=commands)
    if kind in COMMANDING_KINDS:
        return command_checks(commands, kind=kind)
    return []


# Which check, failed or not found, makes which defect (policy.vocab.DOCUMENT_DEFECTS).
DEFECTS = {
    "judge_signature": ("not_signed", "not_signed"),
    "place_matches_library": ("wrong_place", "place_not_confirmed"),
    "execution_deadline": ("expired", "deadline_not_confirmed"),
    "daytime": ("night_time", None),
    "addressed_to_library": ("not_addressed_to_library", "not_addressed_to_library"),
    "records_named": ("no_records_named", "no_records_named"),
}


def defects(checks: list[Check]) -> list[str]:
    """The codes of what keeps the paper from holding here, in the vocabulary's order."""
    from patronshield.policy.vocab import DOCUMENT_DEFECTS

    found = set()
    for c in checks:
        failed, unconfirmed = DEFECTS.get(c.check, (None, None))
        code = failed if c.result == "failed" else unconfirmed if c.result == "not_found" else None
        if code:
            found.add(code)
    return [d for d in DOCUMENT_DEFECTS if d in found]

"""Validity checks for a search warrant: each passed, failed or not found, with evidence."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    )
}
MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
DATE = (
    rf"(?P<date>{MONTH}\.? \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}}"
    r"|\d{1,2}/\d{1,2}/\d{2,4}|\d{4}-\d{2}-\d{2}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)? day of {MONTH},? \d{{4}})"
)
FEDERAL_DAYS = 14
# "Hon. Jane Roe, United States Magistrate Judge": the printed name and title at the foot.
PRINTED_TITLE = re.compile(
    r"(?:(?:hon\.?|honorable)\s+)?[A-Z][A-Za-z.'\-]+(?: [A-Z][A-Za-z.'\-]+){0,3},?\s+"
    r"(?:United States |U\.S\. )?(?:Magistrate Judge|District Judge|Circuit Judge|"
    r"Superior Court Judge|Probate Judge|County Judge|Magistrate|Judge)\b"
)  # Fed. R. Crim. P. 41(e)(2)(A)


# What a check adds to the words it quotes, in English for the command line; the desk
# translates the note from its code and parameters.
NOTES = {
    "deadline_passed": "the deadline has passed (today is {today})",
    "over_federal_limit": "more than {days} days after it was issued",
    "over_state_limit": "more than {days} days after it was issued ({ref})",
    "local_time": "it is {time} here",
    "not_this_library": "not {library}",
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


def parse_date(s: str) -> date | None:
    s = s.lower().replace(",", " ").replace(".", " ")
    s = re.sub(r"(\d)(st|nd|rd|th)", r"\1", s)
    try:
        if m := re.match(r"(\d{4})-(\d{2})-(\d{2})", s):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := re.match(r"(\d{1,2})/(\d{1,2})/(\d{2,4})", s):
            year = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
            return date(year, int(m[1]), int(m[2]))
        if m := re.match(r"(\d{1,2}) day of ([a-z]+)\s+(\d{4})", s):
            return date(int(m[3]), MONTHS[m[2][:3]], int(m[1]))
        if m := re.match(r"([a-z]+)\s+(\d{1,2})\s+(\d{4})", s):
            return date(int(m[3]), MONTHS[m[1][:3]], int(m[2]))
    except (ValueError, KeyError):
        return None
    return None


def _near(pattern: str, text: str, span: int = 120) -> tuple[date | None, str]:
    m = re.search(pattern + rf".{{0,{span}}}?" + DATE, text, re.IGNORECASE)
    if not m:
        return None, ""
    return parse_date(m.group("date")), m.group(0)


def _street(address: str) -> str | None:
    """'4184 W. Jefferson Ave., Ecorse…' -> a pattern for '4184 … Jefferson'."""
    m = re.match(r"\s*(\d+)\s+(?:[NSEW]\.?\s+)?([A-Za-z]+)", address)
    return rf"\b{m[1]}\s+(?:[NSEW]\.?\s+)?{m[2]}" if m else None


def state_window(state: str):
    """The state's search-warrant execution window, where its table confirms one."""
    from patronshield.policy.engine import state_tables

    table = state_tables().get(state)
    return table.warrant_window if table else None


def search_warrant_checks(text: str, hits, *, context, now: datetime) -> list[Check]:
    checks = []
    court = next((h for h in hits if h.signal.court), None)
    checks.append(
        Check("court_named", "passed", court.evidence)
        if court
        else Check("court_named", "not_found", "")
    )
    judge = [h for h in hits if h.signal.judge]
    titles = list(PRINTED_TITLE.finditer(text))
    if judge:
        evidence = titles[-1].group(0).strip() if titles else judge[-1].evidence
        checks.append(Check("judge_signature", "passed", evidence))
    else:
        checks.append(Check("judge_signature", "not_found", ""))

    issued, issued_ev = _near(r"(?:date and time issued|issued|dated|signed)", text)
    checks.append(
        Check("date_issued", "passed", issued_ev)
        if issued
        else Check("date_issued", "not_found", "")
    )

    deadline, deadline_ev = _near(r"on or before", text, span=20)
    today = now.date()
    federal = re.search(r"united states district court", text, re.IGNORECASE)
    # A state's warrant follows the state's own execution window (its table says, with the
    # rule's citation); a federal one, Fed. R. Crim. P. 41.
    window = None if federal or not context else state_window(context.state)
    if deadline is None and issued and window and today > issued + timedelta(days=window.days):
        checks.append(
            Check(
                "execution_deadline",
                "failed",
                issued_ev,
                "over_state_limit",
                {"days": window.days, "ref": window.ref},
            )
        )
    elif deadline is None:
        checks.append(Check("execution_deadline", "not_found", ""))
    elif deadline < today:
        checks.append(
            Check(
                "execution_deadline",
                "failed",
                deadline_ev,
                "deadline_passed",
                {"today": today.isoformat()},
            )
        )
    elif issued and window and deadline > issued + timedelta(days=window.days):
        checks.append(
            Check(
                "execution_deadline",
                "failed",
                deadline_ev,
                "over_state_limit",
                {"days": window.days, "ref": window.ref},
            )
        )
    elif issued and federal and deadline > issued + timedelta(days=FEDERAL_DAYS):
        checks.append(
            Check(
                "execution_deadline",
                "failed",
                deadline_ev,
                "over_federal_limit",
                {"days": FEDERAL_DAYS},
            )
        )
    else:
        checks.append(Check("execution_deadline", "passed", deadline_ev))

    anytime = re.search(r"at any time in the day or night", text, re.IGNORECASE)
    daytime = re.search(
        r"in the daytime(?: between)?(?: 6:00 ?a\.?m\.? (?:to|and) 10:00 ?p\.?m\.?)?"
        r"|6:00 ?a\.?m\.? (?:to|and) 10:00 ?p\.?m\.?",
        text,
        re.IGNORECASE,
    )
    local = now.astimezone(context.zone) if context else now
    if anytime:
        checks.append(Check("daytime", "passed", anytime.group(0)))
    elif daytime:
        inside = 6 <= local.hour < 22
        checks.append(
            Check(
                "daytime",
                "passed" if inside else "failed",
                daytime.group(0),
                "local_time",
                {"time": f"{local:%H:%M}"},
            )
        )
    else:
        checks.append(Check("daytime", "not_found", ""))

    place = None
    if context:
        names = [re.escape(context.name)]
        if street := _street(context.address or ""):
            names.append(street)
        place = re.search("|".join(names), text, re.IGNORECASE)
    described = re.search(
        r"(?:in the matter of the search of|search (?:of )?the following|premises known as"
        r"|property to be searched)[^.]{0,160}",
        text,
        re.IGNORECASE,
    )
    if place:
        checks.append(Check("place_matches_library", "passed", place.group(0)))
    elif described and context:
        checks.append(
            Check(
                "place_matches_library",
                "failed",
                described.group(0),
                "not_this_library",
                {"library": context.name},
            )
        )
    else:
        checks.append(Check("place_matches_library", "not_found", ""))

    items = re.search(
        r"(?:items to be seized|property to be seized|person or property to be seized"
        r"|seize the following|attachment b|to be seized)[^.]{0,160}",
        text,
        re.IGNORECASE,
    )
    checks.append(
        Check("items_described", "passed", items.group(0))
        if items
        else Check("items_described", "not_found", "")
    )
    return checks

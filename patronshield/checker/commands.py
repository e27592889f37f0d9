"""What a paper commands, of whom: the court, the signature block, the addressee, the place
to be searched or the person to be arrested, the records or items, and the dates, each with
the words of the paper it rests on. Reads text folded by classify.normalize. Stdlib only."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, fields
from datetime import date

# A judge's title, federal or state, longest first. Not an immigration judge or an
# administrative law judge: both are executive-branch officers.
_COURT_WORDS = (
    r"magistrate|district|circuit|bankruptcy|superior|probate|family|juvenile|municipal|"
    r"county|city|common pleas|claims|criminal|civil|surrogate.s|chancery|trial|justice"
)
JUDGE_TITLE = (
    r"(?i:(?<!immigration )(?<!administrative law )(?<!law )"
    r"(?:(?:chief|senior|presiding|associate|acting|assigned|visiting)\s+)*"
    r"(?:(?:united states|u\.\s?s\.)\s+)?"
    rf"(?:(?:(?:{_COURT_WORDS})(?:\s+court)?\s+)+judge(?:\s+of\s+(?:the\s+)?[a-z ]{{3,40}}?court)?"
    r"|judge\s+of\s+(?:the\s+)?(?:probate|circuit|superior|district|county|municipal|"
    r"juvenile|family|common pleas)(?:\s+court)?"
    r"|justice(?:\s+of\s+the\s+(?:peace|supreme court))?"
    r"|magistrate(?:\s+judge)?"
    r"|judge)\b(?!\s+of\s+immigration))"
)
# Whoever else may sign: never a judge.
OTHER_SIGNER = (
    r"(?i:deputy clerk|clerk of (?:the )?court|clerk|attorney for [a-z ]{3,30}|attorney|"
    r"special agent(?: in charge)?|deportation officer|immigration officer|"
    r"field office director|supervisory [a-z ]{3,40}officer|officer|detective|agent)"
)
# A state's name before a signature is the "City and state:" line, not the judge's name.
STATES = (
    "alabama|alaska|arizona|arkansas|california|colorado|connecticut|delaware|florida|georgia|"
    "hawaii|idaho|illinois|indiana|iowa|kansas|kentucky|louisiana|maine|maryland|"
    "massachusetts|michigan|minnesota|mississippi|missouri|montana|nebraska|nevada|"
    "ohio|oklahoma|oregon|pennsylvania|tennessee|texas|utah|vermont|virginia|washington|"
    "wisconsin|wyoming|columbia"
)
_NOT_NAME = (
    r"(?!(?i:united|states|u\.s\.|chief|senior|district|magistrate|circuit|judge|justice|hon|"
    r"honorable|the|court|clerk|deputy|signature|or|dated|date|signed|entered|so|ordered|it|"
    r"is|and|of|for|by|you|your|special|supervisory|assistant|"
    rf"city|county|state|printed|name|title|{STATES})\b)"
)
NAME = rf"\b{_NOT_NAME}[A-Z][A-Za-z.'\-]*(?:\s+{_NOT_NAME}[A-Z][A-Za-z.'\-]*){{0,4}}"
HON = r"(?i:(?:the\s+)?hon(?:orable|\.)?\s+)"
SIGNED_AS_JUDGE = re.compile(
    # "Hon. Jane Roe, United States Magistrate Judge", "JANE ROE DISTRICT JUDGE",
    # "Judge Amit P. Mehta", "HONORABLE PAUL D. BORMAN": name and title, either order.
    rf"(?:{HON})?(?P<name>{NAME}),?\s+(?P<title>{JUDGE_TITLE})"
    rf"|(?P<title2>{JUDGE_TITLE})\s+(?P<name2>{NAME})"
    # "Hon." alone, unless an official who is no judge: "Hon. Ann Roe, Secretary of …".
    rf"|{HON}(?P<name3>(?>{NAME}))(?!,?\s+(?i:secretary|director|commissioner|attorney|officer|"
    r"agent|governor|mayor|senator|representative|sheriff|chief of))",
)
SIGNED_AS_OTHER = re.compile(rf"(?P<name>{NAME}),?\s+(?P<title>{OTHER_SIGNER})\b")
# Where a paper is signed: the words that open a signature block.
SIGNATURE_MARK = re.compile(
    r"/s/|\bs/\s|judge.s signature|signature of (?:judge|magistrate)|date and time issued|"
    r"\bordered\b|\bissued\s*:|judge\s*/\s*magistrate|\bdated\b|\bentered\b|\bsigned\b|"
    r"printed name and title|"
    r"issuing officer.s signature|by the court|witness my hand|given under my hand|"
    r"\bENTER\s*:",
    re.IGNORECASE,
)
# A title that is not a signature: "before the Honorable …", "the magistrate judge's report".
BODY_REFERENCE = re.compile(
    r"(?:before|to|of|from|by|with|and|recommendation)\s+(?:the\s+)?(?:hon(?:orable|\.)?\s+)?$",
    re.IGNORECASE,
)
FOOT = 0.8  # the last fifth of the text is the foot of the page

STATE_NAME = (
    r"(?-i:(?:New|North|South|West|Rhode|NEW|NORTH|SOUTH|WEST|RHODE)\s+[A-Z][A-Za-z]+"
    r"|[A-Z][A-Za-z]+)"
)
COURT = re.compile(
    r"united\W{0,3}states\W{0,3}(?:district|bankruptcy)\W{0,3}co[uv]rt"
    rf"|(?:united states )?court of (?:criminal |civil )?appeals(?:\s*for the \w+ circuit"
    rf"|\s+(?:of|for)\s+(?:the\s+)?(?:state\s+of\s+)?{STATE_NAME})?"
    rf"(?:(?:\s+for\s+the)?\s+(?:[a-z]+\s+)?district\s+of\s+{STATE_NAME})?"
    r"|united states foreign intelligence surveillance court"
    r"|(?:in\s+the\s+)?(?:(?:\d+\w{2}|[a-z]+)\s+judicial\s+|\d+\w{2}\s+)?"
    r"(?:circuit|district|superior|county|municipal|probate|supreme|justice|family|juvenile)"
    rf"\s+court(?:\s+(?:of|for)\s+(?:the\s+)?(?:state|county|city|district)\s+of\s+{STATE_NAME})?"
    rf"|court of common pleas(?:,?\s+{STATE_NAME}\s+county)?",
    re.IGNORECASE,
)

OFFICERS = re.compile(
    r"\bto\s*:?\s*(?:the\s+)?(?:sheriff or\s+)?any\s+(?:authorized\s+)?(?:federal\s+)?"
    r"(?:law enforcement|peace|police|immigration)\s+officers?"
    r"(?:\s+(?:of|in)\s+(?:this|the)\s+(?:state|united states)(?:\s+of\s+[A-Z][a-z]+)?"
    r"(?:\s+department of homeland security)?)?"
    r"|\bto the sheriff(?: or any peace officer)?",
    re.IGNORECASE,
)
TO_LINE = re.compile(
    r"\bto\s*:\s*(?P<who>.{3,140}?)(?=\s+(?:y\s?ou are|\(name of|greetings|"
    r"under the authority|re\s*:|subject\s*:|from\s*:|dear\b)|$)",
    re.IGNORECASE,
)
# The court's own words of command, the one definition (the classifier's `it_is_ordered`
# signal and the addressee below both read it): "IT IS (HEREBY) ORDERED", "it is further
# ordered", "ORDERED, ADJUDGED AND DECREED", "The Court, on its own motion, ORDERS the
# parties to…"; never a title or a sentence that speaks of an order ("an order for…",
# "the court orders entered in this case").
ORDERS = (
    r"\bit [i1l|]s,? (?:(?:therefore|hereby|further|also|accordingly),? )*ordered\b"
    r"(?:,? adjudged)?(?:,? and (?:adjudged|decreed))?"
    r"|\bordered,? adjudged,? and decreed\b|\bordered and adjudged\b"
    # A paragraph that opens "ORDERED that …" (in capitals: the court's decretal style).
    r"|(?-i:(?:^|(?<=[.;:] )|(?<=\bAND )|(?<=\band ))ORDERED,? (?:that|THAT)\b)"
    r"|\bthe court,? (?:[^.;]{0,60}?, )?(?:hereby )?orders\b(?=:| as follows| that\b| the\b|"
    r" all\b| each\b| plaintiffs?\b| defendants?\b| counsel\b| [a-z]+ to\b)"
)
# The words that close an order: "SO ORDERED", "DONE AND ORDERED".
SO_ORDERED = r"\b(?:so|done and) ordered\b"
ORDERED = re.compile(
    rf"(?:{ORDERS})\s*(?:that\s+)?:?\s*"
    r"(?:\d\.\s*)?(?P<who>.{3,140}?)\s+(?:shall|must|is|are|will|may)\b"
    r"|(?P<who2>(?:[\w'.,]+\s+){0,3}[\w'.,]+)\s+(?:is|are)\s+(?:hereby\s+)?"
    r"(?:directed|ordered|commanded)\s+to\b",
    re.IGNORECASE,
)
PARTY = re.compile(
    r"\b(?:plaintiffs?|defendants?|petitioners?|respondents?|appellants?|appellees?|movants?|"
    r"the parties|counsel|the government|the united states|the clerk|the state|the people|"
    r"the debtors?|the trustee|intervenors?|claimants?)\b",
    re.IGNORECASE,
)
CUSTODIAN = re.compile(r"custodian of (?:the )?records|records? custodian", re.IGNORECASE)

PLACE = re.compile(
    r"(?:in the matter of the search of|search (?:of )?the following (?:described )?"
    r"(?:place|premises|person or property)[^:]{0,140}:|premises known as|"
    r"(?:property|place|premises) to be searched(?: and give its location)?\)?\s*:?|"
    r"(?:command(?:ed)?(?: that)? you (?:to )?search)(?! the following))"
    r"\s*(?:\([^)]{0,160}\)\s*)*(?P<place>.{3,240}?)"
    r"(?=\s+(?:and (?:to )?seize|the (?:person or )?property to be seized|"
    r"search and seizure warrant|warrant by telephone|to\s*: |to any |you are commanded|"
    r"for the following|\(identify the person|case no|\)|i find that|"
    r"(?:the )?(?:affidavit|property to be seized|items to be seized))|$)",
    re.IGNORECASE,
)
DIRECTION = r"(?:[NSEW]\.?|north|south|east|west)\s+"
ADDRESS = re.compile(rf"\b(\d{{1,6}})\s+(?:{DIRECTION})?([A-Za-z]{{3,}})", re.IGNORECASE)
# A place that is still the form's instruction, not a description.
FORM_PROMPT = re.compile(r"\((?:briefly describe|identify the person)", re.IGNORECASE)
PERSON = re.compile(
    rf"\(name of person to be arrested\)\s*(?P<who>{NAME})"
    rf"|\barrest (?:and take into custody )?(?P<who2>{NAME})",
)
RECORD_WORDS = (
    r"records?|documents?|logs?|sign-?in|circulation|registration|accounts?|files?|data|"
    r"emails?|video|footage|images?|photographs?|computers?|laptops?|hard drives?|"
    r"devices?|phones?|books?|ledgers?|histor(?:y|ies)|lists?|sheets?|information about|"
    r"information (?:concerning|regarding|relating)"
)
ITEMS = re.compile(
    r"(?:items to be seized|property to be seized|person or property to be seized|"
    r"seize the following(?: property)?|attachment b|to be seized)\)?\s*:?\s*"
    r"(?P<what>[^.]{3,160})",
    re.IGNORECASE,
)
# What is to be produced: the form's own field ("Material:", "the following records: …"), or
# what a command says to produce.
LISTED = re.compile(
    r"(?:\bmaterial\s*:|the following [^:.]{0,160}:|records listed below\s*:)"
    r"\s*(?P<what>[^.]{3,200})",
    re.IGNORECASE,
)
PRODUCE = re.compile(
    r"\b(?:produce|disclose|release|provide|turn over|deliver|make available)\b(?!\s+of\b)"
    r"(?:\s+to\s+[^.]{0,40}?)?\s*(?P<what>[^.]{3,200})",
    re.IGNORECASE,
)
# Form wording that names nothing: "produce at the time, date, and place set forth below".
BOILERPLATE = re.compile(
    r"^(?:at the time|the following|documents,? (?:information|electronically)|"
    r"(?:the )?records listed below|any\s*$)",
    re.IGNORECASE,
)
# A command, not a title: "shall produce", "commanded to produce", "to release".
COMMANDING = re.compile(r"(?:shall|must|will|to)\s+(?:\w+\s+)?$", re.IGNORECASE)
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
    rf"|\d{{1,2}}(?:st|nd|rd|th)? day of {MONTH},? \d{{4}}"
    rf"|\d{{1,2}} {MONTH}\.?,? \d{{4}})"
)
ISSUED = r"(?:date and time issued|issued|dated|signed|entered|date\s*:)"
EXECUTE_BY = r"on or before"
PRODUCE_BY = r"(?:on or before|no later than|date and time\s*:|appear (?:on|at))"


@dataclass(frozen=True)
class Part:
    """One thing the paper says: what was read, and the words it rests on."""

    value: str
    evidence: str
    who: str = ""  # the addressee's kind: officers, library, party or other

    def as_dict(self) -> dict:
        out = {"value": self.value, "evidence": self.evidence}
        if self.who:
            out["who"] = self.who
        return out


@dataclass(frozen=True)
class Commands:
    court: Part | None = None
    signature: Part | None = None  # value: the name and title where the paper is signed
    judge_signed: bool = False  # the signature block holds a judge's title
    addressee: Part | None = None
    place: Part | None = None
    person: Part | None = None
    records: Part | None = None
    issued: Part | None = None
    execute_by: Part | None = None
    produce_by: Part | None = None

    def as_dict(self) -> dict:
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, Part):
                out[f.name] = value.as_dict()
        if self.signature:
            out["signature"]["judge"] = self.judge_signed
        return out


def library_pattern(context) -> str | None:
    """This library's name or street address as a pattern; None when none is configured
    (an empty name would match every paper)."""
    names = []
    if context is not None and (context.name or "").strip():
        names.append(r"\s+".join(re.escape(w) for w in context.name.split()))
    if context is not None and (street := street_pattern(context.address or "")):
        names.append(street)
    return "|".join(names) or None


def street_pattern(address: str) -> str | None:
    """'4184 W. Jefferson Ave., Ecorse…' -> a pattern for '4184 … Jefferson'."""
    m = ADDRESS.match(address.strip())
    return rf"\b{m[1]}\s+(?:{DIRECTION})?{m[2]}\b" if m else None


def fold(text: str) -> str:
    """Without accents, for matching a name read by OCR ("Ecorsé" is Ecorse)."""
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )


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
        if m := re.match(r"(\d{1,2})\s+([a-z]+)\s+(\d{4})", s):
            return date(int(m[3]), MONTHS[m[2][:3]], int(m[1]))
        if m := re.match(r"([a-z]+)\s+(\d{1,2})\s+(\d{4})", s):
            return date(int(m[3]), MONTHS[m[1][:3]], int(m[2]))
    except (ValueError, KeyError):
        return None
    return None


def _date_after(label: str, text: str, span: int = 120) -> Part | None:
    m = re.search(label + rf".{{0,{span}}}?" + DATE, text, re.IGNORECASE)
    if not m:
        return None
    day = parse_date(m.group("date"))
    return Part(day.isoformat(), m.group(0)) if day else None


def _signature(text: str) -> tuple[Part | None, bool]:
    """The name and title where the paper is signed: after a signature mark or at the foot
    of the text, never a title quoted in the body ("before the Honorable …")."""
    marks = [m.end() for m in SIGNATURE_MARK.finditer(text)]
    foot = int(len(text) * FOOT)

    def in_block(m: re.Match) -> bool:
        if BODY_REFERENCE.search(text[max(0, m.start() - 40) : m.start()]):
            return False
        at_foot = m.end() >= foot or len(text) - m.end() <= 300
        return at_foot or any(0 <= m.start() - end <= 300 for end in marks)

    judges = [m for m in SIGNED_AS_JUDGE.finditer(text) if in_block(m)]
    if judges:
        m = judges[-1]
        name = m["name"] or m["name2"] or m["name3"]
        title = m["title"] or m["title2"] or ""
        value = ", ".join(x.strip() for x in (name, title) if x and x.strip())
        return Part(value, m.group(0).strip()), True
    others = [m for m in SIGNED_AS_OTHER.finditer(text) if in_block(m)]
    if others:
        m = others[-1]
        return Part(f"{m['name'].strip()}, {m['title']}", m.group(0).strip()), False
    return None, False


def _who(words: str, text: str, library: str | None) -> str:
    """What kind of addressee `words` name: this library (by name, or "the library" or its
    custodian of records where the paper names this library), officers, a party, other."""
    words, text = fold(words), fold(text)
    if library and re.search(library, words, re.IGNORECASE):
        return "library"
    generic = re.search(r"\blibrary\b", words, re.IGNORECASE) or CUSTODIAN.search(words)
    another = re.search(r"\b(?!The\b)[A-Z][a-z]+\s+(?:Public\s+)?Library\b", words)
    if generic and library and not another and re.search(library, text, re.IGNORECASE):
        return "library"  # "the Library", "Records custodian": this one, named elsewhere
    if re.search(r"\bofficer|\bsheriff|\bconstable|\bmarshal", words, re.IGNORECASE):
        return "officers"
    if PARTY.search(words):
        return "party"
    return "other"


def _addressee(text: str, library: str | None) -> Part | None:
    candidates: list[Part] = []
    if m := OFFICERS.search(text):
        candidates.append(Part(m.group(0).strip(), m.group(0).strip(), "officers"))
    for m in TO_LINE.finditer(text):
        who = m["who"].strip(" ,;")
        candidates.append(Part(who, m.group(0).strip(), _who(who, text, library)))
    for m in ORDERED.finditer(text):
        who = (m["who"] or m["who2"] or "").strip(" ,;")
        candidates.append(Part(who, m.group(0).strip(), _who(who, text, library)))
    if not candidates:
        return None
    # This library, if any command names it; else who is commanded first.
    return next((p for p in candidates if p.who == "library"), candidates[0])


def _records(text: str) -> Part | None:
    """The records or items the paper names: what is to be seized, or what is to be
    produced where a command says so ("shall produce …"), not a title ("Order for Release
    of Library Records") nor the form's own wording ("the following documents")."""
    found = [m for pattern in (ITEMS, LISTED, PRODUCE) for m in pattern.finditer(text)]
    named = [
        m
        for m in found
        if not BOILERPLATE.search(m["what"].strip(" :;,"))
        and re.search(RECORD_WORDS, m["what"], re.IGNORECASE)
    ]
    commanded = [
        m
        for m in named
        if m.re is not PRODUCE or COMMANDING.search(text[max(0, m.start() - 30) : m.start()])
    ]
    m = (commanded or named or [None])[0]
    return Part(m["what"].strip(" :;,"), m.group(0).strip()) if m else None


def read_commands(text: str, *, context=None, kind: str = "") -> Commands:
    """What the paper commands, of whom, read from its (normalized) text."""
    library = library_pattern(context)
    court = COURT.search(text[:1500]) or COURT.search(text)
    signature, judge_signed = _signature(text)
    places = [
        m
        for m in PLACE.finditer(text)
        if len(re.findall(r"[A-Za-z]", m["place"])) >= 3 and not FORM_PROMPT.search(m["place"])
    ]
    # The fullest description: the one with a street address, else the first.
    place = next((m for m in places if ADDRESS.search(m["place"])), places[0] if places else None)
    place_words = " / ".join(dict.fromkeys(m["place"].strip(" ,;:") for m in places))
    person = PERSON.search(text)
    warrant = kind in ("judicial_search_warrant", "judicial_arrest_warrant")
    return Commands(
        court=Part(court.group(0).strip(), court.group(0).strip()) if court else None,
        signature=signature,
        judge_signed=judge_signed,
        addressee=_addressee(text, library),
        place=Part(place_words, place.group(0).strip()) if place else None,
        person=Part((person["who"] or person["who2"]).strip(), person.group(0).strip())
        if person
        else None,
        records=_records(text),
        issued=_date_after(ISSUED, text),
        execute_by=_date_after(EXECUTE_BY, text, span=20) if warrant else None,
        produce_by=None if warrant else _date_after(PRODUCE_BY, text, span=40),
    )

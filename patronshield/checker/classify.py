"""A transparent, rule-based classifier: weighted signals read from data/signals.toml,
each reported with the words that triggered it. Standard library only."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from patronshield.policy import vocab

from . import commands
from .ocr import quality

JUDICIAL = frozenset(
    {
        "judicial_search_warrant",
        "judicial_arrest_warrant",
        "judicial_subpoena",
        "grand_jury_subpoena",
        "court_order",
        "fisa_order",
    }
)
# The checker's verdicts: the engine's documents that are papers, plus `other` and `unknown`.
KINDS = tuple(d for d in vocab.DOCUMENTS if d not in ("none", "verbal"))
# Who must have signed for a judicial kind to stand.
JUDICIAL_SIGNERS = {
    "judicial_search_warrant": {"judge", "magistrate"},
    "judicial_arrest_warrant": {"judge", "magistrate", "clerk", None},
    # An order is known by its caption, its title and the court's words of command; whether
    # a judge signed it is a validity check (`judge_signature`), not what makes it an order:
    # the first page of an order, minutes entered by the clerk, an order "Entered for the
    # Court" by the clerk are orders all the same, and unsigned they authorize nothing.
    "court_order": {"judge", "magistrate", "clerk", None},
    "judicial_subpoena": {"judge", "magistrate", "clerk", "attorney", None},
    "grand_jury_subpoena": {"judge", "magistrate", "clerk", "attorney", None},
    "fisa_order": {"judge", "clerk", None},  # the court's clerk certifies its copies
}
MIN_SCORE = 5
CARD_TITLE = re.compile(
    r"\b(?:special agent|officer|detective|sergeant|lieutenant|deputy|investigator|"
    r"trooper|agent)\b",
    re.IGNORECASE,
)
MIN_MARGIN = 2
# Where a form prints its number: the head of the page, the start of a line (a caption, the
# footer line) or just before its revision date: "AO 93 (Rev. 11/13)", "DHS Form I-247A (3/17)".
FORM_HEAD = 300
REVISION = re.compile(r"\s*\(\s*(?:rev\.?\s*)?\d{1,2}/\d{2,4}\s*\)", re.IGNORECASE)
LINE_START = re.compile(r"^\W{0,3}(?:(?:u\.?s\.? )?(?:dhs|ice)\s+)?(?:form\s*)?$", re.IGNORECASE)
# Why a paper about a form is not the form (the reason the checker gives).
ABOUT = {
    "guide": "a guide to forms or legal papers, not the paper itself",
    "template": "a template or model of a form, not a paper that was issued",
    "memo": "an agency memo or internal record about a form or an order, not the paper itself",
    "flyer": "a flyer about forms and rights, not a legal paper",
    "release": "a copy released to the public (FOIA or declassified), not a paper served here",
}
SAMPLE_REASON = "this is a sample"
PROPOSED_REASON = (
    "a proposed order, which a party submits: it is an order only once the judge signs and "
    "dates it, and no date of signing is filled in"
)
# Where a paper is dated as signed ("DATED:", "Signed", "Entered this"): not a hearing's
# "Date:" in the caption. The judge's comes last (after the parties' in a stipulation).
SIGNING_DATE = re.compile(r"\b(?:dated|signed|entered)\b\.?\s*:?,?\s*(?:this\s+)?", re.IGNORECASE)
FILLED_DATE = re.compile(commands.DATE, re.IGNORECASE)


def entered(text: str) -> bool:
    """Has the court acted on this proposed order: is its last date of signing filled in
    ("DATED: October 2, 2020", "Entered this 3rd day of May, 2021"), not a blank line?"""
    labels = list(SIGNING_DATE.finditer(text))
    return bool(labels) and FILLED_DATE.match(text, labels[-1].end()) is not None


@dataclass(frozen=True)
class Signal:
    id: str
    pattern: re.Pattern | None
    weights: dict
    court: bool = False
    judge: bool = False
    veto: bool = False
    letterhead: bool = False
    signer: str | None = None
    form: str | None = None
    head: int | None = None
    requires: str | None = None
    line: re.Pattern | None = None
    about: str | None = None
    sample: bool = False
    title: bool = False
    proposed: bool = False
    orders_are: str | None = None
    block: bool = False


@dataclass(frozen=True)
class Hit:
    signal: Signal
    evidence: str
    start: int
    end: int
    last: int  # where its last occurrence starts (signatures sit at the bottom)
    # A form number or a title quoted in running text, not printed where the form prints it:
    # it adds no weight and names no form (a veto still holds).
    mention: bool = False


@dataclass
class Classification:
    kind: str
    confidence: float
    needs_human_review: bool
    form: str | None
    signed_by: str | None
    hits: list[Hit]
    scores: dict[str, int]
    reason: str = ""
    text: str = ""
    extra: dict = field(default_factory=dict)
    sample: bool = False  # a "SAMPLE" / "SPECIMEN" / "VOID" copy, not the real thing

    @property
    def signals(self) -> list[dict]:
        return [{"signal": h.signal.id, "evidence": h.evidence} for h in self.hits]


# Patterns defined once in code and named in signals.toml as "@name".
NAMED_PATTERNS = {"court_orders": f"{commands.ORDERS}|{commands.SO_ORDERED}"}


def _pattern(source: str | None) -> re.Pattern | None:
    if source is None:
        return None
    if source.startswith("@"):
        source = NAMED_PATTERNS[source[1:]]
    return re.compile(source, re.IGNORECASE)


@cache
def signals() -> tuple[Signal, ...]:
    with (Path(__file__).parent / "data" / "signals.toml").open("rb") as f:
        raw = tomllib.load(f)["signal"]
    return tuple(
        Signal(
            id=s["id"],
            pattern=_pattern(s.get("pattern")),
            weights=s.get("weights", {}),
            court=s.get("court", False),
            judge=s.get("judge", False),
            veto=s.get("veto", False),
            letterhead=s.get("letterhead", False),
            signer=s.get("signer"),
            form=s.get("form"),
            head=s.get("head"),
            requires=s.get("requires"),
            line=re.compile(s["line"], re.IGNORECASE) if "line" in s else None,
            about=s.get("about"),
            sample=s.get("sample", False),
            title=s.get("title", False),
            proposed=s.get("proposed", False),
            orders_are=s.get("orders_are"),
            block=s.get("block", False),
        )
        for s in raw
    )


def normalize(text: str) -> str:
    """Fold white space and the common OCR confusions that matter to the patterns."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u00ad", "")
    text = re.sub(r"[\u2010-\u2015]", "-", text)
    text = re.sub(r"-\s*\n\s*", "-", text)  # a form number broken over a line
    # OCR glues words with stray dots: "INTELLIGENCE.SURVEILLANCE".
    text = re.sub(r"(?<=[A-Za-z]{2})[.,;:](?=[A-Za-z]{3})", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _placed(m: re.Match, text: str, lines: list[str]) -> bool:
    """Is this form number where forms print theirs (head, line start, before a revision
    date), rather than quoted in running text?"""
    if m.start() < FORM_HEAD or REVISION.match(text, m.end()):
        return True
    number = m.group(0).lower()
    return any(
        LINE_START.match(line[:i]) is not None
        for line in lines
        if (i := line.lower().find(number)) >= 0
    )


def _titled(m: re.Match, lines: list[str]) -> bool:
    """Is this title printed as a title (capitals, the head of the page, a line of its own or
    the start of one, as the footer "Warrant (felony) - Distribution: Court…"), rather than
    spoken of in running text ("for issuance of an arrest warrant")?"""
    words = m.group(0)
    if m.start() < FORM_HEAD or words.isupper():
        return True
    low = words.lower()
    return any(
        line.strip().lower().startswith(low)
        or (len(line.strip()) <= len(words) + 12 and low in line.lower())
        for line in lines
    )


def _line_hit(s: Signal, text: str, lines: list[str]) -> Hit | None:
    """A signal that fills a whole line of the text as read (a stamp, a title alone)."""
    found = [line.strip() for line in lines if s.line.fullmatch(line.strip())]
    if not found:
        return None
    first, last = normalize(found[0]), normalize(found[-1])
    start = max(text.find(first), 0)
    return Hit(s, first, start, start + len(first), max(text.rfind(last), start))


# A line of the caption that names the court, its district, state or division: it stands
# alone, never part of the title under it.
CAPTION_LINE = re.compile(
    r"^(?:IN THE )?(?:[A-Z.]+ ){0,4}COURT\b(?![\x27’])|^(?:FOR THE )?(?:[A-Z]+ )?DISTRICT OF\b"
    r"|^(?:IN THE )?(?:STATE|COUNTY|COMMONWEALTH|PEOPLE) OF\b|\bCIRCUIT$|\bDIVISION$"
)


def capital_blocks(raw: str) -> list[str]:
    """The runs of consecutive lines in capitals (no lower-case letter), each joined into
    one: a title printed over several lines ("SUGGESTION OF REMAND AND / TRANSFER ORDER"),
    read whole, so that "MOTION FOR PARTIAL / SUMMARY JUDGMENT" is not read from its last
    line. A blank line ends a run."""
    blocks, run = [], []
    for line in raw.splitlines() + [""]:
        line = line.strip()
        if CAPTION_LINE.search(line):  # the caption's court, printed right above the title
            blocks += [" ".join(run), line] if run else [line]
            run = []
        elif line and re.search(r"[A-Z]", line) and not re.search(r"[a-z]", line):
            run.append(line)
        elif run:
            blocks.append(" ".join(run))
            run = []
    return blocks


def find_hits(text: str, raw: str | None = None) -> list[Hit]:
    """The signals found in the normalized `text`; `raw`, the text as read (with its
    lines), serves the signals that look at lines and where a form number sits."""
    raw = raw if raw is not None else text
    lines = [line for line in raw.splitlines() if line.strip()]
    blocks = None
    hits = []
    for s in signals():
        haystack = text[: s.head] if s.head else text
        matches = list(s.pattern.finditer(haystack)) if s.pattern else []
        if matches:
            if s.form:
                placed = [m for m in matches if _placed(m, text, lines)]
            elif s.title:
                placed = [m for m in matches if _titled(m, lines)]
            else:
                placed = matches
            m = (placed or matches)[0]
            hit = Hit(s, m.group(0), m.start(), m.end(), matches[-1].start(), not placed)
            hits.append(hit)
        elif s.line is not None and s.block:
            if blocks is None:
                blocks = capital_blocks(raw)
            if hit := _line_hit(s, text, blocks):
                hits.append(hit)
        elif s.line is not None and (hit := _line_hit(s, text, lines)):
            hits.append(hit)
    ids = {h.signal.id for h in hits}
    return [h for h in hits if not h.signal.requires or h.signal.requires in ids]


def classify(raw_text: str) -> Classification:
    text = normalize(raw_text)
    hits = find_hits(text, raw_text)
    scores = {k: 0 for k in KINDS if k != "unknown"}
    for h in hits:
        for kind, weight in h.signal.weights.items() if not h.mention else ():
            scores[kind] += weight
    veto = [h for h in hits if h.signal.veto]
    court = [h for h in hits if h.signal.court]
    # Who signed: a judge's signature line beats a clerk's certified-copy stamp; otherwise
    # the last title on the page (signatures sit at the bottom).
    signer_hits = sorted((h for h in hits if h.signal.signer), key=lambda h: h.last)
    judge_hits = [h for h in signer_hits if h.signal.judge]
    signed_by = (judge_hits or signer_hits)[-1].signal.signer if signer_hits else None
    forms = [h.signal.form for h in hits if h.signal.form and not h.mention]
    form = forms[0] if forms else None
    sample = [h for h in hits if h.signal.sample]
    about = [h for h in hits if h.signal.about]
    proposed = [h for h in hits if h.signal.proposed and not h.mention]
    # The court in the caption says which kind of order it is: under the caption of the
    # Foreign Intelligence Surveillance Court an order's title and words are a FISA order's.
    for h in hits:
        if h.signal.orders_are and not h.mention:
            scores[h.signal.orders_are] += scores["court_order"]
            scores["court_order"] = 0

    # A business card: contact details, an officer's title, few ordinary words, and nothing
    # but what a card carries (an agency's name, a title, phone numbers): no legal title.
    if (
        (max(scores.values()) < MIN_SCORE or all(h.signal.letterhead for h in hits))
        and (re.search(r"\w@\w", text) or any(h.signal.id == "contact_card" for h in hits))
        and CARD_TITLE.search(text)
        and quality(text) < 30
    ):
        scores["other"] = max(scores.values()) + MIN_SCORE  # a card, whoever it names

    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    (top, top_score), (_second, second_score) = ranked[0], ranked[1]
    reason = ""
    kind = top
    if len(re.findall(r"[A-Za-z]{3,}", text)) < 8:
        kind, reason = "unknown", "too little readable text"
    elif top_score < MIN_SCORE or top_score - second_score < MIN_MARGIN:
        kind, reason = "unknown", "the signals are too weak or point two ways"
    elif top in JUDICIAL:
        if veto:
            kind = "unknown"
            reason = f"never judicial: {veto[0].signal.id} ({veto[0].evidence!r})"
        elif not court:
            kind, reason = "unknown", "no court is named"
        elif signed_by not in JUDICIAL_SIGNERS[top]:
            kind, reason = "unknown", f"not signed by a judge or magistrate ({signed_by})"
    # A proposed order is a party's draft: an order only once the judge has signed and dated
    # it. With no date of signing filled in, nobody can tell here: the director checks.
    if kind == "court_order" and proposed and not entered(text):
        kind, reason = "unknown", PROPOSED_REASON
    # A clear non-judicial answer stands; nothing here ever upgrades to judicial.
    if (
        kind == "unknown"
        and top not in JUDICIAL
        and top_score >= MIN_SCORE
        and top_score - second_score >= MIN_MARGIN
    ):
        kind, reason = top, ""
    # A sample, specimen or template copy is never the real thing, whatever it looks like;
    # a guide, template, memo, flyer or public release about a form is not the form.
    # Neither is signed by the judge or officer it speaks of: no signer is named for it.
    if sample:
        kind, reason, signed_by = "other", SAMPLE_REASON, None
    elif kind == "other" and about:
        reason = f"{ABOUT[about[0].signal.about]} ({about[0].evidence!r})"
        form = signed_by = None  # the form it speaks of, and its signer, are not this paper's

    if kind == "unknown":
        confidence = 0.0 if not reason.startswith("never") else 0.3
    else:
        confidence = round(min(0.99, (top_score - second_score + 3) / (top_score + 4)), 2)
    if kind in ("administrative_warrant", "detainer", "administrative_subpoena"):
        signed_by = signed_by if signed_by != "judge" else None
    return Classification(
        kind=kind,
        confidence=confidence,
        needs_human_review=kind == "unknown" or kind in JUDICIAL or confidence < 0.75,
        form=form,
        signed_by=signed_by if kind != "unknown" or signed_by else None,
        hits=hits,
        scores=scores,
        reason=reason,
        text=text,
        sample=bool(sample),
    )

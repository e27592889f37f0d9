"""A transparent, rule-based classifier: weighted signals read from data/signals.toml,
each reported with the words that triggered it. Standard library only."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from patronshield.policy import vocab

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
    "court_order": {"judge", "magistrate"},
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


@dataclass(frozen=True)
class Signal:
    id: str
    pattern: re.Pattern
    weights: dict
    court: bool = False
    judge: bool = False
    veto: bool = False
    letterhead: bool = False
    signer: str | None = None
    form: str | None = None
    head: int | None = None


@dataclass(frozen=True)
class Hit:
    signal: Signal
    evidence: str
    start: int
    end: int
    last: int  # where its last occurrence starts (signatures sit at the bottom)


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

    @property
    def signals(self) -> list[dict]:
        return [{"signal": h.signal.id, "evidence": h.evidence} for h in self.hits]


@cache
def signals() -> tuple[Signal, ...]:
    with (Path(__file__).parent / "data" / "signals.toml").open("rb") as f:
        raw = tomllib.load(f)["signal"]
    return tuple(
        Signal(
            id=s["id"],
            pattern=re.compile(s["pattern"], re.IGNORECASE),
            weights=s.get("weights", {}),
            court=s.get("court", False),
            judge=s.get("judge", False),
            veto=s.get("veto", False),
            letterhead=s.get("letterhead", False),
            signer=s.get("signer"),
            form=s.get("form"),
            head=s.get("head"),
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


def find_hits(text: str) -> list[Hit]:
    hits = []
    for s in signals():
        haystack = text[: s.head] if s.head else text
        matches = list(s.pattern.finditer(haystack))
        if matches:
            m = matches[0]
            hits.append(Hit(s, m.group(0), m.start(), m.end(), matches[-1].start()))
    return hits


def classify(raw_text: str) -> Classification:
    text = normalize(raw_text)
    hits = find_hits(text)
    scores = {k: 0 for k in KINDS if k != "unknown"}
    for h in hits:
        for kind, weight in h.signal.weights.items():
            scores[kind] += weight
    veto = [h for h in hits if h.signal.veto]
    court = [h for h in hits if h.signal.court]
    # Who signed: a judge's signature line beats a clerk's certified-copy stamp; otherwise
    # the last title on the page (signatures sit at the bottom).
    signer_hits = sorted((h for h in hits if h.signal.signer), key=lambda h: h.last)
    judge_hits = [h for h in signer_hits if h.signal.judge]
    signed_by = (judge_hits or signer_hits)[-1].signal.signer if signer_hits else None
    forms = [h.signal.form for h in hits if h.signal.form]
    form = forms[0] if forms else None

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
    # A clear non-judicial answer stands; nothing here ever upgrades to judicial.
    if (
        kind == "unknown"
        and top not in JUDICIAL
        and top_score >= MIN_SCORE
        and top_score - second_score >= MIN_MARGIN
    ):
        kind, reason = top, ""

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
    )

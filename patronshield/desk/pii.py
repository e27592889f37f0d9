"""Does a note look like it names a patron? Plain Python, no Django.

The record must say "a patron", not who. Before a free-text field is saved, these checks
look for what would identify someone: an e-mail address, a phone number, a library card
number (the library's own barcode pattern) and what looks like a person's name. Officers
may be named (with their title: "Agent Smith", "Officer Diaz"): the record needs them.
A finding is a warning the person typing can override, never a silent change.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass

import re2

EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
PHONE = re.compile(r"(?<![\w-])(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}(?![\w-])")
HONORIFIC = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+[A-Z][\w'’-]+")
INTRODUCED = re.compile(
    r"\b(?:named|called|name is|name was|patron|patrons|customer|person|man|woman|boy|girl|"
    r"child|teen|student|mother|father|son|daughter)\s+([A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+)?)"
)
# One capitalised word in the middle of a sentence ("whether John was here").
MID_SENTENCE = re.compile(r"(?<=[a-z,;:] )[A-Z][a-z'’-]{2,}\b")
CAPITALISED = re.compile(
    r"\b[A-Z][a-z'’-]+(?:\s+(?:de|del|van|von|da|di|le|la)?\s*[A-Z][a-z'’-]+)+"
)

# Titles after which a name is an officer's, which the record may keep.
OFFICER_TITLES = frozenset(
    "officer agent deputy detective sergeant sgt lieutenant lt captain capt trooper "
    "marshal inspector special corporal cpl chief sheriff investigator".split()
)
# Capitalised words that are not people's names: places, agencies, days, library words.
NOT_NAMES = frozenset(
    """
    the a an and or of in on at to for from by with this that these those he she they it we i
    library public branch main floor room desk staff workroom office area lobby stacks
    police department dept sheriff's county city state court district judge magistrate
    united states america u.s homeland security immigration customs enforcement border
    protection federal bureau investigation fbi ice cbp hsi dhs marshals service
    officer agent deputy detective sergeant captain trooper lieutenant special chief
    director designee counsel attorney clerk supervisor manager volunteer
    monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november december
    street avenue road boulevard drive lane way north south east west
    warrant subpoena order form notice letter card receipt inventory
    michigan ecorse detroit wayne
    """.split()
)


# 14 digits starting with 2: the common library barcode (Library.card_number_pattern's default).
DEFAULT_CARD_PATTERN = r"\b2\d{13}\b"

_RE2 = re2.Options()
_RE2.log_errors = False


@functools.lru_cache(maxsize=64)
def card_regex(pattern: str):
    """The library's card pattern, compiled with RE2: it runs in time linear in the text
    whatever the pattern (no backtracking, so `(a+)+$` cannot hang a save). A pattern RE2
    does not take (a look-around, a back-reference, a syntax error) raises re2.error."""
    return re2.compile(pattern, _RE2)


@dataclass(frozen=True)
class Finding:
    kind: str  # "email", "phone", "card", "name"
    text: str


def _is_officer(text: str, start: int) -> bool:
    before = text[max(0, start - 30) : start].split()
    return bool(before) and before[-1].rstrip(".").lower() in OFFICER_TITLES


def _looks_like_name(words: list[str]) -> bool:
    return not any(w.lower().rstrip("'’s.") in NOT_NAMES for w in words)


def findings(text: str, card_pattern: str = "") -> list[Finding]:
    """What in `text` may identify a patron, each kind and match once, in order found."""
    found: list[Finding] = []

    def add(kind: str, match: str) -> None:
        f = Finding(kind, match.strip())
        if f not in found:
            found.append(f)

    for m in EMAIL.finditer(text):
        add("email", m.group())
    if card_pattern:
        try:
            matches = card_regex(card_pattern).finditer(text)
        except re2.error:  # saved before patterns were checked: the default still warns
            matches = card_regex(DEFAULT_CARD_PATTERN).finditer(text)
        for m in matches:
            if m.group().strip():
                add("card", m.group())
    cards = {f.text for f in found if f.kind == "card"}
    for m in PHONE.finditer(text):
        if m.group().strip() not in cards and not any(m.group() in c for c in cards):
            add("phone", m.group())
    for m in HONORIFIC.finditer(text):
        add("name", m.group())
    for m in INTRODUCED.finditer(text):
        if _looks_like_name(m.group(1).split()):
            add("name", m.group(1))
    for m in CAPITALISED.finditer(text):
        words = m.group().split()
        if _is_officer(text, m.start()) or not _looks_like_name(words):
            continue
        if any(m.group() in f.text or f.text in m.group() for f in found if f.kind == "name"):
            continue
        add("name", m.group())
    for m in MID_SENTENCE.finditer(text):
        if _is_officer(text, m.start()) or not _looks_like_name([m.group()]):
            continue
        if any(m.group() in f.text for f in found if f.kind == "name"):
            continue
        add("name", m.group())
    return found


def confirm_token(*texts: str) -> str:
    """What "Save anyway" confirms: exactly the text (or texts) that was warned about."""
    joined = "\x00".join((t or "").strip() for t in texts)
    return hashlib.sha256(joined.encode()).hexdigest()[:16]

"""The Know-Your-Rights text: one TOML file per language in content/, the same keys in
each. Strings are escaped, numbers and form numbers kept left to right (so "I-200" and
"313-555-0150" are not reversed inside Arabic, Farsi or Urdu), then placeholders filled."""

import re
import tomllib
from functools import cache
from pathlib import Path

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from patronshield.libraries.models import PATRON_LANGUAGES
from patronshield.policy import state_laws

CONTENT_DIR = Path(__file__).parent / "content"
CODES = [code for code, _name in PATRON_LANGUAGES]
NAMES = dict(PATRON_LANGUAGES)
RTL = {"ar", "fa", "ur"}
# U.S. Code citations, form numbers (I-200, I-247A), phone numbers, any run of digits.
LTR_RUN = re.compile(
    r"\d+ U\.S\.C\. § \d+(?:\(\w+\))*|[A-Z]{1,3}-\d+[A-Z]?|\+?\(?\d[\d ()./-]*\d|\d"
)
# What the page and the door sign promise, in the engine's words. Officers enter staff-only
# areas only with these documents (the sentences marked data-claim="entry"); a patron's
# record goes only as the state's law allows, and the text names no route of its own
# (data-claim="release"). tests/test_public_claims.py holds both to the engine, every state.
ENTRY_DOCUMENTS = ("judicial_search_warrant", "court_order")
RELEASE_ROUTES = ()
PLACEHOLDER = re.compile(r"\{(\w+)\}")
# The script each language is written in, and the letters of it, to check printed text.
SCRIPTS = {
    "zh-Hans": "Han",
    "zh-Hant": "Han",
    "ko": "Hangul",
    "ar": "Arabic",
    "fa": "Arabic",
    "ur": "Arabic",
    "ru": "Cyrillic",
    "uk": "Cyrillic",
    "hi": "Devanagari",
    "pa": "Gurmukhi",
    "am": "Ethiopic",
}
LETTERS = {
    "Latin": "A-Za-z\u00c0-\u024f\u1e00-\u1eff",
    "Han": "\u4e00-\u9fff",
    "Hangul": "\uac00-\ud7af\u1100-\u11ff",
    "Arabic": "\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff",
    "Cyrillic": "\u0400-\u04ff",
    "Devanagari": "\u0900-\u097f",
    "Gurmukhi": "\u0a00-\u0a7f",
    "Ethiopic": "\u1200-\u137f",
}


def script(code: str) -> str:
    return SCRIPTS.get(code, "Latin")


def letters_of(code: str, text: str) -> int:
    """How many letters of the language's script the text holds."""
    return len(re.findall(f"[{LETTERS[script(code)]}]", text))


@cache
def load(code: str) -> dict:
    with (CONTENT_DIR / f"{code}.toml").open("rb") as f:
        return tomllib.load(f)


VERSION = load("en")["meta"]["version"]


def ltr(text: str) -> SafeString:
    """Escaped text with every number isolated left to right."""
    out, start = [], 0
    for m in LTR_RUN.finditer(text):
        out += [escape(text[start : m.start()]), f'<bdi dir="ltr">{escape(m[0])}</bdi>']
        start = m.end()
    out.append(escape(text[start:]))
    return mark_safe("".join(out))  # noqa: S308 (every piece escaped)


def fill(text: str, values: dict[str, str]) -> SafeString:
    def value(m):
        if m[1] not in values:
            return m[0]
        text = escape(values[m[1]])
        if m[1] == "citation" and "§" in text:
            # A long citation may wrap before its section, never inside "§§ 397.601–397.606".
            head, section = text.split("§", 1)
            text = f'{head}<span class="nowrap">§{section}</span>'
        return f"<bdi>{text}</bdi>"

    return mark_safe(PLACEHOLDER.sub(value, ltr(text)))  # noqa: S308


def library_values(library) -> dict[str, str]:
    values = {"library": library.name}
    if law := state_laws().get(library.state):
        values |= {"state": law.name, "law": law.title, "citation": law.citation}
    return values


def _filled(node, values: dict[str, str]):
    """Every string of a tree of text, safe HTML with the values filled in."""
    if isinstance(node, dict):
        return {k: _filled(v, values) for k, v in node.items()}
    if isinstance(node, list):
        return [_filled(v, values) for v in node]
    return fill(node, values)


def localized(code: str, values: dict[str, str]) -> dict:
    """The language's text, every string safe HTML with the values filled in."""
    text = _filled(load(code), values)
    text["meta"] = load(code)["meta"]
    return text


HANGUL_WORD = re.compile(r"[\uac00-\ud7af\u1100-\u11ff][^\s<>]*")


def keep_words(node):
    """Korean breaks between words, not syllables: WeasyPrint has no `word-break:
    keep-all`, so each Hangul word is kept whole (class "kw", white-space: nowrap)."""
    if isinstance(node, dict):
        return {k: keep_words(v) for k, v in node.items()}
    if isinstance(node, list):
        return [keep_words(v) for v in node]
    if isinstance(node, SafeString):
        return mark_safe(HANGUL_WORD.sub(lambda m: f'<span class="kw">{m[0]}</span>', node))  # noqa: S308
    return node


def direction(code: str) -> str:
    return "rtl" if code in RTL else "ltr"


# ------------------------------------------------------------------ the pages around it
# The labels of every public page (navigation, help and contacts, events, statements, the
# transparency report): one TOML file per language in content/pages/, the same keys in
# each, with the file's own review status (the English is the source).
PAGES_DIR = CONTENT_DIR / "pages"
# Codes a reader or a browser may ask for that are not ours, and the language that serves
# them (base languages and regions are matched without this list: "es-MX" is "es").
ALIASES = {
    "zh": "zh-Hans",
    "zh-cn": "zh-Hans",
    "zh-sg": "zh-Hans",
    "zh-my": "zh-Hans",
    "zh-tw": "zh-Hant",
    "zh-hk": "zh-Hant",
    "zh-mo": "zh-Hant",
    "fil": "tl",
    "prs": "fa",
    "pes": "fa",
    "pnb": "pa",
    "amh": "am",
    "ara": "ar",
    "eng": "en",
    "spa": "es",
}


@cache
def labels(code: str) -> dict:
    with (PAGES_DIR / f"{code}.toml").open("rb") as f:
        return tomllib.load(f)


def localized_labels(code: str, values: dict[str, str]) -> dict:
    """The page labels of a language, every string safe HTML with the values filled in."""
    text = _filled({k: v for k, v in labels(code).items() if k not in ("meta", "dates")}, values)
    text["meta"] = labels(code)["meta"]
    return text


def closest(asked: str) -> str | None:
    """The language we have that is closest to a code or a name a reader typed or a browser
    sent ("zh", "zh-TW", "es-MX", "PT-br", "arabic", "Español"), or None."""
    asked = asked.strip().lower().replace("_", "-")
    ours = {c.lower(): c for c in CODES}
    for c in CODES:
        ours.setdefault(NAMES[c].lower(), c)
        ours.setdefault(load(c)["meta"]["english_name"].lower(), c)
    parts = asked.split("-")
    for n in range(len(parts), 0, -1):
        prefix = "-".join(parts[:n])
        if found := ours.get(prefix) or ALIASES.get(prefix):
            return found
    return None


def negotiate(accept_language: str) -> str:
    """The first of the browser's languages that we have, else English."""
    from django.utils.translation.trans_real import parse_accept_lang_header

    for asked, _q in parse_accept_lang_header(accept_language):
        if asked != "*" and (found := closest(asked)):
            return found
    return "en"


def month_range(code: str, start, end) -> str:
    """ "July–September 2025" in the language (start and end: dates of the same year)."""
    dates = labels(code)["dates"]
    months = dates["months"]
    return dates["month_range"].format(
        start=months[start.month - 1], end=months[end.month - 1], year=end.year
    )


def month_year(code: str, day) -> str:
    dates = labels(code)["dates"]
    return dates["month_year"].format(month=dates["months"][day.month - 1], year=day.year)


def long_date(code: str, day, weekday: bool = False) -> str:
    """ "5 December 2026", or with its weekday, "Saturday 5 December 2026"."""
    dates = labels(code)["dates"]
    return dates["weekday_date" if weekday else "date"].format(
        weekday=dates["weekdays"][day.weekday()],
        day=day.day,
        month=dates["months_of"][day.month - 1],
        year=day.year,
    )


def band(code: str, low: int, high: int) -> str:
    """A published band in words: "fewer than 5", "5–9"."""
    if low == 0:
        return labels(code)["transparency"]["fewer"].format(n=high + 1)
    if code in RTL:  # "5–9" stays "5–9" in a right-to-left line (isolated, left to right)
        return f"\u2066{low}–{high}\u2069"
    return f"{low}–{high}"

"""A library's own policy: structured choices, the rule table they make of the model policy,
the document its board adopts, and what changed between two versions. Pure Python.

The choices are plain data (JSON in the database):

    {"areas": {"public": [...], "nonpublic": [...]},
     "approver": "director_or_designee" | "director",
     "exceptions": {"safety": bool, "consent": bool},
     "retention": {"encounters_days": int, "documents_days": int, "requests_days": int},
     "counsel": {"name": str, "phone": str, "email": str},
     "values": str}

`table_for` never writes an `if` per choice into the rules: the model policy's rules carry
their own tags (`exception`, `approver`) and a choice keeps, drops or re-labels them. The
document is made from that same table, so what the board reads is what the desk applies.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, timedelta

from . import vocab
from .engine import (
    Citation,
    InputError,
    Rule,
    RuleTable,
    cited,
    federal_table,
    model_policy,
    state_laws,
    state_tables,
    texts,
)

APPROVER_CHOICES = ("director_or_designee", "director")
RETENTION_KEYS = ("encounters_days", "documents_days", "requests_days")
DEFAULT_RETENTION = {"encounters_days": 3 * 365, "documents_days": 365, "requests_days": 3 * 365}
# How the model policy's citations name the approver, for each choice.
APPROVER_PHRASE = {"director_or_designee": "Director or designee", "director": "Director"}
REVIEW_EVERY = timedelta(days=365)
SOURCE_NAMES = ("model", "federal", "statute")
_PUBLIC = {"public"} | {r for r, c in vocab.REQUEST_CLASSES.items() if c == "public"}
_NONPUBLIC = {"nonpublic"} | {r for r, c in vocab.REQUEST_CLASSES.items() if c == "nonpublic"}


def default_choices(
    *,
    public_areas=(),
    nonpublic_areas=(),
    retention: dict | None = None,
    counsel: dict | None = None,
    values: str = "",
) -> dict:
    """The model policy as choices: the director or a designee approves, both exceptions."""
    return clean(
        {
            "areas": {"public": list(public_areas), "nonpublic": list(nonpublic_areas)},
            "approver": "director_or_designee",
            "exceptions": dict.fromkeys(vocab.EXCEPTIONS, True),
            "retention": {**DEFAULT_RETENTION, **(retention or {})},
            "counsel": {"name": "", "phone": "", "email": "", **(counsel or {})},
            "values": values,
        }
    )


def _names(values) -> list[str]:
    out = []
    for v in values or ():
        name = " ".join(str(v).split())[:200]
        if name and name.casefold() not in {x.casefold() for x in out}:
            out.append(name)
    return out


def clean(choices: dict) -> dict:
    """The choices checked and normalised; InputError names the first bad one."""
    areas = choices.get("areas") or {}
    public, nonpublic = _names(areas.get("public")), _names(areas.get("nonpublic"))
    both = {n.casefold() for n in public} & {n.casefold() for n in nonpublic}
    if both:
        raise InputError("areas", f"an area cannot be both public and non-public: {sorted(both)}")
    approver = choices.get("approver")
    if approver not in APPROVER_CHOICES:
        raise InputError("approver", f"{approver!r} is not one of: {', '.join(APPROVER_CHOICES)}")
    exceptions = choices.get("exceptions") or {}
    if set(exceptions) - set(vocab.EXCEPTIONS) or not all(
        isinstance(v, bool) for v in exceptions.values()
    ):
        raise InputError("exceptions", f"true or false for each of: {', '.join(vocab.EXCEPTIONS)}")
    retention = choices.get("retention") or {}
    for key in RETENTION_KEYS:
        days = retention.get(key)
        if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 100 * 365:
            raise InputError(f"retention.{key}", "a number of days from 1 to 36500")
    counsel = choices.get("counsel") or {}
    return {
        "areas": {"public": public, "nonpublic": nonpublic},
        "approver": approver,
        "exceptions": {e: bool(exceptions.get(e, False)) for e in vocab.EXCEPTIONS},
        "retention": {k: retention[k] for k in RETENTION_KEYS},
        "counsel": {k: str(counsel.get(k) or "").strip()[:200] for k in ("name", "phone", "email")},
        "values": str(choices.get("values") or "").strip()[:5000],
    }


# ----------------------------------------------------------------------------- the rules


def _relabel(rule: Rule, approver: str) -> Rule:
    if rule.approver == "none":
        return rule
    old, new = APPROVER_PHRASE["director_or_designee"], APPROVER_PHRASE[approver]
    citations = tuple(dataclasses.replace(c, ref=c.ref.replace(old, new)) for c in rule.citations)
    return dataclasses.replace(rule, approver=approver, citations=citations)


def table_for(
    choices: dict, base: RuleTable | None = None, *, title: str = "", version: str = "draft"
) -> RuleTable:
    """The library's rule table: the model policy's rules, without the exceptions it does
    not allow, each approval given to whom the library chose."""
    c = clean(choices)
    base = base or model_policy()
    rules = tuple(
        _relabel(rule, c["approver"])
        for rule in base.rules
        if rule.exception is None or c["exceptions"].get(rule.exception, False)
    )
    return dataclasses.replace(
        base,
        title=title or base.title,
        version=str(version),
        review_status="library",
        rules=rules,
        approver=c["approver"],
    )


def table_data(table: RuleTable) -> dict:
    """`table` as the data `parse_table` reads (to keep an adopted version's rules as adopted)."""
    meta = {
        "layer": table.layer,
        "title": table.title,
        "version": table.version,
        "reviewed_on": table.reviewed_on,
        "review_status": table.review_status,
        "approver": table.approver,
    }
    if table.state:
        meta["state"] = table.state
    rules = []
    for r in table.rules:
        raw = {
            "id": r.id,
            "outcome": r.outcome,
            "authorized": r.authorized,
            "text": r.text,
            "citations": [
                {"source": c.source, "ref": c.ref, "verify": c.verify} for c in r.citations
            ],
            "approver": r.approver,
            "consult_counsel": r.consult_counsel,
        }
        for name in ("requests", "documents", "agencies", "requesters"):
            if (values := getattr(r, name)) is not None:
                raw[name] = sorted(values)
        for name in ("emergency", "patron_consent", "exception"):
            if (value := getattr(r, name)) is not None:
                raw[name] = value
        rules.append(raw)
    return {"meta": meta, "rule": rules}


# ----------------------------------------------------------------------------- the document


@dataclass(frozen=True)
class RuleEntry:
    id: str
    outcome: str
    when: str
    text: str
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    paragraphs: tuple[str, ...] = ()
    lists: tuple[tuple[str, tuple[str, ...]], ...] = ()
    rules: tuple[RuleEntry, ...] = ()


@dataclass(frozen=True)
class Document:
    title: str
    based_on: str
    sections: tuple[Section, ...]
    disclaimer: str
    language: str
    state: str
    citation: str
    changes: tuple[str, ...] = ()
    rule_ids: tuple[str, ...] = field(default=())

    def citations(self) -> list[Citation]:
        return [c for s in self.sections for r in s.rules for c in r.citations]


def _section_of(rule: Rule) -> str:
    requests = rule.requests or frozenset()
    if rule.exception:
        return "exceptions"
    if (rule.agencies and rule.agencies <= vocab.IMMIGRATION_AGENCIES) or rule.documents == {
        "administrative_warrant"
    }:
        return "immigration"
    if requests & (_PUBLIC | _NONPUBLIC):
        return "areas"
    return "records"


def _when(rule: Rule, d: dict) -> str:
    parts = [d.get(f"request.{r}", r.replace("_", " ")) for r in sorted(rule.requests or ())]
    if rule.agencies and rule.agencies <= vocab.IMMIGRATION_AGENCIES:
        parts.append(d["when.immigration"])
    for requester in sorted(rule.requesters or ()):
        parts.append(d.get(f"when.{requester}", requester.replace("_", " ")))
    if rule.emergency:
        parts.append(d["when.emergency"])
    if rule.patron_consent:
        parts.append(d["when.consent"])
    if rule.documents:
        names = [d.get(f"document.{x}", x) for x in vocab.DOCUMENTS if x in rule.documents]
        parts.append(d["when.documents"].format(documents=", ".join(names)))
    return "; ".join(parts)


def _entry(rule: Rule, t: dict, fmt: dict) -> RuleEntry:
    d = t["document"]
    return RuleEntry(
        id=rule.id,
        outcome=d[f"outcome.{rule.outcome}"],
        when=_when(rule, d),
        text=t["explanation"][rule.text].format(**fmt),
        citations=cited(rule.citations, t["meta"]["language"]),
    )


def counsel_line(counsel: dict) -> str:
    return ", ".join(v for v in (counsel.get(k, "") for k in ("name", "phone", "email")) if v)


def document(
    choices: dict,
    state: str,
    *,
    library: str = "",
    table: RuleTable | None = None,
    changes: list[str] | tuple[str, ...] = (),
    language: str = "en",
) -> Document:
    """The policy document, section by section, every rule of `table` (default: the one the
    choices make) in it with its outcome, when it applies, why, and its citations; then the
    state's statute and federal law, with theirs."""
    c = clean(choices)
    table = table or table_for(c)
    t = texts(language)
    d = t["document"]
    law = state_laws()[state]
    fmt = {"library": library, "state": law.name, "citation": law.citation, "title": law.title}
    by_section: dict[str, list[RuleEntry]] = {}
    for rule in table.rules:
        by_section.setdefault(_section_of(rule), []).append(_entry(rule, t, fmt))

    ex_names = t["document"]
    off = tuple(
        d["exception_off"].format(name=ex_names[f"exception.{e}"])
        for e in vocab.EXCEPTIONS
        if not c["exceptions"][e]
    )
    counsel = counsel_line(c["counsel"])
    statute = state_tables().get(state)
    if statute:
        state_entries = tuple(_entry(r, t, fmt) for r in statute.rules)
        state_paragraphs = (d["state_text"].format(**fmt),)
    else:
        state_entries = ()
        key = "statute_not_encoded" if law.citation else "no_statute"
        state_paragraphs = (d["state_text"].format(**fmt), t["common"][key].format(**fmt))
    sections = (
        Section(
            "purpose",
            d["purpose"],
            tuple(p for p in (d["purpose_text"].format(**fmt), *c["values"].split("\n\n")) if p),
        ),
        Section(
            "areas",
            d["areas"],
            lists=(
                (d["public_areas"], tuple(c["areas"]["public"]) or (d["no_areas"],)),
                (d["nonpublic_areas"], tuple(c["areas"]["nonpublic"]) or (d["no_areas"],)),
            ),
            rules=tuple(by_section.get("areas", ())),
        ),
        Section("records", d["records"], rules=tuple(by_section.get("records", ()))),
        Section("immigration", d["immigration"], rules=tuple(by_section.get("immigration", ()))),
        Section("exceptions", d["exceptions"], off, rules=tuple(by_section.get("exceptions", ()))),
        Section(
            "approval",
            d["approval"],
            (
                d[f"approver.{c['approver']}"],
                d["counsel"].format(counsel=counsel) if counsel else d["no_counsel"],
            ),
        ),
        Section(
            "retention",
            d["retention"],
            (
                d["retention_text"].format(
                    state=law.name, **{k[:-5]: v for k, v in c["retention"].items()}
                ),
            ),
        ),
        Section("state", d["state"].format(**fmt), state_paragraphs, rules=state_entries),
        Section(
            "federal",
            d["federal"],
            (d["federal_text"],),
            rules=tuple(_entry(r, t, fmt) for r in federal_table().rules),
        ),
    )
    return Document(
        title=d["title"].format(**fmt),
        based_on=d["based_on"].format(**fmt),
        sections=sections,
        disclaimer=t["common"]["disclaimer"],
        language=language,
        state=state,
        citation=law.citation,
        changes=tuple(changes),
        rule_ids=tuple(r.id for r in table.rules),
    )


# ----------------------------------------------------------------------------- changes


def changes(old: dict | None, new: dict, language: str = "en") -> list[str]:
    """What `new` changes against `old` (the previous adopted version), in plain words."""
    t = texts(language)["changes"]
    if old is None:
        return [t["first"]]
    old, new = clean(old), clean(new)
    out = []
    kinds = {}
    for c, key in ((old, "old"), (new, "new")):
        kinds[key] = {n: k for k in ("public", "nonpublic") for n in c["areas"][k]}
    for name, kind in kinds["new"].items():
        if name not in kinds["old"]:
            out.append(t["area_added"].format(kind=t[f"kind.{kind}"], name=name))
        elif kinds["old"][name] != kind:
            out.append(t["area_moved"].format(kind=t[f"kind.{kind}"], name=name))
    out += [t["area_removed"].format(name=n) for n in kinds["old"] if n not in kinds["new"]]
    if old["approver"] != new["approver"]:
        out.append(
            t["approver"].format(
                new=t[f"approver.{new['approver']}"], old=t[f"approver.{old['approver']}"]
            )
        )
    names = texts(language)["document"]
    for e in vocab.EXCEPTIONS:
        if old["exceptions"][e] != new["exceptions"][e]:
            key = "exception_on" if new["exceptions"][e] else "exception_off"
            out.append(t[key].format(name=names[f"exception.{e}"]))
    for k in RETENTION_KEYS:
        if old["retention"][k] != new["retention"][k]:
            out.append(
                t["retention"].format(
                    what=t[f"retention.{k}"], new=new["retention"][k], old=old["retention"][k]
                )
            )
    if old["counsel"] != new["counsel"]:
        out.append(t["counsel"].format(new=counsel_line(new["counsel"]) or "—"))
    if old["values"] != new["values"]:
        out.append(t["values"])
    return out or [t["none"]]


# ----------------------------------------------------------------------------- reminders


def sources(state: str) -> dict[str, str]:
    """The reviewed-on dates of the legal sources a policy for `state` is built against."""
    statute = state_tables().get(state)
    return {
        "model": model_policy().reviewed_on,
        "federal": federal_table().reviewed_on,
        "statute": statute.reviewed_on if statute else state_laws()[state].reviewed_on,
    }


@dataclass(frozen=True)
class Notice:
    key: str  # the same reason gives the same key: a reminder is sent once per key
    text: str


def notices(
    *, adopted_on: date, built: dict, state: str, today: date, language: str = "en"
) -> list[Notice]:
    """Why the adopted policy needs a review now: a year since the board adopted it, or a
    legal source reviewed after the version was built."""
    t = texts(language)["notices"]
    out = []
    if today - adopted_on >= REVIEW_EVERY:
        out.append(Notice(f"review:{adopted_on}", t["review_due"].format(date=adopted_on)))
    law = state_laws()[state]
    for name, current in sources(state).items():
        was = built.get(name)
        if was and current > was:
            source = t[f"source.{name}"].format(state=law.name)
            out.append(
                Notice(
                    f"source:{name}:{current}",
                    t["source_newer"].format(source=source, date=current, built=was),
                )
            )
    return out


# ----------------------------------------------------------------------------- desk card


def card_text(approver: str, language: str = "en") -> dict:
    """The desk card's words for a policy whose approvals go to `approver`."""
    card = texts(language)["card"]
    call = card[f"call.{approver}"]
    return {
        **card,
        "steps": [s.format(call=call) for s in card["steps"]],
        "kinds": [tuple(k) for k in card["kinds"]],
        "disclaimer": texts(language)["common"]["disclaimer"],
    }

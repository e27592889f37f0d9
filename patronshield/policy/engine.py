"""The policy engine: layered rule tables (federal law, the library's policy, the state's
statute) evaluated against a scenario. Pure Python, standard library only.

Each layer is a table of rules read from TOML; the first rule of a layer that matches the
scenario speaks for that layer. The most protective layer decides the outcome, every layer
that spoke adds its citations, and the explanation says when state law is stricter than the
library's policy.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from . import vocab

DATA = Path(__file__).parent / "data"


class TableError(ValueError):
    """A rule table holds a key or a value the engine does not know (a typo must not silently
    drop a condition)."""


class InputError(ValueError):
    """A scenario field is missing or holds a value outside its vocabulary."""

    def __init__(self, field_name: str, message: str):
        super().__init__(f"{field_name}: {message}")
        self.field = field_name


@dataclass(frozen=True)
class Citation:
    source: str
    ref: str
    verify: bool = False

    def as_dict(self) -> dict:
        return {"source": self.source, "ref": self.ref, "needs_counsel_review": self.verify}


@dataclass(frozen=True)
class Rule:
    id: str
    outcome: str
    authorized: bool
    text: str
    citations: tuple[Citation, ...]
    requests: frozenset[str] | None = None
    documents: frozenset[str] | None = None
    agencies: frozenset[str] | None = None
    emergency: bool | None = None
    patron_consent: bool | None = None
    approver: str = "none"
    consult_counsel: bool = False
    exception: str | None = None  # which of the policy's exceptions this rule is (vocab)
    crime_at_library: bool | None = None
    active_threat: bool | None = None
    route: str | None = None  # the statute's route (a state table's [[route]] kind)
    requesters: frozenset[str] | None = None  # who is asking (vocab.REQUESTERS)
    # What is wrong with the paper (vocab.DOCUMENT_DEFECTS): the rule matches if the paper
    # has any of them.
    defects: frozenset[str] | None = None
    # Also cite the state's own search-warrant window (a state table's meta.warrant_window).
    warrant_window: bool = False

    def matches(self, s: Scenario) -> bool:
        return (
            (self.requests is None or bool({s.request, s.request_class} & self.requests))
            and (self.documents is None or s.document in self.documents)
            and (self.agencies is None or s.agency in self.agencies)
            and (self.emergency is None or s.emergency == self.emergency)
            and (self.patron_consent is None or s.patron_consent == self.patron_consent)
            and (self.crime_at_library is None or s.crime_at_library == self.crime_at_library)
            and (self.active_threat is None or s.active_threat == self.active_threat)
            and (self.requesters is None or s.requester in self.requesters)
            and (self.defects is None or bool(self.defects & set(s.document_defects)))
        )

    @property
    def protection(self) -> tuple[int, bool]:
        return (vocab.OUTCOME_RANK[self.outcome], not self.authorized)


@dataclass(frozen=True)
class Route:
    """A way the statute lets a record go (`encoded`: the engine has an input for it)."""

    kind: str
    ref: str
    note: str = ""
    encoded: bool = True


@dataclass(frozen=True)
class WarrantWindow:
    """The search-warrant execution window under the state's own rule (state warrants only)."""

    days: int
    ref: str


@dataclass(frozen=True)
class RuleTable:
    layer: str  # "federal", "policy" or "statute"
    title: str
    version: str
    reviewed_on: str
    review_status: str
    rules: tuple[Rule, ...]
    state: str | None = None
    # Who approves access or release at this library (a policy table's choice).
    approver: str = "director_or_designee"
    # A state table's reading of its law (docs/state-tables.md).
    kind: str = "statute"
    source: str = ""
    source_url: str = ""
    protects: tuple[str, ...] = ()
    protects_ref: str = ""
    consent: str | None = None
    penalty: str = ""
    not_confirmed: tuple[str, ...] = ()
    warrant_window: WarrantWindow | None = None
    routes: tuple[Route, ...] = ()

    def first_match(self, scenario: Scenario) -> Rule | None:
        return next((r for r in self.rules if r.matches(scenario)), None)


@dataclass(frozen=True)
class StateLaw:
    """A row of the 51-jurisdiction data set of library-records confidentiality laws."""

    code: str
    name: str
    citation: str
    title: str
    kind: str
    summary: str
    source: str
    source_url: str
    review_status: str
    reviewed_on: str
    releases_on: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scenario:
    agency: str
    request: str
    document: str = "none"
    state: str = "MI"
    patron_consent: bool = False
    emergency: bool = False
    language: str = "en"
    # The officer investigates a crime alleged to have happened at the library.
    crime_at_library: bool = False
    # Who is asking (vocab.REQUESTERS): an officer, a parent or guardian of a minor, a party
    # to a private lawsuit.
    requester: str = "officer"
    # Someone's life is in danger in the building now ("which way did the armed man go?").
    active_threat: bool = False
    # The paper is a warrant, but nobody (no judge) has signed it: the same as the defect
    # `not_signed` (kept for the command line and its callers).
    warrant_unsigned: bool = False
    # What the document checker found wrong with the paper, or could not confirm
    # (vocab.DOCUMENT_DEFECTS): a paper with any of them authorizes nothing.
    document_defects: tuple[str, ...] = ()

    def __post_init__(self):
        for name, allowed in (
            ("agency", vocab.AGENCIES),
            ("request", vocab.REQUESTS),
            ("document", vocab.DOCUMENTS),
            ("language", vocab.LANGUAGES),
            ("requester", vocab.REQUESTERS),
        ):
            value = getattr(self, name)
            if value not in allowed:
                raise InputError(name, f"{value!r} is not one of: {', '.join(allowed)}")
        if self.state not in state_laws():
            raise InputError(
                "state",
                f"{self.state!r} is not one of: {', '.join(sorted(state_laws()))}",
            )
        flags = ("patron_consent", "emergency", "crime_at_library", "active_threat")
        for name in (*flags, "warrant_unsigned"):
            if not isinstance(getattr(self, name), bool):
                raise InputError(name, "must be true or false")
        if self.warrant_unsigned and self.document not in vocab.WARRANTS:
            raise InputError("warrant_unsigned", "only for a warrant: " + ", ".join(vocab.WARRANTS))
        defects = self.document_defects
        allowed = ", ".join(vocab.DOCUMENT_DEFECTS)
        if isinstance(defects, str) or not isinstance(defects, (list, tuple)):
            raise InputError("document_defects", f"must be a list of: {allowed}")
        for value in defects:
            if value not in vocab.DOCUMENT_DEFECTS:
                raise InputError("document_defects", f"{value!r} is not one of: {allowed}")
        # One order, each once: the desk and the command line say the same thing.
        ordered = tuple(d for d in vocab.DOCUMENT_DEFECTS if d in defects)
        object.__setattr__(self, "document_defects", ordered)
        if self.requester != "officer":
            # A parent or a private litigant is not an agency, asks only about patron
            # records, and brings no warrant: the officers' inputs do not apply to them.
            who = self.requester
            if self.agency != "other":
                raise InputError("agency", f"a {who} is not an agency; leave it out or give: other")
            if self.request_class != "patron_info":
                allowed = [r for r, c in vocab.REQUEST_CLASSES.items() if c == "patron_info"]
                raise InputError("request", f"a {who} asks only for: {', '.join(allowed)}")
            if self.document not in vocab.PRIVATE_DOCUMENTS:
                raise InputError(
                    "document", f"a {who} brings one of: {', '.join(vocab.PRIVATE_DOCUMENTS)}"
                )
            for name in ("emergency", "crime_at_library", "active_threat"):
                if getattr(self, name):
                    raise InputError(name, f"an officer's input; a {who} leaves it false")

    @property
    def request_class(self) -> str:
        return vocab.REQUEST_CLASSES[self.request]


@dataclass(frozen=True)
class Decision:
    outcome: str
    authorized: bool
    approver: str
    notify_director: bool
    consult_counsel: bool
    nondisclosure: bool
    do_not_obstruct: bool
    staff_script: str
    explanation: str
    citations: tuple[Citation, ...]
    do: tuple[str, ...]
    dont: tuple[str, ...]
    rules: tuple[str, ...]
    warnings: tuple[str, ...]
    state: str
    statute_encoded: bool
    language: str
    disclaimer: str
    versions: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "outcome": self.outcome,
            "authorized": self.authorized,
            "approver": self.approver,
            "notify_director": self.notify_director,
            "consult_counsel": self.consult_counsel,
            "nondisclosure": self.nondisclosure,
            "do_not_obstruct": self.do_not_obstruct,
            "staff_script": self.staff_script,
            "explanation": self.explanation,
            "citations": [c.as_dict() for c in self.citations],
            "do": list(self.do),
            "dont": list(self.dont),
            "rules": list(self.rules),
            "warnings": list(self.warnings),
            "state": self.state,
            "statute_encoded": self.statute_encoded,
            "language": self.language,
            "disclaimer": self.disclaimer,
            "versions": self.versions,
        }


# ----------------------------------------------------------------------------- loading


TABLE_KEYS = {"meta", "rule", "route"}
META_KEYS = {
    "layer", "state", "kind", "title", "version", "reviewed_on", "review_status", "approver",
    "source", "source_url", "protects", "protects_ref", "consent", "penalty", "not_confirmed",
    "warrant_window",
}  # fmt: skip
RULE_KEYS = {
    "id", "requests", "documents", "agencies", "emergency", "patron_consent",
    "crime_at_library", "outcome", "authorized", "approver", "consult_counsel", "exception",
    "route", "text", "citations", "requesters", "active_threat", "defects", "warrant_window",
}  # fmt: skip
ROUTE_KEYS = {"kind", "ref", "note", "encoded"}
CITATION_KEYS = {"source", "ref", "verify"}
WINDOW_KEYS = {"days", "ref"}
KNOWN_REQUESTS = frozenset(vocab.REQUESTS) | frozenset(vocab.REQUEST_CLASSES.values())


def _check(where: str, keys, known, required=()) -> None:
    if unknown := sorted(set(keys) - set(known)):
        raise TableError(f"{where}: unknown key {unknown[0]!r}; known: {', '.join(sorted(known))}")
    if missing := [k for k in required if k not in keys]:
        raise TableError(f"{where}: missing {missing[0]!r}")


def _one_of(where: str, value, allowed) -> None:
    if value is not None and value not in allowed:
        raise TableError(f"{where}: {value!r} is not one of: {', '.join(allowed)}")


def _all_of(where: str, values, allowed) -> frozenset[str] | None:
    if values is None:
        return None
    for value in values:
        _one_of(where, value, allowed)
    return frozenset(values)


def _citation(where: str, raw: dict) -> Citation:
    _check(where, raw, CITATION_KEYS, ("source", "ref"))
    _one_of(where + ".source", raw["source"], vocab.CITATION_SOURCES)
    return Citation(**raw)


def parse_table(data: dict) -> RuleTable:
    """A rule table from its TOML data; any key or value the engine does not know fails."""
    meta = data.get("meta", {})
    name = meta.get("state") or meta.get("title") or "table"
    _check(name, data, TABLE_KEYS, ("meta",))
    _check(f"{name} [meta]", meta, META_KEYS, ("layer", "title", "version", "reviewed_on"))
    _one_of(f"{name} meta.layer", meta["layer"], vocab.LAYERS)
    _one_of(f"{name} meta.kind", meta.get("kind"), vocab.TABLE_KINDS)
    _one_of(f"{name} meta.consent", meta.get("consent"), vocab.CONSENT)
    _one_of(f"{name} meta.approver", meta.get("approver"), vocab.APPROVERS)
    protects = _all_of(f"{name} meta.protects", meta.get("protects", ()), vocab.PROTECTS)
    window = meta.get("warrant_window")
    if window is not None:
        _check(f"{name} [meta.warrant_window]", window, WINDOW_KEYS, ("days", "ref"))
        window = WarrantWindow(days=int(window["days"]), ref=window["ref"])
    routes = []
    for i, raw in enumerate(data.get("route", [])):
        where = f"{name} [[route]] {i + 1}"
        _check(where, raw, ROUTE_KEYS, ("kind", "ref"))
        _one_of(where + ".kind", raw["kind"], vocab.ROUTE_KINDS)
        routes.append(Route(**raw))
    route_kinds = {r.kind for r in routes}

    rules = []
    for raw in data.get("rule", []):
        where = f"{name} rule {raw.get('id', '?')}"
        _check(where, raw, RULE_KEYS, ("id", "outcome", "authorized", "text", "citations"))
        _one_of(where + ".outcome", raw["outcome"], vocab.OUTCOMES)
        _one_of(where + ".approver", raw.get("approver"), vocab.APPROVERS)
        _one_of(where + ".exception", raw.get("exception"), vocab.EXCEPTIONS)
        _one_of(where + ".route", raw.get("route"), sorted(route_kinds))
        flags = ("authorized", "emergency", "patron_consent", "crime_at_library", "active_threat")
        for flag in (*flags, "warrant_window"):
            if flag in raw and not isinstance(raw[flag], bool):
                raise TableError(f"{where}.{flag}: must be true or false")
        rules.append(
            Rule(
                id=raw["id"],
                outcome=raw["outcome"],
                authorized=raw["authorized"],
                text=raw["text"],
                citations=tuple(_citation(where, c) for c in raw["citations"]),
                requests=_all_of(where + ".requests", raw.get("requests"), KNOWN_REQUESTS),
                documents=_all_of(where + ".documents", raw.get("documents"), vocab.DOCUMENTS),
                agencies=_all_of(where + ".agencies", raw.get("agencies"), vocab.AGENCIES),
                requesters=_all_of(where + ".requesters", raw.get("requesters"), vocab.REQUESTERS),
                defects=_all_of(where + ".defects", raw.get("defects"), vocab.DOCUMENT_DEFECTS),
                warrant_window=raw.get("warrant_window", False),
                emergency=raw.get("emergency"),
                patron_consent=raw.get("patron_consent"),
                crime_at_library=raw.get("crime_at_library"),
                active_threat=raw.get("active_threat"),
                approver=raw.get("approver", "none"),
                consult_counsel=raw.get("consult_counsel", False),
                exception=raw.get("exception"),
                route=raw.get("route"),
            )
        )
    return RuleTable(
        layer=meta["layer"],
        title=meta["title"],
        version=str(meta["version"]),
        reviewed_on=str(meta["reviewed_on"]),
        review_status=meta.get("review_status", ""),
        rules=tuple(rules),
        state=meta.get("state"),
        approver=meta.get("approver", "director_or_designee"),
        kind=meta.get("kind", "statute"),
        source=meta.get("source", ""),
        source_url=meta.get("source_url", ""),
        protects=tuple(sorted(protects)),
        protects_ref=meta.get("protects_ref", ""),
        consent=meta.get("consent"),
        penalty=meta.get("penalty", ""),
        not_confirmed=tuple(meta.get("not_confirmed", ())),
        warrant_window=window,
        routes=tuple(routes),
    )


def _load_toml(path: Path) -> dict:
    with path.open("rb") as f:
        return tomllib.load(f)


@cache
def federal_table() -> RuleTable:
    return parse_table(_load_toml(DATA / "law" / "federal.toml"))


@cache
def model_policy() -> RuleTable:
    """The model policy (Ecorse Public Library), the default for every library."""
    return parse_table(_load_toml(DATA / "policies" / "model.toml"))


@cache
def defect_table() -> RuleTable:
    """What is wrong with the paper itself: a defect the checker found stops it holding here."""
    return parse_table(_load_toml(DATA / "law" / "defects.toml"))


@cache
def state_tables() -> dict[str, RuleTable]:
    tables = {}
    for path in sorted((DATA / "law").glob("[A-Z][A-Z].toml")):
        table = parse_table(_load_toml(path))
        tables[table.state] = table
    return tables


@cache
def state_laws() -> dict[str, StateLaw]:
    rows = _load_toml(DATA / "states.toml")["state"]
    return {
        row["code"]: StateLaw(
            **{k: v for k, v in row.items() if k != "releases_on"},
            releases_on=tuple(row.get("releases_on", ())),
        )
        for row in rows
    }


@cache
def texts(language: str) -> dict:
    return _load_toml(DATA / "text" / f"{language}.toml")


def cited_ref(ref: str, language: str) -> str:
    """A citation in `language` where it has its words ([citation] in its texts): the
    statute's number and the words it quotes stay as the law prints them."""
    return texts(vocab.language_or_default(language)).get("citation", {}).get(ref, ref)


def cited(citations, language: str) -> tuple[Citation, ...]:
    return tuple(replace(c, ref=cited_ref(c.ref, language)) for c in citations)


# ----------------------------------------------------------------------------- deciding


def _script(t: dict, outcome: str, s: Scenario) -> str:
    candidates = [f"{outcome}.{s.document}.{s.request_class}", f"{outcome}.{s.document}"]
    if s.emergency:
        candidates.append(f"{outcome}.emergency")
    if s.patron_consent and s.request_class == "patron_info":
        candidates.append(f"{outcome}.consent")
    candidates += [f"{outcome}.{s.request}", f"{outcome}.{s.request_class}", outcome]
    scripts = t["script"]
    return next(scripts[key] for key in candidates if key in scripts)


def _words_for(t: dict, approver: str):
    """The texts name "the director or a designee"; under a policy where the director alone
    approves, the words the desk reads say so (the phrases to change are the texts' data)."""
    pairs = t.get("approver_words", {}).get(approver, [])

    def say(text: str) -> str:
        for old, new in pairs:
            text = text.replace(old, new)
        return text

    return say


def _not_encoded(state: str, law: StateLaw) -> Rule:
    """What a state without an encoded table says about patron records: refer."""
    return Rule(
        id=f"{state}.not_encoded",
        outcome="refer",
        authorized=False,
        text="state_not_encoded",
        citations=(Citation("statute", f"{law.citation} ({law.title})", verify=True),),
        requests=frozenset({"patron_info"}),
        consult_counsel=True,
    )


def _variant(section: dict, key: str, document: str) -> str:
    """A text about a warrant says "this warrant" where the texts have such a variant."""
    if document in vocab.WARRANTS and f"{key}.warrant" in section:
        return section[f"{key}.warrant"]
    return section[key]


def defect_reasons(defects, document: str, language: str = "en") -> list[str]:
    """What is wrong with the paper, one plain sentence a defect, in `language` (for the
    desk's document screen and the director's alert)."""
    t = texts(vocab.language_or_default(language))
    return [_variant(t["reason"], d, document) for d in vocab.DOCUMENT_DEFECTS if d in defects]


def decide(scenario: Scenario, policy: RuleTable | None = None) -> Decision:
    """Decide what staff do for `scenario` under `policy` (default: the model policy)."""
    policy = policy or model_policy()
    t = texts(scenario.language)
    law = state_laws()[scenario.state]
    state_table = state_tables().get(scenario.state)
    fmt = {"state": law.name, "citation": law.citation}
    asked = scenario
    # What the rules see: a paper with a defect (an unsigned warrant among them) is read the
    # most protective way, as a paper nobody could identify, so it authorizes nothing; an
    # active threat is an emergency.
    defects = asked.document_defects
    if asked.warrant_unsigned and "not_signed" not in defects:
        defects = tuple(d for d in vocab.DOCUMENT_DEFECTS if d in {*defects, "not_signed"})
    # Of a protected request, only the defects that bear on it count (the defect table says
    # which requests: a records order that commands no entry still stands for the records).
    probe = replace(scenario, emergency=False, active_threat=False, warrant_unsigned=False)
    defects = tuple(
        d
        for d in defects
        if scenario.request not in vocab.PROTECTED_REQUESTS
        or any(r.matches(replace(probe, document_defects=(d,))) for r in defect_table().rules)
    )
    if defects:
        scenario = replace(
            scenario, document="unknown", warrant_unsigned=False, document_defects=defects
        )
    else:
        scenario = replace(scenario, document_defects=())
    if asked.active_threat:
        scenario = replace(scenario, emergency=True)

    # Layers in order of precedence for ties: the state's statute, then the policy,
    # then federal law. Every table but a state's must match every scenario.
    federal = federal_table()
    spoken: list[tuple[RuleTable | None, Rule]] = []
    for table in (state_table, policy, federal):
        if table is None:
            continue
        rule = table.first_match(scenario)
        if rule is None and table.layer != "statute":
            raise LookupError(f"{table.title}: no rule matches {scenario}")
        if rule is not None:
            spoken.append((table, rule))
    if state_table is None and scenario.request_class == "patron_info":
        # No encoded statute says a patron record may go: the other layers alone never
        # release one.
        spoken.insert(0, (None, _not_encoded(scenario.state, law)))
    # What is wrong with the paper speaks first, every defect that applies (its table says
    # when: what a paper would open, outside an emergency): each refers, authorizing nothing.
    faults = [r for r in defect_table().rules if r.matches(scenario)]
    spoken[:0] = [(defect_table(), r) for r in faults]

    deciding, decisive = max(spoken, key=lambda tr: tr[1].protection)
    policy_rule = next(r for tb, r in spoken if tb is policy)
    outcome = decisive.outcome
    # A gag comes with the paper shown, whatever is wrong with it.
    nondisclosure = asked.document in vocab.GAG_DOCUMENTS

    paragraphs = [t["explanation"][decisive.text].format(**fmt)]
    leads = ["active_threat"] if asked.active_threat else []
    # Someone who is not an officer (a parent, a private litigant) hears their own words.
    private = asked.requester != "officer"
    # A statute's release route that decides (Wisconsin's footage of a crime at the library,
    # which the director checks first) is not a stricter law, and no rule that would hand
    # nothing over speaks beside it: "nothing is handed over" would contradict it.
    by_route = deciding is state_table and decisive.route is not None
    stricter = decisive.protection > policy_rule.protection and not by_route
    if faults:
        # The why is what is wrong with the paper, and only that: the rules that read it
        # as a paper nobody could identify did not decide.
        paragraphs = [
            *(_variant(t["explanation"], r.text, asked.document).format(**fmt) for r in faults),
            t["common"]["defects_close"],
        ]
        others = []
    elif deciding is not None and deciding is state_table and stricter:
        # Say so, and leave out what the policy alone would have allowed.
        paragraphs.insert(0, t["common"]["stricter"].format(**fmt))
        others = [r for tb, r in spoken if tb is federal]
    else:
        others = [r for tb, r in spoken if tb is policy or tb is federal]
    paragraphs[:0] = [t["explanation"][k].format(**fmt) for k in leads]
    for rule in others:
        # When the decisive rule releases nothing, no rule that would have released
        # something speaks.
        if rule is decisive or rule.text == decisive.text:
            continue
        if rule.authorized and not decisive.authorized:
            continue
        if by_route and not rule.authorized:
            continue
        if (paragraph := t["explanation"][rule.text].format(**fmt)) not in paragraphs:
            paragraphs.append(paragraph)

    warnings = []
    if state_table is None:
        key = "statute_not_encoded" if law.citation else "no_statute"
        warnings.append(t["common"][key].format(**fmt))
    if defects and not faults:
        # An emergency, consent or a public area decides: the paper still allows nothing.
        reasons = " ".join(defect_reasons(defects, asked.document, asked.language))
        warnings.append(t["common"]["defects_not_deciding"].format(reasons=reasons))

    why = [(tb, r) for tb, r in spoken if r in faults] if faults else spoken
    citations: list[Citation] = []
    for source in ("policy", "statute", "federal", "case"):
        for _table, rule in why:
            for c in rule.citations:
                if c.source == source and c not in citations:
                    citations.append(c)
            window = state_table.warrant_window if state_table else None
            window_cited = rule.warrant_window and window and source == "statute"
            if window_cited and (c := Citation("statute", window.ref)) not in citations:
                citations.append(c)
    if state_table is None and law.citation and not faults:
        citations.append(Citation("statute", f"{law.citation} ({law.title})", verify=True))
    if any(c.verify for c in citations):
        warnings.append(t["common"]["verify"])

    # Whenever something may be handed over or opened, now or after counsel's review,
    # only the director or a designee approves it (the director alone, if the policy says so).
    approver = (
        policy.approver
        if outcome in ("comply_after_approval", "refer")
        or any(r.approver != "none" for _t, r in spoken)
        else "none"
    )
    steps = t["steps"]
    extra = ["nondisclosure"] if nondisclosure else []
    first = [f"do.{k}" for k in leads]  # "Call 911" before anything else
    if faults:
        first.append("do.defect")
        # Say what is wrong, then: no obstruction, no consent, no help; the director checks.
        reasons = [_variant(t["defect"], d, asked.document) for d in defects if _applies(d, faults)]
        # Someone who is not an officer hears the reasons, then their own words.
        script = " ".join([*reasons, t["script"]["private" if private else "defect"]])
    elif leads:
        script = t["script"][leads[0]]
    elif private:
        script = t["script"]["private"]
    else:
        script = _script(t, outcome, scenario)
    say = _words_for(t, policy.approver)
    return Decision(
        outcome=outcome,
        authorized=all(r.authorized for _t, r in spoken),
        approver=approver,
        notify_director=True,
        consult_counsel=(
            any(r.consult_counsel for _t, r in spoken) or state_table is None or nondisclosure
        ),
        nondisclosure=nondisclosure,
        do_not_obstruct=True,
        staff_script=say(script),
        explanation=say(" ".join(paragraphs)),
        citations=cited(citations, asked.language),
        do=tuple(
            say(x)
            for k in [
                *first,
                "do.always.private" if private else "do.always",
                *([] if private else [f"do.{outcome}"]),
                *(f"do.{e}" for e in extra),
            ]
            for x in steps.get(k, [])
        ),
        dont=tuple(
            say(x)
            for k in [*(["defect"] if faults else []), outcome, *extra, "always"]
            for x in steps.get(f"dont.{k}", [])
        ),
        rules=tuple(r.id for _t, r in why),
        warnings=tuple(warnings),
        state=asked.state,
        statute_encoded=state_table is not None,
        language=asked.language,
        disclaimer=t["common"]["disclaimer"],
        versions={
            tb.layer: {"version": tb.version, "reviewed_on": tb.reviewed_on}
            for tb, _r in spoken
            if tb is not None
        },
    )


def _applies(defect: str, faults: list[Rule]) -> bool:
    return any(r.defects and defect in r.defects for r in faults)

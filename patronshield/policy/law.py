"""Each jurisdiction's library-records law as a director and their lawyer check it: the
statute, what it protects, every route by which a record may lawfully go (and whether the
desk's engine applies it yet), the search-warrant window, the penalty, where it was read and
how far it has been reviewed, and what could not be confirmed.

Read from the state tables' meta and routes (data/law/XX.toml, docs/state-tables.md); a
jurisdiction without a table yet falls back to its row of data/states.toml, `encoded=False`.
Pure Python, standard library only; `patronshield law [STATE]` prints it as JSON.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass
from functools import cache

from .engine import DATA, _load_toml

# states.toml's `releases_on` words, as route kinds.
RELEASES_ON = {
    "consent": "consent",
    "court_order": "court_order",
    "emergency": "law_enforcement_emergency",
    "library_administration": "library_operations",
    "search_warrant": "search_warrant",
    "statute": "statute",
    "subpoena": "subpoena",
}
# For a table written before [[route]]: the documents by which its rules release a record.
ROUTE_DOCUMENTS = {
    "court_order": {"court_order"},
    "search_warrant": {"judicial_search_warrant"},
    "subpoena": {"judicial_subpoena", "grand_jury_subpoena", "administrative_subpoena"},
}


@dataclass(frozen=True)
class Route:
    kind: str
    ref: str
    note: str = ""
    encoded: bool = False  # the desk's engine has an input for it and a rule that applies it


@dataclass(frozen=True)
class WarrantWindow:
    days: int
    ref: str


@dataclass(frozen=True)
class Jurisdiction:
    code: str
    name: str
    citation: str
    title: str
    kind: str
    source: str
    source_url: str
    reviewed_on: str
    review_status: str
    summary: str
    protects: tuple[str, ...]
    protects_ref: str
    consent: str  # "written", "any", "none"; "" when not yet read into a table
    penalty: str
    warrant_window: WarrantWindow | None
    routes: tuple[Route, ...]
    not_confirmed: tuple[str, ...]
    encoded: bool  # a rule table exists: the desk applies this state's law

    def as_dict(self) -> dict:
        return asdict(self)


def _releasing_rule(kind: str, rules: list[dict]) -> dict | None:
    """The first rule of an older table (no [[route]]) that releases a record by `kind`."""
    for rule in rules:
        if not rule.get("authorized"):
            continue
        if (
            rule.get("route") == kind
            or (kind == "consent" and rule.get("patron_consent"))
            or (kind == "law_enforcement_emergency" and rule.get("emergency"))
            or set(rule.get("documents", ())) & ROUTE_DOCUMENTS.get(kind, set())
        ):
            return rule
    return None


def _routes(row: dict, table: dict | None) -> tuple[Route, ...]:
    """A table in the documented format lists its routes (maybe none); for an older table,
    or none, the routes are states.toml's `releases_on`, applied where a rule releases by it."""
    if table and "kind" in table["meta"]:
        return tuple(
            Route(r["kind"], r.get("ref", ""), r.get("note", ""), bool(r.get("encoded")))
            for r in table.get("route", ())
        )
    routes = []
    for word in row.get("releases_on", ()):
        kind = RELEASES_ON.get(word, "other")
        rule = _releasing_rule(kind, table.get("rule", [])) if table else None
        ref = rule["citations"][0]["ref"] if rule and rule.get("citations") else row["citation"]
        routes.append(Route(kind, ref, encoded=rule is not None))
    return tuple(routes)


def _jurisdiction(row: dict, table: dict | None) -> Jurisdiction:
    meta = (table or {}).get("meta", {})
    window = meta.get("warrant_window")
    return Jurisdiction(
        code=row["code"],
        name=row["name"],
        citation=row["citation"],
        title=meta.get("title", row["title"]),
        kind=meta.get("kind", row["kind"]),
        source=meta.get("source", row["source"]),
        source_url=meta.get("source_url", row["source_url"]),
        reviewed_on=str(meta.get("reviewed_on", row["reviewed_on"])),
        review_status=meta.get("review_status", row["review_status"]),
        summary=row.get("summary", ""),
        protects=tuple(meta.get("protects", ())),
        protects_ref=meta.get("protects_ref", ""),
        consent=meta.get("consent", ""),
        penalty=meta.get("penalty", ""),
        warrant_window=WarrantWindow(int(window["days"]), window["ref"]) if window else None,
        routes=_routes(row, table),
        not_confirmed=tuple(meta.get("not_confirmed", ())),
        encoded=table is not None,
    )


@cache
def jurisdictions() -> dict[str, Jurisdiction]:
    """All 51 jurisdictions by code, A–Z by code."""
    tables = {p.stem: _load_toml(p) for p in (DATA / "law").glob("[A-Z][A-Z].toml")}
    rows = sorted(_load_toml(DATA / "states.toml")["state"], key=lambda r: r["code"])
    return {r["code"]: _jurisdiction(r, tables.get(r["code"])) for r in rows}


def main(argv: list[str]) -> int:
    """`patronshield law [STATE]`: every jurisdiction (a JSON array), or one (an object)."""
    if argv[:1] in (["-h"], ["--help"]):
        print(
            "usage: patronshield law [STATE]\n\n"
            "Each jurisdiction's library-records law as JSON: all 51, or the one named by its\n"
            "two-letter code. Guidance, not legal advice."
        )
        return 0
    if len(argv) > 1:
        print("law: give one two-letter state code, or none for all", file=sys.stderr)
        return 2
    every = jurisdictions()
    if argv:
        code = argv[0].upper()
        if code not in every:
            print(f"law: {argv[0]!r} is not one of: {', '.join(every)}", file=sys.stderr)
            return 2
        out = every[code].as_dict()
    else:
        out = [j.as_dict() for j in every.values()]
    print(json.dumps(out, ensure_ascii=False, indent=2))
    return 0

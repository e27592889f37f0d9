"""Each jurisdiction's library-records law as a director and their lawyer check it: the
statute, what it protects, every route by which a record may lawfully go (and whether the
desk's engine applies it yet), the search-warrant window, the penalty, where it was read and
how far it has been reviewed, and what could not be confirmed.

Read through the engine's own reading of the state tables (data/law/XX.toml,
docs/state-tables.md), so the page says what the desk applies; a jurisdiction without a table
falls back to its row of data/states.toml, `encoded=False`.
Pure Python, standard library only; `patronshield law [STATE]` prints it as JSON.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass
from functools import cache

from .engine import Route, RuleTable, StateLaw, WarrantWindow, state_laws, state_tables


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
    consent: str  # "written", "any", "none"; "" when not read into a table
    penalty: str
    warrant_window: WarrantWindow | None
    routes: tuple[Route, ...]
    not_confirmed: tuple[str, ...]
    encoded: bool  # a rule table exists: the desk applies this state's law

    def as_dict(self) -> dict:
        return asdict(self)


def _jurisdiction(law: StateLaw, table: RuleTable | None) -> Jurisdiction:
    """The table as the engine reads it; without one (none is missing today), the index row."""
    return Jurisdiction(
        code=law.code,
        name=law.name,
        citation=law.citation,
        title=table.title if table else law.title,
        kind=table.kind if table else law.kind,
        source=table.source if table else law.source,
        source_url=table.source_url if table else law.source_url,
        reviewed_on=table.reviewed_on if table else law.reviewed_on,
        review_status=table.review_status if table else law.review_status,
        summary=law.summary,
        protects=table.protects if table else (),
        protects_ref=table.protects_ref if table else "",
        consent=(table.consent or "") if table else "",
        penalty=table.penalty if table else "",
        warrant_window=table.warrant_window if table else None,
        routes=table.routes if table else (),
        not_confirmed=table.not_confirmed if table else (),
        encoded=table is not None,
    )


@cache
def jurisdictions() -> dict[str, Jurisdiction]:
    """All 51 jurisdictions by code, A–Z by code."""
    tables = state_tables()
    return {
        code: _jurisdiction(law, tables.get(code)) for code, law in sorted(state_laws().items())
    }


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

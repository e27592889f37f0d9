"""The scenario drills, as data (`data/scenarios.toml`): a narrative in each language and
the true facts behind it. What the desk should have done is never written here: the engine
decides it from the facts under the library's adopted policy."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from patronshield.policy import Scenario, vocab

DATA = Path(__file__).parent / "data" / "scenarios.toml"
LANGUAGES = ("en", "es")
FACTS = (
    "agency", "request", "document", "emergency", "patron_consent", "requester",
    "crime_at_library",
)  # fmt: skip


@dataclass(frozen=True)
class Conduct:
    prompt: dict
    options: tuple[dict, ...]
    answer: str
    why: dict


@dataclass(frozen=True)
class Drill:
    id: str
    title: dict
    narrative: dict
    facts: dict
    conduct: Conduct | None = None

    def text(self, field: str, language: str) -> str:
        return self.text_of(getattr(self, field), language)

    @staticmethod
    def text_of(values: dict, language: str) -> str:
        return values.get(language) or values["en"]

    def scenario(self, state: str, language: str = "en") -> Scenario:
        return Scenario(
            state=state,
            language=language if language in LANGUAGES else "en",
            **{k: v for k, v in self.facts.items() if k != "patron_consent"},
            patron_consent=bool(self.facts.get("patron_consent", False)),
        )

    @property
    def answers(self) -> dict:
        """The facts as the desk records them: no agency or emergency for someone who is
        not an officer (the engine hears "other" and no), whom it does not ask."""
        facts = dict(self.facts)
        if facts["requester"] != "officer":
            facts.update(agency="", emergency=None)
        return facts


def _parse(raw: dict) -> Drill:
    facts = dict(raw["facts"])
    if unknown := set(facts) - set(FACTS):
        raise ValueError(f"scenario {raw['id']}: unknown fact {sorted(unknown)[0]!r}")
    facts.setdefault("emergency", False)
    facts.setdefault("crime_at_library", False)
    facts.setdefault("requester", "officer")
    if facts["requester"] != "officer":
        facts.setdefault("agency", "other")  # not an agency: what the engine expects
    if vocab.REQUEST_CLASSES[facts["request"]] == "patron_info":
        facts.setdefault("patron_consent", False)
    conduct = None
    if c := raw.get("conduct"):
        conduct = Conduct(c["prompt"], tuple(c["options"]), c["answer"], c["why"])
    drill = Drill(raw["id"], raw["title"], raw["narrative"], facts, conduct)
    drill.scenario("MI")  # the facts are in the engine's vocabulary, or this raises
    return drill


@cache
def drills() -> dict[str, Drill]:
    with DATA.open("rb") as f:
        rows = tomllib.load(f)["scenario"]
    result = {}
    for raw in rows:
        drill = _parse(raw)
        if drill.id in result:
            raise ValueError(f"scenario {drill.id} twice")
        result[drill.id] = drill
    return result

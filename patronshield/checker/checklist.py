"""The staff checklist: answers about the paper -> its kind, by rules read from data."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path


@cache
def _data() -> dict:
    with (Path(__file__).parent / "data" / "checklist.toml").open("rb") as f:
        return tomllib.load(f)


def questions() -> dict[str, list[str]]:
    return _data()["questions"]


def kind_from_checklist(answers: dict[str, str]) -> tuple[str, str]:
    """(kind, id of the rule that decided); ("unknown", "no_rule") when none matches."""
    for name, allowed in questions().items():
        if answers.get(name) not in allowed:
            raise ValueError(f"{name}: one of {', '.join(allowed)}")
    for rule in _data()["rule"]:
        if all(answers[q] in rule[q] for q in questions() if q in rule):
            return rule["kind"], rule["id"]
    return "unknown", "no_rule"

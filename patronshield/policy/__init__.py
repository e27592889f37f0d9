"""Patron Shield's policy engine: pure Python, no Django. Rules are data (see data/)."""

from .engine import (
    Citation,
    Decision,
    InputError,
    Rule,
    RuleTable,
    Scenario,
    StateLaw,
    decide,
    defect_reasons,
    defect_table,
    federal_table,
    model_policy,
    parse_table,
    state_laws,
    state_tables,
    texts,
)

__all__ = [
    "Citation",
    "Decision",
    "InputError",
    "Rule",
    "RuleTable",
    "Scenario",
    "StateLaw",
    "decide",
    "defect_reasons",
    "defect_table",
    "federal_table",
    "model_policy",
    "parse_table",
    "state_laws",
    "state_tables",
    "texts",
]

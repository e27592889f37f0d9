"""The policy in force at a library: the rules its board adopted, or the model policy.

Every caller that decides for a library asks here, so the desk, the records workflow and
training always apply the same, adopted, version.
"""

from patronshield.policy import RuleTable, model_policy


def adopted_table(library) -> RuleTable:
    """The rule table the engine applies for `library` (the model policy until one is adopted)."""
    return model_policy()

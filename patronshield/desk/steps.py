"""The desk questions, one per screen: the flow as data, its words translatable."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from patronshield.libraries.policies import adopted_table
from patronshield.policy import federal_table, state_tables, vocab

from .models import Agency, Document, Request, Requester

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
BOOLEAN_FIELDS = ("emergency", "patron_consent", "crime_at_library")


@dataclass(frozen=True)
class Step:
    name: str
    field: str
    question: str
    hint: str
    choices: list
    groups: tuple = ()  # optional (heading, [values]) to group long lists

    def options(self, encounter) -> list:
        """The choices for this encounter: a parent or a private party brings no warrant."""
        if self.name == "document" and not encounter.officer:
            return [c for c in self.choices if c[0] in vocab.PRIVATE_DOCUMENTS]
        return self.choices

    def value(self, answer: str, encounter=None):
        """The model value for a submitted answer, or None if it is not a choice."""
        choices = self.choices if encounter is None else self.options(encounter)
        if answer not in {value for value, _label in choices}:
            return None
        if self.field in BOOLEAN_FIELDS:
            return answer == "yes"
        return answer

    def current(self, encounter) -> str:
        value = getattr(encounter, self.field)
        if isinstance(value, bool):
            return "yes" if value else "no"
        return value or ""


PAPERS = [c for c in Document.choices if c[0] not in ("none", "verbal", "other", "unknown")]

STEPS = {
    "request": Step(
        "request",
        "request",
        _("What are they asking for?"),
        _("Choose what they want now. You can change it later."),
        Request.choices,
    ),
    "requester": Step(
        "requester",
        "requester",
        _("Who is asking?"),
        _(
            "A parent or guardian asks about their own child. Someone with a lawyer's "
            "subpoena in a divorce or another private lawsuit is in a private lawsuit. "
            "If you are not sure, ask them."
        ),
        Requester.choices,
    ),
    "agency": Step(
        "agency",
        "agency",
        _("Who are they with?"),
        _("Look at the badge or ID. If you are not sure, choose the last option."),
        Agency.choices,
    ),
    "document": Step(
        "document",
        "document",
        _("What did they show you?"),
        _(
            "A judge's warrant or order names a court at the top and is signed by a judge. "
            "An ICE warrant says “Department of Homeland Security” and is signed by "
            "an immigration officer. If you cannot tell, say so: that is the safe answer."
        ),
        Document.choices,
        # "I can't tell" first, the safe answer for who cannot read the paper in a hurry,
        # then the kinds of paper, on a phone's first screen; the photo box after them all.
        groups=(
            (None, ["unknown"]),  # says it all: no heading, one line less
            (_("A paper"), [value for value, _label in PAPERS] + ["other"]),
            (_("No paper"), ["none", "verbal"]),
        ),
    ),
    "emergency": Step(
        "emergency",
        "emergency",
        _("Is anyone in danger right now?"),
        _("Answer yes only if someone's life or safety is at risk at this moment."),
        YES_NO,
    ),
    "crime_at_library": Step(
        "crime_at_library",
        "crime_at_library",
        _("Is this about something that happened at the library?"),
        _(
            "Yes only if the officer says they are investigating a crime that happened here, "
            "at the library. If you are not sure, answer no."
        ),
        YES_NO,
    ),
    "consent": Step(
        "consent",
        "patron_consent",
        _("Did they bring the patron's written consent?"),
        _("A signed note from the person the records are about. If not sure, answer no."),
        YES_NO,
    ),
}
STEP_ORDER = list(STEPS)


def _crime_matters(encounter) -> bool:
    """Whether "did it happen at the library?" can change the answer: some rule of the
    state's table, the library's policy or federal law asks it, for what is asked so far
    (Wisconsin § 43.30(5): footage, for state and local police)."""
    if not encounter.officer or not encounter.request:
        return False
    library = encounter.library
    asked = {encounter.request, vocab.REQUEST_CLASSES[encounter.request]}
    tables = (state_tables().get(library.state), adopted_table(library), federal_table())
    return any(
        rule.crime_at_library is not None
        and (rule.requests is None or bool(asked & rule.requests))
        and (rule.agencies is None or encounter.agency in rule.agencies)
        and (rule.documents is None or encounter.document in rule.documents)
        for table in tables
        if table is not None
        for rule in table.rules
    )


def applies(name: str, encounter) -> bool:
    """Whether the desk asks question `name` about this encounter, as answered so far."""
    if name in ("requester", "consent"):
        return encounter.needs_consent_answer
    if name in ("agency", "emergency"):
        return encounter.officer  # not asked of a parent or a party to a lawsuit
    if name == "crime_at_library":
        return _crime_matters(encounter)
    return True


def asked(encounter) -> list[str]:
    """The questions the desk asks about this encounter, in order, as answered so far: the
    count ("2 of 5") and the way back follow it as questions appear or drop out."""
    return [name for name in STEP_ORDER if applies(name, encounter)]


def next_step(encounter) -> str | None:
    """The first question asked and not yet answered, or None when the flow is complete."""
    return next((n for n in asked(encounter) if STEPS[n].current(encounter) == ""), None)

"""The desk questions, one per screen: the flow as data, its words translatable."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import Agency, Document, Request

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


@dataclass(frozen=True)
class Step:
    name: str
    field: str
    question: str
    hint: str
    choices: list
    groups: tuple = ()  # optional (heading, [values]) to group long lists

    def value(self, answer: str):
        """The model value for a submitted answer, or None if it is not a choice."""
        if answer not in {value for value, _label in self.choices}:
            return None
        if self.field in ("emergency", "patron_consent"):
            return answer == "yes"
        return answer

    def current(self, encounter) -> str:
        value = getattr(encounter, self.field)
        if isinstance(value, bool):
            return "yes" if value else "no"
        return value or ""


PAPERS = [c for c in Document.choices if c[0] not in ("none", "verbal", "other", "unknown")]

STEPS = {
    "agency": Step(
        "agency",
        "agency",
        _("Who are they with?"),
        _("Look at the badge or ID. If you are not sure, choose the last option."),
        Agency.choices,
    ),
    "request": Step(
        "request",
        "request",
        _("What are they asking for?"),
        _("Choose what they want now. You can change it later."),
        Request.choices,
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
    "consent": Step(
        "consent",
        "patron_consent",
        _("Did they bring the patron's written consent?"),
        _("A signed note from the person the records are about. If not sure, answer no."),
        YES_NO,
    ),
}
STEP_ORDER = list(STEPS)

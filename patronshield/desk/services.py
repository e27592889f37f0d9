"""Writes to encounters go through these functions, never through a raw save() in a view."""

from django.db import transaction
from django.utils import timezone

from patronshield.policy import Scenario, decide

from .models import Encounter

ANSWER_FIELDS = ("agency", "request", "document", "emergency", "patron_consent")


def scenario_for(encounter: Encounter, language: str = "en") -> Scenario:
    return Scenario(
        state=encounter.library.state,
        agency=encounter.agency,
        request=encounter.request,
        document=encounter.document,
        emergency=bool(encounter.emergency),
        patron_consent=bool(encounter.patron_consent),
        language=language if language in ("en", "es") else "en",
    )


@transaction.atomic
def encounter_start(*, user, branch=None, language: str = "en") -> Encounter:
    """The first tap at the desk: the encounter exists from this moment on."""
    branch = branch or user.branch or user.library.branches.order_by("pk").first()
    encounter = Encounter(library=user.library, branch=branch, started_by=user, language=language)
    encounter.full_clean()
    encounter.save()
    return encounter


@transaction.atomic
def encounter_answer(*, encounter: Encounter, **answers) -> Encounter:
    """Record answers to the desk questions; decide once every question is answered.

    Changing an earlier answer decides again: the record keeps the latest decision.
    """
    encounter = Encounter.objects.select_for_update().get(pk=encounter.pk)
    for name, value in answers.items():
        if name not in ANSWER_FIELDS:
            raise ValueError(f"not an answer: {name}")
        setattr(encounter, name, value)
    if not encounter.needs_consent_answer:
        encounter.patron_consent = None
    if encounter.next_step() is None:
        decision = decide(scenario_for(encounter, "en"))
        encounter.outcome = decision.outcome
        encounter.authorized = decision.authorized
        encounter.decision = decision.as_dict()
        encounter.decided_at = timezone.now()
    else:
        encounter.outcome, encounter.authorized, encounter.decision = "", None, {}
        encounter.decided_at = None
    encounter.full_clean()
    encounter.save()
    return encounter

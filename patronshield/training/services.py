"""Training's writes: a module's answers, a drill started and finished. Each goes through
one function here; views stay thin.

A drill is a real desk encounter with `drill=True` (`desk.services.encounter_start`): the
trainee answers the real desk pages from the scenario's narrative, and at the end each
answer is scored against the scenario's true facts and the outcome against the engine's
decision for those facts under the library's adopted policy. Its events go on the
library's hash chain like any other (the chain cannot skip an event), each one marked by
the encounter's `drill` flag (and the "started" event says `drill: true`); drills are kept
out of every list, count, log and records request, alert only contacts who opted in, make
no checkpoint mail, and their content is purged by the daily retention run one day after
they end (`desk.retention.DRILL_RETENTION`). The score stays here.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from patronshield.desk import record
from patronshield.desk import services as desk_services
from patronshield.desk.models import Encounter
from patronshield.desk.steps import STEPS, asked
from patronshield.libraries.policies import adopted_table
from patronshield.policy import decide

from . import modules, schedule
from .models import Attempt
from .scenarios import drills


def _may_train(user):
    if user.library_id is None or user.role not in schedule.TRAINEE_ROLES:
        raise PermissionDenied


@transaction.atomic
def module_submit(*, user, slug: str, answers: dict, language: str = "en", now=None):
    """Score one go at a module's questions; returns (attempt, results)."""
    _may_train(user)
    now = now or timezone.now()
    m = modules.module(user.library, slug, language)
    results = modules.check(m, answers)
    correct = sum(r["right"] for r in results)
    attempt = Attempt.objects.create(
        user=user,
        library=user.library,
        kind=Attempt.Kind.MODULE,
        key=slug,
        started_at=now,
        finished_at=now,
        correct=correct,
        total=len(results),
        passed=correct >= modules.PASS_SHARE * len(results),
        policy_version=adopted_table(user.library).version,
        content_version=m.version,
        detail={"answers": {r["question"].id: r["given"] for r in results},
                "right": [r["question"].id for r in results if r["right"]]},
    )  # fmt: skip
    schedule.round_check(user, now)
    return attempt, results


@transaction.atomic
def drill_start(*, user, scenario_id: str, language: str = "en") -> Attempt:
    """Start a drill: a real desk encounter in drill mode, and the attempt that scores it."""
    _may_train(user)
    if scenario_id not in drills():
        raise ValidationError(_("No such drill."))
    encounter = desk_services.encounter_start(user=user, language=language, drill=True)
    return Attempt.objects.create(
        user=user,
        library=user.library,
        kind=Attempt.Kind.DRILL,
        key=scenario_id,
        started_at=encounter.started_at,
        policy_version=adopted_table(user.library).version,
        encounter=encounter,
    )


def drill_score(attempt: Attempt, encounter: Encounter, conduct: str = "") -> dict:
    """Each desk answer against the scenario's facts, the outcome against the engine's
    decision for those facts, and the conduct question if the scenario has one."""
    drill = drills()[attempt.key]
    truth = decide(drill.scenario(encounter.library.state), adopted_table(encounter.library))
    # The questions the desk asks when answered as it happened (here, in this state).
    answered = Encounter(library=encounter.library, **drill.answers)
    lines = []
    for name in asked(answered):
        field = STEPS[name].field
        expected = getattr(answered, field)
        given = getattr(encounter, field)
        given = "" if given is None else given
        lines.append({"step": name, "expected": expected, "given": given,
                      "right": given == expected})  # fmt: skip
    outcome = {
        "expected": truth.outcome,
        "given": encounter.outcome,
        "right": encounter.outcome == truth.outcome,
    }
    result = {"answers": lines, "outcome": outcome, "rules": list(truth.rules)}
    if drill.conduct:
        result["conduct"] = {
            "given": conduct,
            "expected": drill.conduct.answer,
            "right": conduct == drill.conduct.answer,
        }
    return result


def drill_finish(*, attempt: Attempt, user, conduct: str = "", now=None) -> Attempt:
    """End the drill: score it, close its encounter (no checkpoint mail; purged a day
    later), count it toward the trainee's round."""
    if attempt.user_id != user.pk or attempt.kind != Attempt.Kind.DRILL:
        raise PermissionDenied
    now = now or timezone.now()
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if attempt.finished_at:
            return attempt
        encounter = attempt.encounter
        detail = drill_score(attempt, encounter, conduct)
        marks = [a["right"] for a in detail["answers"]] + [detail["outcome"]["right"]]
        if "conduct" in detail:
            marks.append(detail["conduct"]["right"])
        attempt.detail = detail
        attempt.correct = sum(marks)
        attempt.total = len(marks)
        attempt.passed = detail["outcome"]["right"]
        attempt.finished_at = now
        attempt.save()
        if not encounter.closed_at and not encounter.purged_at:
            record.encounter_close(encounter=encounter, user=user)
    schedule.round_check(user, now)
    return attempt

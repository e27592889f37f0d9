"""A little training progress for the demo library, written through the same services:
the director and the first designee are current (every module passed, a drill done), the
desk worker is halfway, the others have not started. All of it after the demo policy's
adoption, since a new version asks everyone to train again."""

from django.test import override_settings
from django.utils import timezone

from patronshield.desk import services as desk_services

from . import modules, services
from .models import Attempt
from .scenarios import drills

QUIET = {
    "TASKS": {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}},
    "MAILERS": {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}},
}


def _pass(user, slugs, now):
    for slug in slugs:
        m = modules.module(user.library, slug, "en")
        services.module_submit(
            user=user, slug=slug, answers={q.id: q.answer for q in m.questions}, now=now
        )


def _drill(user, scenario_id, now, wrong=()):
    drill = drills()[scenario_id]
    attempt = services.drill_start(user=user, scenario_id=scenario_id)
    facts = {k: v for k, v in drill.answers.items() if k not in wrong}
    if "document" in wrong:
        facts["document"] = "judicial_search_warrant"
    desk_services.encounter_answer(encounter=attempt.encounter, actor=user, **facts)
    conduct = drill.conduct.answer if drill.conduct else ""
    return services.drill_finish(attempt=attempt, user=user, conduct=conduct, now=now)


def seed_training(library, now=None) -> None:
    if Attempt.objects.filter(library=library).exists():
        return
    now = now or timezone.now()
    staff = {u.email: u for u in library.staff.all()}
    with override_settings(**QUIET):
        for email in ("director@example.org", "designee1@example.org"):
            if user := staff.get(email):
                _pass(user, modules.ORDER, now)
                _drill(user, "ice-i205-staff-room", now)
        if desk := staff.get("desk@example.org"):
            _pass(desk, modules.ORDER[:2], now)
            _drill(desk, "refuses-to-wait", now, wrong=("document",))

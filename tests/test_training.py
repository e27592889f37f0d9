"""Training: modules generated from the adopted policy, scenario drills through the real
desk pages in drill mode (kept out of every real list, count, log and notification),
scores, due dates and reminders."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from patronshield.accounts.models import Role
from patronshield.desk.models import Access, Encounter, Event
from patronshield.notifications.models import Contact, Notification
from patronshield.training import modules, schedule, services
from patronshield.training.models import Assignment, Attempt
from patronshield.training.scenarios import drills
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def _answer_drill(client, encounter, facts):
    for step, field in (("agency", "agency"), ("request", "request"), ("document", "document"),
                        ("emergency", "emergency"), ("consent", "patron_consent")):  # fmt: skip
        if field not in facts:
            continue
        value = facts[field]
        if isinstance(value, bool):
            value = "yes" if value else "no"
        r = client.post(reverse("desk:step", args=[encounter.pk, step]), {"answer": value})
        assert r.status_code == 302, (step, r.status_code)


def test_smoke_drill(client, people):
    desk = people["desk"]
    client.force_login(desk)
    r = client.get(reverse("training:home"))
    assert r.status_code == 200
    r = client.post(reverse("training:drill", args=["ice-i205-staff-room"]))
    assert r.status_code == 302
    encounter = Encounter.objects.get()
    assert encounter.drill
    r = client.get(r["Location"])
    assert b"DRILL" in r.content
    _answer_drill(client, encounter, drills()["ice-i205-staff-room"].facts)
    r = client.get(reverse("desk:result", args=[encounter.pk]))
    assert b"DRILL" in r.content
    attempt = Attempt.objects.get()
    r = client.get(reverse("training:drill_finish", args=[attempt.pk]))
    assert r.status_code == 200
    r = client.post(reverse("training:drill_finish", args=[attempt.pk]), {"conduct": "b"})
    assert r.status_code == 302
    r = client.get(r["Location"])
    assert r.status_code == 200
    attempt.refresh_from_db()
    assert attempt.correct == attempt.total == 6
    for slug in modules.ORDER:
        assert client.get(reverse("training:module", args=[slug])).status_code == 200

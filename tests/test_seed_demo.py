"""`patronshield seed-demo --encounters N`: a demo library full of realistic encounters,
all written through the services, so the chain verifies and no patron is named."""

import io

from django.core.management import call_command

from patronshield.desk import chain, pii
from patronshield.desk.models import Encounter, Event
from patronshield.libraries.models import Library


def test_seed_demo_with_encounters(db):
    out = io.StringIO()
    call_command("seed_demo", "--encounters", "12", "--quiet-logins", stdout=out)
    assert "12 demo encounters added" in out.getvalue()
    library = Library.objects.get(slug="ecorse")
    encounters = Encounter.objects.filter(library=library, drill=False)  # not the demo drills
    assert encounters.count() == 12
    assert all(e.outcome and e.decision for e in encounters)  # every question answered
    assert encounters.filter(closed_at__isnull=False).exists()
    assert len({e.agency for e in encounters}) >= 4
    span = max(e.started_at for e in encounters) - min(e.started_at for e in encounters)
    assert span.days > 60  # spread over the months
    kinds = set(Event.objects.filter(library=library).values_list("kind", flat=True))
    assert {"started", "answered", "decided", "queued", "sent", "officer", "closed"} <= kinds
    for note in Event.objects.filter(kind="note"):
        assert not pii.findings(note.data["text"], library.card_number_pattern)
    assert chain.verify_library(library.pk).ok
    version = library.policy_versions.get()  # the demo's policy: version 1, adopted
    assert (version.number, version.status) == (1, "adopted") and version.board_adopted_on
    # Nothing was left for the real worker: no alert is sent twice, no old visit escalates.
    from django_tasks_db.models import DBTaskResult

    assert not DBTaskResult.objects.exists()
    call_command("seed_demo", "--encounters", "2", "--seed", "7", "--quiet-logins", stdout=out)
    assert Encounter.objects.filter(drill=False).count() == 14


def test_the_demo_director_signs_in_with_the_printed_key(db, client):
    """seed-demo prints the demo's authenticator key and `demo_code` prints its current
    code: with it, the director gets past the second factor the policy requires."""
    from django.urls import reverse

    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    from patronshield.libraries.demo import DEMO_TOTP_SECRET, demo_logins

    assert DEMO_TOTP_SECRET in out.getvalue()
    email, password, _role = next(x for x in demo_logins() if x[0].startswith("director"))
    r = client.post(reverse("login"), {"login": email, "password": password})
    assert r.status_code == 302 and r.url == reverse("mfa_authenticate")
    code = io.StringIO()
    call_command("demo_code", stdout=code)
    r = client.post(reverse("mfa_authenticate"), {"code": code.getvalue().strip()})
    assert r.status_code == 302
    assert client.get(reverse("desk:home")).status_code == 200

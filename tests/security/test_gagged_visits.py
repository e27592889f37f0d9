"""Point 3 of issue 14: a visit under a gag (a National Security Letter, a FISA order) is
seen only by who must see it. The desk staff member who started it, the director and counsel
invited to it open it; everyone else at the library, whatever their role, gets 404 as for
another library's record, and its document answer is the director's alone to change."""

import pytest
from django.urls import reverse

from patronshield.accounts.models import Role
from patronshield.desk import record, services
from patronshield.desk.models import Encounter
from tests.conftest import make_user, reauthenticate

MARKER = "GAG-MARKER-5120"


@pytest.fixture
def gagged(people, library):
    """An FBI agent shows a National Security Letter at the desk; desk staff answer and
    note it; the director invites counsel."""
    lib, branch = library
    desk = people["desk"]
    e = services.encounter_start(user=desk)
    e = services.encounter_answer(
        encounter=e, actor=desk, agency="fbi", request="patron_records", requester="officer",
        document="national_security_letter", emergency=False, patron_consent=False,
    )  # fmt: skip
    record.note_add(encounter=e, user=desk, text=f"Agent asked for the logs {MARKER}")
    counsel = make_user("counsel@a.example.org", Role.COUNSEL, lib, branch)
    record.counsel_invite(encounter=e, user=people["director"], email=counsel.email)
    assert e.gagged
    return e


@pytest.fixture
def colleagues(library):
    """Others at the same branch, on the same day: desk staff and a volunteer."""
    lib, branch = library
    return {
        "desk at the branch": make_user("desk2@a.example.org", Role.DESK, lib, branch),
        "volunteer": make_user("vol@a.example.org", Role.DESK, lib, branch, volunteer=True),
    }


def pages(e):
    return [
        reverse("desk:result", args=[e.pk]),
        reverse("desk:record", args=[e.pk]),
        reverse("desk:status", args=[e.pk]),
        reverse("desk:step", args=[e.pk, "document"]),
    ]


def export(client, e):
    return client.post(reverse("desk:export", args=[e.pk]))


@pytest.mark.parametrize("who", ["desk at the branch", "volunteer"])
def test_it_refuses_desk_staff_and_volunteers_at_the_branch_the_gagged_visit(
    client, gagged, colleagues, who
):
    client.force_login(colleagues[who])
    for url in pages(gagged):
        r = client.get(url)
        assert r.status_code == 404, url
        assert MARKER not in r.text
    # Nor is it listed on the desk's home page (today's visits at the branch).
    assert reverse("desk:record", args=[gagged.pk]) not in client.get(reverse("desk:home")).text
    # Nor can they write to it.
    r = client.post(reverse("desk:step", args=[gagged.pk, "document"]), {"answer": "none"})
    assert r.status_code == 404


@pytest.mark.parametrize("role", ["designee", "admin"])
def test_it_refuses_designees_and_the_administrator_opening_or_exporting_the_gagged_visit(
    client, people, gagged, role
):
    user = people[role]
    client.force_login(user)
    reauthenticate(client, user)
    for url in pages(gagged):
        assert client.get(url).status_code == 404, url
    r = export(client, gagged)
    assert r.status_code == 404 and r["Content-Type"] != "application/pdf"
    assert not gagged.events.filter(kind="exported").exists()
    # Nor can they pick it when recording a records request.
    assert f'value="{gagged.pk}"' not in client.get(reverse("records:new")).text


def test_it_hides_the_gagged_visit_from_the_admins_encounter_list(client, people, gagged):
    admin = people["admin"]
    admin.is_staff = True
    admin.save()
    other = services.encounter_start(user=people["desk"])
    client.force_login(admin)
    reauthenticate(client, admin)
    r = client.get(reverse("admin:desk_encounter_changelist"))
    assert r.status_code == 200
    assert reverse("admin:desk_encounter_change", args=[other.pk]) in r.text
    assert reverse("admin:desk_encounter_change", args=[gagged.pk]) not in r.text
    assert "National Security Letter" not in r.text
    r = client.get(reverse("admin:desk_encounter_change", args=[gagged.pk]))
    assert r.status_code in (302, 404) and MARKER not in r.text


def test_it_hides_the_gagged_visits_alerts_from_the_superusers_outbox(client, people, gagged):
    """The outbox in the admin (the deployment's superuser only) does not say that a visit
    under a gag happened, nor when, nor whom it alerted."""
    lib, branch = gagged.library, gagged.branch
    root = make_user(
        "root@a.example.org", Role.ADMIN, lib, branch, is_staff=True, is_superuser=True
    )
    other = services.encounter_start(user=people["desk"])
    assert gagged.notifications.exists() and other.notifications.exists()
    client.force_login(root)
    reauthenticate(client, root)
    r = client.get(reverse("admin:notifications_notification_changelist"))
    assert r.status_code == 200
    shown = {n.pk for n in r.context["cl"].result_list}
    assert shown == set(other.notifications.values_list("pk", flat=True))


def test_it_refuses_the_desk_starter_changing_the_document_answer(client, people, gagged):
    """Saying "no paper after all" would lift the gag: the person who started the visit may
    read it and write notes, but the document answer is the director's."""
    client.force_login(people["desk"])
    url = reverse("desk:step", args=[gagged.pk, "document"])
    r = client.get(url)
    assert r.status_code == 200 and "Only the director can change what the paper is" in r.text
    r = client.post(url, {"answer": "none"})
    assert r.status_code == 403 and "Only the director can change what the paper is" in r.text
    # Nor through the document checker: its checklist, or "Yes, the paper is: …".
    r = client.post(
        reverse("desk:checklist", args=[gagged.pk]),
        {"court": "no", "title": "letter", "signer": "agency_official"},
    )
    assert r.status_code == 403
    check = gagged.checks.create(created_by=people["desk"], method="photo", kind="other")
    r = client.post(reverse("desk:confirm", args=[gagged.pk, check.pk]))
    assert r.status_code == 403
    # Nor by saying a parent or a private party is asking (they bring no NSL: it would go).
    for who in ("parent_of_minor", "private_litigant"):
        r = client.post(reverse("desk:step", args=[gagged.pk, "requester"]), {"answer": who})
        assert r.status_code == 403
    gagged.refresh_from_db()
    assert gagged.document == "national_security_letter" and gagged.gagged
    assert gagged.requester == "officer" and gagged.decision["nondisclosure"]
    # The starter still sees the visit and adds to its record.
    assert client.get(reverse("desk:record", args=[gagged.pk])).status_code == 200
    r = client.post(reverse("desk:record_action", args=[gagged.pk, "note"]), {"text": "Left."})
    assert r.status_code == 302


def test_it_lets_the_starter_put_a_visit_under_a_gag(client, people):
    client.force_login(people["desk"])
    e = services.encounter_start(user=people["desk"])
    services.encounter_answer(encounter=e, actor=people["desk"], agency="fbi",
                              request="patron_records", requester="officer")  # fmt: skip
    r = client.post(reverse("desk:step", args=[e.pk, "document"]), {"answer": "fisa_order"})
    assert r.status_code == 302
    e.refresh_from_db()
    assert e.document == "fisa_order"


def test_the_director_opens_exports_and_changes_the_gagged_visit(client, people, gagged):
    director = people["director"]
    client.force_login(director)
    for url in pages(gagged):
        assert client.get(url).status_code == 200, url
    reauthenticate(client, director)
    r = export(client, gagged)
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    r = client.post(
        reverse("desk:step", args=[gagged.pk, "document"]), {"answer": "judicial_subpoena"}
    )
    assert r.status_code == 302
    gagged.refresh_from_db()
    assert gagged.document == "judicial_subpoena"


def test_invited_counsel_read_and_export_the_gagged_visit(client, gagged):
    counsel = gagged.counsel.get()
    client.force_login(counsel)
    assert client.get(reverse("desk:record", args=[gagged.pk])).status_code == 200
    assert client.get(reverse("desk:result", args=[gagged.pk])).status_code == 200
    reauthenticate(client, counsel)
    r = export(client, gagged)
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    r = client.post(reverse("desk:step", args=[gagged.pk, "document"]), {"answer": "none"})
    assert r.status_code == 403
    assert Encounter.objects.get(pk=gagged.pk).document == "national_security_letter"


def test_the_starter_is_told_to_call_only_whom_the_gag_allows(client, people, gagged):
    """The result's banner and call list say what the alerts do: the director and counsel,
    no designee (who may not even open the visit)."""
    client.force_login(people["desk"])
    r = client.get(reverse("desk:result", args=[gagged.pk]))
    assert r.status_code == 200
    assert "The director and counsel are being alerted" in r.text
    assert "designees are being alerted" not in r.text
    call = r.text.split('id="call-h"')[1].split("</section>")[0]
    assert "Director" in call and "Counsel" in call and "Designee" not in call

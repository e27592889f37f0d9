"""The records-request pages: each for its happy path, its permissions and its method."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from patronshield.desk import chain
from patronshield.desk import services as desk
from patronshield.desk.models import Event
from patronshield.records import services
from patronshield.records.models import RecordsRequest, State

from .test_records import PDF, advise, decide, make_counsel, receive

FORM = {
    "kind": "judicial_subpoena",
    "agency": "fbi",
    "officer": "Special Agent Diaz",
    "reference": "Case 2:26-cr-00417",
    "asked": "patron_records",
    "description": "Borrowing records of one account, January to June.",
    "received_on": "2026-12-01",
    "deadline": "2026-12-15",
}


@pytest.fixture
def counsel(library, people):
    return make_counsel(library)


def client_for(client, user):
    client.force_login(user)
    return client


def url(name, *args):
    return reverse(f"records:{name}", args=args)


def post_step(client, rr, step, **data):
    return client.post(url("step", rr.pk, step), data)


# ------------------------------------------------------------------------------ list


def test_it_lists_what_each_role_may_see(client, people, counsel, outsider):
    theirs = receive(people["desk"], description="Footage of the lobby, 1 December.")
    other_desk_request = receive(people["director"])
    gagged = receive(people["director"], kind="national_security_letter")
    seen = {
        "desk": {theirs},
        "designee": {theirs, other_desk_request},
        "admin": {theirs, other_desk_request},
        "director": {theirs, other_desk_request, gagged},
    }
    for role, expected in seen.items():
        r = client_for(client, people[role]).get(url("list"))
        assert r.status_code == 200
        shown = {rr for rr in RecordsRequest.objects.all() if url("detail", rr.pk) in r.text}
        assert shown == expected, role
    r = client_for(client, counsel).get(url("list"))
    assert url("detail", gagged.pk) in r.text
    r = client_for(client, outsider).get(url("list"))
    assert "records/1/" not in r.text and "No open requests" in r.text


def test_the_desk_home_links_to_records_requests_except_for_desk_staff(client, people):
    for role, linked in [("desk", False), ("designee", True), ("director", True)]:
        r = client_for(client, people[role]).get(reverse("desk:home"))
        assert (url("list") in r.text) is linked, role


def test_it_requires_a_login(client, people):
    r = client.get(url("list"))
    assert r.status_code == 302 and "/login/" in r["Location"]


# ------------------------------------------------------------------------------- new


def test_it_records_a_new_request_with_its_document(client, people):
    c = client_for(client, people["desk"])
    assert c.get(url("new")).status_code == 200
    scan = SimpleUploadedFile("subpoena.pdf", PDF, content_type="application/pdf")
    r = c.post(url("new"), {**FORM, "files": [scan]})
    rr = RecordsRequest.objects.get()
    assert r.status_code == 302 and r["Location"] == url("detail", rr.pk)
    assert (
        rr.received_by == people["desk"]
        and rr.files.get().sha256 == hashlib.sha256(PDF).hexdigest()
    )
    assert Event.objects.get(ref=rr.ref).data["step"] == "received"
    r = c.get(url("detail", rr.pk))
    assert "Waiting for: Counsel&#x27;s advice" in r.text or "Waiting for:" in r.text
    assert 'action="/records/' not in r.text  # desk staff own no step


def test_it_links_a_visit_at_the_desk(client, people):
    encounter = desk.encounter_start(user=people["desk"])
    c = client_for(client, people["desk"])
    r = c.get(url("new") + f"?encounter={encounter.pk}")
    assert f'<option value="{encounter.pk}" selected>' in r.text
    c.post(url("new"), {**FORM, "encounter": encounter.pk})
    assert RecordsRequest.objects.get().encounter == encounter


def test_it_warns_when_the_description_may_name_a_patron(client, people):
    c = client_for(client, people["desk"])
    data = {**FORM, "description": "All borrowing records of Maria Gonzalez"}
    r = c.post(url("new"), data)
    assert r.status_code == 400
    assert "It may identify a patron" in r.text and "Maria Gonzalez" in r.text
    assert 'name="confirmed"' in r.text
    assert not RecordsRequest.objects.exists()
    r = c.post(url("new"), {**data, "confirmed": "on"})
    assert r.status_code == 302 and RecordsRequest.objects.get().description.endswith("Gonzalez")


def test_a_new_request_form_with_errors_says_so(client, people):
    r = client_for(client, people["desk"]).post(url("new"), {**FORM, "description": ""})
    assert r.status_code == 400 and "errorlist" in r.text


def test_desk_staff_who_record_a_gagged_request_cannot_open_it(client, people):
    c = client_for(client, people["desk"])
    r = c.post(url("new"), {**FORM, "kind": "national_security_letter"}, follow=True)
    rr = RecordsRequest.objects.get()
    assert "only the director and counsel can see it" in r.text
    assert url("detail", rr.pk) not in r.text and FORM["description"] not in r.text
    assert c.get(url("detail", rr.pk)).status_code == 404
    assert client_for(client, people["director"]).get(url("detail", rr.pk)).status_code == 200


# -------------------------------------------------------------------------- workflow


def test_the_whole_workflow_through_the_pages(client, people, counsel):
    rr = receive(people["desk"])
    c = client_for(client, counsel)
    r = c.get(url("detail", rr.pk))
    assert "Next: Counsel&#x27;s advice" in r.text and 'name="counsel_name"' not in r.text
    assert (
        post_step(c, rr, "advice", advice="negotiate", notes="Narrow to 30 days.").status_code
        == 302
    )

    c = client_for(client, people["director"])
    r = c.get(url("detail", rr.pk))
    assert "Next: Decide what is released" in r.text
    assert "MCL 397.603(2)" in r.text  # the citations proposed from Michigan's statute
    assert "Michigan law is stricter" in r.text
    proposal = services.proposal(rr)
    r = post_step(
        c,
        rr,
        "decision",
        release="part",
        legal_basis=proposal["explanation"],
        citations="\n".join(proposal["citations"]),
    )
    assert r.status_code == 302
    export = SimpleUploadedFile("export.csv", b"rows", content_type="text/csv")
    r = post_step(
        c,
        rr,
        "release",
        what="Borrowing history, 30 days, one account",
        recipient="Special Agent Diaz, FBI",
        under="Court subpoena Case 2:26-cr-00417",
        released_on="2026-12-01",
        files=[export],
        hashes="b" * 64,
    )
    assert r.status_code == 302
    assert post_step(c, rr, "release_closed").status_code == 302
    r = c.get(url("detail", rr.pk))
    assert hashlib.sha256(b"rows").hexdigest() in r.text and "b" * 64 in r.text
    r = post_step(c, rr, "notice", notified_on="2026-12-01", method="letter")
    assert r.status_code == 302
    rr.refresh_from_db()
    assert rr.state == State.CLOSED
    r = c.get(url("detail", rr.pk))
    for label in ["Received", "Counsel&#x27;s advice", "The director&#x27;s decision", "Released",
                  "Release log closed", "Patron notified"]:  # fmt: skip
        assert label in r.text, label
    assert "Next:" not in r.text
    assert chain.verify_library(rr.library_id).ok


def test_a_skipped_step_is_refused(client, people):
    rr = receive(people["desk"])
    c = client_for(client, people["director"])
    r = post_step(c, rr, "decision", release="all", legal_basis="x", citations="y")
    assert r.status_code == 400 and "This step is not open now" in r.text
    assert RecordsRequest.objects.get().state == State.RECEIVED


def test_a_step_of_another_role_is_forbidden(client, people, counsel):
    rr = advise(receive(people["desk"]), counsel)
    r = post_step(client_for(client, counsel), rr, "decision", release="all",
                  legal_basis="x", citations="y")  # fmt: skip
    assert r.status_code == 403
    r = post_step(client_for(client, people["admin"]), rr, "decision", release="all",
                  legal_basis="x", citations="y")  # fmt: skip
    assert r.status_code == 403


def test_another_library_gets_404_everywhere(client, people, outsider):
    rr = receive(people["desk"], files=[("s.pdf", PDF)])
    c = client_for(client, outsider)
    assert c.get(url("detail", rr.pk)).status_code == 404
    assert post_step(c, rr, "advice", advice="comply", counsel_name="X").status_code == 404
    assert c.get(url("file", rr.pk, rr.files.get().pk)).status_code == 404
    assert c.post(url("hold", rr.pk), {"on": "1", "reason": "x"}).status_code == 404


def test_an_unknown_step_is_404_and_a_get_is_405(client, people):
    rr = receive(people["desk"])
    c = client_for(client, people["director"])
    assert post_step(c, rr, "teleport").status_code == 404
    assert c.get(url("step", rr.pk, "advice")).status_code == 405


def test_the_document_is_downloaded_decrypted_by_who_may_see_it(client, people):
    rr = receive(people["desk"], files=[("s.pdf", PDF)])
    f = rr.files.get()
    r = client_for(client, people["director"]).get(url("file", rr.pk, f.pk))
    assert r.status_code == 200 and r.content == PDF
    assert r["Content-Type"] == "application/pdf" and "no-store" in r["Cache-Control"]


def test_a_gagged_request_shows_no_notice_step(client, people, counsel):
    rr = receive(people["director"], kind="fisa_order")
    rr = decide(advise(rr, counsel), people["director"], "none")
    rr = services.records_release_close(rr=rr, user=people["director"])
    c = client_for(client, people["director"])
    r = c.get(url("detail", rr.pk))
    assert "Confidential:" in r.text and "Close without notice" in r.text
    assert "Record the notice" not in r.text
    assert post_step(c, rr, "notice", notified_on="2026-12-01", method="letter").status_code == 400
    assert post_step(c, rr, "closed_under_gag").status_code == 302
    for role in ("desk", "admin", "designee"):
        assert client_for(client, people[role]).get(url("detail", rr.pk)).status_code == 404


def test_the_director_grants_a_designee_access(client, people):
    rr = receive(people["director"], kind="national_security_letter")
    c = client_for(client, people["director"])
    assert "Let this person see it" in c.get(url("detail", rr.pk)).text
    r = c.post(url("grant", rr.pk), {"designee": people["designee"].pk, "on": "1"})
    assert r.status_code == 302
    assert client_for(client, people["designee"]).get(url("detail", rr.pk)).status_code == 200
    r = client_for(client, people["designee"]).post(
        url("grant", rr.pk), {"designee": people["designee"].pk, "on": "1"}
    )
    assert r.status_code == 403


def test_legal_hold_from_the_page(client, people):
    rr = receive(people["desk"])
    c = client_for(client, people["admin"])
    r = c.post(url("hold", rr.pk), {"on": "1", "reason": ""})
    assert r.status_code == 400 and "Say why" in r.text
    assert c.post(url("hold", rr.pk), {"on": "1", "reason": "Case 26-1"}).status_code == 302
    assert RecordsRequest.objects.get().legal_hold
    assert "Lift the hold on this request" in c.get(url("detail", rr.pk)).text
    c = client_for(client, people["desk"])
    assert c.post(url("hold", rr.pk), {"on": "0"}).status_code == 403


def test_a_purged_request_still_shows_its_steps(client, people, counsel):
    from datetime import timedelta

    from django.utils import timezone

    from patronshield.desk import retention

    from .test_records import closed_request

    rr = closed_request(people, counsel)
    now = timezone.now() + timedelta(days=rr.library.retain_requests_days + 1)
    retention.purge_library(rr.library, now=now)
    r = client_for(client, people["director"]).get(url("detail", rr.pk))
    assert r.status_code == 200
    assert "Purged on" in r.text and "Details deleted under the retention schedule" in r.text
    assert (
        r.text.count("details were deleted under the retention schedule") == 7
    )  # with counsel invited
    assert "Borrowing history" not in r.text and "Next:" not in r.text
    assert "Legal hold on this request" not in r.text


@pytest.mark.parametrize("page", ["list", "new", "detail"])
def test_the_pages_speak_spanish(client, people, page):
    rr = receive(people["desk"])
    c = client_for(client, people["director"])
    args = (rr.pk,) if page == "detail" else ()
    r = c.get(url(page, *args), headers={"accept-language": "es"})
    assert r.status_code == 200 and 'lang="es"' in r.text
    assert {"list": "Solicitudes de registros", "new": "Registrar", "detail": "Cronología"}[
        page
    ] in r.text


def test_the_django_admin_shows_only_the_skeleton_read_only(client, people):
    from patronshield.accounts.models import User

    rr = receive(people["desk"])
    gagged = receive(people["desk"], kind="national_security_letter")
    User.objects.filter(pk=people["admin"].pk).update(is_staff=True, is_superuser=True)
    c = client_for(client, User.objects.get(pk=people["admin"].pk))
    r = c.get("/admin/records/recordsrequest/")
    assert r.status_code == 200 and "Court subpoena" in r.text
    assert f"/recordsrequest/{gagged.pk}/change/" not in r.text
    assert f"/recordsrequest/{rr.pk}/change/" in r.text
    r = c.get(f"/admin/records/recordsrequest/{rr.pk}/change/")
    assert r.status_code == 200
    assert rr.description not in r.text and rr.officer not in r.text
    assert 'name="_save"' not in r.text
    assert c.get(f"/admin/records/recordsrequest/{gagged.pk}/change/").status_code == 302


def test_opening_a_request_is_in_the_directors_access_log(client, people):
    """Who read a records request, and its files, is logged like who read an encounter."""
    from patronshield.desk.models import Access
    from tests.conftest import reauthenticate

    rr = receive(people["desk"], files=[("scan.pdf", PDF)])
    client_for(client, people["designee"]).get(url("detail", rr.pk))
    client.get(url("detail", rr.pk))  # once per five minutes
    assert client.get(url("file", rr.pk, rr.files.get().pk)).status_code == 200
    seen = Access.objects.filter(ref=rr.ref, user=people["designee"])
    assert seen.filter(what="request").count() == 1
    assert seen.filter(what="request_file").count() == 1
    client_for(client, people["director"])
    reauthenticate(client, people["director"])
    page = client.get(reverse("desk:access_log")).text
    assert url("detail", rr.pk) in page and "records request" in page


def test_the_form_asks_who_is_asking_and_keeps_a_lawyers_request_apart(client, people):
    from patronshield.records.models import RecordsRequest

    client.force_login(people["desk"])
    page = client.get(reverse("records:new")).content.decode()
    assert "Who is asking?" in page and "A party to a private lawsuit" in page
    r = client.post(
        reverse("records:new"),
        {
            "kind": "judicial_subpoena",
            "requester": "private_litigant",
            "asked": "patron_records",
            "description": "Borrowing records of one account, March",
            "received_on": "2026-12-01",
        },
    )
    assert r.status_code == 302
    assert RecordsRequest.objects.get().requester == "private_litigant"

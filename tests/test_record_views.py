"""The incident record's pages: what the desk, the designee, the director and the
administrator see and can do, what a warning about a patron looks like, that a closed record
is read-only, and the counsel export PDF."""

import io
import re

import pytest
from django.urls import reverse

from patronshield.accounts.models import Role
from patronshield.desk import chain, record, services
from patronshield.desk.models import Checkpoint, Event
from tests.conftest import reauthenticate

from .conftest import make_user


@pytest.fixture
def encounter(people):
    e = services.encounter_start(user=people["desk"])
    return services.encounter_answer(
        encounter=e,
        actor=people["desk"],
        agency="fbi",
        request="seize_equipment",
        document="judicial_search_warrant",
        emergency=False,
    )


def url(name, encounter, *args):
    return reverse(f"desk:{name}", args=[encounter.pk, *args])


def act(encounter, name):
    return reverse("desk:record_action", args=[encounter.pk, name])


def page_text(response) -> str:
    """The page as a user reads it: the words, not the markup."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#x27;", "'")


def follow_post(client, path, data=None):
    r = client.post(path, data or {}, follow=True)
    assert r.redirect_chain, (r.status_code, page_text(r)[:500])
    return r


# ------------------------------------------------------------------------- the page


def test_the_result_page_links_to_the_record(client, people, encounter):
    client.force_login(people["desk"])
    r = client.get(url("result", encounter))
    assert "Record what happens" in page_text(r)
    assert url("record", encounter).encode() in r.content


def test_the_record_page_shows_the_timeline_in_plain_words(client, people, encounter):
    client.force_login(people["desk"])
    r = client.get(url("record", encounter))
    assert r.status_code == 200
    text = page_text(r)
    assert "Started at the desk" in text
    assert "Agency: FBI" in text and "Document shown: Search warrant signed by a judge" in text
    assert "Decision from the policy: Comply after the director approves" in text
    assert "Alert queued for Director, Director (e-mail)" in text  # notifications too
    assert "Desk" in text  # who: the desk worker's name
    for link in ["officer", "item", "receipt", "note"]:
        assert act(encounter, link).encode() in r.content
    assert act(encounter, "decision").encode() not in r.content  # not for desk staff
    assert url("export", encounter).encode() not in r.content


def test_the_timeline_names_the_alerted_role_in_the_readers_language(client, people, encounter):
    client.force_login(people["desk"])
    text = page_text(client.get(url("record", encounter), HTTP_ACCEPT_LANGUAGE="es"))
    assert "Persona designada" in text and "Director(a)" in text


def test_the_timeline_is_in_order(client, people, encounter):
    client.force_login(people["desk"])
    record.note_add(encounter=encounter, user=people["desk"], text="First note.")
    record.note_add(encounter=encounter, user=people["desk"], text="Second note.")
    text = page_text(client.get(url("record", encounter)))
    assert (
        text.index("Started at the desk") < text.index("First note.") < text.index("Second note.")
    )


# ------------------------------------------------------------------------ the forms


def test_add_an_officer(client, people, encounter):
    client.force_login(people["desk"])
    r = client.get(act(encounter, "officer"))
    assert r.status_code == 200 and "Badge number" in page_text(r)
    r = follow_post(
        client,
        act(encounter, "officer"),
        {
            "name": "Special Agent K. Brown",
            "agency": "FBI Detroit",
            "badge": "FD-2231",
            "contact": "313-555-0177",
            "vehicle": "grey sedan",
            "id_checked": "on",
        },
    )
    assert r.redirect_chain[-1][0] == url("record", encounter)
    text = page_text(r)
    assert "Officer added." in text
    assert "Officer: Special Agent K. Brown, FBI Detroit, badge FD-2231" in text
    assert "ID checked" in text
    event = encounter.events.get(kind="officer")
    assert event.data["vehicle"] == "grey sedan" and event.data["id_checked"] is True


def test_an_officer_needs_at_least_something(client, people, encounter):
    client.force_login(people["desk"])
    r = client.post(act(encounter, "officer"), {"name": " "})
    assert r.status_code == 400
    assert "at least a name, an agency or a badge number" in page_text(r)
    assert not encounter.events.filter(kind="officer").exists()


def test_record_an_item_taken_from_the_collection_and_mark_it_missing(client, people, encounter):
    client.force_login(people["desk"])
    r = follow_post(
        client,
        act(encounter, "item"),
        {
            "action": "taken",
            "description": "Two DVDs from the documentary shelf",
            "from_collection": "on",
            "barcode": "31234000123456",
        },
    )
    text = page_text(r)
    assert "Taken: Two DVDs from the documentary shelf (from the collection)" in text
    assert "Taken from the collection" in text
    item = encounter.events.get(kind="item")
    r = follow_post(client, url("record_missing", encounter, item.seq))
    assert "Marked missing in the catalogue: Two DVDs" in page_text(r)
    assert record.seized_items(encounter)[0]["missing"]
    # A second press does not record it twice.
    follow_post(client, url("record_missing", encounter, item.seq))
    assert encounter.events.filter(kind="item").count() == 2


def test_an_item_not_from_the_collection_has_no_missing_button(client, people, encounter):
    client.force_login(people["desk"])
    follow_post(
        client, act(encounter, "item"), {"action": "copied", "description": "Camera footage"}
    )
    item = encounter.events.get(kind="item")
    assert client.post(url("record_missing", encounter, item.seq)).status_code == 404


def test_an_item_needs_viewed_copied_or_taken(client, people, encounter):
    client.force_login(people["desk"])
    r = client.post(act(encounter, "item"), {"description": "A computer"})
    assert r.status_code == 400 and "Please check the fields" in page_text(r)


def test_photograph_the_receipt(client, people, encounter):
    from .test_incident_log import gps_photo

    client.force_login(people["desk"])
    r = client.get(act(encounter, "receipt"))
    html = r.content.decode()
    assert 'type="file"' in html and 'accept="image/*,application/pdf"' in html
    assert 'capture="environment"' in html and 'enctype="multipart/form-data"' in html
    photo = io.BytesIO(gps_photo())
    photo.name = "receipt.jpg"
    r = follow_post(client, act(encounter, "receipt"), {"file": photo})
    assert "Receipt kept with the record." in page_text(r)
    assert "Officer's receipt photographed (kept encrypted)" in page_text(r)
    assert encounter.attachments.get().sha256 == encounter.events.get(kind="receipt").data["sha256"]


def test_a_file_that_is_not_a_photo_is_refused_with_a_reason(client, people, encounter):
    client.force_login(people["desk"])
    bad = io.BytesIO(b"PK\x03\x04 not a photo")
    bad.name = "receipt.jpg"
    r = client.post(act(encounter, "receipt"), {"file": bad})
    assert r.status_code == 400 and "ZIP" in page_text(r)
    assert not encounter.attachments.exists()


def test_a_note(client, people, encounter):
    client.force_login(people["desk"])
    r = follow_post(client, act(encounter, "note"), {"text": "They waited in the lobby."})
    assert "Note added." in page_text(r)
    assert "Note: They waited in the lobby." in page_text(r)


def test_a_note_that_may_name_a_patron_warns_keeps_the_text_and_saves_anyway(
    client, people, encounter
):
    client.force_login(people["desk"])
    typed = "They asked whether Maria Lopez was at the computers."
    r = client.post(act(encounter, "note"), {"text": typed})
    assert r.status_code == 200
    text = page_text(r)
    assert "This may identify a patron." in text
    assert "“Maria Lopez” looks like a person's name." in text
    assert typed in r.content.decode()  # what was typed is kept in the field
    assert "Save anyway" in text
    assert not encounter.events.filter(kind="note").exists()
    token = re.search(r'name="confirm" value="([0-9a-f]+)"', r.content.decode()).group(1)
    # Edited to something else, "Save anyway" does not confirm the new text blindly.
    r = client.post(
        act(encounter, "note"), {"text": "They asked about Jose Ruiz.", "confirm": token}
    )
    assert "“Jose Ruiz” looks like a person's name." in page_text(r)
    assert not encounter.events.filter(kind="note").exists()
    r = follow_post(client, act(encounter, "note"), {"text": typed, "confirm": token})
    assert "Note added." in page_text(r)
    assert encounter.events.get(kind="note").data["text"] == typed


def test_the_warning_is_in_spanish_too(client, people, encounter):
    client.force_login(people["desk"])
    r = client.post(
        act(encounter, "note"),
        {"text": "Call her at 313-555-0142."},
        HTTP_ACCEPT_LANGUAGE="es",
    )
    text = page_text(r)
    assert "Guardar de todos modos" in text and "teléfono" in text


def test_an_item_description_is_checked_too(client, people, encounter):
    client.force_login(people["desk"])
    r = client.post(
        act(encounter, "item"),
        {"action": "viewed", "description": "Checkout history of card 21234000567890"},
    )
    assert "looks like a library card number" in page_text(r)
    assert not encounter.events.filter(kind="item").exists()


def test_officers_have_left(client, people, encounter):
    client.force_login(people["desk"])
    assert client.get(url("record_left", encounter)).status_code == 405
    r = follow_post(client, url("record_left", encounter))
    assert "Recorded: the officers have left." in page_text(r)
    assert "The officers left" in page_text(r)


# ------------------------------------------------------------ director and designee


@pytest.mark.parametrize("role", ["director", "designee"])
def test_the_director_or_a_designee_records_a_decision(client, people, encounter, role):
    client.force_login(people[role])
    page = client.get(url("record", encounter))
    assert act(encounter, "decision").encode() in page.content
    r = client.get(act(encounter, "decision"))
    assert "They asked: To take computers or other equipment." in page_text(r)
    r = follow_post(
        client,
        act(encounter, "decision"),
        {"approved": "no", "note": "Refused until counsel has read the warrant."},
    )
    assert "Refused: Refused until counsel has read the warrant." in page_text(r)
    event = encounter.events.get(kind="approval")
    assert event.data["approved"] is False and event.data["role"] == role


@pytest.mark.parametrize("role", ["desk", "admin"])
def test_others_cannot_record_a_decision(client, people, encounter, role):
    client.force_login(people[role])
    assert client.get(act(encounter, "decision")).status_code == 403
    assert client.post(act(encounter, "decision"), {"approved": "yes"}).status_code == 403
    assert not encounter.events.filter(kind="approval").exists()


def test_set_and_lift_a_legal_hold(client, people, encounter):
    client.force_login(people["director"])
    r = client.post(act(encounter, "hold"), {"reason": ""})
    assert r.status_code == 400 and "Say why the record is held" in page_text(r)
    r = follow_post(client, act(encounter, "hold"), {"reason": "Motion to quash, case 26-1234"})
    assert "Legal hold set." in page_text(r)
    assert "Legal hold set: Motion to quash, case 26-1234" in page_text(r)
    encounter.refresh_from_db()
    assert encounter.legal_hold
    r = client.get(act(encounter, "hold"))
    assert "Lift the legal hold" in page_text(r)
    r = follow_post(client, act(encounter, "hold"), {"reason": "Case closed."})
    assert "Legal hold lifted." in page_text(r)
    encounter.refresh_from_db()
    assert not encounter.legal_hold


def test_desk_staff_cannot_set_a_legal_hold(client, people, encounter):
    client.force_login(people["desk"])
    assert client.post(act(encounter, "hold"), {"reason": "x"}).status_code == 403


# ------------------------------------------------------------------------ closing


def test_close_the_record_after_a_confirmation(client, people, encounter):
    client.force_login(people["desk"])
    record.item_record(
        encounter=encounter,
        user=people["desk"],
        action="taken",
        description="A laptop from the collection",
        from_collection=True,
        barcode="31234000999999",
    )
    r = client.get(url("record_close", encounter))
    text = page_text(r)
    assert "Close the record?" in text
    assert "The officers leaving has not been recorded yet." in text
    assert "A laptop from the collection (31234000999999)" in text
    encounter.refresh_from_db()
    assert encounter.closed_at is None  # asking is not closing
    r = follow_post(client, url("record_close", encounter))
    text = page_text(r)
    assert "The record is closed." in text
    assert "by Desk" in text and "Nothing more can be added." in text
    cp = Checkpoint.objects.get()
    assert f"Signed checkpoint at event {cp.seq}" in text and cp.head in text


def test_a_closed_record_is_read_only(client, people, encounter):
    record.note_add(encounter=encounter, user=people["desk"], text="Before closing.")
    record.encounter_close(encounter=encounter, user=people["director"])
    client.force_login(people["desk"])
    r = client.get(url("record", encounter))
    assert b"<form" not in r.content.split(b"<main")[1].split(b"</main>")[0]
    for name in ["officer", "item", "receipt", "note"]:
        assert act(encounter, name).encode() not in r.content
    before = encounter.events.count()
    for path, data in [
        (act(encounter, "note"), {"text": "After closing."}),
        (act(encounter, "officer"), {"name": "Agent X"}),
        (url("record_left", encounter), {}),
        (url("record_close", encounter), {}),
    ]:
        r = client.post(path, data, follow=True)
        assert "This record is closed" in page_text(r), path
    assert encounter.events.count() == before
    # The service refuses too, whatever the page does.
    encounter.refresh_from_db()
    with pytest.raises(Exception, match="closed"):
        record.note_add(encounter=encounter, user=people["desk"], text="Sneaky.")


def test_a_legal_hold_can_still_be_set_on_a_closed_record(client, people, encounter):
    record.encounter_close(encounter=encounter, user=people["director"])
    client.force_login(people["director"])
    follow_post(client, act(encounter, "hold"), {"reason": "Subpoena received"})
    encounter.refresh_from_db()
    assert encounter.legal_hold


def test_desk_staff_close_only_what_they_started(client, people, encounter, library):
    other = make_user("desk2@a.example.org", Role.DESK, *library)
    client.force_login(other)
    # They see it today at their branch, and may add to it, but not close it.
    assert client.get(url("record", encounter)).status_code == 200
    assert (
        url("record_close", encounter).encode() not in client.get(url("record", encounter)).content
    )
    assert client.post(url("record_close", encounter)).status_code == 403


# -------------------------------------------------------------------- permissions


def test_another_library_gets_404(client, outsider, encounter):
    client.force_login(outsider)
    for path in [
        url("record", encounter),
        act(encounter, "note"),
        url("record_close", encounter),
        url("export", encounter),
    ]:
        assert client.get(path).status_code == 404, path
    assert client.post(act(encounter, "note"), {"text": "x"}).status_code == 404
    assert client.post(url("record_left", encounter)).status_code == 404
    assert not encounter.events.filter(kind__in=["note", "left"]).exists()


def test_desk_staff_see_only_the_encounters_visible_to_them(client, people, library):
    from datetime import timedelta

    from django.utils import timezone

    from patronshield.desk.models import Encounter

    old = services.encounter_start(user=people["director"])
    Encounter.objects.filter(pk=old.pk).update(started_at=timezone.now() - timedelta(days=3))
    client.force_login(people["desk"])
    assert client.get(url("record", old)).status_code == 404
    client.force_login(people["designee"])
    assert client.get(url("record", old)).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client, encounter):
    for path in [url("record", encounter), url("export", encounter)]:
        r = client.get(path)
        assert r.status_code == 302 and r.url.startswith(reverse("login"))


def test_unknown_form_is_404(client, people, encounter):
    client.force_login(people["director"])
    assert client.get(act(encounter, "nothing")).status_code == 404


# -------------------------------------------------------------------- the export


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


@pytest.fixture
def full_record(encounter, people):
    from .test_incident_log import gps_photo

    desk, director = people["desk"], people["director"]
    record.officer_add(
        encounter=encounter, user=desk, name="Special Agent K. Brown", agency="FBI",
        badge="FD-2231", id_checked=True,
    )  # fmt: skip
    record.item_record(
        encounter=encounter, user=desk, action="taken", description="Public computer 3",
    )  # fmt: skip
    record.receipt_add(encounter=encounter, user=desk, name="r.jpg", data=gps_photo())
    record.note_add(encounter=encounter, user=desk, text="They waited in the lobby.")
    record.approval_record(
        encounter=encounter, user=director, approved=True, note="The warrant names us."
    )
    record.officers_left(encounter=encounter, user=desk)
    record.encounter_close(encounter=encounter, user=desk)
    return encounter


@pytest.mark.parametrize("role", ["director", "designee", "admin"])
def test_the_export_is_a_pdf_with_the_timeline_and_the_hashes(client, people, full_record, role):
    events = list(full_record.events.order_by("seq"))
    client.force_login(people[role])
    reauthenticate(client, people[role])
    r = client.post(url("export", full_record))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert "attachment" in r["Content-Disposition"]
    text, pages = pdf_text(r.content)
    flat = re.sub(r"\s+", " ", text)
    assert "Ecorse Public Library" in flat
    assert "Search warrant signed by a judge" in flat
    assert "Comply after the director approves" in flat
    assert "Fed. R. Crim. P. 41" in flat or "Const. amend. IV" in flat  # the citations
    for words in [
        "Started at the desk",
        "Officer: Special Agent K. Brown",
        "Taken: Public computer 3",
        "Note: They waited in the lobby.",
        "Approved: The warrant names us.",
        "The officers left",
        "Record closed",
    ]:
        assert words in flat, words
    nospace = re.sub(r"\s+", "", text)
    for e in events:
        assert e.hash in nospace and e.prev_hash in nospace
    cp = Checkpoint.objects.latest("seq")
    assert cp.signature in nospace and cp.public_key in nospace
    assert "The chain holds" in flat
    assert "Guidance, not legal advice." in flat and f"Page 1 / {pages}" in flat
    # The export is itself on the chain, with the PDF's fingerprint.
    import hashlib

    exported = Event.objects.filter(kind="exported").get()
    assert exported.data["sha256"] == hashlib.sha256(r.content).hexdigest()
    assert exported.actor == people[role] and chain.verify_library(full_record.library_id).ok


def test_the_export_holds_the_document_pages(client, people, encounter):
    import weasyprint

    from .test_checker_classify import AO93
    from .test_checker_pipeline import html_page

    pdf = weasyprint.HTML(string=html_page(AO93)).write_pdf()
    check = services.document_check_run(
        encounter=encounter, user=people["desk"], files=[("warrant.pdf", pdf)]
    )
    client.force_login(people["director"])
    reauthenticate(client, people["director"])
    r = client.post(url("export", encounter))
    text, _pages = pdf_text(r.content)
    nospace = re.sub(r"\s+", "", text)
    assert check.sha256 in nospace
    for page in check.files.all():
        assert page.sha256 in nospace


def test_the_export_is_not_for_desk_staff(client, people, encounter):
    client.force_login(people["desk"])
    assert client.get(url("export", encounter)).status_code == 403
    assert client.post(url("export", encounter)).status_code == 403
    assert not Event.objects.filter(kind="exported").exists()


def test_the_export_says_when_the_chain_is_broken(client, people, full_record):
    from .test_incident_log import tamper

    tamper("UPDATE desk_event SET data = '{\"text\": \"changed\"}' WHERE kind = 'note'")
    client.force_login(people["director"])
    reauthenticate(client, people["director"])
    text, _pages = pdf_text(client.post(url("export", full_record)).content)
    assert "does NOT verify" in re.sub(r"\s+", " ", text)


def test_the_export_is_in_the_readers_language(client, people, encounter):
    client.force_login(people["director"])
    reauthenticate(client, people["director"])
    r = client.post(url("export", encounter), HTTP_ACCEPT_LANGUAGE="es")
    flat = re.sub(r"\s+", " ", pdf_text(r.content)[0])
    assert "Cronología" in flat and "Iniciada en el mostrador" in flat
    assert "Orientación, no consejo legal." in flat
    assert Event.objects.get(kind="exported").data["language"] == "es"


# ------------------------------------------------------------------ after the purge


def test_a_purged_record_says_what_was_deleted_and_still_exports(client, people, encounter):
    from datetime import timedelta

    from django.utils import timezone

    from patronshield.desk import retention

    record.note_add(encounter=encounter, user=people["desk"], text="They waited in the lobby.")
    record.encounter_close(encounter=encounter, user=people["director"])
    later = timezone.now() + timedelta(days=encounter.library.retain_encounters_days + 1)
    retention.purge_library(encounter.library, now=later)
    client.force_login(people["director"])
    reauthenticate(client, people["director"])
    text = page_text(client.get(url("record", encounter)))
    assert "Content deleted under the retention schedule" in text
    assert "They waited in the lobby." not in text
    assert act(encounter, "note").encode() not in client.get(url("record", encounter)).content
    flat = re.sub(r"\s+", " ", pdf_text(client.post(url("export", encounter)).content)[0])
    assert "Content deleted under the retention schedule" in flat
    assert "The chain holds" in flat and "They waited" not in flat


def test_counsel_reads_the_record_but_writes_nothing(client, people, encounter, library):
    counsel = make_user("counsel@a.example.org", Role.COUNSEL, *library)
    client.force_login(counsel)
    assert client.get(url("record", encounter)).status_code == 404  # not invited yet
    record.counsel_invite(encounter=encounter, user=people["director"], email=counsel.email)
    r = client.get(url("record", encounter))
    assert r.status_code == 200 and "Started at the desk" in page_text(r)
    assert act(encounter, "note").encode() not in r.content
    assert client.post(act(encounter, "note"), {"text": "x"}).status_code == 403
    assert client.post(url("record_left", encounter)).status_code == 403


def test_the_export_holds_the_checklist_answers(client, people, encounter):
    services.document_checklist(
        encounter=encounter,
        user=people["desk"],
        answers={"court": "yes", "title": "search_warrant", "signer": "judge"},
    )
    client.force_login(people["director"])
    reauthenticate(client, people["director"])
    flat = re.sub(r"\s+", " ", pdf_text(client.post(url("export", encounter)).content)[0])
    assert "Checklist only" in flat and "Is a court named at the top?" in flat
    assert "A judge or magistrate" in flat


def test_a_closed_record_takes_no_more_desk_answers_or_documents(client, people, encounter):
    record.encounter_close(encounter=encounter, user=people["director"])
    client.force_login(people["desk"])
    for path, data in [
        (reverse("desk:step", args=[encounter.pk, "agency"]), {"answer": "ice"}),
        (reverse("desk:checklist", args=[encounter.pk]), {"court": "yes"}),
        (reverse("desk:upload", args=[encounter.pk]), {}),
    ]:
        r = client.post(path, data)
        assert r.status_code == 302 and r.url == url("record", encounter), path
    encounter.refresh_from_db()
    assert encounter.agency == "fbi"
    assert "closed" in client.get(url("record", encounter)).text


def test_opening_the_export_page_exports_nothing(client, people, encounter):
    """A link followed, or prefetched, shows the button; only the POST exports (and logs)."""
    client.force_login(people["director"])
    reauthenticate(client, people["director"])
    r = client.get(url("export", encounter))
    assert r.status_code == 200 and r["Content-Type"].startswith("text/html")
    assert "Download the PDF" in r.content.decode()
    assert not Event.objects.filter(kind="exported").exists()

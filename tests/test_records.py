"""The records-request workflow: received → counsel's advice → the director's decision →
the release log → the patron's notice (or, under nondisclosure, a reminder when it ends).
Each step by the role that owns it, in order, each an event on the chain; the retention
purge keeps the hashes. Runs on SQLite and PostgreSQL."""

import datetime
import hashlib
import io
from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from patronshield.accounts.models import Role
from patronshield.desk import chain, retention
from patronshield.desk import services as desk
from patronshield.desk.management.commands.daily import daily
from patronshield.desk.models import Event
from patronshield.desk.record import PossiblePatronData
from patronshield.records import services, workflow
from patronshield.records.models import RecordsRequest, RequestFile, State
from patronshield.records.services import StepRefused

from .conftest import make_user

DESCRIPTION = "Borrowing records of one account, 1 January to 30 June 2026."


@pytest.fixture(autouse=True)
def _english():
    """Messages in English, whatever a page test before left active in this thread."""
    with translation.override("en"):
        yield


def make_counsel(library):
    lib, branch = library
    return make_user("counsel@a.example.org", Role.COUNSEL, lib, branch)


@pytest.fixture
def counsel(library, people):
    return make_counsel(library)


def receive(user, **kw):
    kw.setdefault("kind", "judicial_subpoena")
    kw.setdefault("description", DESCRIPTION)
    kw.setdefault("agency", "fbi")
    kw.setdefault("officer", "Special Agent Diaz, badge 4411")
    kw.setdefault("reference", "Case 2:26-cr-00417")
    kw.setdefault("deadline", datetime.date.today() + timedelta(days=14))
    rr = services.records_receive(user=user, **kw)
    # The director invites the library's counsel accounts, as they would to get advice.
    from patronshield.accounts.models import User

    director = User.objects.filter(library=rr.library, role=Role.DIRECTOR).first()
    for c in User.objects.filter(library=rr.library, role=Role.COUNSEL):
        services.records_grant(rr=rr, user=director, designee=c)
    return rr


def advise(rr, user, advice="comply", **kw):
    return services.records_advise(rr=rr, user=user, advice=advice, notes="Narrow.", **kw)


def decide(rr, user, release="part"):
    p = services.proposal(rr)
    return services.records_decide(
        rr=rr, user=user, release=release, legal_basis=p["explanation"], citations=p["citations"]
    )


def events_of(rr):
    return list(Event.objects.filter(ref=rr.ref).order_by("seq"))


def steps_of(rr):
    """The workflow's steps (counsel's invitations, which `receive` makes, left out)."""
    return [
        e.data["step"]
        for e in events_of(rr)
        if not (e.data["step"] == "grant" and e.data.get("role") == "counsel")
    ]


def verified(library_id):
    report = chain.verify_library(library_id)
    assert report.ok, report.problems
    return report


def blank_pdf() -> bytes:
    """A one-page PDF with nothing that acts: the app keeps it byte for byte."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(72, 72)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDF = blank_pdf()


# -------------------------------------------------------------------------- end to end


def test_the_whole_workflow_end_to_end(people, counsel):
    rr = receive(people["desk"], files=[("subpoena scan.pdf", PDF)])
    assert rr.state == State.RECEIVED
    assert workflow.open_steps(rr) == ["advice"]

    rr = advise(rr, counsel, advice="negotiate")
    assert (rr.state, rr.counsel_name) == (State.ADVISED, counsel.display_name)

    rr = decide(rr, people["director"], release="part")
    assert rr.state == State.DECIDED and rr.citations
    assert workflow.open_steps(rr) == ["release", "release_closed"]

    released = b"borrowing history export"
    with translation.override("en"):  # the default "under" is in the user's language
        item = services.records_release(
            rr=rr,
            user=people["designee"],
            what="Borrowing history, January to June, one account",
            recipient="Special Agent Diaz, FBI Detroit",
            files=[("export.csv", released)],
            hashes=["A" * 64],
        )
    assert [f.sha256 for f in item.files.all()] == [
        hashlib.sha256(released).hexdigest(),
        "a" * 64,
    ]
    assert item.under == "Court subpoena Case 2:26-cr-00417"
    rr = services.records_release_close(rr=rr, user=people["designee"])
    assert rr.state == State.RELEASED
    assert workflow.open_steps(rr) == ["notice"]

    rr = services.records_notice(
        rr=rr, user=people["director"], notified_on=rr.today(), method="letter"
    )
    assert rr.state == State.CLOSED and rr.closed_at and rr.notice_method == "letter"
    assert workflow.open_steps(rr) == []

    assert steps_of(rr) == [
        "received",
        "advice",
        "decision",
        "release",
        "release_closed",
        "notice",
    ]
    assert all(e.kind == Event.Kind.RECORDS for e in events_of(rr))
    evs = [e for e in events_of(rr) if e.data.get("role") != "counsel"]  # as steps_of
    assert [e.actor for e in evs] == [
        people["desk"],
        counsel,
        people["director"],
        people["designee"],
        people["designee"],
        people["director"],
    ]
    assert evs[3].data["files"][0]["sha256"] == hashlib.sha256(released).hexdigest()
    assert evs[4].data["sha256"] == sorted([hashlib.sha256(released).hexdigest(), "a" * 64])
    # Closing signs a checkpoint; the whole chain verifies.
    assert Event.objects.filter(kind=Event.Kind.CHECKPOINT).exists()
    verified(rr.library_id)


def test_the_document_file_is_kept_only_encrypted(people):
    rr = receive(people["desk"], files=[("scan.pdf", PDF)])
    f = rr.files.get()
    assert f.sha256 == hashlib.sha256(PDF).hexdigest()
    assert PDF not in bytes(f.content) and f.key_id
    assert services.file_content(f) == PDF
    assert events_of(rr)[0].data["files"] == [{"sha256": f.sha256, "size": len(PDF), "kept": True}]


def test_a_photo_of_the_document_loses_its_gps(people):
    from PIL import Image

    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (42.0, 16.0, 0.0)}
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(out, "JPEG", exif=exif)
    rr = receive(people["desk"], files=[("IMG_0001.JPG", out.getvalue())])
    f = rr.files.get()
    kept = services.file_content(f)
    assert kept.startswith(b"\xff\xd8") and b"Exif" not in kept and f.name == "IMG_0001.jpg"


def test_a_library_that_keeps_no_files_keeps_only_the_hash(people):
    lib = people["desk"].library
    lib.store_document_files = False
    lib.save()
    rr = receive(people["desk"], files=[("scan.pdf", PDF)])
    f = rr.files.get()
    assert f.content is None and f.sha256 == hashlib.sha256(PDF).hexdigest()


def test_the_proposal_comes_from_the_policy_engine_for_the_state_and_document(people):
    rr = receive(people["desk"])  # Michigan, a court subpoena
    p = services.proposal(rr)
    assert p["outcome"] == "refer"
    assert any("MCL 397.603" in c for c in p["citations"])
    assert "Michigan" in p["explanation"]
    consent = receive(people["desk"], kind="patron_consent")
    assert services.proposal(consent)["outcome"] == "comply_after_approval"
    assert "consent" in services.proposal(consent)["explanation"]
    es = services.proposal(rr, "es")
    assert es["explanation"] != p["explanation"]


def test_a_private_party_or_a_parent_gets_what_the_state_law_names(people, library):
    """A divorce lawyer's civil subpoena is not law enforcement: the proposal refers it to
    counsel and releases nothing; in Ohio a parent may see a minor child's records
    (§ 149.432(B)(1)), after the director checks who is asking; the request keeps who
    asked, and `verify-log` holds it to its event."""
    lawyer = receive(people["desk"], requester="private_litigant", agency="fbi")
    assert lawyer.requester == "private_litigant" and lawyer.agency == ""
    p = services.proposal(lawyer)
    assert p["outcome"] == "refer" and "policy.parent_of_minor" not in p["rules"]
    with pytest.raises(ValidationError):
        receive(people["desk"], requester="private_litigant", kind="national_security_letter")
    with pytest.raises(ValidationError):
        receive(people["desk"], requester="parent_of_minor", asked="staff_records")
    lib, _branch = library
    lib.state = "OH"
    lib.save()
    parent = receive(people["desk"], requester="parent_of_minor", kind="other")
    p = services.proposal(parent)
    assert p["outcome"] == "comply_after_approval" and "OH.parent_of_minor" in p["rules"]
    assert any("149.432(B)(1)" in c for c in p["citations"])
    assert chain.verify_library(lib.pk).ok
    RecordsRequest.objects.filter(pk=parent.pk).update(requester="officer")
    report = chain.verify_library(lib.pk)
    assert not report.ok and any("requester" in p for p in report.problems)


def test_the_decision_records_what_the_engine_proposed(people, counsel):
    rr = advise(receive(people["desk"]), counsel)
    rr = services.records_decide(
        rr=rr,
        user=people["director"],
        release="none",
        legal_basis="Counsel moves to quash; nothing is released.",
        citations=["MCL 397.603(2)", "  ", "Fed. R. Crim. P. 17(c)"],
    )
    event = events_of(rr)[-1]
    assert event.data["citations"] == ["MCL 397.603(2)", "Fed. R. Crim. P. 17(c)"]
    assert event.data["engine"]["outcome"] == "refer"
    assert "MI.subpoena_not_enough" in event.data["engine"]["rules"]


def test_nothing_released_closes_an_empty_release_log(people, counsel):
    rr = decide(advise(receive(people["desk"]), counsel, "quash"), people["director"], "none")
    assert workflow.open_steps(rr) == ["release_closed"]
    with pytest.raises(StepRefused):
        services.records_release(rr=rr, user=people["director"], what="x", recipient="y")
    rr = services.records_release_close(rr=rr, user=people["director"])
    assert events_of(rr)[-1].data["items"] == 0


def test_a_release_of_part_needs_at_least_one_item_logged(people, counsel):
    rr = decide(advise(receive(people["desk"]), counsel), people["director"], "part")
    with pytest.raises(StepRefused, match="Log what was released"):
        services.records_release_close(rr=rr, user=people["director"])


def test_a_hash_must_be_a_sha256(people, counsel):
    rr = decide(advise(receive(people["desk"]), counsel), people["director"], "all")
    with pytest.raises(ValidationError, match="SHA-256"):
        services.records_release(
            rr=rr, user=people["director"], what="x", recipient="FBI", hashes=["abc123"]
        )
    assert not rr.released_items.exists()


def test_the_director_may_record_counsels_advice_under_counsels_name(people):
    rr = receive(people["desk"])
    rr = advise(rr, people["director"], counsel_name="")  # the library's counsel by default
    assert rr.counsel_name == "Counsel"
    event = events_of(rr)[-1]
    assert event.data["recorded_by_role"] == "director" and event.data["counsel"] == "Counsel"


def test_the_director_must_name_counsel_when_the_library_has_none(people):
    lib = people["director"].library
    lib.counsel_name = ""
    lib.save()
    rr = receive(people["desk"])
    with pytest.raises(ValidationError, match="Name the counsel"):
        advise(rr, people["director"])
    assert advise(rr, people["director"], counsel_name="J. Ortiz, Esq.").counsel_name


# ------------------------------------------------------------------ order and roles


def test_skipped_steps_are_refused(people, counsel):
    rr = receive(people["desk"])
    with pytest.raises(StepRefused):
        decide(rr, people["director"])
    with pytest.raises(StepRefused):
        services.records_release_close(rr=rr, user=people["director"])
    with pytest.raises(StepRefused):
        services.records_notice(
            rr=rr, user=people["director"], notified_on=rr.today(), method="letter"
        )
    rr = advise(rr, counsel)
    with pytest.raises(StepRefused):
        services.records_release(rr=rr, user=people["director"], what="x", recipient="y")
    with pytest.raises(StepRefused):
        services.records_notice(
            rr=rr, user=people["director"], notified_on=rr.today(), method="letter"
        )
    assert steps_of(rr) == ["received", "advice"]


def test_steps_are_not_repeated(people, counsel):
    rr = advise(receive(people["desk"]), counsel)
    with pytest.raises(StepRefused):
        advise(rr, counsel)
    rr = decide(rr, people["director"])
    with pytest.raises(StepRefused):
        decide(rr, people["director"])
    assert steps_of(rr) == ["received", "advice", "decision"]


@pytest.mark.parametrize(
    "role, step, allowed",
    [
        ("desk", "advice", False),
        ("designee", "advice", False),
        ("admin", "advice", False),
        ("director", "advice", True),
        ("counsel", "advice", True),
        ("desk", "decision", False),
        ("admin", "decision", False),
        ("counsel", "decision", False),
        ("designee", "decision", True),
        ("director", "decision", True),
        ("desk", "release", False),
        ("counsel", "release", False),
        ("designee", "release", True),
        ("desk", "notice", False),
        ("admin", "notice", False),
        ("counsel", "notice", False),
        ("designee", "notice", True),
    ],
)
def test_each_step_belongs_to_its_role(people, counsel, role, step, allowed):
    user = counsel if role == "counsel" else people[role]
    rr = receive(people["desk"])
    if step != "advice":
        rr = advise(rr, counsel)
    if step in ("release", "notice"):
        rr = decide(rr, people["director"], "none" if step == "notice" else "part")
    if step == "notice":
        rr = services.records_release_close(rr=rr, user=people["director"])
    act = {
        "advice": lambda: advise(rr, user, counsel_name="Counsel"),
        "decision": lambda: decide(rr, user),
        "release": lambda: services.records_release(
            rr=rr, user=user, what="Borrowing history", recipient="FBI"
        ),
        "notice": lambda: services.records_notice(
            rr=rr, user=user, notified_on=rr.today(), method="phone"
        ),
    }[step]
    if allowed:
        act()
        assert steps_of(rr)[-1] == step
    else:
        before = steps_of(rr)
        with pytest.raises(PermissionDenied):
            act()
        assert steps_of(rr) == before


def test_another_library_can_do_nothing(people, counsel, outsider):
    rr = receive(people["desk"])
    with pytest.raises(PermissionDenied):
        advise(rr, outsider, counsel_name="X")
    rr = advise(rr, counsel)
    with pytest.raises(PermissionDenied):
        decide(rr, outsider)
    with pytest.raises(PermissionDenied):
        services.records_hold(rr=rr, user=outsider, on=True, reason="x")
    assert not workflow.visible(outsider).exists()
    assert not workflow.can_see(outsider, rr)


def test_an_encounter_of_another_library_cannot_be_linked(people, outsider):
    theirs = desk.encounter_start(user=outsider)
    with pytest.raises(PermissionDenied):
        receive(people["desk"], encounter=theirs)


def test_a_linked_encounter_carries_the_events(people, counsel):
    encounter = desk.encounter_start(user=people["desk"])
    rr = receive(people["desk"], encounter=encounter)
    advise(rr, counsel)
    assert {e.encounter_id for e in events_of(rr)} == {encounter.pk}
    assert encounter.events.filter(ref=rr.ref).count() == 3  # received, counsel invited, advice


# --------------------------------------------------------------------- nondisclosure


def test_a_national_security_letter_is_hidden_from_desk_staff_and_skips_notice(people, counsel):
    rr = receive(people["desk"], kind="national_security_letter", deadline=None)
    assert rr.gagged and rr.gag_in_force()
    # The desk worker who logged it does not see it; nor does an administrator.
    for role in ("desk", "admin", "designee"):
        assert not workflow.can_see(people[role], rr), role
        assert rr not in workflow.visible(people[role])
    for user in (people["director"], counsel):
        assert rr in workflow.visible(user)
    with pytest.raises(PermissionDenied):
        decide(advise(rr, counsel), people["designee"])
    rr = decide(rr, people["director"], "none")
    rr = services.records_release_close(rr=rr, user=people["director"])
    assert workflow.open_steps(rr) == ["closed_under_gag"]
    with pytest.raises(StepRefused):
        services.records_notice(
            rr=rr, user=people["director"], notified_on=rr.today(), method="letter"
        )
    rr = services.records_close_under_gag(rr=rr, user=people["director"])
    assert rr.state == State.CLOSED and not rr.notice_on
    assert "notice" not in steps_of(rr)
    verified(rr.library_id)


def test_the_director_may_grant_a_designee_access(people, counsel):
    rr = receive(people["director"], kind="fisa_order", deadline=None)
    assert not workflow.can_see(people["designee"], rr)
    with pytest.raises(PermissionDenied):
        services.records_grant(rr=rr, user=counsel, designee=people["designee"])
    services.records_grant(rr=rr, user=people["director"], designee=people["designee"])
    assert workflow.can_see(people["designee"], rr)
    assert rr in workflow.visible(people["designee"])
    decide(advise(rr, counsel), people["designee"], "none")
    services.records_grant(rr=rr, user=people["director"], designee=people["designee"], on=False)
    assert not workflow.can_see(people["designee"], rr)
    assert steps_of(rr) == ["received", "grant", "advice", "decision", "grant"]


def gagged_until(people, counsel, ends):
    rr = receive(
        people["desk"],
        kind="court_order",
        nondisclosure_order=True,
        nondisclosure_ends=ends,
    )
    rr = decide(advise(rr, counsel), people["director"], "none")
    return services.records_release_close(rr=rr, user=people["director"])


def test_a_courts_nondisclosure_order_waits_for_its_end_then_reminds_the_director(
    people, counsel, smtp
):
    today = timezone.localdate()
    rr = gagged_until(people, counsel, today + timedelta(days=30))
    assert not workflow.can_see(people["desk"], rr)
    assert workflow.open_steps(rr) == []  # neither notice nor closing while it runs
    assert services.records_reminders_send() == []
    assert smtp.messages == []

    later = timezone.now() + timedelta(days=31)
    lines = daily(now=later)

    def mails():  # the daily job also reminds staff of training due (not this test's)
        return [m for m in smtp.messages if "Subject: Training due" not in m[1]]

    assert any("reminded the director" in line for line in lines)
    assert len(mails()) == 1
    to, message = mails()[0]
    assert to == ["director@a.example.org"]
    assert f"records request #{rr.pk}" in message and "/records/" in message
    assert DESCRIPTION not in message  # says no more than needed
    # Once only.
    assert not any("reminded" in line for line in daily(now=later + timedelta(hours=1)))
    assert len(mails()) == 1
    rr.refresh_from_db()
    assert steps_of(rr)[-1] == "reminder"

    # After the end date, the patron may be told.
    ended = today + timedelta(days=30)
    with mock.patch.object(RecordsRequest, "today", lambda self: ended):
        assert workflow.open_steps(rr) == ["notice"]
        rr = services.records_notice(
            rr=rr, user=people["director"], notified_on=ended, method="email"
        )
    assert rr.state == State.CLOSED
    verified(rr.library_id)


def test_a_failed_reminder_is_tried_again(people, counsel, settings):
    gagged_until(people, counsel, timezone.localdate())
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 1},
        }
    }
    assert "failed" in services.records_reminders_send()[0]
    assert RecordsRequest.objects.get().reminder_sent_at is None
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert "reminded" in services.records_reminders_send()[0]


def test_no_director_address_is_said_not_hidden(people, counsel):
    gagged_until(people, counsel, timezone.localdate())
    people["director"].library.contacts.all().delete()
    type(people["director"]).objects.filter(role=Role.DIRECTOR).update(is_active=False)
    assert "no director has an e-mail address" in services.records_reminders_send()[0]
    assert RecordsRequest.objects.get().reminder_sent_at is None


def test_a_nondisclosure_end_date_needs_a_nondisclosure_order(people):
    with pytest.raises(ValidationError, match="nondisclosure"):
        receive(people["desk"], nondisclosure_ends=timezone.localdate())


# -------------------------------------------------------------------------- patron data


@pytest.mark.parametrize(
    "text",
    [
        "All records of Maria Gonzalez",
        "Account of card 21234567890123",
        "Records for jdoe@example.com",
        "Computer use by the patron called Smith",
    ],
)
def test_a_description_that_names_a_patron_warns_first(people, text):
    with pytest.raises(PossiblePatronData):
        receive(people["desk"], description=text)
    assert not RecordsRequest.objects.exists()
    rr = receive(people["desk"], description=text, confirmed=True)
    assert rr.description == text


def test_a_file_name_that_names_a_patron_warns_too(people):
    with pytest.raises(PossiblePatronData, match="Maria Gonzalez"):
        receive(people["desk"], files=[("Maria_Gonzalez-subpoena.pdf", PDF)])
    assert receive(people["desk"], files=[("IMG_0001.pdf", PDF)]).files.count() == 1


def test_a_request_that_came_with_a_gagged_visit_is_gagged(people):
    encounter = desk.encounter_start(user=people["desk"])
    encounter = desk.encounter_answer(
        encounter=encounter,
        actor=people["desk"],
        agency="fbi",
        request="patron_records",
        requester="officer",
        document="national_security_letter",
        emergency=False,
    )
    open_one = receive(people["desk"])
    rr = receive(people["desk"], kind="other", encounter=encounter)
    assert rr.gagged
    for role in ("desk", "designee", "admin"):
        assert list(workflow.visible(people[role])) == [open_one], role
    assert set(workflow.visible(people["director"])) == {open_one, rr}


def test_counsels_notes_and_the_notice_note_are_checked_too(people, counsel):
    rr = receive(people["desk"])
    with pytest.raises(PossiblePatronData):
        services.records_advise(
            rr=rr, user=counsel, advice="comply", notes="Call Ms. Alvarez at 313-555-0142"
        )
    assert RecordsRequest.objects.get().state == State.RECEIVED


# --------------------------------------------------------------------------- retention


def closed_request(people, counsel, **kw):
    rr = decide(advise(receive(people["desk"], files=[("s.pdf", PDF)], **kw), counsel),
                people["director"], "all")  # fmt: skip
    services.records_release(
        rr=rr, user=people["director"], what="Borrowing history", recipient="FBI",
        files=[("export.csv", b"rows")],
    )  # fmt: skip
    rr = services.records_release_close(rr=rr, user=people["director"])
    return services.records_notice(
        rr=rr, user=people["director"], notified_on=rr.today(), method="letter", note="Sent."
    )


def test_the_purge_deletes_content_keeps_hashes_and_the_chain_verifies(people, counsel):
    rr = closed_request(people, counsel)
    hashes = sorted(RequestFile.objects.values_list("sha256", flat=True))
    now = timezone.now() + timedelta(days=rr.library.retain_requests_days + 1)
    report = retention.purge_library(rr.library, now=now)
    assert report["records_requests"] == 1 and report["records_files"] == 1
    rr.refresh_from_db()
    assert rr.purged_at and rr.description == "" and rr.officer == "" and rr.reference == ""
    assert rr.legal_basis == "" and rr.citations == [] and rr.notice_note == ""
    # The skeleton stays.
    assert (rr.kind, rr.state, rr.release, rr.advice) == (
        "judicial_subpoena", "closed", "all", "comply",
    )  # fmt: skip
    assert sorted(RequestFile.objects.values_list("sha256", flat=True)) == hashes
    assert not RequestFile.objects.exclude(content=None).exists()
    item = rr.released_items.get()
    assert item.what == "" and item.recipient == ""
    assert item.files.get().sha256 == hashlib.sha256(b"rows").hexdigest()
    evs = events_of(rr)
    assert all(e.purged_at for e in evs[:-1]) and evs[-1].data["step"] == "purged"
    report = verified(rr.library_id)
    assert report.purged >= len(evs) - 1
    purge = Event.objects.get(kind=Event.Kind.PURGED)
    assert purge.data["records_requests"] == 1 and purge.data["refs"] == [rr.ref]
    # Nothing more to do the next day, and no more steps.
    assert retention.purge_library(rr.library, now=now)["records_requests"] == 0
    assert workflow.open_steps(rr) == []
    with pytest.raises(ValidationError, match="purged"):
        services.records_hold(rr=rr, user=people["director"], on=True, reason="x")


def test_the_daily_job_reports_the_purge(people, counsel):
    rr = closed_request(people, counsel)
    now = timezone.now() + timedelta(days=rr.library.retain_requests_days + 1)
    lines = daily(now=now)
    assert any("1 records requests" in line for line in lines), lines


def test_an_open_request_is_never_purged(people, counsel):
    rr = advise(receive(people["desk"]), counsel)
    now = timezone.now() + timedelta(days=10 * 365)
    assert retention.purge_library(rr.library, now=now).get("records_requests") == 0


def test_a_legal_hold_stops_the_purge(people, counsel):
    rr = closed_request(people, counsel)
    with pytest.raises(PermissionDenied):
        services.records_hold(rr=rr, user=people["desk"], on=True, reason="x")
    with pytest.raises(ValidationError):
        services.records_hold(rr=rr, user=counsel, on=True, reason="")
    services.records_hold(rr=rr, user=counsel, on=True, reason="Motion to quash pending")
    now = timezone.now() + timedelta(days=rr.library.retain_requests_days + 1)
    assert retention.purge_library(rr.library, now=now)["records_requests"] == 0
    rr.refresh_from_db()
    assert rr.description and not rr.purged_at
    services.records_hold(rr=rr, user=people["director"], on=False)
    assert retention.purge_library(rr.library, now=now)["records_requests"] == 1
    verified(rr.library_id)


def test_the_encounters_legal_hold_stops_the_purge_too(people, counsel):
    from patronshield.desk import record

    encounter = desk.encounter_start(user=people["desk"])
    rr = closed_request(people, counsel, encounter=encounter)
    record.legal_hold_set(encounter=encounter, user=people["director"], on=True, reason="Case")
    now = timezone.now() + timedelta(days=rr.library.retain_requests_days + 1)
    assert retention.purge_library(rr.library, now=now)["records_requests"] == 0
    assert RecordsRequest.objects.get().purged_at is None


def test_the_encounters_purge_leaves_the_requests_events_to_its_own_schedule(people, counsel):
    encounter = desk.encounter_start(user=people["desk"])
    rr = advise(receive(people["desk"], encounter=encounter), counsel)  # still open
    now = timezone.now() + timedelta(days=encounter.library.retain_encounters_days + 1)
    report = retention.purge_library(encounter.library, now=now)
    assert report["encounters"] == [encounter.pk]
    assert all(e.data for e in events_of(rr))
    verified(rr.library_id)


@pytest.fixture
def data_keys(monkeypatch):
    """An "old" data key, before the personas are made (what they seal uses it too)."""
    from patronshield import crypto

    def use(spec):
        monkeypatch.setenv("PATRONSHIELD_DATA_KEYS", spec)
        crypto.keyring.cache_clear()

    old = crypto.new_key_spec("old")
    use(old)
    yield use, old
    crypto.keyring.cache_clear()


def test_rotate_keys_re_encrypts_the_documents_where_the_command_exists(data_keys, people):
    rotate_keys = pytest.importorskip("patronshield.libraries.management.commands.rotate_keys")
    from patronshield import crypto

    use, old = data_keys
    rr = receive(people["desk"], files=[("s.pdf", PDF)])
    use(crypto.new_key_spec("new") + "," + old)
    assert rotate_keys.rotate()["records.RequestFile.content"] == 1
    f = rr.files.get()
    assert crypto.key_id(bytes(f.content)) == "new" == f.key_id
    assert services.file_content(f) == PDF


def test_who_is_asking_speaks_the_engines_words():
    from patronshield.policy import vocab
    from patronshield.records.models import PRIVATE_KINDS, Kind, Requester

    assert tuple(Requester.values) == vocab.REQUESTERS
    documents = {"patron_consent": "none"}
    assert {documents.get(k, k) for k in PRIVATE_KINDS} <= set(vocab.PRIVATE_DOCUMENTS)
    assert set(Kind.values) >= PRIVATE_KINDS

"""A library's policy versions: the draft never changes the rules in force; adoption does,
applies retention, counsel and areas, and is final; the desk, the records workflow and the
checker apply only the adopted version; review reminders; the PDFs and the desk card."""

import io
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from patronshield.desk import record, services
from patronshield.libraries import policies, signals
from patronshield.libraries.card import card_pdf, fingerprint
from patronshield.libraries.models import PolicyVersion
from patronshield.policy import authoring, model_policy
from tests.conftest import reauthenticate


@pytest.fixture
def mailbox(settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    mail.outbox = []
    return mail.outbox


def save(version, user, **changes):
    return policies.draft_save(version=version, user=user, choices={**version.choices, **changes})


def adopt(people, board_date=None, **changes):
    admin = people["admin"]
    version = policies.draft_get_or_create(library=admin.library, user=admin)
    if changes:
        version = save(version, admin, **changes)
    return policies.version_adopt(
        version=version, user=people["director"], board_date=board_date or timezone.localdate()
    )


def consent_visit(desk):
    e = services.encounter_start(user=desk)
    return services.encounter_answer(
        encounter=e, actor=desk, agency="local_police", request="patron_records",
        requester="officer", document="none", emergency=False, patron_consent=True,
    )  # fmt: skip


NO_CONSENT = {"exceptions": {"safety": True, "consent": False}}


def test_a_draft_never_changes_the_desk_adoption_does(
    people, mailbox, django_capture_on_commit_callbacks
):
    lib, desk, admin = people["desk"].library, people["desk"], people["admin"]
    assert policies.adopted_table(lib) == model_policy()
    assert consent_visit(desk).outcome == "comply_after_approval"  # Michigan: written consent

    draft = save(policies.draft_get_or_create(library=lib, user=admin), admin, **NO_CONSENT)
    assert policies.adopted_table(lib) == model_policy()
    assert consent_visit(desk).outcome == "comply_after_approval"

    sent = []
    signals.policy_adopted.connect(lambda **kw: sent.append(kw), weak=False, dispatch_uid="t")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            policies.version_adopt(
                version=draft, user=people["director"], board_date=timezone.localdate()
            )
    finally:
        signals.policy_adopted.disconnect(dispatch_uid="t")
    visit = consent_visit(desk)
    assert visit.outcome == "decline"
    assert "policy.patron_permission" not in visit.decision["rules"]
    assert sent and sent[0]["version"].number == 1 and sent[0]["library"] == lib


def test_adoption_applies_retention_counsel_and_areas_and_is_final(people):
    lib = people["admin"].library
    v1 = adopt(
        people,
        areas={"public": ["Main floor", "Lobby"], "nonpublic": ["Server room"]},
        retention={"encounters_days": 700, "documents_days": 90, "requests_days": 800},
        counsel={"name": "A. Lawyer", "phone": "313-555-0177", "email": "law@example.org"},
    )
    lib.refresh_from_db()
    assert (lib.retain_encounters_days, lib.retain_documents_days) == (700, 90)
    assert (lib.counsel_name, lib.counsel_email) == ("A. Lawyer", "law@example.org")
    assert {(a.name, a.public) for a in lib.areas.all()} == {
        ("Main floor", True), ("Lobby", True), ("Server room", False)
    }  # fmt: skip
    assert v1.changes == ["First version, from the model policy."]
    assert v1.sources == authoring.sources("MI")

    v1.choices = {**v1.choices, "values": "changed"}
    with pytest.raises(ValidationError):
        v1.save()
    with pytest.raises(ValidationError, match="cannot be changed"):
        policies.draft_save(version=v1, user=people["admin"], choices=v1.choices)

    v2 = adopt(people, approver="director")
    v1.refresh_from_db()
    assert v1.status == "superseded" and v2.status == "adopted" and v2.number == 2
    assert v2.changes == ["Who approves: now the Director only (was the Director or a designee)."]
    assert policies.adopted_table(lib).approver == "director"


def test_one_draft_at_a_time_and_bad_dates(people):
    admin, lib = people["admin"], people["admin"].library
    d1 = policies.draft_get_or_create(library=lib, user=admin)
    assert policies.draft_get_or_create(library=lib, user=admin).pk == d1.pk
    with pytest.raises(ValidationError, match="future"):
        policies.version_adopt(
            version=d1, user=admin, board_date=timezone.localdate() + timedelta(days=1)
        )
    with pytest.raises(ValidationError):
        save(d1, admin, approver="everyone")
    with pytest.raises(policies.PermissionDenied):
        policies.draft_get_or_create(library=lib, user=people["designee"])
    with pytest.raises(policies.PermissionDenied):
        policies.version_adopt(version=d1, user=people["desk"], board_date=date(2026, 1, 1))


def test_director_only_refuses_a_designee_citing_the_policy(people, mailbox):
    adopt(people, approver="director")
    desk = people["desk"]
    e = services.encounter_start(user=desk)
    e = services.encounter_answer(
        encounter=e, actor=desk, agency="fbi", request="seize_equipment",
        document="judicial_search_warrant", emergency=False,
    )  # fmt: skip
    assert e.decision["approver"] == "director"
    with pytest.raises(ValidationError, match="only the Director approves"):
        record.approval_record(encounter=e, user=people["designee"], approved=True)
    record.approval_record(encounter=e, user=people["director"], approved=True)


def test_the_records_decision_refuses_a_designee_under_director_only(people, mailbox):
    from patronshield.records import services as rs

    adopt(people, approver="director")
    rr = rs.records_receive(user=people["desk"], kind="court_order", description="one account")
    counsel_user = people["director"]
    rs.records_advise(rr=rr, user=counsel_user, advice="comply")
    with pytest.raises(ValidationError, match="only the Director approves"):
        rs.records_decide(rr=rr, user=people["designee"], release="none",
                          legal_basis="No.", citations=["MCL 397.603"])  # fmt: skip


def test_the_checker_says_what_the_adopted_policy_allows(people):
    from patronshield.checker import _authorizes

    adopt(people, **NO_CONSENT)
    lib = people["admin"].library
    context = services._context_for(services.encounter_start(user=people["desk"]))
    assert context.policy == policies.adopted_table(lib)
    allows = _authorizes("court_order", "OH", [], context.policy)
    assert allows == _authorizes("court_order", "OH", [], None)  # a court order is no exception


def test_review_reminders_are_sent_once(people, mailbox):
    a_year_ago = timezone.localdate() - timedelta(days=366)
    v = adopt(people, board_date=a_year_ago)
    from patronshield.desk.management.commands.daily import daily

    lines = daily()
    assert any("review the policy" in line for line in lines)
    assert len(mailbox) == 1 and "director@a.example.org" in mailbox[0].to
    assert "has not been reviewed for a year" in mailbox[0].body
    daily()
    assert len(mailbox) == 1  # once, not every day
    # A legal source reviewed after the version was built: a new reason, one more e-mail.
    PolicyVersion.objects.filter(pk=v.pk).update(sources={**v.sources, "federal": "2000-01-01"})
    daily()
    assert len(mailbox) == 2 and "federal law table" in mailbox[1].body


def test_the_reminder_is_on_the_policy_page_for_the_director_only(client, people):
    adopt(people, board_date=timezone.localdate() - timedelta(days=400))
    client.force_login(people["director"])
    assert b"has not been reviewed for a year" in client.get(reverse("policy:show")).content
    client.force_login(people["desk"])
    assert b"has not been reviewed for a year" not in client.get(reverse("policy:show")).content


# ------------------------------------------------------------------ pages


def test_the_draft_form_saves_choices_and_the_page_shows_them(client, people):
    client.force_login(people["admin"])
    r = client.get(reverse("policy:draft"))
    assert r.status_code == 200 and b"Staff workroom" in r.content
    data = {
        "public_areas": "Main floor\nLobby", "nonpublic_areas": "Staff workroom",
        "approver": "director", "safety": "on", "encounters_days": "1000",
        "documents_days": "200", "requests_days": "1000", "counsel_name": "A. Lawyer",
        "counsel_phone": "", "counsel_email": "", "values": "Privacy is a right.",
    }  # fmt: skip
    r = client.post(reverse("policy:draft"), data)
    assert r.status_code == 302
    draft = PolicyVersion.objects.get()
    assert draft.choices["approver"] == "director" and not draft.choices["exceptions"]["consent"]
    page = client.get(reverse("policy:version", args=[draft.number])).content.decode()
    assert "Privacy is a right." in page and "Draft of version 1" in page
    assert "Only the Director approves" in page and "policy.patron_permission" not in page
    assert policies.adopted_table(draft.library) == model_policy()

    r = client.post(reverse("policy:draft"), {**data, "documents_days": "0"})
    assert r.status_code == 400
    r = client.post(reverse("policy:draft"), {**data, "public_areas": "Staff workroom"})
    assert r.status_code == 400 and "both public and non-public" in r.content.decode()


def test_adoption_asks_for_the_second_factor(client, people):
    director = people["director"]
    draft = policies.draft_get_or_create(library=director.library, user=director)
    client.force_login(director)
    url = reverse("policy:adopt", args=[draft.number])
    r = client.post(url, {"board_date": "2026-11-20"})
    assert r.status_code == 302 and "reauthenticate" in r["Location"]
    assert PolicyVersion.objects.get().status == "draft"
    reauthenticate(client, director)
    r = client.post(url, {"board_date": str(timezone.localdate() + timedelta(days=3))})
    assert r.status_code == 400 and PolicyVersion.objects.get().status == "draft"
    r = client.post(url, {"board_date": str(timezone.localdate())})
    assert r.status_code == 302
    assert PolicyVersion.objects.get().status == "adopted"
    page = client.get(reverse("policy:show")).content.decode()
    assert "Version 1, adopted by the board on" in page


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(p.extract_text() for p in reader.pages)


def test_the_board_pdf_has_every_rule_with_its_citations(client, people):
    v = adopt(people, board_date=date(2026, 11, 20), approver="director")
    client.force_login(people["desk"])
    r = client.get(reverse("policy:pdf", args=[v.number]))
    assert r["Content-Type"] == "application/pdf"
    pages, text = pdf_text(r.content)
    flat = " ".join(text.split())
    assert pages >= 3
    assert (
        "Ecorse Public Library" in flat and "Version 1, adopted by the board on 2026-11-20" in flat
    )
    assert "not legal advice" in flat and f"Page 1 / {pages}" in flat
    assert "First version, from the model policy." in flat
    squeezed = flat.replace(" ", "")
    for rule in policies.adopted_table(v.library).rules:
        # Every rule with its citations, and never its internal id (issue 17).
        for c in rule.citations:
            assert c.ref.replace(" ", "") in squeezed, (rule.id, c.ref)
        assert rule.id not in squeezed, rule.id
    assert "MCL 397.603" in flat and "8 U.S.C. § 1357" in flat


def test_the_desk_card_is_one_page_in_both_languages_and_follows_the_roster(people, settings):
    branch = people["desk"].branch
    for language, words in (("en", "Five things to do"), ("es", "Cinco cosas que hacer")):
        pages, text = pdf_text(card_pdf(branch, language))
        assert pages == 1, language
        assert words in text and "313-555-0100" in text and "I-205" in text
    before = fingerprint(branch, "en")
    contact = branch.library.contacts.get(position=2)
    contact.name, contact.phone = "Rosa Diaz", "313-555-0142"
    contact.save()
    assert fingerprint(branch, "en") != before
    _pages, text = pdf_text(card_pdf(branch, "en"))
    assert "Rosa Diaz" in text and "313-555-0142" in text
    # Adopting a policy (director only) changes the card too.
    adopt(people, approver="director")
    _pages, text = pdf_text(card_pdf(branch, "en"))
    assert "Only the Director approves" in " ".join(text.split())
    assert "Policy version 1" in text


def test_the_desk_card_tells_a_search_warrant_from_an_arrest_warrant(people, monkeypatch):
    """An arrest warrant does not open staff-only areas (Steagald): its own row says so, as
    the engine does; and an upgrade that changes the card's words makes a new card."""
    from patronshield.policy import authoring

    branch = people["desk"].branch
    _pages, text = pdf_text(card_pdf(branch, "en"))
    flat = " ".join(text.split())
    assert "Search warrant signed by a judge" in flat and "Arrest warrant signed by a judge" in flat
    assert "does not by itself open staff-only areas" in flat and "Steagald" in flat
    before = fingerprint(branch, "en")
    real = authoring.card_text

    def reworded(approver, language):
        return {**real(approver, language), "five": "Five things to do now"}

    monkeypatch.setattr("patronshield.libraries.card.authoring.card_text", reworded)
    assert fingerprint(branch, "en") != before


def test_the_desk_home_links_the_card(client, people):
    client.force_login(people["desk"])
    page = client.get(reverse("desk:home")).content.decode()
    assert reverse("policy:card", args=[people["desk"].branch_id, "es"]) in page
    assert (
        client.get(reverse("policy:card", args=[people["desk"].branch_id, "fr"])).status_code == 404
    )

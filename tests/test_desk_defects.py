"""Issue 16 at the desk: what the document check found wrong with the paper goes into the
decision, the script and the director's alert; "cannot confirm" is never shown as "No"; only
the director sets a failed check aside, on the record."""

import email

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from patronshield.checker import CheckResult
from patronshield.checker.checks import Check
from patronshield.desk import services
from patronshield.desk.models import DocumentCheck, Encounter, Event
from patronshield.notifications import services as notifications

NOTHING = {"enter_nonpublic_area": False, "patron_records": False}


def paper(checks, defects, kind="judicial_search_warrant"):
    """What `check_pages` returns for a photo of a judge-signed search warrant."""
    return CheckResult(
        file="warrant.jpg",
        kind=kind,
        confidence=0.95,
        needs_human_review=False,
        form="AO 93",
        signed_by="judge",
        checks=checks,
        authorizes=dict(NOTHING),
        defects=defects,
        pages=1,
        seconds=0.5,
        sha256="ab" * 32,
        clean_files=[("warrant.jpg", b"not really a jpeg")],
    )


ANOTHER_BRANCH_A_YEAR_AGO = paper(
    [
        Check("court_named", "passed", "United States District Court"),
        Check("judge_signature", "passed", "Hon. Jane Roe, United States Magistrate Judge"),
        Check(
            "execution_deadline",
            "failed",
            "on or before December 1, 2025",
            note="deadline_passed",
            params={"today": "2026-12-06"},
        ),  # fmt: skip
        Check(
            "place_matches_library",
            "failed",
            "Dearborn Public Library, Esper Branch",
            note="not_this_library",
            params={"library": "Ecorse Public Library"},
        ),  # fmt: skip
    ],
    ["wrong_place", "expired"],
)
NO_ON_OR_BEFORE_LINE = paper(
    [
        Check("court_named", "passed", "State of Michigan, 25th District Court"),
        Check("judge_signature", "passed", "Hon. John Doe, District Judge"),
        Check("execution_deadline", "not_found", ""),
        Check("place_matches_library", "passed", "Ecorse Public Library, 4184 W Jefferson Ave"),
    ],
    ["deadline_not_confirmed"],
)


@pytest.fixture
def encounter(client, people):
    client.force_login(people["desk"])
    client.post(reverse("desk:start"))
    e = Encounter.objects.latest("pk")
    client.post(reverse("desk:step", args=[e.pk, "agency"]), {"answer": "local_police"})
    client.post(reverse("desk:step", args=[e.pk, "request"]), {"answer": "enter_nonpublic_area"})
    return e


def show(client, encounter, monkeypatch, result):
    """Upload a photo; the checker's task runs at once (it answers `result`)."""
    from django.test import TestCase, override_settings

    monkeypatch.setattr("patronshield.checker.check_pages", lambda *a, **k: result)
    immediate = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    with override_settings(TASKS=immediate), TestCase.captureOnCommitCallbacks(execute=True):
        r = client.post(
            reverse("desk:upload", args=[encounter.pk]),
            {"pages": [SimpleUploadedFile("warrant.jpg", b"\xff\xd8 a photo")]},
        )
    r = client.get(r.url, follow=True)
    return r.content.decode(), DocumentCheck.objects.latest("pk")


def body(raw: str) -> str:
    return email.message_from_string(raw).get_payload(decode=True).decode()


def confirm_and_answer(client, encounter, check):
    r = client.post(reverse("desk:confirm", args=[encounter.pk, check.pk]))
    assert r.url == reverse("desk:step", args=[encounter.pk, "emergency"])
    client.post(reverse("desk:step", args=[encounter.pk, "emergency"]), {"answer": "no"})
    encounter.refresh_from_db()
    return encounter


def test_a_judge_signed_warrant_for_another_branch_issued_a_year_ago(
    client, people, encounter, monkeypatch, smtp
):
    page, check = show(client, encounter, monkeypatch, ANOTHER_BRANCH_A_YEAR_AGO)
    assert check.summary["defects"] == ["wrong_place", "expired"]
    # What is wrong comes first; no "fairly sure" over a failed check.
    assert page.index("This paper does not hold here") < page.index("Search warrant signed")
    assert "The warrant names another address, not this library." in page
    assert "The warrant&#x27;s time to be carried out has passed." in page
    assert "The checker is fairly sure" not in page
    assert "Staff-only areas: no" in page and "do not obstruct, do not consent, do not help" in page
    assert "only the director can set it aside" in page
    assert "wrong_place" not in page and "not_this_library" not in page  # no internal key

    encounter = confirm_and_answer(client, encounter, check)
    assert encounter.document == "judicial_search_warrant"
    assert encounter.document_defects == ["wrong_place", "expired"]
    assert encounter.outcome == "refer" and encounter.authorized is False
    script = encounter.decision["staff_script"]
    assert script.startswith("This warrant names another address, not this library.")
    assert "won't stand in your way" in script
    assert encounter.decision["rules"] == ["document.wrong_place", "document.expired"]
    result = client.get(reverse("desk:result", args=[encounter.pk])).content.decode()
    assert "Hand nothing over: the director and counsel respond" in result
    assert "This warrant names another address" in result
    assert "The paper does not hold here" in result
    assert "set this aside" not in result  # not for the desk

    # Those already alerted hear at once why the paper does not hold (an update, wave 0),
    # the director in the director's language, the designee in theirs.
    updates = encounter.notifications.filter(wave=0)
    assert {n.contact.role for n in updates} == {"director", "designee"}
    people["director"].language = "es"
    people["director"].save()
    for n in encounter.notifications.filter(status="pending"):
        notifications.deliver(n.pk)
    director = body([raw for to, raw in smtp.messages if to == ["director@a.example.org"]][-1])
    designee = body([raw for to, raw in smtp.messages if to == ["designee@a.example.org"]][-1])
    assert len(smtp.messages) == 4  # the first alert (built when sent) and the update
    assert "El documento no vale aquí: La orden nombra otra dirección" in director
    assert "The paper does not hold here: The warrant names another address" in designee


def test_a_state_warrant_with_no_on_or_before_line_cannot_be_confirmed_never_no(
    client, people, encounter, monkeypatch
):
    page, check = show(client, encounter, monkeypatch, NO_ON_OR_BEFORE_LINE)
    assert "Cannot confirm here: do not obstruct, the director checks now" in page
    assert "Not confirmed: To be carried out in time" in page  # the check, named
    assert "Staff-only areas: cannot confirm here" in page
    assert "Staff-only areas: no" not in page and "Patron records: no" not in page
    assert "Cannot confirm here that this paper holds" in page
    assert "The checker is fairly sure" not in page
    encounter = confirm_and_answer(client, encounter, check)
    assert encounter.outcome == "refer" and not encounter.authorized
    assert "can't find the date on this warrant" in encounter.decision["staff_script"]


def test_an_unread_deadline_is_not_no_even_without_defects(client, encounter, monkeypatch):
    """A check stored before the checker named defects: the blocking check not found is
    still "Cannot confirm here"."""
    result = paper(NO_ON_OR_BEFORE_LINE.checks, [])
    page, _check = show(client, encounter, monkeypatch, result)
    assert "Cannot confirm here: do not obstruct" in page and "Staff-only areas: no" not in page


def test_the_page_is_in_the_desk_worker_s_language(client, encounter, monkeypatch):
    client.cookies["django_language"] = "es"
    page, _check = show(client, encounter, monkeypatch, ANOTHER_BRANCH_A_YEAR_AGO)
    assert "La orden nombra otra dirección, no esta biblioteca." in page


def test_the_director_sets_a_failed_check_aside_on_the_record(
    client, people, encounter, monkeypatch
):
    _page, check = show(client, encounter, monkeypatch, ANOTHER_BRANCH_A_YEAR_AGO)
    encounter = confirm_and_answer(client, encounter, check)
    assert encounter.outcome == "refer"
    client.force_login(people["director"])
    result = client.get(reverse("desk:result", args=[encounter.pk])).content.decode()
    url = reverse("desk:record_action", args=[encounter.pk, "override"])
    assert url in result
    r = client.post(url, {"reason": ""})
    assert r.status_code == 400 and encounter.events.filter(kind="override").count() == 0
    reason = "Read it with counsel: the branch it names is ours since the merger; dated this week."
    r = client.post(url, {"reason": reason}, follow=True)
    page = r.content.decode()
    assert "Document check set aside by the director" in page and "since the merger" in page
    assert "The warrant names another address, not this library." in page  # which defects
    event = encounter.events.get(kind=Event.Kind.OVERRIDE)
    assert event.actor == people["director"] and event.at
    assert event.data["defects"] == ["wrong_place", "expired"]
    assert event.data["reason"] == reason and event.data["role"] == "director"
    encounter.refresh_from_db()
    assert encounter.document_defects == []
    assert encounter.outcome == "comply_after_approval" and encounter.authorized
    decided = encounter.events.filter(kind=Event.Kind.DECIDED).latest("seq")
    assert decided.seq > event.seq and decided.data["outcome"] == "comply_after_approval"
    # Nothing is left to set aside.
    assert client.post(url, {"reason": reason}).status_code == 400


@pytest.mark.parametrize("role", ["desk", "designee", "admin"])
def test_nobody_but_the_director_sets_a_check_aside(client, people, encounter, monkeypatch, role):
    _page, check = show(client, encounter, monkeypatch, ANOTHER_BRANCH_A_YEAR_AGO)
    encounter = confirm_and_answer(client, encounter, check)
    client.force_login(people[role])
    url = reverse("desk:record_action", args=[encounter.pk, "override"])
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "I looked at it."}).status_code == 403
    with pytest.raises(services.PermissionDenied):
        services.document_defects_override(
            encounter=encounter, user=people[role], reason="I looked at it."
        )
    encounter.refresh_from_db()
    assert encounter.document_defects == ["wrong_place", "expired"]
    assert encounter.outcome == "refer" and not encounter.events.filter(kind="override")


def test_confirming_the_kind_again_cannot_lift_the_defects(client, encounter, monkeypatch):
    _page, check = show(client, encounter, monkeypatch, ANOTHER_BRANCH_A_YEAR_AGO)
    encounter = confirm_and_answer(client, encounter, check)
    client.post(reverse("desk:confirm", args=[encounter.pk, check.pk]))
    r = client.post(
        reverse("desk:checklist", args=[encounter.pk]) + f"?check={check.pk}",
        {"court": "yes", "title": "search_warrant", "signer": "judge", "check": check.pk},
    )
    assert r.status_code == 302
    encounter.refresh_from_db()
    assert encounter.document_defects == ["wrong_place", "expired"]
    assert encounter.outcome == "refer" and not encounter.authorized


def test_under_a_gag_the_alert_says_nothing_more(client, people, monkeypatch, smtp):
    client.force_login(people["desk"])
    client.post(reverse("desk:start"))
    e = Encounter.objects.latest("pk")
    client.post(reverse("desk:step", args=[e.pk, "request"]), {"answer": "patron_records"})
    client.post(reverse("desk:step", args=[e.pk, "requester"]), {"answer": "officer"})
    client.post(reverse("desk:step", args=[e.pk, "agency"]), {"answer": "fbi"})
    nsl = paper([], ["sample"], kind="national_security_letter")
    _page, check = show(client, e, monkeypatch, nsl)
    client.post(reverse("desk:confirm", args=[e.pk, check.pk]))
    for step in ("emergency", "consent"):
        client.post(reverse("desk:step", args=[e.pk, step]), {"answer": "no"})
    e.refresh_from_db()
    assert e.document_defects == ["sample"] and e.gagged and e.outcome == "refer"
    assert not e.notifications.filter(wave=0).exists()  # no update under a gag
    for n in e.notifications.filter(status="pending"):
        notifications.deliver(n.pk)
    assert smtp.messages
    for _to, raw in smtp.messages:
        assert "Urgent legal matter" in raw
        assert "sample" not in raw.lower() and "does not hold" not in raw

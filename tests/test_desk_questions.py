"""The desk's questions that appear only where they matter: "Who is asking?" (about patron
records: an officer, a parent or guardian, someone in a private lawsuit) and "Is this about
something that happened at the library?" (only where the state's law has a route for it,
e.g. Wis. Stat. § 43.30(5) footage). The count ("Question 2 of 6") follows them."""

import re

import pytest
from django.urls import reverse

from patronshield.desk import chain
from patronshield.desk.models import Encounter
from patronshield.desk.services import scenario_for
from patronshield.policy import decide, model_policy

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(client, people):
    client.force_login(people["desk"])
    return client


def in_state(library, state):
    lib, _branch = library
    lib.state = state
    lib.save()


def start(client):
    client.post(reverse("desk:start"))
    return Encounter.objects.latest("pk")


def answer(client, encounter, step, value):
    return client.post(reverse("desk:step", args=[encounter.pk, step]), {"answer": value})


def page(client, encounter, step):
    r = client.get(reverse("desk:step", args=[encounter.pk, step]))
    assert r.status_code == 200, step
    return r.content.decode()


def count(html):
    return tuple(int(n) for n in re.search(r"Question (\d+) of (\d+)", html).groups())


def walk(client, encounter, *answers):
    """Answer in the order the desk asks, checking each redirect is the next question and
    each screen's count: `answers` are (step, value, "n of m" expected on that screen)."""
    r = None
    for step, value, shown in answers:
        html = page(client, encounter, step)
        assert count(html) == shown, (step, count(html), shown)
        r = answer(client, encounter, step, value)
        assert r.status_code == 302, (step, value, r.status_code)
    encounter.refresh_from_db()
    return r


def the_engine(encounter):
    return decide(scenario_for(encounter), model_policy())


def test_an_officer_asking_about_patrons_is_asked_who_is_asking_and_the_count_grows(desk):
    e = start(desk)
    r = walk(
        desk,
        e,
        ("request", "patron_records", (1, 4)),  # patron records not known yet: 4
        ("requester", "officer", (2, 6)),  # who is asking, and consent, appear
        ("agency", "local_police", (3, 6)),
        ("document", "judicial_subpoena", (4, 6)),
        ("emergency", "no", (5, 6)),
        ("consent", "no", (6, 6)),
    )
    assert r.url == reverse("desk:result", args=[e.pk])
    assert e.requester == "officer" and e.outcome == "refer"


def test_who_is_asking_is_not_asked_about_anything_but_patrons(desk):
    e = start(desk)
    walk(desk, e, ("request", "enter_nonpublic_area", (1, 4)), ("agency", "ice", (2, 4)))
    assert desk.get(reverse("desk:step", args=[e.pk, "requester"])).status_code == 404
    assert answer(desk, e, "requester", "parent_of_minor").status_code == 404


def test_a_parent_in_ohio_is_not_asked_for_an_agency_and_hears_the_engines_words(desk, library):
    in_state(library, "OH")
    e = start(desk)
    r = walk(
        desk,
        e,
        ("request", "patron_records", (1, 4)),
        ("requester", "parent_of_minor", (2, 6)),
        ("document", "none", (3, 4)),  # no agency, no emergency for a parent
        ("consent", "no", (4, 4)),
    )
    assert r.url == reverse("desk:result", args=[e.pk])
    assert e.agency == "" and e.emergency is None
    assert desk.get(reverse("desk:step", args=[e.pk, "agency"])).status_code == 404
    assert desk.get(reverse("desk:step", args=[e.pk, "emergency"])).status_code == 404
    truth = the_engine(e)
    assert e.outcome == truth.outcome == "comply_after_approval"
    assert "OH.parent_of_minor" in e.decision["rules"]
    html = desk.get(r.url).content.decode()
    # One voice: what to say and why are the engine's decision for these answers.
    for words in (truth.staff_script, truth.explanation):
        assert words.replace("'", "&#x27;") in html
    assert "Ohio Rev. Code Ann. § 149.432" in html
    assert "Who is asking?" in html and "Who are they with?" not in html
    assert "Ask them to wait for the director" in html
    home = desk.get(reverse("desk:home")).content.decode()
    assert "A parent or guardian, about their child&#x27;s records" in home
    assert "agency not given yet" not in home
    assert "records? Tap the button too." in home


@pytest.mark.parametrize(
    ("state", "outcome", "rule", "says"),
    [
        ("WI", "refer", "WI.parent_of_minor", "Wisconsin law lets a parent or guardian"),
        ("MI", "refer", "MI.no_route", "Michigan&#x27;s library-records law"),
    ],
)
def test_a_parent_elsewhere_gets_the_states_answer(desk, library, state, outcome, rule, says):
    in_state(library, state)
    e = start(desk)
    walk(
        desk,
        e,
        ("request", "patron_records", (1, 4)),
        ("requester", "parent_of_minor", (2, 6)),
        ("document", "verbal", (3, 4)),
        ("consent", "no", (4, 4)),
    )
    assert e.outcome == the_engine(e).outcome == outcome and e.authorized is False
    assert rule in e.decision["rules"]
    html = desk.get(reverse("desk:result", args=[e.pk])).content.decode()
    assert says in html and "Hand nothing over" in html


def test_a_parent_brings_no_warrant(desk):
    e = start(desk)
    answer(desk, e, "request", "patron_records")
    answer(desk, e, "requester", "parent_of_minor")
    html = page(desk, e, "document")
    assert "Court subpoena" in html and "Court order signed by a judge" in html
    assert "Search warrant signed by a judge" not in html and "DHS Form I-200" not in html
    r = answer(desk, e, "document", "judicial_search_warrant")
    assert r.status_code == 400 and b"Please choose one of the answers" in r.content
    e.refresh_from_db()
    assert e.document == ""


def test_a_private_litigants_subpoena_in_michigan_is_for_counsel(desk):
    e = start(desk)
    walk(
        desk,
        e,
        ("request", "patron_records", (1, 4)),
        ("requester", "private_litigant", (2, 6)),
        ("document", "judicial_subpoena", (3, 4)),
        ("consent", "no", (4, 4)),
    )
    truth = the_engine(e)
    assert e.outcome == truth.outcome == "refer" and e.authorized is False
    assert "MI.subpoena_not_enough" in e.decision["rules"]
    html = desk.get(reverse("desk:result", args=[e.pk])).content.decode()
    assert "a subpoena alone does not release library records" in html
    assert truth.staff_script.replace("'", "&#x27;") in html


def test_changing_who_is_asking_clears_what_no_longer_applies_and_the_log_verifies(desk):
    """An officer's answers turn into a parent's: the agency, the emergency and a paper a
    parent cannot bring are asked again only if it becomes an officer again."""
    e = start(desk)
    for step, value in [
        ("request", "patron_records"),
        ("requester", "officer"),
        ("agency", "local_police"),
        ("document", "judicial_search_warrant"),
        ("emergency", "no"),
        ("consent", "no"),
    ]:
        answer(desk, e, step, value)
    e.refresh_from_db()
    assert e.outcome
    r = desk.post(
        reverse("desk:step", args=[e.pk, "requester"]),
        {"answer": "parent_of_minor", "then": "result"},
    )
    e.refresh_from_db()
    assert (e.agency, e.document, e.emergency, e.outcome) == ("", "", None, "")
    assert desk.get(r.url).url == reverse("desk:step", args=[e.pk, "document"])
    answer(desk, e, "document", "court_order")
    e.refresh_from_db()
    assert e.outcome == the_engine(e).outcome
    # An officer again: the agency and the emergency are asked again.
    r = answer(desk, e, "requester", "officer")
    assert r.url == reverse("desk:step", args=[e.pk, "agency"])
    # Not about patrons any more: nobody is asked who is asking.
    answer(desk, e, "request", "enter_nonpublic_area")
    e.refresh_from_db()
    assert e.requester == "" and e.patron_consent is None
    report = chain.verify_library(e.library_id)
    assert report.ok, report


def test_footage_of_a_crime_at_a_wisconsin_library_asks_where_it_happened(desk, library):
    in_state(library, "WI")
    e = start(desk)
    r = walk(
        desk,
        e,
        ("request", "surveillance_footage", (1, 4)),
        ("requester", "officer", (2, 6)),
        ("agency", "local_police", (3, 6)),
        ("document", "none", (4, 7)),  # § 43.30(5) applies to the police: one more question
        ("emergency", "no", (5, 7)),
        ("crime_at_library", "yes", (6, 7)),
        ("consent", "no", (7, 7)),
    )
    assert r.url == reverse("desk:result", args=[e.pk])
    assert e.crime_at_library is True
    truth = the_engine(e)
    assert e.outcome == truth.outcome and "WI.footage_of_crime_at_library" in truth.rules
    html = desk.get(r.url).content.decode()
    assert "Wis. Stat. § 43.30(5)(a)" in html
    assert truth.explanation.replace("'", "&#x27;") in html
    assert "Is this about something that happened at the library?" in html  # your answers


@pytest.mark.parametrize(
    ("state", "agency", "asked"),
    [
        ("MI", "local_police", "surveillance_footage"),  # no such route in Michigan
        ("WI", "fbi", "surveillance_footage"),  # § 43.30(5): state and local officers
        ("WI", "local_police", "patron_records"),  # § 43.30(5) is about footage
    ],
)
def test_where_it_happened_is_not_asked_where_it_changes_nothing(
    desk, library, state, agency, asked
):
    in_state(library, state)
    e = start(desk)
    walk(
        desk,
        e,
        ("request", asked, (1, 4)),
        ("requester", "officer", (2, 6)),
        ("agency", agency, (3, 6)),
        ("document", "none", (4, 6)),
        ("emergency", "no", (5, 6)),
        ("consent", "no", (6, 6)),
    )
    assert e.outcome and e.crime_at_library is None
    assert desk.get(reverse("desk:step", args=[e.pk, "crime_at_library"])).status_code == 404


def test_the_way_back_follows_the_questions_asked(desk):
    e = start(desk)
    answer(desk, e, "request", "patron_records")
    answer(desk, e, "requester", "parent_of_minor")
    html = page(desk, e, "document")
    back = re.search(r'href="([^"]+)" class="back"', html).group(1)
    assert back == reverse("desk:step", args=[e.pk, "requester"])


def test_a_visit_decided_before_who_is_asking_was_asked_still_opens_and_verifies(desk, people):
    """An officer's request for patron records decided by the earlier flow (no "Who is
    asking?" on the chain): migration 0015 records it as an officer's, the result page still
    opens, and the log's replay reads it the same way."""
    import importlib

    from django.apps import apps

    from patronshield.desk.models import Event
    from patronshield.desk.services import encounter_start

    old = {"agency": "local_police", "request": "patron_records", "document": "none",
           "emergency": False, "patron_consent": False}  # fmt: skip
    e = encounter_start(user=people["desk"])
    chain.encounter_event(e, Event.Kind.ANSWERED, actor=people["desk"], **old)
    decision = decide(scenario_for(Encounter(library=e.library, **old)), model_policy())
    decided = chain.encounter_event(
        e, Event.Kind.DECIDED, outcome=decision.outcome, rules=list(decision.rules)
    )
    Encounter.objects.filter(pk=e.pk).update(
        **old, outcome=decision.outcome, authorized=decision.authorized,
        decision=decision.as_dict(), decided_at=decided.at,
    )  # fmt: skip
    migration = importlib.import_module(
        "patronshield.desk.migrations.0015_encounter_requester_crime_at_library"
    )
    migration.decided_before_the_question_were_officers(apps, None)
    e.refresh_from_db()
    assert e.requester == "officer" and e.next_step() is None
    assert desk.get(reverse("desk:result", args=[e.pk])).status_code == 200
    report = chain.verify_library(e.library_id)
    assert report.ok, report


def _paths():
    from patronshield.desk.steps import STEPS
    from patronshield.policy import vocab

    for request in STEPS["request"].choices:
        value = request[0]
        if vocab.REQUEST_CLASSES.get(value) == "patron_info":
            for requester in vocab.REQUESTERS:
                yield value, requester
        else:
            yield value, None


@pytest.mark.parametrize("request_value, requester", list(_paths()))
def test_the_count_goes_up_one_at_a_time_and_ends_at_its_total(desk, request_value, requester):
    """Issue 17: the count once jumped from "1 of 4" to "5 of 5". Whatever is asked, each
    question is numbered one more than the last, and the last is "N of N"."""
    from patronshield.desk.steps import STEPS

    e = start(desk)
    step, value, seen = "request", request_value, []
    while True:
        seen.append(count(page(desk, e, step)))
        r = answer(desk, e, step, value)
        assert r.status_code == 302
        if r.url == reverse("desk:result", args=[e.pk]):
            break
        step = r.url.rstrip("/").rsplit("/", 1)[-1]
        value = requester if step == "requester" else STEPS[step].choices[0][0]
    numbers = [n for n, _total in seen]
    assert numbers == list(range(1, len(seen) + 1)), seen
    assert seen[-1] == (len(seen), len(seen)), seen

"""The desk flow, screen by screen: what a desk worker sees and taps, and who may see it."""

import pytest
from django.urls import reverse

from patronshield.desk.models import Encounter
from patronshield.desk.steps import STEPS

ROLES = ["desk", "designee", "director", "admin"]


def start(client):
    r = client.post(reverse("desk:start"))
    assert r.status_code == 302
    return Encounter.objects.latest("pk"), r


def answer(client, encounter, step, value, follow=False):
    return client.post(
        reverse("desk:step", args=[encounter.pk, step]), {"answer": value}, follow=follow
    )


def run_flow(client, *answers):
    encounter, _ = start(client)
    r = None
    for step, value in answers:
        r = answer(client, encounter, step, value)
        assert r.status_code == 302, (step, value, r.status_code)
    return Encounter.objects.get(pk=encounter.pk), r


def test_anonymous_visitors_are_sent_to_sign_in(client, library):
    for url in [
        reverse("desk:home"),
        reverse("desk:step", args=[1, "agency"]),
        reverse("desk:result", args=[1]),
    ]:
        r = client.get(url)
        assert r.status_code == 302 and r.url.startswith(reverse("login"))
    r = client.post(reverse("desk:start"))
    assert r.status_code == 302 and Encounter.objects.count() == 0


@pytest.mark.parametrize("role", ROLES)
def test_the_first_screen_is_one_large_action(client, people, role):
    client.force_login(people[role])
    r = client.get(reverse("desk:home"))
    assert r.status_code == 200
    assert b'class="start"' in r.content and b"Law enforcement is here" in r.content


def test_sign_in_with_email_and_password(client, people):
    r = client.post(
        reverse("login"),
        {"login": "desk@a.example.org", "password": "correct horse battery staple"},
    )
    assert r.status_code == 302 and r.url == reverse("desk:home")
    client.post(reverse("logout"))
    r = client.post(reverse("login"), {"login": "desk@a.example.org", "password": "wrong"})
    assert b"do not match" in r.content


def test_start_creates_the_encounter_at_once(client, people):
    client.force_login(people["desk"])
    encounter, r = start(client)
    assert r.url == reverse("desk:step", args=[encounter.pk, "request"])
    assert encounter.started_by == people["desk"]
    assert encounter.library == people["desk"].library and encounter.branch is not None


def test_start_only_by_post(client, people):
    client.force_login(people["desk"])
    assert client.get(reverse("desk:start")).status_code == 405


def test_each_step_asks_one_question_with_big_buttons(client, people):
    client.force_login(people["desk"])
    encounter, _ = start(client)
    for name in ["agency", "request", "document", "emergency"]:
        r = client.get(reverse("desk:step", args=[encounter.pk, name]))
        assert r.status_code == 200
        html = r.content.decode()
        assert html.count("<h1") == 1 and str(STEPS[name].question) in html
        assert html.count('name="answer"') == len(STEPS[name].choices)


def test_the_whole_flow_ice_administrative_warrant_for_the_staff_room(client, people):
    client.force_login(people["desk"])
    encounter, r = run_flow(
        client,
        ("agency", "ice"),
        ("request", "enter_nonpublic_area"),
        ("document", "administrative_warrant"),
        ("emergency", "no"),
    )
    assert r.url == reverse("desk:result", args=[encounter.pk])
    assert encounter.outcome == "decline" and encounter.authorized is False
    assert encounter.decision["citations"] and encounter.decided_at
    page = client.get(r.url).content.decode()
    assert "Politely decline" in page
    assert "I&#x27;m sorry, I can&#x27;t let you into staff-only areas" in page
    assert "Law Enforcement Requests Policy § IV" in page
    assert 'href="tel:313-555-0100"' in page  # the roster's numbers, one tap to call
    assert "not legal advice" in page


def test_patron_information_asks_about_consent(client, people):
    client.force_login(people["desk"])
    encounter, r = run_flow(
        client,
        ("request", "patron_records"),
        ("requester", "officer"),
        ("agency", "local_police"),
        ("document", "judicial_subpoena"),
        ("emergency", "no"),
    )
    assert r.url == reverse("desk:step", args=[encounter.pk, "consent"])
    r = answer(client, encounter, "consent", "no")
    encounter.refresh_from_db()
    assert encounter.outcome == "refer" and encounter.authorized is False
    page = client.get(reverse("desk:result", args=[encounter.pk])).content.decode()
    assert "Michigan law is stricter" in page and "397.603" in page


def test_someone_in_danger_leads_with_911_and_looks_up_no_record(client, people):
    """ "Is anyone in danger right now?" yes: call 911 first, say what you saw yourself, and
    hand over no library record (Michigan has no emergency route)."""
    client.force_login(people["desk"])
    encounter, r = run_flow(
        client,
        ("request", "patron_whereabouts"),
        ("requester", "officer"),
        ("agency", "local_police"),
        ("document", "none"),
        ("emergency", "yes"),
        ("consent", "no"),
    )
    encounter.refresh_from_db()
    assert encounter.authorized is False
    page = client.get(reverse("desk:result", args=[encounter.pk])).content.decode()
    assert "calling 911 now" in page and "Call 911 now" in page
    assert page.index("Call 911 now") < page.index("Call the director")


def test_cant_tell_is_the_most_protective_reading_and_says_so(client, people):
    client.force_login(people["desk"])
    encounter, r = run_flow(
        client,
        ("agency", "other"),
        ("request", "enter_nonpublic_area"),
        ("document", "unknown"),
        ("emergency", "no"),
    )
    assert encounter.outcome == "refer"
    page = client.get(r.url).content.decode()
    assert "most protective" in page


def test_changing_an_answer_decides_again(client, people):
    client.force_login(people["desk"])
    encounter, r = run_flow(
        client,
        ("agency", "fbi"),
        ("request", "seize_equipment"),
        ("document", "none"),
        ("emergency", "no"),
    )
    assert encounter.outcome == "decline"
    r = client.post(
        reverse("desk:step", args=[encounter.pk, "document"]),
        {"answer": "judicial_search_warrant", "then": "result"},
    )
    assert r.url == reverse("desk:result", args=[encounter.pk])
    encounter.refresh_from_db()
    assert encounter.outcome == "comply_after_approval"


def test_a_wrong_answer_gets_a_clear_message_and_loses_nothing(client, people):
    client.force_login(people["desk"])
    encounter, _ = start(client)
    answer(client, encounter, "agency", "ice")
    r = answer(client, encounter, "request", "everything")
    assert r.status_code == 400 and b"Please choose one of the answers" in r.content
    encounter.refresh_from_db()
    assert encounter.agency == "ice" and encounter.request == ""


def test_unknown_step_is_404_and_result_before_the_end_goes_to_the_next_question(client, people):
    client.force_login(people["desk"])
    encounter, _ = start(client)
    assert client.get(reverse("desk:step", args=[encounter.pk, "nope"])).status_code == 404
    assert client.get(reverse("desk:step", args=[encounter.pk, "consent"])).status_code == 404
    r = client.get(reverse("desk:result", args=[encounter.pk]))
    assert r.url == reverse("desk:step", args=[encounter.pk, "request"])


@pytest.mark.parametrize("role", ROLES)
def test_library_staff_see_their_encounter(client, people, role):
    client.force_login(people["desk"])
    encounter, _ = run_flow(
        client,
        ("agency", "ice"),
        ("request", "presence_public_area"),
        ("document", "none"),
        ("emergency", "no"),
    )
    client.force_login(people[role])
    assert client.get(reverse("desk:result", args=[encounter.pk])).status_code == 200


def test_another_library_sees_nothing(client, people, outsider):
    client.force_login(people["desk"])
    encounter, _ = run_flow(
        client,
        ("agency", "ice"),
        ("request", "presence_public_area"),
        ("document", "none"),
        ("emergency", "no"),
    )
    client.force_login(outsider)
    for url in [
        reverse("desk:result", args=[encounter.pk]),
        reverse("desk:step", args=[encounter.pk, "agency"]),
    ]:
        assert client.get(url).status_code == 404
    r = client.post(reverse("desk:step", args=[encounter.pk, "agency"]), {"answer": "fbi"})
    assert r.status_code == 404
    encounter.refresh_from_db()
    assert encounter.agency == "ice"
    assert "ICE" not in client.get(reverse("desk:home")).content.decode()


def test_desk_staff_do_not_see_other_desks_past_encounters(client, people, library):
    from patronshield.accounts.models import Role
    from tests.conftest import make_user

    lib, _ = library
    other_branch = lib.branches.create(name="North branch")
    colleague = make_user("north@a.example.org", Role.DESK, lib, other_branch)
    client.force_login(colleague)
    encounter, _ = run_flow(
        client,
        ("agency", "ice"),
        ("request", "presence_public_area"),
        ("document", "none"),
        ("emergency", "no"),
    )
    client.force_login(people["desk"])
    assert client.get(reverse("desk:result", args=[encounter.pk])).status_code == 404
    client.force_login(people["director"])
    assert client.get(reverse("desk:result", args=[encounter.pk])).status_code == 200


def test_a_user_without_a_library_cannot_start(client, db):
    from patronshield.accounts.models import User

    user = User.objects.create_user("nobody@example.org", "x" * 12)
    client.force_login(user)
    assert client.get(reverse("desk:home")).status_code == 403
    assert client.post(reverse("desk:start")).status_code == 403


def test_spanish_everywhere(client, people):
    client.force_login(people["desk"])
    r = client.post(reverse("set_language"), {"language": "es", "next": "/"})
    assert r.status_code == 302
    home = client.get(reverse("desk:home")).content.decode()
    assert 'lang="es"' in home and "Law enforcement is here" not in home
    encounter, r = run_flow(
        client,
        ("agency", "ice"),
        ("request", "enter_nonpublic_area"),
        ("document", "administrative_warrant"),
        ("emergency", "no"),
    )
    page = client.get(r.url).content.decode()
    assert 'lang="es"' in page
    assert "Politely decline" not in page and "Say this" not in page
    assert "DHS" in page  # form names stay as they are
    encounter.refresh_from_db()
    assert encounter.decision["language"] == "en"  # the record itself is kept in English


def test_in_spanish_the_script_has_the_english_line_for_the_officer_under_it(client, people):
    from patronshield.policy import texts

    client.force_login(people["desk"])
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    encounter, r = run_flow(
        client,
        ("agency", "ice"),
        ("request", "enter_nonpublic_area"),
        ("document", "administrative_warrant"),
        ("emergency", "no"),
    )
    page = client.get(r.url).content.decode()
    spanish = texts("es")["script"]["decline.nonpublic"]
    english = texts("en")["script"]["decline.nonpublic"]
    assert f'<blockquote class="script" lang="es">{spanish}' in page.replace("&#x27;", "'")
    said_en = page.replace("&#x27;", "'").index(english)
    assert page.index(spanish) < said_en
    assert 'class="script script-en" lang="en"' in page
    # In English, one script only.
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(r.url).content.decode()
    assert "script-en" not in page and page.count('class="script"') == 1


def test_language_switch_is_on_every_screen_and_works_without_javascript(client, people):
    client.force_login(people["desk"])
    encounter, _ = start(client)
    for url in [
        reverse("desk:home"),
        reverse("desk:step", args=[encounter.pk, "agency"]),
        reverse("login"),
    ]:
        if url == reverse("login"):
            client.logout()
        html = client.get(url).content.decode()
        assert 'action="/i18n/setlang/"' in html and 'value="es"' in html


def test_the_administrator_edits_the_library_profile_in_the_admin(client, people, library):
    lib, _ = library
    client.force_login(people["admin"])
    people["admin"].is_staff = people["admin"].is_superuser = True
    people["admin"].save()
    r = client.get(reverse("admin:libraries_library_change", args=[lib.pk]))
    assert r.status_code == 200 and b"Staff workroom" in r.content
    assert client.get(reverse("admin:desk_encounter_changelist")).status_code == 200
    assert client.get(reverse("admin:desk_encounter_add")).status_code == 403


def test_desk_staff_cannot_reach_the_admin(client, people):
    client.force_login(people["desk"])
    r = client.get(reverse("admin:index"))
    assert r.status_code == 302 and "/admin/login/" in r.url

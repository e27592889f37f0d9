"""Training: modules generated from the adopted policy, scenario drills through the real
desk pages in drill mode (kept out of every real list, count, log and notification),
scores, due dates and reminders."""

import dataclasses
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from patronshield.accounts.models import Role
from patronshield.desk import chain, retention
from patronshield.desk import services as desk_services
from patronshield.desk.management.commands.daily import daily
from patronshield.desk.models import Access, Checkpoint, Encounter, Event
from patronshield.desk.steps import STEP_ORDER, STEPS
from patronshield.libraries.signals import policy_adopted
from patronshield.notifications import services as notify
from patronshield.notifications.models import Contact, Notification
from patronshield.policy import decide, model_policy
from patronshield.training import modules, schedule, services
from patronshield.training.models import Assignment, Attempt
from patronshield.training.scenarios import drills
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def answer(client, encounter, facts):
    """Answer the real desk pages as the scenario's facts say, one question after the other,
    as the desk asks them."""
    url = reverse("desk:step", args=[encounter.pk, STEP_ORDER[0]])
    while url != reverse("desk:result", args=[encounter.pk]):
        step = url.rstrip("/").rsplit("/", 1)[-1]
        value = facts[STEPS[step].field]
        value = ("yes" if value else "no") if isinstance(value, bool) else value
        r = client.post(url, {"answer": value})
        assert r.status_code == 302, (step, r.status_code)
        url = r["Location"]


def run_drill(client, user, scenario_id, facts=None, conduct=None):
    client.force_login(user)
    r = client.post(reverse("training:drill", args=[scenario_id]))
    assert r.status_code == 302 and r["Location"].endswith("/request/")
    attempt = Attempt.objects.filter(user=user).latest("pk")
    drill = drills()[scenario_id]
    answer(client, attempt.encounter, facts or drill.facts)
    if conduct is None and drill.conduct:
        conduct = drill.conduct.answer
    r = client.post(reverse("training:drill_finish", args=[attempt.pk]), {"conduct": conduct or ""})
    assert r.status_code == 302
    attempt.refresh_from_db()
    return attempt


def stricter_policy():
    """The model policy, but a judge's search warrant no longer opens staff areas at once:
    the director and counsel must see it first (refer)."""
    table = model_policy()
    rules = tuple(
        dataclasses.replace(r, outcome="refer", authorized=False)
        if r.id == "policy.judicial_process.entry"
        else r
        for r in table.rules
    )
    return dataclasses.replace(table, rules=rules, version="2")


@pytest.fixture
def adopted(monkeypatch):
    """Make the library's adopted policy the stricter one, everywhere it is asked for."""
    table = stricter_policy()
    for where in ("training.modules", "training.services", "training.views", "desk.services"):
        monkeypatch.setattr(f"patronshield.{where}.adopted_table", lambda library: table)
    return table


# ------------------------------------------------------------------------- scenarios


def test_there_are_at_least_twenty_scenarios_each_in_english_and_spanish():
    all_drills = drills()
    assert len(all_drills) >= 20
    for d in all_drills.values():
        for field in ("title", "narrative"):
            assert set(getattr(d, field)) == {"en", "es"}, (d.id, field)
        if d.conduct:
            assert d.conduct.answer in {o["id"] for o in d.conduct.options}
            assert all({"en", "es"} <= set(o) for o in d.conduct.options)
    required = {
        "ice-i205-staff-room": ("ice", "enter_nonpublic_area", "administrative_warrant"),
        "search-warrant-computers-11pm": ("state_police", "patron_records",
                                          "judicial_search_warrant"),
        "fbi-nsl": ("fbi", "patron_records", "national_security_letter"),
        "patron-asks-to-hide": ("ice", "enter_nonpublic_area", "administrative_warrant"),
        "phone-is-someone-here": ("local_police", "patron_whereabouts", "verbal"),
        "police-footage-fight": ("local_police", "surveillance_footage", "verbal"),
        "refuses-to-wait": ("fbi", "enter_nonpublic_area", "judicial_search_warrant"),
    }  # fmt: skip
    for sid, (agency, request, document) in required.items():
        f = all_drills[sid].facts
        assert (f["agency"], f["request"], f["document"]) == (agency, request, document), sid


@pytest.mark.parametrize("scenario_id", list(drills()))
def test_every_scenario_runs_through_the_desk_and_scores_full_marks(client, people, scenario_id):
    attempt = run_drill(client, people["desk"], scenario_id)
    assert attempt.correct == attempt.total and attempt.passed, attempt.detail
    truth = decide(drills()[scenario_id].scenario("MI"), model_policy())
    assert attempt.encounter.outcome == truth.outcome
    assert attempt.detail["rules"] == list(truth.rules)


# ---------------------------------------------------------------------------- drills


def test_a_drill_is_marked_drill_on_every_desk_page_and_in_the_export(client, people):
    director = people["director"]
    client.force_login(director)
    client.post(reverse("training:drill", args=["refuses-to-wait"]))
    encounter = Encounter.objects.get()
    assert encounter.drill
    started = encounter.events.get(kind=Event.Kind.STARTED)
    assert started.data["drill"] is True  # the chain itself says so
    for url in [reverse("desk:step", args=[encounter.pk, "agency"])]:
        assert b"drill-banner" in client.get(url).content
    answer(client, encounter, drills()["refuses-to-wait"].facts)
    pages = ["desk:result", "desk:record", "desk:checklist", "desk:record_close"]
    for name in pages:
        r = client.get(reverse(name, args=[encounter.pk]))
        assert r.status_code == 200 and b'class="drill-tag"' in r.content, name
        assert "Three FBI agents show" in r.content.decode(), name  # the narrative is at hand
    r = client.get(reverse("desk:record_action", args=[encounter.pk, "note"]))
    assert b'class="drill-tag"' in r.content
    from tests.conftest import reauthenticate

    reauthenticate(client, director)
    r = client.post(reverse("desk:export", args=[encounter.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    import pypdf

    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(r.content)).pages)
    assert "DRILL" in text and "training exercise" in text


def test_a_drill_never_appears_among_real_records(client, people):
    desk, director = people["desk"], people["director"]
    real = desk_services.encounter_start(user=desk)
    attempt = run_drill(client, desk, "ice-i205-staff-room")
    drill = attempt.encounter
    # Lists: the desk's "Today", the records request form's list of visits, the admin.
    client.force_login(desk)
    home = client.get(reverse("desk:home")).content.decode()
    assert f"/desk/{real.pk}/" in home and f"/desk/{drill.pk}/" not in home
    from patronshield.desk.views import visible_encounters
    from patronshield.records.views import _encounter_choices

    for user in (desk, director, people["designee"], people["admin"]):
        assert list(visible_encounters(user)) == [real]
        assert [pk for pk, _label in _encounter_choices(user)] == [real.pk]
    # Others cannot open it at all; the trainee can.
    for user in (director, people["designee"], people["admin"]):
        client.force_login(user)
        assert client.get(reverse("desk:result", args=[drill.pk])).status_code == 404
    client.force_login(desk)
    assert client.get(reverse("desk:result", args=[drill.pk])).status_code == 200
    # A records request cannot be tied to it.
    r = client.post(
        reverse("records:new"),
        {"kind": "judicial_subpoena", "description": "borrowing records", "encounter": drill.pk,
         "received_on": "2026-12-01"},
    )  # fmt: skip
    from patronshield.records.models import RecordsRequest

    assert not RecordsRequest.objects.filter(encounter=drill).exists()
    assert r.status_code in (200, 400, 404)
    # The access log: reading a drill is not logged; reading a real record is.
    client.get(reverse("desk:record", args=[real.pk]))
    client.get(reverse("desk:record", args=[drill.pk]))
    assert list(Access.objects.values_list("encounter_id", flat=True)) == [real.pk]
    # Counts of encounters a report would make.
    assert Encounter.objects.filter(library=real.library, drill=False).count() == 1


def test_closing_a_drill_signs_and_mails_no_checkpoint(client, people, smtp):
    run_drill(client, people["desk"], "fbi-nsl")
    assert not Checkpoint.objects.exists()
    assert smtp.messages == []


def test_nobody_who_has_not_opted_in_is_told_of_a_drill(client, people, smtp):
    attempt = run_drill(client, people["desk"], "ice-i205-staff-room")
    assert not Notification.objects.exists()
    assert notify.escalate(attempt.encounter_id, 1) == []
    assert smtp.messages == []


def test_those_who_opted_in_are_told_and_the_message_says_drill(client, people, smtp):
    Contact.objects.filter(position=3).update(drills=True)  # the second designee only
    desk = people["desk"]
    client.force_login(desk)
    client.post(reverse("training:drill", args=["ice-i205-staff-room"]))
    drill = Encounter.objects.get()
    real = desk_services.encounter_start(user=desk)
    assert {n.contact.position for n in drill.notifications.all()} == {3}
    for n in drill.notifications.all():
        assert notify.deliver(n.pk) == "sent"
    assert notify.escalate(drill.pk, 1) == []  # nobody else to tell in a drill
    ((to, message),) = smtp.messages
    assert to == ["designee2@a.example.org"]
    assert "Subject: DRILL: Law enforcement at" in message
    assert "DRILL - this is a training exercise." in message
    assert {n.contact.position for n in real.notifications.all()} == {1, 2}  # real: as ever


def test_a_drill_is_scored_answer_by_answer_with_the_rules_cited(client, people):
    facts = {**drills()["ice-i205-staff-room"].facts, "document": "judicial_search_warrant"}
    attempt = run_drill(client, people["desk"], "ice-i205-staff-room", facts=facts, conduct="a")
    rights = {a["step"]: a["right"] for a in attempt.detail["answers"]}
    assert rights == {"agency": True, "request": True, "document": False, "emergency": True}
    assert attempt.detail["outcome"] == {
        "expected": "decline", "given": "comply_after_approval", "right": False
    }  # fmt: skip
    assert attempt.detail["conduct"]["right"] is False
    assert (attempt.correct, attempt.total, attempt.passed) == (3, 6, False)
    page = client.get(reverse("training:drill_result", args=[attempt.pk])).content.decode()
    assert "3 of 6 right" in page
    assert "Search warrant signed by a judge" in page  # what was answered
    assert "Law Enforcement Requests Policy § IV" in page  # the rule, cited
    assert "8 C.F.R. § 287.8(f)(2)" in page
    assert "not authorize entry into non-public areas" in page  # the engine's why


def test_the_armed_man_drill_leads_with_911_and_hands_over_no_record(client, people):
    """Answered as it happened, the drill's desk page says to call 911 first and to look up
    nothing; the trainee's outcome matches the engine's for the true facts."""
    attempt = run_drill(client, people["desk"], "active-threat-which-way")
    assert attempt.detail["outcome"]["right"] is True
    assert attempt.detail["outcome"]["expected"] == "refer"
    page = client.get(reverse("desk:result", args=[attempt.encounter_id])).content.decode()
    assert "calling 911 now" in page and "Call 911 now" in page


NEW_INPUT_DRILLS = [
    # (drill, state, outcome the engine gives there, its state rule, the questions asked)
    ("parent-childs-borrowing", "OH", "comply_after_approval", "OH.parent_of_minor",
     ["request", "requester", "document", "consent"]),
    ("parent-childs-borrowing", "WI", "refer", "WI.parent_of_minor",
     ["request", "requester", "document", "consent"]),
    ("divorce-lawyer-subpoena", "MI", "refer", "MI.subpoena_not_enough",
     ["request", "requester", "document", "consent"]),
    ("divorce-lawyer-subpoena", "WI", "refer", "WI.subpoena_not_enough",
     ["request", "requester", "document", "consent"]),
    ("theft-at-library-footage", "WI", "refer", "WI.footage_of_crime_at_library",
     ["request", "requester", "agency", "document", "emergency", "crime_at_library", "consent"]),
    ("theft-at-library-footage", "MI", "refer", "MI.no_route",
     ["request", "requester", "agency", "document", "emergency", "consent"]),
]  # fmt: skip


@pytest.mark.parametrize(("scenario_id", "state", "outcome", "rule", "steps"), NEW_INPUT_DRILLS)
def test_drills_for_who_is_asking_and_where_it_happened_score_against_the_engine(
    client, people, library, scenario_id, state, outcome, rule, steps
):
    """A parent, a private party's subpoena, footage of a crime at the library: answered as
    it happened, full marks, and the expected outcome is the engine's for that state."""
    lib, _branch = library
    lib.state = state
    lib.save()
    drill = drills()[scenario_id]
    truth = decide(drill.scenario(state), model_policy())
    assert (truth.outcome, truth.rules[0]) == (outcome, rule)
    attempt = run_drill(client, people["desk"], scenario_id)
    assert attempt.correct == attempt.total and attempt.passed, attempt.detail
    assert [a["step"] for a in attempt.detail["answers"]] == steps
    assert attempt.detail["outcome"]["expected"] == attempt.encounter.outcome == outcome
    assert attempt.detail["rules"] == list(truth.rules)
    page = client.get(reverse("desk:result", args=[attempt.encounter_id])).content.decode()
    assert truth.staff_script.replace("'", "&#x27;") in page


def test_a_parent_drill_answered_as_an_officer_is_scored_wrong(client, people, library):
    lib, _branch = library
    lib.state = "OH"
    lib.save()
    facts = {**drills()["parent-childs-borrowing"].facts, "requester": "officer"}
    attempt = run_drill(client, people["desk"], "parent-childs-borrowing", facts=facts)
    rights = {a["step"]: a["right"] for a in attempt.detail["answers"]}
    assert rights == {"request": True, "requester": False, "document": True, "consent": True}
    assert attempt.detail["outcome"] == {
        "expected": "comply_after_approval", "given": "refer", "right": False
    }  # fmt: skip
    page = client.get(reverse("training:drill_result", args=[attempt.pk])).content.decode()
    assert "A parent or guardian, about their child&#x27;s records" in page


def test_an_unfinished_drill_scores_what_is_missing_as_wrong(client, people):
    desk = people["desk"]
    client.force_login(desk)
    client.post(reverse("training:drill", args=["fbi-nsl"]))
    attempt = Attempt.objects.get()
    client.post(reverse("desk:step", args=[attempt.encounter_id, "agency"]), {"answer": "fbi"})
    page = client.get(reverse("training:drill_finish", args=[attempt.pk])).content.decode()
    assert "not answered every desk question" in page
    client.post(reverse("training:drill_finish", args=[attempt.pk]), {"conduct": "c"})
    attempt.refresh_from_db()
    assert attempt.correct == 2 and attempt.total == 8  # agency and conduct
    assert attempt.detail["outcome"]["given"] == ""
    # Finishing twice changes nothing.
    client.post(reverse("training:drill_finish", args=[attempt.pk]), {"conduct": "a"})
    attempt.refresh_from_db()
    assert attempt.correct == 2


def test_a_drill_is_scored_against_the_adopted_policy(client, people, adopted):
    attempt = run_drill(client, people["desk"], "refuses-to-wait")
    assert attempt.detail["outcome"]["expected"] == "refer"
    assert attempt.passed and attempt.policy_version == "2"


def test_drills_are_purged_a_day_after_they_end_and_the_log_still_verifies(client, people):
    desk = people["desk"]
    real = desk_services.encounter_start(user=desk)
    attempt = run_drill(client, desk, "police-footage-fight")
    drill = attempt.encounter
    library = drill.library
    report = retention.purge_library(library)
    assert report.get("drills") is None  # not yet
    report = retention.purge_library(library, now=drill.closed_at + timedelta(days=1, minutes=1))
    assert report["drills"] == [drill.pk] and report["encounters"] == []
    drill.refresh_from_db()
    real.refresh_from_db()
    assert drill.purged_at and drill.decision == {}
    assert not real.purged_at
    assert all(e.data is None for e in drill.events.all())
    assert all(e.data is not None for e in real.events.all())
    assert chain.verify_library(library.pk).ok
    # The score outlives the drill's content.
    attempt.refresh_from_db()
    assert attempt.correct == attempt.total
    assert client.get(reverse("training:drill_result", args=[attempt.pk])).status_code == 200


def test_the_daily_job_purges_drills_apart_from_real_encounters(client, people):
    attempt = run_drill(client, people["desk"], "phone-is-someone-here")
    lines = daily(now=attempt.finished_at + timedelta(days=2))
    assert any("purged 0 encounters" in line and "1 drills" in line for line in lines), lines


# --------------------------------------------------------------------------- modules


def test_modules_teach_the_librarys_areas_and_every_kind_of_paper(people):
    library = people["desk"].library
    areas = modules.module(library, "areas", "en")
    assert ("Public areas", ["Main floor"]) in areas.lists
    assert ("Non-public areas", ["Staff workroom"]) in areas.lists
    assert "Staff workroom" in areas.questions[0].prompt
    docs = modules.module(library, "documents", "en")
    kinds = {s.kind for s, _cases in docs.specimens}
    assert kinds >= {"judicial_search_warrant", "judicial_arrest_warrant",
                     "administrative_warrant", "judicial_subpoena", "administrative_subpoena",
                     "court_order", "detainer", "national_security_letter"}  # fmt: skip
    assert {s.id for s, _cases in docs.specimens} >= {"i200", "i205"}
    never = modules.module(library, "never", "en")
    assert any("Do not physically block anyone" in item for _h, items in never.lists
               for item in items)  # fmt: skip


def test_every_decision_question_is_the_engines_answer(people):
    library = people["desk"].library
    for m in modules.modules(library, "en"):
        assert m.questions, m.slug
        for q in m.questions:
            assert q.answer in dict(q.options), q.id
            assert len(q.options) >= 3, q.id
            if q.decision:
                assert q.citations, q.id
    q = modules.module(library, "areas", "en").questions[0]  # ICE, I-200, staff area
    assert q.answer == "decline"
    assert any("§ IV" in c.ref for c in q.citations)


def test_modules_change_when_the_policy_changes(client, people, adopted):
    library = people["desk"].library
    q3 = {q.id: q for q in modules.module(library, "areas", "en").questions}["areas.3"]
    assert q3.answer == "refer"  # was comply_after_approval under the model policy
    client.force_login(people["desk"])
    page = client.get(reverse("training:module", args=["areas"])).content.decode()
    assert "Refer to the director and counsel" in page


def test_the_module_version_changes_with_the_policy(people, monkeypatch):
    library = people["desk"].library
    old = modules.module(library, "areas", "en")
    monkeypatch.setattr(
        "patronshield.training.modules.adopted_table", lambda lib: stricter_policy()
    )
    new = modules.module(library, "areas", "en")
    assert old.version != new.version
    answers = {q.id: q.answer for q in old.questions}
    assert {q.id: q.answer for q in new.questions} != answers
    assert [r["right"] for r in modules.check(new, answers)].count(False) == 1


def test_modules_in_spanish_use_the_engines_spanish_text(client, people):
    client.force_login(people["desk"])
    client.post(reverse("set_language"), {"language": "es"})
    page = client.get(reverse("training:module", args=["areas"])).content.decode()
    assert "La biblioteca es un edificio público" in page
    page = client.get(reverse("training:module", args=["documents"])).content.decode()
    assert "Muestra: no es un formulario real" in page
    assert "la firma un agente de inmigración, no un juez" in page
    assert "Telling the papers apart" not in page


def test_answering_a_module_scores_it_and_gives_feedback(client, people):
    desk = people["desk"]
    client.force_login(desk)
    m = modules.module(desk.library, "areas", "en")
    answers = {q.id: q.answer for q in m.questions}
    answers["areas.1"] = "permit"  # wrong
    r = client.post(reverse("training:module", args=["areas"]), answers)
    page = r.content.decode()
    assert r.status_code == 200 and "3 of 4 right" in page and "Not passed yet" in page
    assert "You answered: Officers may go ahead." in page
    assert "Law Enforcement Requests Policy § IV" in page
    attempt = Attempt.objects.get()
    assert (attempt.correct, attempt.total, attempt.passed) == (3, 4, False)
    answers["areas.1"] = "decline"
    r = client.post(reverse("training:module", args=["areas"]), answers)
    assert "4 of 4 right" in r.content.decode() and "Passed" in r.content.decode()
    # Nonsense answers are just wrong, not an error.
    r = client.post(reverse("training:module", args=["areas"]), {"areas.1": "<script>"})
    assert r.status_code == 200 and "0 of 4 right" in r.content.decode()
    assert client.get(reverse("training:module", args=["nope"])).status_code == 404


# ----------------------------------------------------------------- due dates, tracking

T0 = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def pass_everything(user, now):
    for slug in modules.ORDER:
        m = modules.module(user.library, slug, "en")
        services.module_submit(user=user, slug=slug, answers={q.id: q.answer for q in m.questions},
                               now=now)  # fmt: skip
    Attempt.objects.create(
        user=user, library=user.library, kind="drill", key="fbi-nsl", started_at=now,
        finished_at=now, correct=7, total=7, passed=True,
    )  # fmt: skip
    return schedule.round_check(user, now)


def test_a_newcomer_is_due_in_30_days_then_yearly(people):
    desk = people["desk"]
    type(desk).objects.filter(pk=desk.pk).update(date_joined=T0)
    desk.refresh_from_db()
    st = schedule.status(desk, T0)
    assert st["state"] == "due" and st["assignment"].due_on == date(2026, 4, 1)
    assert st["modules_left"] == list(modules.ORDER) and st["drills_left"] == 1
    assert schedule.status(desk, datetime(2026, 4, 2, 12, tzinfo=UTC))["state"] == "overdue"
    later = datetime(2026, 4, 10, 12, tzinfo=UTC)
    refresher = pass_everything(desk, later)
    assert refresher.reason == "refresher" and refresher.due_on == date(2027, 4, 10)
    st = schedule.status(desk, later)
    assert st["state"] == "current" and st["completed_at"] == later
    assert schedule.status(desk, datetime(2027, 4, 11, 12, tzinfo=UTC))["state"] == "overdue"


def test_modules_alone_do_not_complete_a_round(people):
    desk = people["desk"]
    for slug in modules.ORDER:
        m = modules.module(desk.library, slug, "en")
        services.module_submit(user=desk, slug=slug, answers={q.id: q.answer for q in m.questions})
    assert schedule.status(desk)["state"] == "due"
    assert schedule.status(desk)["drills_left"] == 1


def test_an_adopted_policy_sets_a_new_due_date_for_everyone(people):
    desk = people["desk"]
    pass_everything(desk, T0)
    assert schedule.status(desk, T0)["state"] == "current"
    later = datetime(2026, 6, 1, 9, tzinfo=UTC)
    from unittest import mock

    with mock.patch("patronshield.training.schedule.timezone.now", return_value=later):
        policy_adopted.send(sender=None, library=desk.library, version="2")
    st = schedule.status(desk, later)
    assert st["state"] == "due" and st["assignment"].reason == "policy"
    assert st["assignment"].due_on == date(2026, 7, 1)
    assert st["modules_left"] == list(modules.ORDER)  # what was passed was the old policy
    trainees = {u.email for u in schedule.trainees(desk.library)}
    assert Assignment.objects.filter(reason="policy").count() == len(trainees) == 4


def test_reminders_go_once_per_due_date_two_weeks_before(people, settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    library = people["desk"].library
    type(people["desk"]).objects.update(date_joined=T0)  # everyone due 2026-04-01
    assert schedule.reminders_send(datetime(2026, 3, 17, 12, tzinfo=UTC)) == []  # 15 days
    lines = schedule.reminders_send(datetime(2026, 3, 18, 12, tzinfo=UTC))  # 14 days
    assert lines == ["ecorse: 4 training reminders"]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        u.email for u in schedule.trainees(library)
    )
    message = next(m for m in mail.outbox if m.to == ["desk@a.example.org"])
    assert message.subject == "Training due on 2026-04-01: Ecorse Public Library"
    assert "Telling the papers apart" in message.body and "/training/" in message.body
    for day in (18, 19, 31):  # not every day
        assert schedule.reminders_send(datetime(2026, 3, day, 20, tzinfo=UTC)) == []
    assert len(mail.outbox) == 4
    # A new due date (the policy changed) is reminded of again, in time.
    with pytest.MonkeyPatch.context() as mp:
        now = datetime(2026, 3, 20, 12, tzinfo=UTC)
        mp.setattr("patronshield.training.schedule.timezone.now", lambda: now)
        schedule.policy_changed(library=library, version="2", now=now)
    assert schedule.reminders_send(datetime(2026, 4, 5, 12, tzinfo=UTC)) == [
        "ecorse: 4 training reminders"
    ]
    assert len(mail.outbox) == 8


def test_a_finished_round_is_not_reminded(people, settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    type(people["desk"]).objects.update(date_joined=T0)
    pass_everything(people["desk"], T0 + timedelta(days=1))
    schedule.reminders_send(datetime(2026, 3, 20, 12, tzinfo=UTC))
    assert "desk@a.example.org" not in [m.to[0] for m in mail.outbox]
    assert len(mail.outbox) == 3


def test_a_reminder_that_fails_is_tried_on_the_next_run(people, settings):
    type(people["desk"]).objects.update(date_joined=T0)
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 1},
        }
    }
    lines = schedule.reminders_send(datetime(2026, 3, 20, 12, tzinfo=UTC))
    assert len(lines) == 4 and all("failed" in line for line in lines)
    assert not Assignment.objects.exclude(reminded_for=None).exists()
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert schedule.reminders_send(datetime(2026, 3, 21, 12, tzinfo=UTC)) == [
        "ecorse: 4 training reminders"
    ]


def test_reminders_arrive_by_smtp_from_the_daily_job(people, smtp):
    type(people["desk"]).objects.update(date_joined=T0)
    lines = daily(now=datetime(2026, 3, 25, 12, tzinfo=UTC))
    assert "ecorse: 4 training reminders" in lines
    assert len([m for _to, m in smtp.messages if "Training due on 2026-04-01" in m]) == 4


def test_the_director_sees_who_is_current_by_branch_volunteers_included(client, people):
    lib = people["desk"].library
    east = lib.branches.create(name="East branch")
    volunteer = make_user("vol@a.example.org", Role.DESK, lib, east, volunteer=True)
    make_user("counsel@a.example.org", Role.COUNSEL, lib, None)  # counsel do not train
    pass_everything(volunteer, T0)
    client.force_login(people["director"])
    page = client.get(reverse("training:team")).content.decode()
    assert "East branch" in page and "Main library" in page
    east_part = page.split("East branch")[1]
    assert "Vol" in east_part and "volunteer" in east_part and "Current" in east_part
    assert "Counsel@" not in page and "counsel@a.example.org" not in page
    assert "1 current, 4 to do, 0 overdue." in page
    # The director may read a trainee's drill results; another desk worker may not.
    attempt = run_drill(client, volunteer, "ice-detainer")
    client.force_login(people["director"])
    assert client.get(reverse("training:drill_result", args=[attempt.pk])).status_code == 200
    client.force_login(people["desk"])
    assert client.get(reverse("training:drill_result", args=[attempt.pk])).status_code == 404


def test_my_training_shows_due_date_scores_and_drills(client, people):
    desk = people["desk"]
    attempt = run_drill(client, desk, "fbi-nsl")
    page = client.get(reverse("training:home")).content.decode()
    assert "Due on" in page and "An FBI National Security Letter" in page
    assert f"/training/drills/{attempt.pk}/" in page
    assert "8 of 8 right" in page


def test_user_add_takes_a_volunteer(people, monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("a long volunteer passphrase\n"))
    out = io.StringIO()
    call_command("user", "add", "v@a.example.org", "--role", "desk", "--volunteer", stdout=out)
    assert "Desk staff (volunteer) at Ecorse Public Library" in out.getvalue()
    from patronshield.accounts.models import User

    assert User.objects.get(email="v@a.example.org").volunteer


def test_the_acknowledgement_page_of_a_drill_says_drill(client, people):
    Contact.objects.filter(position=1).update(drills=True)
    client.force_login(people["desk"])
    client.post(reverse("training:drill", args=["ice-questions-patrons"]))
    n = Notification.objects.get()
    url = notify.ack_url(n)
    client.logout()
    page = client.get(url.replace("http://127.0.0.1:8000", "")).content.decode()
    assert 'class="drill-tag"' in page and "DRILL" in page
    page = client.post(url.replace("http://127.0.0.1:8000", "")).content.decode()
    assert "This was a drill" in page and "/desk/" not in page.split("<main")[1]


def test_a_policy_version_object_is_understood(people):
    class Version:
        number = 3

    policy_adopted.send(sender=None, library=people["desk"].library, version=Version())
    assert set(Assignment.objects.values_list("policy_version", flat=True)) == {"3"}


def test_the_desk_home_says_when_training_is_due(client, people):
    desk = people["desk"]
    type(desk).objects.filter(pk=desk.pk).update(date_joined=T0)
    client.force_login(desk)
    page = client.get(reverse("desk:home")).content.decode()
    assert "/training/" in page and "overdue since 1 Apr 2026" in page
    counsel = make_user("counsel@a.example.org", Role.COUNSEL, desk.library, None)
    client.force_login(counsel)
    assert "/training/" not in client.get(reverse("desk:home")).content.decode()


def test_a_drill_reads_in_spanish(client, people):
    client.force_login(people["desk"])
    client.post(reverse("set_language"), {"language": "es"})
    page = client.get(reverse("training:drill", args=["patron-asks-to-hide"])).content.decode()
    assert "por favor escóndame atrás" in page and "Empezar el simulacro" in page
    assert "SIMULACRO" in page


def test_the_demo_library_has_a_little_training_progress(db, django_capture_on_commit_callbacks):
    from patronshield.libraries.demo import seed_demo

    # As in real life, the policy's adoption signal goes out on commit, after the progress
    # was written: it must not set everyone's round again.
    with django_capture_on_commit_callbacks(execute=True):
        library = seed_demo()
    states = {u.email: schedule.status(u)["state"] for u in schedule.trainees(library)}
    assert states == {
        "director@example.org": "current",
        "designee1@example.org": "current",
        "designee2@example.org": "due",
        "desk@example.org": "due",
        "volunteer@example.org": "due",
        "admin@example.org": "due",
    }
    assert library.staff.get(email="volunteer@example.org").volunteer
    assert not Encounter.objects.filter(drill=False).exists()  # the drills are not visits
    assert chain.verify_library(library.pk).ok
    seed_demo()  # idempotent
    assert Attempt.objects.filter(kind="drill").count() == 3

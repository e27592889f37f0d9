"""Issue 17, points 2 and 4: the director's live panel ("I'm on it", call the desk, tell the
desk) and, at the top of the desk's page, who is coming and what the director said."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from patronshield.accounts.models import Role
from patronshield.desk import chain, record, services
from patronshield.desk.models import Encounter, Event
from patronshield.desk.result import coming
from patronshield.libraries.models import Branch
from patronshield.notifications import services as alerts
from patronshield.notifications.models import AckLink, Notification
from tests.conftest import make_user


def visit(user, **answers):
    e = services.encounter_start(user=user)
    if answers:
        e = services.encounter_answer(encounter=e, actor=user, **answers)
    return e


ICE = {
    "agency": "ice",
    "request": "enter_nonpublic_area",
    "document": "administrative_warrant",
    "emergency": False,
}
NSL = {
    "agency": "fbi",
    "request": "patron_records",
    "requester": "officer",
    "document": "national_security_letter",
    "emergency": False,
    "patron_consent": False,
}


def ack_token(link):
    return alerts.signing.dumps({"j": link.jti}, salt=alerts.ACK_SALT, compress=True)


def deliver_all(encounter):
    return [alerts.deliver(n.pk) for n in encounter.notifications.filter(status="pending")]


@pytest.fixture
def director(client, people):
    client.force_login(people["director"])
    return people["director"]


# ------------------------------------------------------------------ the panel


def test_it_lists_open_encounters_first_then_today_then_earlier(client, people, director):
    desk = people["desk"]
    old = visit(desk, **ICE)
    record.encounter_close(encounter=old, user=director)
    Encounter.objects.filter(pk=old.pk).update(started_at=timezone.now() - timedelta(days=3))
    closed_today = visit(desk, **ICE)
    record.encounter_close(encounter=closed_today, user=director)
    cancelled = visit(desk)
    services.encounter_cancel(encounter=cancelled, user=desk, reason="Wrong button")
    acked = visit(desk, **ICE)
    alerts.encounter_acknowledge(encounter=acked, name="Someone", role="designee")
    waiting = visit(desk, **ICE)
    drill = services.encounter_start(user=director, drill=True)

    r = client.get(reverse("desk:panel"))
    assert r.status_code == 200
    rows = r.context
    assert [x["e"].pk for x in rows["open_rows"]] == [waiting.pk, acked.pk]  # nobody on it first
    assert {x["e"].pk for x in rows["today_rows"]} == {closed_today.pk, cancelled.pk}
    assert [x["e"].pk for x in rows["earlier_rows"]] == [old.pk]
    html = r.content.decode()
    assert html.index(f'id="enc-{waiting.pk}"') < html.index('id="today-h"')
    assert "Cancelled: started by mistake" in html
    assert "Nobody has answered yet: calling the next person at" in html
    assert "Someone (designee) is on it" in html
    assert "To go into a staff-only area" in html and "ICE warrant" in html
    assert drill.pk not in {x["e"].pk for k in ("open_rows", "today_rows", "earlier_rows")
                            for x in rows[k]}  # fmt: skip
    assert 'hx-trigger="every 5s"' in html  # live, and a plain link without JavaScript
    assert f'href="{reverse("desk:panel")}">Refresh' in html


def test_it_filters_open_today_all_and_by_branch(client, people, director, library):
    lib, main = library
    east = Branch.objects.create(library=lib, name="East branch", phone="313-555-0177")
    desk = people["desk"]
    here = visit(desk, **ICE)
    there = services.encounter_start(user=desk, branch=east)
    closed = visit(desk, **ICE)
    record.encounter_close(encounter=closed, user=director)
    Encounter.objects.filter(pk=closed.pk).update(started_at=timezone.now() - timedelta(days=2))

    def pks(**params):
        ctx = client.get(reverse("desk:panel"), params).context
        return [x["e"].pk for k in ("open_rows", "today_rows", "earlier_rows") for x in ctx[k]]

    assert set(pks()) == {here.pk, there.pk, closed.pk}
    assert set(pks(show="open")) == {here.pk, there.pk}
    assert set(pks(show="today")) == {here.pk, there.pk}
    assert pks(show="open", branch=east.pk) == [there.pk]
    assert set(pks(show="nonsense", branch="x")) == {here.pk, there.pk, closed.pk}
    html = client.get(reverse("desk:panel"), {"branch": east.pk}).content.decode()
    assert 'href="tel:313-555-0177"' in html  # call the desk: the branch's phone


def test_desk_staff_and_administrators_get_403(client, people):
    for role in ("desk", "admin"):
        client.force_login(people[role])
        assert client.get(reverse("desk:panel")).status_code == 403


def test_counsel_read_what_they_are_invited_to_and_cannot_act(client, people, library):
    lib, branch = library
    counsel = make_user("counsel@a.example.org", Role.COUNSEL, lib, branch)
    invited, other = visit(people["desk"], **ICE), visit(people["desk"], **ICE)
    record.counsel_invite(encounter=invited, user=people["director"], email=counsel.email)
    client.force_login(counsel)
    r = client.get(reverse("desk:panel"))
    assert [x["e"].pk for x in r.context["open_rows"]] == [invited.pk]
    assert other.pk not in {x["e"].pk for x in r.context["open_rows"]}
    assert b"I&#x27;m on it" not in r.content and b"Tell the desk" not in r.content
    assert client.post(reverse("desk:ack", args=[invited.pk])).status_code == 403
    assert client.post(reverse("desk:tell", args=[invited.pk]), {"text": "x"}).status_code == 403
    assert not Encounter.objects.get(pk=invited.pk).acknowledged_at


def test_another_library_never_appears_and_its_pks_404(client, people, outsider):
    theirs = visit(people["desk"], **ICE)
    client.force_login(outsider)
    r = client.get(reverse("desk:panel"))
    assert r.status_code == 200 and not r.context["open_rows"]
    for pk in (theirs.pk, theirs.pk + 1, 999_999):  # guessing numbers
        assert client.post(reverse("desk:ack", args=[pk])).status_code == 404
        assert client.get(reverse("desk:tell", args=[pk])).status_code == 404
        assert client.post(reverse("desk:tell", args=[pk]), {"text": "Hi"}).status_code == 404
        assert client.get(reverse("desk:status", args=[pk])).status_code == 404
    theirs.refresh_from_db()
    assert not theirs.acknowledged_at and not theirs.events.filter(kind="told_desk").exists()


def test_a_gagged_visit_is_hidden_from_a_designee_and_shown_to_the_director(client, people):
    gagged = visit(people["desk"], **NSL)
    assert gagged.gagged
    client.force_login(people["designee"])
    assert gagged.pk not in {
        x["e"].pk for x in client.get(reverse("desk:panel")).context["open_rows"]
    }
    assert client.post(reverse("desk:ack", args=[gagged.pk])).status_code == 404
    assert client.get(reverse("desk:tell", args=[gagged.pk])).status_code == 404
    home = client.get(reverse("desk:home")).content.decode()
    assert "Live panel · 0 open" in home
    client.force_login(people["director"])
    r = client.get(reverse("desk:panel"))
    assert [x["e"].pk for x in r.context["open_rows"]] == [gagged.pk]
    assert "Confidential:" in r.content.decode()
    assert "Live panel · 1 open" in client.get(reverse("desk:home")).content.decode()


def test_the_home_page_links_the_panel_for_directors_and_designees_only(client, people):
    visit(people["desk"], **ICE)
    for role, shown in [("director", True), ("designee", True), ("desk", False), ("admin", False)]:
        client.force_login(people[role])
        html = client.get(reverse("desk:home")).content.decode()
        assert (reverse("desk:panel") in html) is shown, role


# ------------------------------------------------------------------ I'm on it


def test_im_on_it_from_the_panel_stops_the_escalation(client, people, director, smtp):
    e = visit(people["desk"], **ICE)
    deliver_all(e)
    r = client.post(reverse("desk:ack", args=[e.pk]), {"next": reverse("desk:panel")})
    assert r.status_code == 302 and r.url == reverse("desk:panel")
    e.refresh_from_db()
    assert e.acknowledged_at and e.acknowledged_by == director.display_name
    ack = e.events.get(kind=Event.Kind.ACKNOWLEDGED)
    assert ack.actor == director and ack.at == e.acknowledged_at
    assert ack.data == {"contact": director.display_name, "role": "director", "via": "panel"}

    queued = Notification.objects.count()
    assert alerts.escalate(e.pk, 1) == []  # the scheduled step calls nobody more
    assert Notification.objects.count() == queued
    assert alerts.sweep(now=e.started_at + timedelta(hours=1))["escalated"] == 0

    # A second tap is harmless: one event, the same time.
    assert client.post(reverse("desk:ack", args=[e.pk])).status_code == 302
    assert e.events.filter(kind=Event.Kind.ACKNOWLEDGED).count() == 1
    assert Encounter.objects.get(pk=e.pk).acknowledged_at == e.acknowledged_at
    page = client.get(reverse("desk:panel")).content.decode()
    assert f"{director.display_name} (director) is on it: just now" in page
    assert chain.verify_library(e.library_id).ok
    call_command("verify_log", "--library", "ecorse")


def test_the_panel_and_the_e_mail_link_are_one_acknowledgement(client, people, director, smtp):
    e = visit(people["desk"], **ICE)
    deliver_all(e)
    client.post(reverse("desk:ack", args=[e.pk]))
    link = AckLink.objects.filter(contact__user=people["designee"]).first()
    alerts.acknowledge(ack_token(link))  # the designee's link, later: recorded, first stays
    e.refresh_from_db()
    assert e.acknowledged_by == director.display_name
    events = list(e.events.filter(kind=Event.Kind.ACKNOWLEDGED).order_by("seq"))
    assert [(x.data["contact"], x.data["via"]) for x in events] == [
        (director.display_name, "panel"),
        (link.contact.name, "link"),
    ]
    assert chain.verify_library(e.library_id).ok


@pytest.mark.parametrize("how", ["closed", "cancelled"])
def test_a_closed_or_cancelled_visit_refuses_im_on_it(client, people, director, smtp, how):
    e = visit(people["desk"], **ICE)
    deliver_all(e)
    if how == "closed":
        record.encounter_close(encounter=e, user=director)
        said = "This visit is closed: nobody needs to go."
    else:
        services.encounter_cancel(encounter=e, user=people["desk"], reason="Wrong button")
        said = "This visit was cancelled (started by mistake): nobody needs to go."
    r = client.post(reverse("desk:ack", args=[e.pk]), follow=True)
    assert said in r.content.decode()
    assert not e.events.filter(kind=Event.Kind.ACKNOWLEDGED).exists()
    # The alert's link says the same, and stays unused.
    link = (
        AckLink.objects.first()
        or alerts.ack_url(e.notifications.first())
        and AckLink.objects.first()
    )
    r = client.post(reverse("notifications:ack", args=[ack_token(link)]))
    assert r.status_code == 409 and said in r.content.decode()
    link.refresh_from_db()
    assert link.used_at is None
    assert not Encounter.objects.get(pk=e.pk).acknowledged_at


def test_desk_staff_cannot_acknowledge(client, people):
    e = visit(people["desk"], **ICE)
    client.force_login(people["desk"])
    assert client.post(reverse("desk:ack", args=[e.pk])).status_code == 403
    assert client.get(reverse("desk:ack", args=[e.pk])).status_code == 405


def test_the_director_can_say_im_on_it_on_the_desks_page(client, people, director):
    e = visit(people["desk"], **ICE)
    html = client.get(reverse("desk:result", args=[e.pk])).content.decode()
    assert reverse("desk:ack", args=[e.pk]) in html
    client.post(reverse("desk:ack", args=[e.pk]), {"next": reverse("desk:result", args=[e.pk])})
    html = client.get(reverse("desk:result", args=[e.pk])).content.decode()
    assert reverse("desk:ack", args=[e.pk]) not in html


# ------------------------------------------------------------------ tell the desk


def tell(client, e, text, confirm=None):
    data = {"text": text} | ({"confirm": confirm} if confirm else {})
    return client.post(reverse("desk:tell", args=[e.pk]), data)


def test_tell_the_desk_is_validated(client, people, director):
    e = visit(people["desk"], **ICE)
    r = tell(client, e, "   ")
    assert r.status_code == 400 and "Write the message to the desk." in r.content.decode()
    r = tell(client, e, "x" * 281)
    assert (
        r.status_code == 400 and "at most 280 characters (this one has 281)" in r.content.decode()
    )
    assert tell(client, e, "x" * 280).status_code == 302
    assert e.events.filter(kind="told_desk").count() == 1


def test_possible_patron_data_needs_a_second_confirm(client, people, director):
    e = visit(people["desk"], **ICE)
    text = "Do not say whether Maria Lopez was here"
    r = tell(client, e, text)
    html = r.content.decode()
    assert r.status_code == 200 and "This may identify a patron." in html
    assert "Send anyway" in html and not e.events.filter(kind="told_desk").exists()
    token = r.context["warning"]["token"]
    assert tell(client, e, text, confirm="wrong").status_code == 200  # warned again
    assert tell(client, e, text, confirm=token).status_code == 302
    assert e.events.get(kind="told_desk").data["text"] == text


def test_what_the_director_says_is_at_the_top_of_the_desks_page(client, people, director):
    e = visit(people["desk"], **ICE)
    assert tell(client, e, "Ask them to wait in the lobby").status_code == 302
    assert tell(client, e, "I am 5 minutes away").status_code == 302
    event = e.events.filter(kind="told_desk").latest("seq")
    assert event.actor == director
    assert event.data == {"text": "I am 5 minutes away", "by": director.display_name,
                          "role": "director"}  # fmt: skip
    client.force_login(people["desk"])
    for name in ("desk:result", "desk:status"):
        html = client.get(reverse(name, args=[e.pk])).content.decode()
        newest, older = html.index("I am 5 minutes away"), html.index("Ask them to wait")
        assert newest < older < html.index('id="status"'), name
        assert f"{director.display_name} (director)," in html
    # At the very top of the result page: before the banner and the script.
    html = client.get(reverse("desk:result", args=[e.pk])).content.decode()
    assert html.index("I am 5 minutes away") < html.index('class="banner')
    timeline = client.get(reverse("desk:record", args=[e.pk])).content.decode()
    assert "Told the desk: I am 5 minutes away" in timeline
    assert chain.verify_library(e.library_id).ok
    call_command("verify_log", "--library", "ecorse")


def test_a_closed_record_takes_no_message(client, people, director):
    e = visit(people["desk"], **ICE)
    record.encounter_close(encounter=e, user=director)
    assert "This record is closed" in client.get(reverse("desk:tell", args=[e.pk])).content.decode()
    assert tell(client, e, "Hello").status_code == 400
    assert not e.events.filter(kind="told_desk").exists()


def test_desk_staff_cannot_tell_the_desk(client, people):
    e = visit(people["desk"], **ICE)
    client.force_login(people["desk"])
    assert tell(client, e, "Hello").status_code == 403
    with pytest.raises(services.PermissionDenied):
        services.encounter_tell_desk(encounter=e, user=people["desk"], text="Hello")


# ------------------------------------------------------------------ who is coming


def at_hhmm(encounter, moment):
    from patronshield.desk.result import clock

    return clock(encounter, moment)


def test_nobody_has_answered_yet_calling_the_next_person_at(people, library):
    lib, _branch = library
    e = visit(people["desk"], **ICE)
    first = e.notifications.order_by("created_at").last().created_at
    now = first + timedelta(seconds=10)
    said = coming(e, now)
    when = at_hhmm(e, first + timedelta(seconds=lib.reescalation_seconds))
    assert said == {
        "state": "waiting",
        "at": first + timedelta(seconds=lib.reescalation_seconds),
        "text": f"Nobody has answered yet: calling the next person at {when}",
    }
    assert coming(e, first + timedelta(hours=1))["text"] == (
        "Nobody has answered yet: calling the next person now"
    )
    # The next wave: its own queue time.
    alerts.escalate(e.pk, 1)
    e.refresh_from_db()
    second = e.notifications.filter(wave=2).last().created_at
    assert coming(e, second)["at"] == second + timedelta(seconds=lib.reescalation_seconds)
    # Everyone told (designee 2, then counsel): say so, and whom to call.
    alerts.escalate(e.pk, 2)
    e.refresh_from_db()
    assert coming(e)["text"] == (
        "Nobody has answered yet: everyone on the roster has been told. Call the director."
    )


def test_on_it_says_who_in_what_role_and_how_long_ago(people):
    e = visit(people["desk"], **ICE)
    alerts.encounter_acknowledge(encounter=e, name="Dana Director", role="director")
    e.refresh_from_db()
    assert coming(e, e.acknowledged_at)["text"] == "Dana Director (director) is on it: just now"
    later = e.acknowledged_at + timedelta(minutes=2, seconds=5)
    assert coming(e, later) == {
        "state": "on_it",
        "text": "Dana Director (director) is on it: 2 min ago",
    }


def test_under_a_gag_only_the_director_and_counsel_are_named(people):
    e = visit(people["desk"], **NSL)
    for wave in (1, 2, 3):
        alerts.escalate(e.pk, wave)
    e.refresh_from_db()
    text = coming(e)["text"]
    assert text == (
        "Nobody has answered yet: the director and counsel have been told. Call the director."
    )
    assert "designee" not in text.lower() and "roster" not in text


def test_a_drill_claims_no_alert_to_anyone_not_alerted(people):
    e = services.encounter_start(user=people["desk"], drill=True)
    assert coming(e)["text"] == "Nobody is alerted: nobody on the roster opted in to drills."
    people_in = e.library.contacts.filter(position=1)
    people_in.update(drills=True)
    e = services.encounter_start(user=people["desk"], drill=True)
    assert e.notifications.count() == 1
    alerts.escalate(e.pk, 1)
    e.refresh_from_db()
    text = coming(e)["text"]
    assert "everyone who takes drill alerts has been told" in text
    assert "roster has been told" not in text


def test_a_closed_visit_says_nothing_about_who_is_coming(people):
    e = visit(people["desk"], **ICE)
    record.encounter_close(encounter=e, user=people["director"])
    e.refresh_from_db()
    assert coming(e) == {"state": "closed", "text": ""}


def test_the_desks_page_shows_who_is_coming_live_at_the_top(client, people):
    e = visit(people["desk"], **ICE)
    client.force_login(people["desk"])
    html = client.get(reverse("desk:result", args=[e.pk])).content.decode()
    top = html.index('id="coming"')
    assert top < html.index('class="banner') < html.index('id="status"')
    assert 'hx-trigger="every 3s"' in html[top : top + 400]
    assert 'hx-select-oob="#status,#alerts"' in html
    assert "Nobody has answered yet: calling the next person at" in html
    assert (
        f'href="{reverse("desk:result", args=[e.pk])}">Refresh' in html
    )  # in <noscript>: without JS
    alerts.encounter_acknowledge(encounter=e, name="Dana Director", role="director")
    status = client.get(reverse("desk:status", args=[e.pk])).content.decode()
    assert "Dana Director (director) is on it: just now" in status
    assert status.index('id="coming"') < status.index('id="status"')
    # The banner's line follows in the same refresh: it never says "being alerted" beside
    # "is on it".
    assert '<p id="alerts">Dana Director is on it.</p>' in status

"""The consortium's early warning (issue 20, point 3): opt-in per library, a closed visit by
an immigration or other federal agency told to the other members that receive warnings, in
general terms only; never an open visit, a drill, a visit started by mistake or one under a
gag. Real SMTP (aiosmtpd)."""

import datetime as dt
import email
import email.policy
import zoneinfo

import pytest
from django.utils import timezone

from patronshield.accounts.models import Role
from patronshield.consortium import services as consortium
from patronshield.consortium.models import ConsortiumSettings, Delivery, SharedVisit
from patronshield.desk import record, services
from patronshield.desk.models import Event
from tests.conftest import make_library, make_user, reauthenticate

SECRETS = ("Agent Smithers", "Badge 4471", "Gray van", "Maria Lopez", "card 21234567890123",
           "Main library", "Ecorse")  # fmt: skip


@pytest.fixture
def members(people, library, outsider):
    """A (ecorse) shares; B (other) and C (third) receive; D (fourth) neither."""
    lib_a, _ = library
    lib_b = outsider.library
    lib_c, branch_c = make_library("third", "Third River Library")
    lib_d, branch_d = make_library("fourth", "Fourth Lake Library")
    c_director = make_user("director@c.example.org", Role.DIRECTOR, lib_c, branch_c)
    c_designee = make_user("designee@c.example.org", Role.DESIGNEE, lib_c, branch_c)
    d_director = make_user("director@d.example.org", Role.DIRECTOR, lib_d, branch_d)
    ConsortiumSettings.objects.create(library=lib_a, shares=True)
    ConsortiumSettings.objects.create(library=lib_b, receives=True)
    ConsortiumSettings.objects.create(library=lib_c, receives=True)
    return {**people, "b_director": outsider, "c_director": c_director,
            "c_designee": c_designee, "d_director": d_director,
            "a": lib_a, "b": lib_b, "c": lib_c, "d": lib_d}  # fmt: skip


def visit(user, *, agency="ice", request="patron_records", document="administrative_warrant",
          drill=False, close=True, notes=True):  # fmt: skip
    e = services.encounter_start(user=user, drill=drill)
    answers = {"agency": agency, "request": request, "document": document, "emergency": False}
    if request == "patron_records":
        answers["patron_consent"] = False
    services.encounter_answer(encounter=e, actor=user, **answers)
    if notes:
        record.officer_add(encounter=e, user=user, name="Agent Smithers", badge="Badge 4471",
                           vehicle="Gray van")  # fmt: skip
        record.note_add(encounter=e, user=user, text="They asked about Maria Lopez",
                        confirmed=True)  # fmt: skip
        record.note_add(encounter=e, user=user, text="Her card 21234567890123", confirmed=True)
    if close:
        e = record.encounter_close(encounter=e, user=user)
    return e


def warnings(smtp):
    """The warnings received: (recipients, subject and decoded body)."""
    out = []
    for to, raw in smtp.messages:
        m = email.message_from_string(raw, policy=email.policy.default)
        if "Consortium early warning" in m["Subject"]:
            out.append((to, f"{m['Subject']}\n{m.get_content()}"))
    return out


# ------------------------------------------------------------------------ what is sent
def test_a_closed_immigration_visit_warns_the_receiving_members_in_general_terms(members, smtp):
    e = visit(members["desk"])
    shared = SharedVisit.objects.get()
    lines = consortium.warnings_send()
    assert sorted(lines) == ["ecorse: consortium warning sent to other",
                             "ecorse: consortium warning sent to third"]  # fmt: skip
    sent = warnings(smtp)
    assert sorted(to[0] for to, _m in sent) == ["director@b.example.org", "director@c.example.org"]
    day = e.started_at.astimezone(zoneinfo.ZoneInfo("America/Detroit")).date().isoformat()
    for _to, message in sent:
        assert (f"An immigration enforcement visit took place at a member library on {day}: "
                "information about patrons.") in message  # fmt: skip
        for secret in SECRETS:
            assert secret not in message
        assert f"{e.started_at:%H:%M}" not in message and f"/{e.pk}/" not in message
    assert "director@d.example.org" not in str(smtp.messages)  # D does not receive
    assert "director@a.example.org" not in str([to for to, _m in sent])  # not the sender
    # The sender's chain: which libraries were told, then each warning sent.
    a = members["a"]
    told = Event.objects.get(library=a, kind="consortium", data__action="warning")
    assert told.data["told"] == [members["b"].pk, members["c"].pk] and told.data["count"] == 2
    assert told.data["agency_class"] == "immigration" and told.encounter_id is None
    assert (
        Event.objects.filter(library=a, kind="consortium", data__action="warning_sent").count() == 2
    )
    assert not Event.objects.filter(library=members["b"], kind="consortium").exists()
    # Sent once: another run sends nothing more.
    assert consortium.warnings_send() == [] and len(warnings(smtp)) == 2
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
    assert shared.request_class == "patron_info"


def test_the_name_only_where_the_library_chose_to_say_it(members, smtp):
    ConsortiumSettings.objects.filter(library=members["a"]).update(shares_name=True)
    visit(members["desk"], agency="fbi", request="enter_nonpublic_area", document="none")
    consortium.warnings_send()
    for _to, message in warnings(smtp):
        assert "A federal law enforcement visit took place at Ecorse Public Library on" in message
        assert "to go into a staff-only area, or to take equipment." in message


@pytest.mark.parametrize(
    ("why", "kwargs"),
    [
        ("local police", {"agency": "local_police"}),
        ("state police", {"agency": "state_police"}),
        ("a drill", {"drill": True}),
        ("a National Security Letter", {"agency": "fbi", "document": "national_security_letter"}),
        ("a FISA order", {"agency": "fbi", "document": "fisa_order"}),
        ("still open", {"close": False}),
    ],
)
def test_nothing_is_shared(members, smtp, why, kwargs):
    visit(members["desk"], **kwargs)
    assert consortium.warnings_send() == []
    assert not SharedVisit.objects.exists() and not warnings(smtp), why
    assert not Event.objects.filter(kind="consortium").exists()


def test_a_gagged_visit_never_even_after_the_document_answer_changes(members, smtp):
    """Under a gag the record is closed without a word; the director cannot take it back
    afterwards: nothing can be changed on a closed record, and nothing is sent on close."""
    e = visit(members["desk"], agency="fbi", document="national_security_letter", close=False)
    e.checks.create(created_by=members["desk"], method="photo", kind="national_security_letter")
    services.encounter_answer(encounter=e, actor=members["director"], document="none")
    e = record.encounter_close(encounter=e, user=members["director"])
    assert not e.gagged  # the answer changed, but the check found a gag: still never
    assert consortium.warning_share(e) is None and not SharedVisit.objects.exists()
    assert consortium.warnings_send() == [] and not warnings(smtp)


def test_a_visit_started_by_mistake_is_never_shared(members, smtp):
    e = visit(members["desk"], close=False, notes=False)
    services.encounter_cancel(encounter=e, user=members["desk"], reason="Pressed by mistake")
    e.refresh_from_db()
    assert consortium.warning_share(e) is None
    assert not SharedVisit.objects.exists() and not warnings(smtp)


def test_a_library_that_does_not_share_tells_nobody(members, smtp):
    ConsortiumSettings.objects.filter(library=members["a"]).update(shares=False)
    visit(members["desk"])
    assert consortium.warnings_send() == [] and not SharedVisit.objects.exists()


def test_one_visit_is_shared_once(members, smtp):
    e = visit(members["desk"])
    assert consortium.warning_share(e) is None  # closing again, a second signal: nothing
    assert SharedVisit.objects.count() == 1 and Delivery.objects.count() == 2


def test_a_failed_warning_is_released_and_tried_again(members, settings, smtp):
    good = settings.MAILERS
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 1},
        }
    }
    visit(members["desk"])
    now = timezone.now()
    lines = consortium.warnings_send(now=now)
    assert len(lines) == 2 and all("failed" in line for line in lines)
    d = Delivery.objects.first()
    assert d.claimed_at is None and d.attempts == 1 and d.next_attempt_at > now
    assert consortium.warnings_send(now=now) == []  # not before its time
    settings.MAILERS = good
    assert len(consortium.warnings_send(now=now + dt.timedelta(minutes=6))) == 2
    assert len(warnings(smtp)) == 2
    assert not Event.objects.filter(kind="consortium", data__action="warning_sent",
                                    library=members["b"]).exists()  # fmt: skip


def test_a_claimed_warning_is_not_sent_twice(members, smtp):
    visit(members["desk"])
    now = timezone.now()
    Delivery.objects.update(claimed_at=now)  # another worker has them
    assert consortium.warnings_send(now=now) == [] and not warnings(smtp)
    # A worker that died mid-send: taken again after a while.
    assert len(consortium.warnings_send(now=now + dt.timedelta(minutes=11))) == 2


def test_a_library_that_stops_receiving_is_not_told(members, smtp):
    visit(members["desk"])
    ConsortiumSettings.objects.filter(library=members["c"]).update(receives=False)
    assert consortium.warnings_send() == ["ecorse: consortium warning sent to other"]
    assert Delivery.objects.get(to=members["c"]).status == "dropped"


def test_the_daily_command_sends_what_is_due(members, smtp):
    from patronshield.desk.management.commands.daily import daily

    visit(members["desk"])
    assert "ecorse: consortium warning sent to third" in daily()
    assert len(warnings(smtp)) == 2


def test_shared_visits_past_90_days_are_purged_and_the_chain_keeps_the_events(members, smtp):
    from patronshield.desk import retention

    old = visit(members["desk"])
    visit(members["desk"], agency="cbp")
    today = timezone.now().date()
    SharedVisit.objects.filter(encounter=old).update(on=today - dt.timedelta(days=91))
    report = retention.purge_library(members["a"], now=timezone.now())
    assert report["consortium_warnings"] == 1
    assert SharedVisit.objects.count() == 1 and Delivery.objects.count() == 2
    assert Event.objects.filter(library=members["a"], kind="consortium").count() == 2
    assert Event.objects.filter(library=members["a"], kind="purged").exists()


# ------------------------------------------------------------------------ the settings
def test_the_director_changes_the_choices_after_proving_the_second_factor(client, members):
    a, director = members["a"], members["director"]
    client.force_login(director)
    assert "Warn the other member libraries" in client.get("/consortium/settings/").content.decode()
    r = client.post("/consortium/settings/", {"receives": "on"})
    assert r.status_code == 302 and "reauthenticate" in r["Location"]
    assert not ConsortiumSettings.objects.get(library=a).receives
    reauthenticate(client, director)
    r = client.post("/consortium/settings/", {"shares": "on", "shares_name": "on",
                                               "receives": "on"})  # fmt: skip
    assert r.status_code == 302 and r["Location"] == "/consortium/settings/"
    s = ConsortiumSettings.objects.get(library=a)
    assert s.shares and s.shares_name and s.receives
    event = Event.objects.filter(library=a, kind="consortium").last()
    assert event.data == {"action": "settings", "by": director.display_name,
                          "shares_name": True, "receives": True}  # fmt: skip
    # A name is said only with a warning.
    client.post("/consortium/settings/", {"shares_name": "on"})
    s.refresh_from_db()
    assert not s.shares and not s.shares_name and not s.receives


def test_no_one_else_changes_the_choices(client, members):
    for persona in ("desk", "designee", "admin", "b_director", "c_director"):
        user = members[persona]
        client.force_login(user)
        if user.needs_second_factor:
            reauthenticate(client, user)
        r = client.post("/consortium/settings/", {"shares": "on", "shares_name": "on"})
        assert r.status_code in (302, 403)
        if r.status_code == 302:
            assert r["Location"] == "/consortium/settings/"  # their own library's, not A's
    a = ConsortiumSettings.objects.get(library=members["a"])
    assert a.shares and not a.shares_name and not a.receives
    assert not Event.objects.filter(library=members["a"], kind="consortium").exists()
    with pytest.raises(consortium.PermissionDenied):
        consortium.consortium_settings_update(
            library=members["a"],
            user=members["b_director"],
            shares=False,
            shares_name=False,
            receives=False,
        )


# ------------------------------------------------------------------------ the page
def test_the_page_shows_shared_visits_and_nothing_more(client, members):
    ConsortiumSettings.objects.create(library=members["d"], shares=True)  # shares, not named
    d_desk = make_user("desk@d.example.org", Role.DESK, members["d"], members["d"].branches.first())
    visit(members["desk"])
    visit(d_desk, agency="cbp", request="presence_public_area", document="none")
    old = visit(members["desk"], agency="hsi")
    SharedVisit.objects.filter(encounter=old).update(
        on=timezone.now().date() - dt.timedelta(days=91)
    )
    client.force_login(members["c_designee"])
    html = client.get("/consortium/").content.decode()
    assert html.count("An immigration enforcement visit took place at a member library") == 2
    assert "information about patrons" in html and "public areas, or to question" in html
    for secret in SECRETS:
        assert secret not in html
    assert "/record/" not in html and "/desk/" not in html.replace('href="/"', "")
    # A library that stops sharing: its visits leave the page.
    ConsortiumSettings.objects.filter(library=members["d"]).update(shares=False)
    html = client.get("/consortium/").content.decode()
    assert html.count("took place at a member library") == 1
    # A library that never shared is never there (B's visit, B does not share).
    b_desk = make_user("desk@b.example.org", Role.DESK, members["b"], members["b"].branches.first())
    visit(b_desk)
    assert client.get("/consortium/").content.decode().count("took place") == 1


def test_the_page_is_for_the_director_and_designees_of_receiving_libraries(client, members):
    visit(members["desk"])
    for persona, code, sees in [("c_director", 200, True), ("c_designee", 200, True),
                                ("d_director", 200, False), ("desk", 403, False),
                                ("admin", 403, False)]:  # fmt: skip
        client.force_login(members[persona])
        r = client.get("/consortium/")
        assert r.status_code == code, persona
        assert ("took place" in r.content.decode()) == sees, persona
    client.logout()
    assert client.get("/consortium/")["Location"].startswith("/login/")

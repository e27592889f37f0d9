"""Alerts carry the facts and follow them (issue 17, point 3): the first alert goes at the
first tap; when the desk's answers reach a decision, whoever it reached hears the facts, once
per distinct decision; never under a gag, never after a cancellation. With a real SMTP
server (aiosmtpd) and a real webhook receiver on loopback."""

import email
import email.policy
import http.server
import json
import re
import threading

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from patronshield.desk import record
from patronshield.desk import services as desk
from patronshield.desk.models import Encounter, Event
from patronshield.desk.timeline import describe
from patronshield.notifications import messages, services, transports
from patronshield.notifications.models import AckLink, Contact, Notification

ICE_AT_THE_STAFF_DOOR = [
    ("agency", "ice"),
    ("request", "enter_nonpublic_area"),
    ("document", "administrative_warrant"),
    ("emergency", "no"),
]
NSL = [
    ("agency", "fbi"),
    ("request", "patron_records"),
    ("requester", "officer"),
    ("document", "national_security_letter"),
    ("emergency", "no"),
    ("consent", "no"),
]


def deliver_all(encounter):
    return [services.deliver(n.pk) for n in encounter.notifications.filter(status="pending")]


def answer(client, encounter, steps):
    for step, value in steps:
        r = client.post(reverse("desk:step", args=[encounter.pk, step]), {"answer": value})
        assert r.status_code == 302, (step, r.status_code)
    encounter.refresh_from_db()
    return encounter


def parsed(raw):
    """(to, subject, body) of a message the SMTP server received, decoded."""
    message = email.message_from_string(raw, policy=email.policy.default)
    return message["To"], message["Subject"], message.get_body().get_content()


def mail(smtp):
    return [parsed(raw) for _to, raw in smtp.messages]


def updates(encounter):
    return encounter.notifications.filter(key__contains=f"-{services.FACTS_TAG}")


@pytest.fixture
def started(client, people, smtp):
    """The first tap, and the first alert delivered at once (as the worker does)."""
    client.force_login(people["desk"])
    client.post(reverse("desk:start"))
    e = Encounter.objects.latest("pk")
    assert deliver_all(e) == ["sent", "sent"]  # the director and the first designee
    return e


def test_the_first_alert_says_the_facts_follow(started, smtp):
    (_to, subject, body), _second = mail(smtp)
    assert subject == "Law enforcement at Ecorse Public Library, Main library"
    assert "Agency: not known yet" in body
    assert "The facts follow in a second message when the desk has answered." in body


def test_the_facts_follow_when_the_desk_has_answered(client, started, smtp):
    e = answer(client, started, ICE_AT_THE_STAFF_DOOR)
    assert e.outcome == "decline"
    queued = updates(e)
    assert sorted(queued.values_list("contact__role", "channel", "wave")) == [
        ("designee", "email", 0),
        ("director", "email", 0),
    ]
    assert {n.key.rsplit("-", 1)[1] for n in queued} == {"facts1"}
    assert deliver_all(e) == ["sent", "sent"]
    second = mail(smtp)[2:]
    assert sorted(to for to, _s, _b in second) == [
        "designee@a.example.org",
        "director@a.example.org",
    ]
    to, subject, body = next(m for m in second if m[0] == "director@a.example.org")
    assert subject == (
        "Decided: Politely decline - law enforcement at Ecorse Public Library, Main library"
    )
    assert "The desk has answered." in body
    for fact in [
        "Agency: ICE (Immigration and Customs Enforcement)",
        "Asking for: To go into a staff-only area",
        f"Document: {e.get_document_display()}",
        "Decision: Politely decline",
        f'The desk was told to say: "{e.decision["staff_script"]}"',
        "Nobody has said they are on it yet.",
        f"{settings.SITE_URL}/desk/{e.pk}/",
    ]:
        assert fact in body, fact
    assert "not known yet" not in body and "facts follow" not in body
    assert e.decision["staff_script"]  # there is a script, and the mail says it

    # The "I'm on it" link in the update works.
    link = re.search(r"I'm on it \(one tap\): (\S+)", body).group(1)
    client.logout()
    r = client.post(link.removeprefix(settings.SITE_URL))
    assert r.status_code == 200 and b"the desk can see you are on it" in r.content
    e.refresh_from_db()
    assert e.acknowledged_by == "Director"
    assert services.escalate(e.pk, 1) == []  # the escalation stops, as before

    # On the chain: the update queued and delivered, said as such on the timeline.
    queued_events = e.events.filter(kind=Event.Kind.QUEUED, data__update=1)
    assert queued_events.count() == 2
    assert str(describe(queued_events.first())).startswith("Update with the decision queued for")
    sent = e.events.filter(kind=Event.Kind.SENT, data__update=1)
    assert sent.count() == 2
    assert str(describe(sent.first())).startswith("Update with the decision delivered to")
    call_command("verify_log", "--library", "ecorse")  # exits non-zero on any failure


def test_the_same_decision_again_says_nothing_a_changed_one_says_it_once(client, started, smtp):
    e = answer(client, started, ICE_AT_THE_STAFF_DOOR)
    deliver_all(e)
    assert updates(e).count() == 2
    answer(client, e, [("emergency", "no")])  # answered again, the same: decided the same
    answer(client, e, [("document", "administrative_warrant")])
    assert updates(e).count() == 2 and deliver_all(e) == []

    e = answer(client, e, [("document", "judicial_search_warrant")])  # decides again
    assert e.outcome != "decline"
    assert sorted(n.key.rsplit("-", 1)[1] for n in updates(e)) == ["facts1"] * 2 + ["facts2"] * 2
    assert e.events.filter(kind="queued", data__update=2).count() == 2
    answer(client, e, [("emergency", "no")])  # and the same again: nothing more
    assert updates(e).count() == 4
    assert deliver_all(e) == ["sent", "sent"]
    _to, subject, body = mail(smtp)[-1]
    assert subject.startswith(f"Decision changed: {e.get_outcome_display()} - law enforcement")
    assert "The decision has changed" in body
    assert f"Document: {e.get_document_display()}" in body

    # Back to the first decision: the people alerted last heard the second, so they hear it.
    e = answer(client, e, [("document", "administrative_warrant")])
    assert e.outcome == "decline" and updates(e).count() == 6


def test_an_alert_still_waiting_carries_the_facts_itself(client, people, smtp):
    """Decided before the first alert went out: the alert says it all; no update follows,
    and deciding the same again adds none."""
    client.force_login(people["desk"])
    client.post(reverse("desk:start"))
    e = answer(client, Encounter.objects.latest("pk"), ICE_AT_THE_STAFF_DOOR)
    assert updates(e).count() == 0
    assert deliver_all(e) == ["sent", "sent"]
    _to, subject, body = mail(smtp)[0]
    assert "Decision so far: Politely decline" in body and "facts follow" not in body
    answer(client, e, [("emergency", "no")])
    assert updates(e).count() == 0


def test_the_person_on_it_still_gets_the_facts(client, started, smtp):
    link = AckLink.objects.filter(contact__role="director").first()
    services.acknowledge(services.signing.dumps({"j": link.jti}, salt=services.ACK_SALT))
    e = answer(client, started, ICE_AT_THE_STAFF_DOOR)
    assert updates(e).count() == 2
    deliver_all(e)
    body = next(b for to, _s, b in mail(smtp)[2:] if to == "director@a.example.org")
    assert "Director is on it (since" in body and "Decision: Politely decline" in body
    assert services.escalate(e.pk, 1) == []  # nobody more is called


FACTS_UNDER_A_GAG = [
    "FBI",
    "National Security",
    "patron_records",
    "Patron records",
    "2709",
    "decline",
    "refer",
    "Refer",
    "Decided",
    "The desk was told",
]


def test_under_a_gag_no_update_leaves_the_server(client, started, smtp):
    """The first alert went at the first tap, before anything was known (it names the place,
    nothing else); the answers bring a gag and a decision, and nothing more goes out."""
    e = answer(client, started, NSL)
    assert e.gagged and e.outcome
    assert updates(e).count() == 0 and deliver_all(e) == []
    assert len(smtp.messages) == 2  # the first alert, at the first tap: no more
    for _to, raw in smtp.messages:
        said = re.sub(r"https?://\S+", "", raw)  # a link's random token may spell "FBI"
        for detail in FACTS_UNDER_A_GAG:
            assert detail not in said, detail


def test_an_update_queued_before_a_gag_is_known_says_the_gag_words(client, started, smtp):
    e = answer(client, started, ICE_AT_THE_STAFF_DOOR)
    assert updates(e).count() == 2  # queued, not sent yet
    e = answer(client, e, [("document", "national_security_letter")])
    assert e.gagged and updates(e).count() == 2  # nothing more queued
    assert sorted(deliver_all(e)) == ["sent", "withheld"]  # the designee hears nothing
    to, subject, body = mail(smtp)[-1]
    assert to == "director@a.example.org"
    assert subject == "Urgent legal matter at Ecorse Public Library: call in now"
    assert body.startswith("Urgent legal matter at Ecorse Public Library: call in now.")
    said = re.sub(r"https?://\S+", "", body)  # a link's random token may spell "ICE"
    for detail in ["ICE", "Immigration", "staff-only", "decline", "Main library", "Decided"]:
        assert detail not in said, detail


def test_a_drill_update_is_marked_and_goes_to_those_who_opted_in(people, smtp):
    Contact.objects.filter(role="director").update(drills=True)
    e = desk.encounter_start(user=people["desk"], drill=True)
    assert deliver_all(e) == ["sent"]
    for name, value in ICE_AT_THE_STAFF_DOOR:
        value = {"no": False}.get(value, value)
        e = desk.encounter_answer(encounter=e, actor=people["desk"], **{name: value})
    assert list(updates(e).values_list("contact__role", flat=True)) == ["director"]
    assert deliver_all(e) == ["sent"]
    assert [to for to, _s, _b in mail(smtp)] == ["director@a.example.org"] * 2
    _to, subject, body = mail(smtp)[1]
    assert subject.startswith("DRILL: Decided: Politely decline")
    assert body.startswith("DRILL - this is a training exercise.")


def test_a_cancelled_encounter_sends_no_update(client, started, smtp, people):
    r = client.post(reverse("desk:cancel", args=[started.pk]), {"reason": "Wrong button"})
    assert r.status_code == 302
    for name, value in ICE_AT_THE_STAFF_DOOR:  # even if something still answered it
        value = {"no": False}.get(value, value)
        e = desk.encounter_answer(encounter=started, actor=people["desk"], **{name: value})
    assert e.outcome == "decline" and updates(e).count() == 0
    assert deliver_all(e) == ["sent", "sent"]  # the two "cancelled" messages only
    assert all(s.startswith("Cancelled") for _to, s, _b in mail(smtp)[2:])


def test_a_closed_encounter_sends_no_update(client, started, people):
    record.encounter_close(encounter=started, user=people["director"])
    for name, value in ICE_AT_THE_STAFF_DOOR:
        value = {"no": False}.get(value, value)
        e = desk.encounter_answer(encounter=started, actor=people["desk"], **{name: value})
    assert e.outcome == "decline" and updates(e).count() == 0


def test_a_cancellation_stops_an_update_not_sent_yet(client, started, smtp):
    e = answer(client, started, ICE_AT_THE_STAFF_DOOR)
    client.post(reverse("desk:cancel", args=[e.pk]), {"reason": "Wrong button"})
    assert set(updates(e).values_list("status", flat=True)) == {"cancel"}


@pytest.fixture
def hook(settings):
    settings.WEBHOOK_ALLOW_PRIVATE = True  # the receiver is on loopback
    received = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((dict(self.headers), body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    server.received = received
    server.url = f"http://127.0.0.1:{server.server_port}/hook"
    yield server
    server.shutdown()


def test_a_webhook_gets_the_same_facts_as_json_signed(client, people, smtp, hook):
    director = Contact.objects.get(role="director")
    Contact.objects.filter(pk=director.pk).update(webhook_url=hook.url)
    director.refresh_from_db()
    client.force_login(people["desk"])
    client.post(reverse("desk:start"))
    e = Encounter.objects.latest("pk")
    assert deliver_all(e) == ["sent"] * 3  # two e-mails and the director's webhook
    first = json.loads(hook.received[0][1])
    assert first["type"] == "encounter" and first["stage"] == "alert" and first["update"] == 0
    e = answer(client, e, ICE_AT_THE_STAFF_DOOR)
    assert sorted(updates(e).values_list("contact__role", "channel")) == [
        ("designee", "email"),
        ("director", "email"),
        ("director", "webhook"),
    ]
    assert deliver_all(e) == ["sent"] * 3
    headers, body = hook.received[1]
    payload = json.loads(body)
    n = updates(e).get(channel="webhook")
    assert headers["Idempotency-Key"] == n.key == payload["key"]
    ts, sig = headers["X-Patronshield-Timestamp"], headers["X-Patronshield-Signature"]
    assert transports.verify(director.webhook_secret, ts, body, sig)
    assert {k: payload[k] for k in payload if k not in ("key", "ack_url")} == {
        "type": "update",
        "stage": "decided",
        "update": 1,
        "drill": False,
        "library": "Ecorse Public Library",
        "branch": "Main library",
        "area": None,
        "who": "ICE (Immigration and Customs Enforcement)",
        "agency": "ice",
        "requester": None,
        "request": "enter_nonpublic_area",
        "request_label": "To go into a staff-only area",
        "document": "administrative_warrant",
        "document_label": e.get_document_display(),
        "outcome": "decline",
        "outcome_label": "Politely decline",
        "document_defects": [],
        "paper_reason": None,
        "staff_script": e.decision["staff_script"],
        "acknowledged_by": None,
        "text": "Decided: Politely decline - law enforcement at "
        "Ecorse Public Library, Main library",
        "url": f"{settings.SITE_URL}/desk/{e.pk}/",
    }
    assert payload["ack_url"].startswith(f"{settings.SITE_URL}/ack/")
    # The same facts as the e-mail.
    _to, _subject, mailed = next(m for m in mail(smtp)[2:] if m[0] == "director@a.example.org")
    for value in ("who", "request_label", "document_label", "outcome_label", "staff_script"):
        assert payload[value] in mailed, value


def test_a_gagged_webhook_says_the_gag_words_only():
    class Gagged:
        gagged, outcome = True, "refer"
        library = type("L", (), {"name": "Ecorse Public Library"})()

    payload = messages.webhook_payload(Gagged(), "https://x/ack/t/", "k", update=1)
    assert payload == {
        "type": "urgent",
        "stage": "decided",
        "key": "k",
        "library": "Ecorse Public Library",
        "text": "Urgent legal matter at Ecorse Public Library: call in now",
        "ack_url": "https://x/ack/t/",
    }


def test_a_text_message_update_is_short_and_keeps_the_link(client, people, smtp):
    Contact.objects.filter(role="director").update(sms_email="3135550101@sms.example.org")
    client.force_login(people["desk"])
    client.post(reverse("desk:start"))
    e = Encounter.objects.latest("pk")
    deliver_all(e)
    e = answer(client, e, ICE_AT_THE_STAFF_DOOR)
    assert deliver_all(e) == ["sent"] * 3
    to, _subject, body = next(m for m in mail(smtp)[3:] if m[0].startswith("3135550101"))
    body = body.strip()
    assert len(body) <= messages.SMS_LIMIT
    assert body.startswith("Decided at Ecorse Public Library, Main library: Politely decline.")
    assert "ICE" in body and "To go into a staff-only area" in body
    assert re.search(r"On it: \S+/ack/\S+/$", body)


def test_a_text_message_update_with_everything_is_cut_before_the_link(people):
    e = desk.encounter_start(user=people["desk"])
    for name, value in ICE_AT_THE_STAFF_DOOR[:2] + [("document", "judicial_search_warrant")]:
        e = desk.encounter_answer(encounter=e, actor=people["desk"], **{name: value})
    Encounter.objects.filter(pk=e.pk).update(
        document_defects=["not_signed", "wrong_place", "expired", "night_time"]
    )
    e = desk.encounter_answer(encounter=e, actor=people["desk"], emergency=False)
    link = f"{settings.SITE_URL}/ack/{'x' * 120}/"
    body = messages.sms_body(e, link, update=2)
    assert len(body) <= messages.SMS_LIMIT and body.endswith(f"On it: {link}")
    assert body.startswith("Decision changed at Ecorse Public Library") and "..." in body


def test_a_paper_found_not_to_hold_after_the_decision_is_said_once(client, started, smtp):
    """The document check's defects change a decision: one update (the decision's, with the
    reason), not a second "paper" update beside it."""
    e = answer(client, started, ICE_AT_THE_STAFF_DOOR[:2] + [("emergency", "no")])
    e = answer(client, e, [("document", "judicial_search_warrant")])
    deliver_all(e)
    before = e.notifications.filter(wave=0).count()
    from patronshield.desk.models import DocumentCheck

    check = DocumentCheck.objects.create(
        encounter=e,
        created_by=e.started_by,
        method=DocumentCheck.Method.PHOTO,
        summary={"defects": ["wrong_place"]},
    )
    e = desk.document_confirm(check=check, user=e.started_by, kind="judicial_search_warrant")
    assert e.document_defects == ["wrong_place"]
    new = e.notifications.filter(wave=0).count() - before
    assert new == 2 and updates(e).count() == 4  # one per person: the decision's update
    deliver_all(e)
    _to, _subject, body = mail(smtp)[-1]
    assert messages.paper_reason(e) in body


def test_nothing_is_queued_twice_for_one_decision(client, started):
    """The keys are unique per update and person and channel; deciding the same twice in a
    row, directly through the service, queues nothing the second time."""
    e = answer(client, started, ICE_AT_THE_STAFF_DOOR)
    assert services.facts_update(e) == []
    assert Notification.objects.filter(encounter=e, key__endswith="-facts2").count() == 0


def test_an_update_still_waiting_carries_a_newer_decision_itself(client, started, smtp):
    """Decided, then decided otherwise before the update went out: the waiting update says
    the newer decision when it is sent; no second one is queued beside it."""
    e = answer(client, started, ICE_AT_THE_STAFF_DOOR)
    e = answer(client, e, [("document", "judicial_search_warrant")])
    assert updates(e).count() == 2
    assert deliver_all(e) == ["sent", "sent"]
    _to, subject, body = mail(smtp)[-1]
    assert subject.startswith(f"Decided: {e.get_outcome_display()}")
    assert f"Decision: {e.get_outcome_display()}" in body and "decline" not in body
    answer(client, e, [("emergency", "no")])  # what they were told: nothing more
    assert updates(e).count() == 2
    e = answer(client, e, [("document", "administrative_warrant")])  # back to "decline"
    assert updates(e).count() == 4


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
    reason="PostgreSQL: SQLite has one writer at a time (and an in-memory test database)",
)
def test_an_alert_sent_while_the_desk_decides_carries_the_decision(people, smtp):
    """The worker picks up the first alert at the moment the desk's last answer decides: it
    waits for the decision to be written (the update locks the outbox's rows), so the alert
    carries the decision, and no update is needed. Without the lock, on PostgreSQL, it would
    go out saying "not decided yet", and nothing would follow."""
    import threading
    import time

    from django.db import connection, transaction

    user = people["desk"]
    e = desk.encounter_start(user=user)
    for name, value in ICE_AT_THE_STAFF_DOOR[:3]:
        e = desk.encounter_answer(encounter=e, actor=user, **{name: value})
    alert = e.notifications.get(contact__role="director")
    deciding = threading.Event()

    def decide():
        try:
            with transaction.atomic():
                desk.encounter_answer(encounter=e, actor=user, emergency=False)
                deciding.set()
                time.sleep(1)  # the worker tries to send meanwhile
        finally:
            deciding.set()
            connection.close()

    thread = threading.Thread(target=decide)
    thread.start()
    assert deciding.wait(10)
    assert services.deliver(alert.pk) == "sent"
    thread.join()
    _to, _subject, body = mail(smtp)[0]
    assert "Decision so far: Politely decline" in body and "facts follow" not in body
    assert updates(e).count() == 0

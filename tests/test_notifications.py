"""Escalation, with a real SMTP server (aiosmtpd) and a real webhook receiver on loopback."""

import hashlib
import http.server
import json
import re
import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from patronshield.desk.models import Encounter, Event
from patronshield.notifications import services, transports
from patronshield.notifications.models import AckLink, Contact, Device, Notification
from tests.conftest import Inbox, free_port


@pytest.fixture
def encounter(client, people):
    client.force_login(people["desk"])
    client.post(reverse("desk:start"))
    e = Encounter.objects.latest("pk")
    for step, answer in [
        ("agency", "ice"),
        ("request", "enter_nonpublic_area"),
        ("document", "administrative_warrant"),
        ("emergency", "no"),
    ]:
        client.post(reverse("desk:step", args=[e.pk, step]), {"answer": answer})
    e.refresh_from_db()
    return e


def deliver_all(encounter):
    return [services.deliver(n.pk) for n in encounter.notifications.filter(status="pending")]


def recipients(smtp):
    return [to[0] for to, _ in smtp.messages]


def test_starting_notifies_the_director_and_first_designee_at_once(encounter, smtp):
    queued = encounter.notifications.all()
    assert {n.contact.email for n in queued} == {"director@a.example.org", "designee@a.example.org"}
    assert deliver_all(encounter) == ["sent", "sent"]
    assert sorted(recipients(smtp)) == ["designee@a.example.org", "director@a.example.org"]
    _to, body = smtp.messages[0]
    assert "Subject: Law enforcement at Ecorse Public Library, Main library" in body
    assert "ICE (Immigration and Customs Enforcement)" in body
    assert "To go into a staff-only area" in body and "Politely decline" in body
    assert "/ack/" in body and f"/desk/{encounter.pk}/" in body
    kinds = list(encounter.events.values_list("kind", flat=True))
    assert kinds.count("queued") == 2 and kinds.count("sent") == 2


def test_nobody_answers_so_the_chain_goes_on_then_counsel(encounter, smtp):
    deliver_all(encounter)
    assert [c.email for c in [n.contact for n in services.escalate(encounter.pk, 1)]] == [
        "designee2@a.example.org"
    ]
    assert [n.contact.role for n in services.escalate(encounter.pk, 2)] == ["counsel"]
    assert services.escalate(encounter.pk, 3) == []  # everyone has been told
    assert services.escalate(encounter.pk, 2) == []  # a step never runs twice
    deliver_all(encounter)
    assert recipients(smtp)[-2:] == ["designee2@a.example.org", "counsel@a.example.org"]
    assert encounter.events.filter(kind="escalated").count() == 3


def test_an_acknowledgement_stops_the_chain(client, encounter, smtp):
    deliver_all(encounter)
    link = AckLink.objects.first()
    token = services.signing.dumps({"j": link.jti}, salt=services.ACK_SALT, compress=True)
    client.logout()
    page = client.get(reverse("notifications:ack", args=[token]))
    assert page.status_code == 200 and "I’m on it".replace("’", "'").encode() in page.content
    assert b"staff-only" not in page.content  # nothing beyond the message
    link.refresh_from_db()
    assert link.used_at is None  # opening the link is not an answer
    r = client.post(reverse("notifications:ack", args=[token]))
    assert r.status_code == 200 and b"the desk can see you are on it" in r.content
    encounter.refresh_from_db()
    assert encounter.acknowledged_at and encounter.acknowledged_by == link.contact.name
    assert services.escalate(encounter.pk, 1) == []
    # The next page needs a login.
    assert client.get(reverse("desk:result", args=[encounter.pk])).status_code == 302


def ack_token(link):
    return services.signing.dumps({"j": link.jti}, salt=services.ACK_SALT, compress=True)


def test_reused_expired_and_forged_links(client, encounter, smtp):
    deliver_all(encounter)
    first, second = AckLink.objects.all()[:2]
    client.post(reverse("notifications:ack", args=[ack_token(first)]))
    assert client.post(reverse("notifications:ack", args=[ack_token(first)])).status_code == 410
    second.expires_at = timezone.now() - timedelta(seconds=1)
    second.save()
    assert client.get(reverse("notifications:ack", args=[ack_token(second)])).status_code == 410
    forged = services.signing.dumps({"j": "x" * 43}, salt="wrong", compress=True)
    assert client.post(reverse("notifications:ack", args=[forged])).status_code == 404
    tampered = ack_token(second)[:-2] + "xx"
    assert client.post(reverse("notifications:ack", args=[tampered])).status_code == 404
    assert Event.objects.filter(encounter=encounter, kind="acknowledged").count() == 1


def test_nondisclosure_sends_no_detail_and_only_to_director_and_counsel(client, people, smtp):
    client.force_login(people["desk"])
    client.post(reverse("desk:start"))
    e = Encounter.objects.latest("pk")
    for step, answer in [
        ("agency", "fbi"),
        ("request", "patron_records"),
        ("requester", "officer"),
        ("document", "national_security_letter"),
        ("emergency", "no"),
        ("consent", "no"),
    ]:
        client.post(reverse("desk:step", args=[e.pk, step]), {"answer": answer})
    deliver_all(e)
    services.escalate(e.pk, 1)
    services.escalate(e.pk, 2)
    deliver_all(e)
    told = {n.contact.role for n in e.notifications.filter(wave__gt=1)}
    assert told <= {"director", "counsel"}
    assert "counsel@a.example.org" in recipients(smtp)
    for _to, raw in smtp.messages:
        assert "Urgent legal matter at Ecorse Public Library: call in now" in raw
        said = re.sub(r"https?://\S+", "", raw)  # a link's random token may spell "FBI"
        for detail in [
            "FBI",
            "National Security",
            "patron_records",
            "Patron records",
            "2709",
            "decline",
            "refer",
            "Main library",
            "Desk",
        ]:
            assert detail not in said, detail


def test_a_gag_that_comes_to_light_withholds_queued_messages(client, people, smtp):
    client.force_login(people["desk"])
    client.post(reverse("desk:start"))
    e = Encounter.objects.latest("pk")
    client.post(reverse("desk:step", args=[e.pk, "agency"]), {"answer": "fbi"})
    client.post(reverse("desk:step", args=[e.pk, "request"]), {"answer": "patron_records"})
    client.post(
        reverse("desk:step", args=[e.pk, "document"]), {"answer": "national_security_letter"}
    )
    assert sorted(deliver_all(e)) == ["sent", "withheld"]
    assert recipients(smtp) == ["director@a.example.org"]


def test_mail_server_down_then_up_nothing_lost_nothing_twice(encounter, settings):
    from aiosmtpd.controller import Controller

    port = free_port()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 2},
        }
    }
    assert set(deliver_all(encounter)) == {"retrying"}
    n = encounter.notifications.first()
    assert n.status == "pending" and n.attempts == 1 and n.last_error and n.next_attempt_at
    assert encounter.events.filter(kind="failed").count() == 2
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        assert set(deliver_all(encounter)) == {"sent"}
        assert deliver_all(encounter) == []  # nothing left: nothing sent twice
        assert services.deliver(n.pk) == "skipped"
    finally:
        controller.stop()
    assert len(inbox.messages) == 2


def test_a_worker_killed_mid_send_is_picked_up_again_once(encounter, smtp):
    n = encounter.notifications.first()
    Notification.objects.filter(pk=n.pk).update(
        status="sending", claimed_at=timezone.now() - timedelta(minutes=5)
    )
    assert services.deliver(n.pk) == "skipped"  # claimed by the dead worker
    assert services.requeue_stale() == 1
    assert services.deliver(n.pk) == "sent"
    assert services.deliver(n.pk) == "skipped"
    assert recipients(smtp).count(n.contact.email) == 1
    _to, raw = smtp.messages[0]
    assert f"Message-ID: <{n.key}@patronshield>" in raw  # lets a receiver drop a duplicate


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


def test_webhooks_are_signed(encounter, hook):
    contact = Contact.objects.get(role="director")
    Contact.objects.filter(pk=contact.pk).update(webhook_url=hook.url, email="")
    contact.refresh_from_db()
    n = Notification.objects.create(
        encounter=encounter, contact=contact, channel="webhook", wave=9, key=f"e{encounter.pk}-test"
    )
    assert services.deliver(n.pk) == "sent"
    headers, body = hook.received[0]
    payload = json.loads(body)
    assert payload["agency"] == "ice" and payload["ack_url"].startswith("http")
    assert headers["Idempotency-Key"] == n.key
    ts, sig = headers["X-Patronshield-Timestamp"], headers["X-Patronshield-Signature"]
    assert transports.verify(contact.webhook_secret, ts, body, sig)
    assert not transports.verify("another secret", ts, body, sig)
    assert not transports.verify(contact.webhook_secret, ts, body + b" ", sig)


# ----------------------------------------------------------------------- /api/alert


@pytest.fixture
def device_token(library):
    import secrets

    lib, branch = library
    token = secrets.token_urlsafe(32)
    Device.objects.create(
        library=lib,
        branch=branch,
        name="Front desk button",
        token_hash=hashlib.sha256(token.encode()).hexdigest(),
    )
    return token


def alert(client, token=None, body=None, raw=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    data = raw if raw is not None else json.dumps(body or {})
    return client.post("/api/alert", data=data, content_type="application/json", **headers)


def test_a_silent_alert_starts_an_encounter_and_escalates(client, people, device_token):
    r = alert(
        client,
        device_token,
        {"agency": "ice", "request": "enter_nonpublic_area", "area": "staff workroom"},
    )
    assert r.status_code == 201
    e = Encounter.objects.get(pk=r.json()["id"])
    assert e.device.name == "Front desk button" and e.agency == "ice"
    assert e.area.name == "Staff workroom" and e.started_by is None
    assert e.notifications.count() == 2


@pytest.mark.parametrize(
    "token,raw,status,message",
    [
        (None, "{}", 401, "token"),
        ("not-a-token", "{}", 401, "token"),
        ("GOOD", "{not json", 400, "not valid JSON"),
        ("GOOD", "[1, 2]", 400, "JSON object"),
        ("GOOD", '{"agency": "cia"}', 400, "agency"),
        ("GOOD", '{"colour": "red"}', 400, "unknown field"),
        ("GOOD", '{"area": "the roof"}', 400, "area"),
    ],
)
def test_bad_alerts_leave_nothing_behind(client, people, device_token, token, raw, status, message):
    r = alert(client, device_token if token == "GOOD" else token, raw=raw)
    assert r.status_code == status and message in r.json()["error"]
    assert Encounter.objects.count() == 0 and Notification.objects.count() == 0


def test_a_revoked_device_is_refused(client, people, device_token, library):
    call_command("device", "revoke", "Front desk button")
    assert alert(client, device_token).status_code == 401
    assert Encounter.objects.count() == 0


def test_device_cli_prints_the_token_once(client, people, library, capsys):
    call_command("device", "add", "Kiosk")
    token = capsys.readouterr().out.strip()
    assert len(token) > 30
    device = Device.objects.get(name="Kiosk")
    assert device.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert alert(client, token).status_code == 201


def test_the_desk_sees_the_live_status(client, encounter, smtp, people):
    deliver_all(encounter)
    r = client.get(reverse("desk:status", args=[encounter.pk]))
    html = r.content.decode()
    assert "Director" in html and "delivered" in html
    link = AckLink.objects.first()
    services.acknowledge(ack_token(link))
    html = client.get(reverse("desk:status", args=[encounter.pk])).content.decode()
    assert f"{link.contact.name} (director) is on it" in html


# ------------------------------------------------------------------ the sweep


def lose_the_queue():
    """As if the worker died holding every task: nothing queued will ever run."""
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()


def test_the_sweep_escalates_when_the_scheduled_step_was_lost(encounter, smtp):
    deliver_all(encounter)
    lose_the_queue()
    assert services.sweep()["escalated"] == 0  # not yet time: nothing happens early
    later = timezone.now() + timedelta(seconds=encounter.library.reescalation_seconds + 61)
    assert services.sweep(now=later)["escalated"] == 1
    nxt = encounter.notifications.get(wave=2)
    assert nxt.contact.email == "designee2@a.example.org"
    assert services.deliver(nxt.pk) == "sent"
    Notification.objects.filter(pk=nxt.pk).update(created_at=later)  # queued at `later`
    assert services.sweep(now=later)["escalated"] == 0  # wave 2's time has not come
    # The late task of wave 1, if it ever runs, does nothing twice.
    assert services.escalate(encounter.pk, 1) == []
    assert encounter.events.filter(kind="escalated").count() == 1


def test_the_sweep_leaves_acknowledged_and_old_encounters_alone(encounter, people, smtp):
    lose_the_queue()
    later = timezone.now() + timedelta(hours=1)
    Encounter.objects.filter(pk=encounter.pk).update(acknowledged_at=timezone.now())
    assert services.sweep(now=later)["escalated"] == 0
    Encounter.objects.filter(pk=encounter.pk).update(acknowledged_at=None)
    assert services.sweep(now=later + services.SWEEP_WINDOW)["escalated"] == 0


def test_the_sweep_stops_once_everyone_has_been_told(encounter, smtp):
    lose_the_queue()
    t = timezone.now()
    steps = 0
    for _ in range(10):
        t += timedelta(seconds=encounter.library.reescalation_seconds + 61)
        steps += services.sweep(now=t)["escalated"]
        Notification.objects.filter(encounter=encounter).update(created_at=t)
    # designee 2, then counsel, then "everyone has been told": and then nothing more.
    assert steps == 3
    assert encounter.events.filter(kind="escalated").count() == 3


def test_the_sweep_sends_messages_whose_task_was_lost(encounter, smtp):
    """The worker may be gone: the sweep sends them itself, once, rather than queue them
    again for nobody."""
    lose_the_queue()
    assert services.sweep()["redelivered"] == 0  # the worker still has time
    later = timezone.now() + services.LOST_AFTER + timedelta(seconds=1)
    assert services.sweep(now=later)["redelivered"] == 2
    assert sorted(recipients(smtp)) == ["designee@a.example.org", "director@a.example.org"]
    assert services.sweep(now=later)["redelivered"] == 0  # sent: nothing to do
    assert len(smtp.messages) == 2


def test_a_parents_alert_says_who_is_asking_not_an_agency(people):
    """A parent or guardian at the desk has no agency: the alert says who is asking."""
    from patronshield.desk import services as desk_services
    from patronshield.notifications import messages

    desk = people["desk"]
    e = desk_services.encounter_start(user=desk)
    e = desk_services.encounter_answer(
        encounter=e, actor=desk, request="patron_records", requester="parent_of_minor"
    )
    body = messages.email_body(e, "https://ack.example/1")
    assert "Who is asking: A parent or guardian, about their child's records" in body
    assert "Agency:" not in body
    assert "A parent or guardian" in messages.sms_body(e, "https://ack.example/1")
    assert messages.webhook_payload(e, "u", "k")["requester"] == "parent_of_minor"

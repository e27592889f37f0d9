"""Texts through Twilio: the real `twilio` package against a local server that speaks its REST
shape (POST /2010-04-01/Accounts/{sid}/Messages.json, form-encoded; JSON answers and errors),
and Twilio's status callbacks, signed with the package's RequestValidator."""

import base64
import html
import http.server
import json
import re
import threading
from urllib.parse import parse_qs

import pytest
from django.urls import reverse
from twilio.request_validator import RequestValidator

from patronshield.desk.models import Encounter
from patronshield.notifications import services, transports
from patronshield.notifications.models import Contact, Notification
from tests.conftest import free_port
from tests.test_notifications_facts import ICE_AT_THE_STAFF_DOOR, NSL

SID = "AC" + "0" * 32
TOKEN = "test-auth-token"


class TwilioStandIn(http.server.ThreadingHTTPServer):
    """Records each request; answers with the next of `answers` (status, JSON), or a
    queued message."""

    def __init__(self, port):
        super().__init__(("127.0.0.1", port), Handler)
        self.requests = []
        self.answers = []


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        form = {k: v[0] for k, v in parse_qs(body).items()}
        self.server.requests.append(
            {"path": self.path, "form": form, "auth": self.headers.get("Authorization", "")}
        )
        if self.server.answers:
            status, answer = self.server.answers.pop(0)
        else:
            n = len(self.server.requests)
            status = 201
            answer = {
                "sid": f"{'CA' if self.path.endswith('/Calls.json') else 'SM'}{n:032d}",
                "account_sid": SID,
                "to": form.get("To"),
                "from": form.get("From"),
                "body": form.get("Body"),
                "status": "queued",
            }
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def twilio_error(status, code, message):
    return status, {"code": code, "message": message, "more_info": "", "status": status}


@pytest.fixture
def twilio(settings):
    server = TwilioStandIn(free_port())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.TWILIO_ACCOUNT_SID = SID
    settings.TWILIO_AUTH_TOKEN = TOKEN
    settings.TWILIO_FROM = "+13135550199"
    settings.TWILIO_API_URL = f"http://127.0.0.1:{server.server_address[1]}"
    settings.SITE_URL = "https://shield.example.org"
    yield server
    server.shutdown()
    server.server_close()


def start(client, people, answers):
    client.force_login(people["desk"])
    client.post(reverse("desk:start"))
    e = Encounter.objects.latest("pk")
    for step, answer in answers:
        client.post(reverse("desk:step", args=[e.pk, step]), {"answer": answer})
    e.refresh_from_db()
    return e


ICE = ICE_AT_THE_STAFF_DOOR  # the desk's answers, shared with the update's tests


def texts(encounter):
    return encounter.notifications.filter(channel="text").select_related("contact")


def deliver_texts(encounter):
    return [services.deliver(n.pk) for n in texts(encounter).filter(status="pending")]


def test_a_contact_with_a_phone_gets_a_text_only_when_twilio_is_configured(people, settings):
    contact = Contact.objects.get(role="director")
    settings.TWILIO_ACCOUNT_SID = settings.TWILIO_AUTH_TOKEN = settings.TWILIO_FROM = ""
    assert "text" not in contact.channels()
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN = SID, TOKEN
    settings.TWILIO_FROM = "+13135550199"
    assert contact.channels() == ["email", "text"]
    contact.text_me = False
    assert contact.channels() == ["email"]
    contact.text_me, contact.phone = True, ""
    assert contact.channels() == ["email"]


@pytest.mark.parametrize(
    "phone, expected",
    [
        ("313-555-0100", "+13135550100"),
        ("(313) 555 0100", "+13135550100"),
        ("1 313 555 0100", "+13135550100"),
        ("+44 20 7946 0958", "+442079460958"),
    ],
)
def test_phone_numbers_are_written_as_twilio_wants_them(phone, expected):
    assert transports.e164(phone) == expected


def test_the_alert_is_texted_with_the_ack_link_and_a_status_callback(client, people, twilio):
    e = start(client, people, ICE)
    assert deliver_texts(e) == ["sent", "sent"]
    assert len(twilio.requests) == 2
    request = twilio.requests[0]
    assert request["path"] == f"/2010-04-01/Accounts/{SID}/Messages.json"
    assert request["auth"] == "Basic " + base64.b64encode(f"{SID}:{TOKEN}".encode()).decode()
    form = request["form"]
    assert form["To"] == "+13135550100" and form["From"] == "+13135550199"
    assert form["StatusCallback"] == "https://shield.example.org/twilio/status"
    assert "Law enforcement at Ecorse Public Library" in form["Body"]
    assert "ICE" in form["Body"] and "https://shield.example.org/ack/" in form["Body"]
    rows = list(texts(e))
    assert {n.status for n in rows} == {"sent"}
    assert {n.provider_sid for n in rows} == {f"SM{1:032d}", f"SM{2:032d}"}
    assert e.events.filter(kind="sent", data__channel="text").count() == 2


def test_under_a_gag_the_text_says_only_the_gag_wording(client, people, twilio):
    e = start(client, people, NSL)
    deliver_texts(e)
    assert twilio.requests
    for request in twilio.requests:
        body = re.sub(r"https?://\S+", "", request["form"]["Body"])  # no random token
        assert body.startswith("Urgent legal matter at Ecorse Public Library: call in now")
        for detail in ["FBI", "National Security", "2709", "patron", "Main library", "Desk"]:
            assert detail not in body, detail


def test_an_invalid_number_is_a_permanent_failure(client, people, twilio):
    e = start(client, people, ICE)
    twilio.answers = [
        twilio_error(400, 21211, "The 'To' number +13135550100 is not a valid phone number.")
    ] * 2
    assert deliver_texts(e) == ["failed", "failed"]
    n = texts(e).first()
    assert n.status == "failed" and n.next_attempt_at is None
    assert n.last_error == "text: refused by the provider, error 21211 (HTTP 400)"
    assert "555" not in n.last_error  # Twilio's message repeats the number: not kept
    assert e.events.filter(kind="failed", data__channel="text").count() == 2


@pytest.mark.parametrize("status, code", [(500, 20500), (429, 20429)])
def test_a_provider_error_or_too_many_requests_is_tried_again(client, people, twilio, status, code):
    e = start(client, people, ICE)
    twilio.answers = [twilio_error(status, code, "try later")] * 2
    assert deliver_texts(e) == ["retrying", "retrying"]
    n = texts(e).first()
    assert n.status == "pending" and n.next_attempt_at is not None
    assert n.last_error == f"text: refused by the provider, error {code} (HTTP {status})"
    assert deliver_texts(e) == ["sent", "sent"]  # the next try goes through


def test_an_unreachable_provider_is_tried_again(client, people, twilio, settings):
    e = start(client, people, ICE)
    settings.TWILIO_API_URL = f"http://127.0.0.1:{free_port()}"  # nothing listens
    assert deliver_texts(e) == ["retrying", "retrying"]
    assert texts(e).first().last_error == "text: could not reach the provider"


def callback(client, params, token=TOKEN, signature=None, path="/twilio/status"):
    url = f"https://shield.example.org{path}"
    if signature is None:
        signature = RequestValidator(token).compute_signature(url, params)
    headers = {"HTTP_X_TWILIO_SIGNATURE": signature} if signature else {}
    return client.post(path, params, **headers)


def test_a_signed_delivered_callback_is_recorded(client, people, twilio):
    e = start(client, people, ICE)
    deliver_texts(e)
    n = texts(e).first()
    client.logout()  # Twilio has no account here
    params = {"MessageSid": n.provider_sid, "MessageStatus": "delivered", "AccountSid": SID}
    assert callback(client, params).status_code == 200
    n.refresh_from_db()
    assert n.status == "sent" and n.provider_status == "delivered"
    confirmed = e.events.filter(kind="sent", data__confirmed=True)
    assert confirmed.count() == 1 and confirmed[0].data["contact"] == n.contact.name
    assert callback(client, params).status_code == 200  # the same callback again
    assert e.events.filter(kind="sent", data__confirmed=True).count() == 1


def test_an_undelivered_text_is_a_failure_and_the_escalation_goes_on(client, people, twilio):
    e = start(client, people, ICE)
    deliver_texts(e)
    n = texts(e).first()
    client.logout()
    params = {"MessageSid": n.provider_sid, "MessageStatus": "undelivered", "ErrorCode": "30003"}
    assert callback(client, params).status_code == 200
    n.refresh_from_db()
    assert n.status == "failed" and n.provider_status == "undelivered"
    assert n.last_error == "text: undelivered, error 30003"
    failed = e.events.get(kind="failed", data__channel="text")
    assert failed.data["error"] == n.last_error
    assert services.escalate(e.pk, 1)  # nobody acknowledged: the next person is told


def test_queued_and_sent_callbacks_change_nothing(client, people, twilio):
    e = start(client, people, ICE)
    deliver_texts(e)
    n = texts(e).first()
    before = e.events.count()
    for status in ["queued", "sent"]:
        params = {"MessageSid": n.provider_sid, "MessageStatus": status}
        assert callback(client, params).status_code == 200
    assert e.events.count() == before
    n.refresh_from_db()
    assert n.provider_status == ""


@pytest.mark.parametrize(
    "how", ["forged", "missing", "other token", "another URL", "changed after signing"]
)
def test_a_forged_callback_is_refused_and_changes_nothing(client, people, twilio, how):
    e = start(client, people, ICE)
    deliver_texts(e)
    n = texts(e).first()
    client.logout()
    params = {"MessageSid": n.provider_sid, "MessageStatus": "failed", "ErrorCode": "30008"}
    before = e.events.count()
    if how == "forged":
        r = callback(client, params, signature="bm90IGEgc2lnbmF0dXJl")
    elif how == "missing":
        r = callback(client, params, signature="")
    elif how == "other token":
        r = callback(client, params, token="someone-elses-token")
    elif how == "another URL":
        signature = RequestValidator(TOKEN).compute_signature(
            "http://testserver/twilio/status", params
        )
        r = callback(client, params, signature=signature)
    else:
        signature = RequestValidator(TOKEN).compute_signature(
            "https://shield.example.org/twilio/status", {**params, "MessageStatus": "delivered"}
        )
        r = callback(client, params, signature=signature)
    assert r.status_code == 403
    n.refresh_from_db()
    assert n.status == "sent" and n.provider_status == ""
    assert e.events.count() == before


def test_the_callback_takes_only_post(client, twilio):
    assert client.get("/twilio/status").status_code == 405


def test_a_cancelled_encounter_is_texted_as_cancelled(client, people, twilio):
    e = start(client, people, ICE)
    deliver_texts(e)
    client.force_login(people["desk"])
    services.cancel_notice(e)
    cancels = e.notifications.filter(channel="text", key__endswith="-cancel")
    assert cancels.count() == 2
    assert [services.deliver(n.pk) for n in cancels] == ["sent", "sent"]
    assert all(r["form"]["To"] == "+13135550100" for r in twilio.requests[2:])
    assert len(twilio.requests) == 4
    assert Notification.objects.filter(key__endswith="-cancel", provider_sid="").count() == (
        e.notifications.filter(key__endswith="-cancel").exclude(channel="text").count()
    )


def last_delivery(contact):
    from django.contrib import admin

    return admin.site._registry[Contact].last_delivery(contact)


def test_the_roster_admin_shows_each_contacts_last_delivery(client, people, twilio):
    director = Contact.objects.get(role="director")
    assert last_delivery(director) == "—"
    e = start(client, people, ICE)
    twilio.answers = [twilio_error(400, 21211, "not a valid phone number")]
    deliver_texts(e)
    for n in e.notifications.exclude(channel="text"):
        Notification.objects.filter(pk=n.pk).delete()
    shown = {last_delivery(n.contact) for n in texts(e)}
    assert any(
        s.startswith("text message · Failed · ")
        and s.endswith("text: refused by the provider, error 21211 (HTTP 400)")
        for s in shown
    ), shown
    delivered = texts(e).get(status="sent")
    callback(client, {"MessageSid": delivered.provider_sid, "MessageStatus": "delivered"})
    assert last_delivery(delivered.contact).startswith(
        "text message · Delivered (confirmed by the phone network) · "
    )
    # A visit under a gag is not shown, not even that a message went.
    before = last_delivery(director)
    g = start(client, people, NSL)
    deliver_texts(g)
    assert texts(g).filter(contact=director).exists()
    assert last_delivery(director) == before


def test_the_roster_admins_test_message_goes_by_text_too(client, people, twilio):
    from tests.conftest import reauthenticate

    admin_user = people["admin"]
    admin_user.is_staff = True
    admin_user.save()
    client.force_login(admin_user)
    reauthenticate(client, admin_user)
    director = Contact.objects.get(role="director")
    director.email = ""
    director.save()
    r = client.post(
        reverse("admin:notifications_contact_changelist"),
        {"action": "send_test", "_selected_action": [director.pk]},
        follow=True,
    )
    assert r.status_code == 200 and "text: sent" in r.text
    page = client.get(reverse("admin:notifications_contact_changelist"))
    assert "last delivery" in page.text.lower()
    assert [q["form"]["To"] for q in twilio.requests] == ["+13135550100"]
    assert "Test from Patron Shield" in twilio.requests[0]["form"]["Body"]
    assert "StatusCallback" not in twilio.requests[0]["form"]


# Calls: the alert spoken, 1 to answer "I'm on it".


@pytest.fixture
def callers(people):
    """The director and the first designee take calls (and no texts, to keep it short)."""
    Contact.objects.filter(role__in=["director", "designee"]).update(call_me=True, text_me=False)


def calls(encounter):
    return encounter.notifications.filter(channel="call").select_related("contact")


def place_calls(encounter):
    return [services.deliver(n.pk) for n in calls(encounter).filter(status="pending")]


def gather_path(twiml):
    url = html.unescape(re.search(r'<Gather action="([^"]+)"', twiml).group(1))
    assert url.startswith("https://shield.example.org/twilio/gather/")
    return url.removeprefix("https://shield.example.org")


def test_a_contact_who_takes_calls_gets_one_that_speaks_the_alert(client, people, twilio, callers):
    e = start(client, people, ICE)
    assert place_calls(e) == ["sent", "sent"]
    request = twilio.requests[0]
    assert request["path"] == f"/2010-04-01/Accounts/{SID}/Calls.json"
    form = request["form"]
    assert form["To"] == "+13135550100" and form["From"] == "+13135550199"
    assert form["StatusCallback"] == "https://shield.example.org/twilio/status"
    twiml = form["Twiml"]
    assert '<Gather action="https://shield.example.org/twilio/gather/' in twiml
    assert 'method="POST" numDigits="1"' in twiml
    assert '<Say language="en-US">Law enforcement is at Ecorse Public Library, Main library: ' in (
        twiml
    )
    assert "ICE" in twiml and "Press 1 if you are on it." in twiml
    assert {n.provider_sid[:2] for n in calls(e)} == {"CA"}


def test_a_spanish_speaker_is_called_in_spanish(client, people, twilio, callers):
    director = people["director"]
    director.language = "es"
    director.save()
    e = start(client, people, ICE)
    place_calls(e)
    langs = sorted(re.findall(r'<Say language="([^"]+)"', r["form"]["Twiml"])[0]
                   for r in twilio.requests)  # fmt: skip
    assert langs == ["en-US", "es-US"]


def test_under_a_gag_the_call_says_only_the_gag_wording(client, people, twilio, callers):
    e = start(client, people, NSL)
    place_calls(e)
    assert twilio.requests
    for request in twilio.requests:
        twiml = request["form"]["Twiml"]
        assert "Urgent legal matter at Ecorse Public Library: call in now." in twiml
        for detail in ["FBI", "National Security", "2709", "patron", "Main library"]:
            assert detail not in twiml, detail


def test_pressing_1_acknowledges_through_the_links_own_path(client, people, twilio, callers):
    e = start(client, people, ICE)
    place_calls(e)
    client.logout()
    path = gather_path(twilio.requests[0]["form"]["Twiml"])
    r = callback(client, {"Digits": "1", "CallSid": "CA1"}, path=path)
    assert r.status_code == 200 and r["Content-Type"] == "application/xml"
    assert "Thank you. The desk can see you are on it." in r.text and "<Hangup" in r.text
    e.refresh_from_db()
    assert e.acknowledged_at and e.acknowledged_by
    ack = e.events.get(kind="acknowledged")
    assert ack.data["via"] == "call"
    assert services.escalate(e.pk, 1) == []  # the escalation stops
    again = callback(client, {"Digits": "1", "CallSid": "CA1"}, path=path)
    assert "already been answered" in again.text  # used once, like the link
    assert e.events.filter(kind="acknowledged").count() == 1


def test_another_key_or_no_answer_acknowledges_nothing(client, people, twilio, callers):
    e = start(client, people, ICE)
    place_calls(e)
    client.logout()
    path = gather_path(twilio.requests[0]["form"]["Twiml"])
    r = callback(client, {"Digits": "2", "CallSid": "CA1"}, path=path)
    assert r.status_code == 200 and "Nothing was recorded." in r.text
    n = calls(e).get(provider_sid=f"CA{2:032d}")
    assert (
        callback(client, {"CallSid": n.provider_sid, "CallStatus": "no-answer"}).status_code == 200
    )
    n.refresh_from_db()
    assert n.status == "failed" and n.last_error == "call: no-answer"
    assert e.events.filter(kind="failed", data__channel="call").count() == 1
    e.refresh_from_db()
    assert e.acknowledged_at is None
    assert services.escalate(e.pk, 1)  # nobody is on it: the next person is told


def test_an_answered_call_is_delivered_but_not_an_acknowledgement(client, people, twilio, callers):
    e = start(client, people, ICE)
    place_calls(e)
    n = calls(e).first()
    callback(client, {"CallSid": n.provider_sid, "CallStatus": "completed"})
    n.refresh_from_db()
    assert n.status == "sent" and n.provider_status == "completed"
    e.refresh_from_db()
    assert e.acknowledged_at is None and services.escalate(e.pk, 1)


def test_a_forged_key_press_is_refused(client, people, twilio, callers):
    e = start(client, people, ICE)
    place_calls(e)
    client.logout()
    path = gather_path(twilio.requests[0]["form"]["Twiml"])
    for signature in ["bm90IGEgc2lnbmF0dXJl", ""]:
        r = callback(client, {"Digits": "1"}, signature=signature, path=path)
        assert r.status_code == 403
    r = callback(client, {"Digits": "1"}, token="someone-elses-token", path=path)
    assert r.status_code == 403
    e.refresh_from_db()
    assert e.acknowledged_at is None

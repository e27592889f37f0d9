"""Point 5 of issue 14: the server sends no request where it should not reach.

An administrator (or whoever takes over their account) sets a roster contact's webhook to
an address on the server itself, the library's private network or the cloud's metadata
service, and uses the alerts, or the admin's "Send a test message", to reach it or to probe
it. A real HTTP server on 127.0.0.1 stands for the internal service: it records whatever
reaches it. Only DNS answers are made up (socket.getaddrinfo), since DNS is what changes.
"""

import http.server
import socket
import threading

import pytest
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.urls import reverse

from patronshield.desk import services as desk_services
from patronshield.notifications import services
from patronshield.notifications.models import Contact, Notification
from tests.conftest import free_port

REFUSED = "public Internet addresses"  # what the roster form says


@pytest.fixture
def internal():
    """An internal service on loopback that records every request reaching it; it answers
    204, or redirects to `internal.redirect_to` when that is set."""
    server = None

    class Handler(http.server.BaseHTTPRequestHandler):
        def answer(self):
            length = int(self.headers.get("Content-Length") or 0)
            server.received.append((self.command, self.path, self.rfile.read(length)))
            if server.redirect_to:
                self.send_response(302)
                self.send_header("Location", server.redirect_to)
            else:
                self.send_response(204)
            self.end_headers()

        do_GET = do_POST = answer

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    server.received, server.redirect_to = [], None
    server.url = f"http://127.0.0.1:{server.server_port}/hook"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()


@pytest.fixture
def director(people):
    return Contact.objects.get(role="director")


def fake_dns(monkeypatch, *answers):
    """socket.getaddrinfo answers with these IPv4 addresses in turn (the last one again
    and again), for every name; the port is the one asked for."""
    answers = list(answers)

    def getaddrinfo(host, port, *args, **kwargs):
        address = answers.pop(0) if len(answers) > 1 else answers[0]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, int(port)))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def send(contact, url):
    """The alert's webhook to `url`, as the worker sends it: a row of the outbox."""
    Contact.objects.filter(pk=contact.pk).update(webhook_url=url, email="")
    encounter = desk_services.encounter_start(user=contact.user)
    n = Notification.objects.create(
        encounter=encounter, contact=contact, channel="webhook", wave=9, key=f"e{encounter.pk}-x"
    )
    result = services.deliver(n.pk)
    n.refresh_from_db()
    return result, n


def test_it_refuses_a_webhook_to_this_server_in_the_roster_form(client, people, director, internal):
    admin = people["admin"]
    admin.is_staff = True
    admin.save()
    client.force_login(admin)
    data = {k: v for k, v in model_to_dict(director).items() if v not in (None, False)}
    r = client.post(
        reverse("admin:notifications_contact_change", args=[director.pk]),
        {**data, "webhook_url": internal.url},
    )
    assert r.status_code == 200 and REFUSED in r.text  # the form again, with the reason
    director.refresh_from_db()
    assert director.webhook_url == ""
    assert internal.received == []


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/hook",
        "http://localhost:{port}/hook",
        "http://[::1]:{port}/hook",
        "http://[::ffff:127.0.0.1]:{port}/hook",
        "http://[::ffff:7f00:1]:{port}/hook",
        "http://0.0.0.0:{port}/hook",
        "http://10.0.0.8/hook",
        "http://192.168.1.20/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[fd00:ec2::254]/latest/meta-data/",
        "https://[fe80::1]/hook",
        "http://224.0.0.1/hook",
    ],
)
def test_it_refuses_private_addresses_when_the_roster_is_saved(director, internal, url):
    director.webhook_url = url.format(port=internal.server_port)
    with pytest.raises(ValidationError) as refused:
        director.full_clean()
    assert REFUSED in str(refused.value.message_dict["webhook_url"])


def test_it_refuses_a_host_name_that_resolves_to_a_private_address(director, monkeypatch):
    fake_dns(monkeypatch, "10.20.30.40")
    director.webhook_url = "https://hooks.example.org/alert"
    with pytest.raises(ValidationError) as refused:
        director.full_clean()
    assert REFUSED in str(refused.value.message_dict["webhook_url"])


@pytest.mark.parametrize(
    "url",
    [
        "{url}",  # saved before this check, or straight into the database
        "http://2130706433:{port}/hook",  # 127.0.0.1 in decimal
        "http://0177.0.0.1:{port}/hook",  # and in octal
        "http://0x7f.1:{port}/hook",
        "http://[::ffff:127.0.0.1]:{port}/hook",
    ],
)
def test_it_refuses_at_send_time_a_webhook_to_this_server(director, internal, url):
    url = url.format(url=internal.url, port=internal.server_port)
    result, n = send(director, url)
    assert internal.received == []  # the internal service heard nothing
    assert result == "failed" and n.status == "failed" and n.next_attempt_at is None  # for good
    assert n.last_error == "webhook: address not allowed (not a public address)"


def test_it_refuses_when_the_name_now_resolves_to_this_server(director, internal, monkeypatch):
    """Public when saved, 127.0.0.1 when the alert goes out: DNS changed in between."""
    fake_dns(monkeypatch, "93.184.215.14", "127.0.0.1")
    director.webhook_url = f"http://hooks.example.org:{internal.server_port}/hook"
    director.full_clean()  # a public address then
    director.save()
    result, n = send(director, director.webhook_url)
    assert internal.received == []
    assert n.status == "failed" and "not allowed" in n.last_error


def test_it_connects_to_the_address_it_checked_not_a_rebound_one(director, internal, monkeypatch):
    """DNS rebinding: the name answers with a public address to the check and 127.0.0.1 to
    any later question. The connection goes to the public address (unreachable here), never
    to this server."""
    fake_dns(monkeypatch, "93.184.215.14", "127.0.0.1")
    tried, connect = [], socket.socket.connect

    def only_loopback(sock, address):
        tried.append(address[0])
        if address[0] != "127.0.0.1":
            raise ConnectionRefusedError(111, "Connection refused")  # no Internet in tests
        return connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", only_loopback)
    result, n = send(director, f"http://hooks.example.org:{internal.server_port}/hook")
    assert internal.received == []
    assert tried == ["93.184.215.14"]
    assert result == "retrying" and n.last_error == "webhook: could not connect"


def test_it_does_not_follow_a_redirect(director, internal, settings):
    """Even where private receivers are allowed, a receiver's redirect is not followed
    (it could point anywhere, the metadata service included)."""
    settings.WEBHOOK_ALLOW_PRIVATE = True
    internal.redirect_to = f"http://127.0.0.1:{internal.server_port}/latest/meta-data/"
    result, n = send(director, internal.url)
    assert [(method, path) for method, path, _ in internal.received] == [("POST", "/hook")]
    assert n.status == "failed" and "redirect" in n.last_error


def test_it_lets_the_operator_allow_a_receiver_on_the_library_network(director, internal, settings):
    settings.WEBHOOK_ALLOW_PRIVATE = True  # PATRONSHIELD_WEBHOOK_ALLOW_PRIVATE=1
    director.webhook_url = internal.url
    director.full_clean()
    result, n = send(director, internal.url)
    assert result == "sent" and len(internal.received) == 1


@pytest.mark.parametrize("allow_private", [False, True])
def test_it_refuses_the_admin_a_port_scanner_in_the_test_message(
    client, people, director, settings, allow_private
):
    """ "Send a test message" to a closed port on this server: the admin reads that it was
    not sent, never the socket's error (which would tell an open port from a closed one)."""
    settings.WEBHOOK_ALLOW_PRIVATE = allow_private
    Contact.objects.filter(pk=director.pk).update(
        webhook_url=f"http://127.0.0.1:{free_port()}/hook", email=""
    )
    admin = people["admin"]
    admin.is_staff = True
    admin.save()
    client.force_login(admin)
    r = client.post(
        reverse("admin:notifications_contact_changelist"),
        {"action": "send_test", "_selected_action": [director.pk]},
        follow=True,
    )
    shown = " ".join(str(m) for m in r.context["messages"])
    assert "webhook: not sent" in shown
    for socket_words in ("Errno", "refused", "Connection", "urlopen", "111"):
        assert socket_words not in shown

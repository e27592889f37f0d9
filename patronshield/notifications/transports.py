"""How a message leaves the server: e-mail, a text-message gateway, a signed webhook.
After healthchecks' transports: one small class per channel and one error type."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import ipaddress
import json
import logging
import socket
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage

logger = logging.getLogger(__name__)


class TransportError(Exception):
    def __init__(self, message: str, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


class DestinationRefused(TransportError):
    """A webhook address on this server, a private network, a cloud's metadata service or
    anywhere else that is not the public Internet."""

    def __init__(self):
        super().__init__("webhook: address not allowed (not a public address)", permanent=True)


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over "<timestamp>.<body>", as "sha256=<hex>"."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, signature: str, tolerance=300) -> bool:
    """For receivers: the signature matches and the timestamp is recent."""
    if abs(time.time() - int(timestamp)) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


def send_email(to: str, subject: str, body: str, key: str) -> None:
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={"Message-ID": f"<{key}@patronshield>", "X-PatronShield-Key": key},
    )
    try:
        message.send(using="default")
    except (OSError, Exception) as e:  # smtplib errors, refused connections, timeouts
        raise TransportError(f"mail: {e.__class__.__name__}: {e}"[:300]) from e


def is_public(address: str) -> bool:
    """The address is on the public Internet: not loopback, private, link-local, a cloud's
    metadata service (169.254.169.254, fd00:ec2::254), multicast, reserved or unspecified,
    IPv4 written as IPv6 included (::ffff:127.0.0.1 is 127.0.0.1). Python's ipaddress knows
    the ranges."""
    ip = ipaddress.ip_address(address)
    if ip.version == 6:  # an IPv4 address written as IPv6 is checked as that address
        ip = ip.ipv4_mapped or ip.sixtofour or ip
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)


def resolve(host: str, port: int) -> list[tuple]:
    """Where host:port points, every address checked (one bad address is enough to refuse:
    a name can answer with a public and a private one); PATRONSHIELD_WEBHOOK_ALLOW_PRIVATE=1
    lifts the check. Decimal and octal spellings (2130706433, 0177.0.0.1) resolve to the
    address they name, and are checked as that."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as e:
        raise TransportError("webhook: host not found") from e
    if not settings.WEBHOOK_ALLOW_PRIVATE and not all(is_public(a[4][0]) for a in found):
        raise DestinationRefused
    return found


def webhook_address(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path) of an http or https address; TransportError otherwise."""
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as e:
        raise TransportError("webhook: not a web address", permanent=True) from e
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TransportError("webhook: not an http or https address", permanent=True)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, parts.hostname, port, path


def check_webhook_url(url: str) -> None:
    """Where a webhook may point, checked when the roster is saved (and again at each send):
    DestinationRefused, or TransportError when it cannot be used at all."""
    _scheme, host, port, _path = webhook_address(url)
    resolve(host, port)


def connect_checked(address, timeout=None, source_address=None) -> socket.socket:
    """socket.create_connection, to an address just checked: the server connects to the
    address it checked, so a name that answers differently a moment later (DNS rebinding)
    does not get it anywhere else."""
    error = None
    for family, kind, proto, _name, sockaddr in resolve(*address):
        sock = socket.socket(family, kind, proto)
        try:
            sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(sockaddr)
            return sock
        except OSError as e:
            sock.close()
            error = e
    raise error or OSError("no address")


class CheckedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = connect_checked  # http.client's hook for opening the socket


class CheckedHTTPSConnection(http.client.HTTPSConnection):  # TLS still checks the host name
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = connect_checked


def send_webhook(url: str, secret: str, payload: dict, key: str) -> None:
    """POST the payload, signed. Redirects are not followed. Errors say what failed in
    general terms; the socket's own message goes to the server's log only."""
    scheme, host, port, path = webhook_address(url)
    body = json.dumps(payload, sort_keys=True).encode()
    timestamp = str(int(time.time()))
    connection_class = CheckedHTTPSConnection if scheme == "https" else CheckedHTTPConnection
    connection = connection_class(host, port, timeout=5)
    try:
        connection.request(
            "POST",
            path,
            body=body,
            headers={  # spelled as they always went out, for receivers that mind the case
                "Content-Type": "application/json",
                "User-Agent": "PatronShield",
                "Idempotency-Key": key,
                "X-Patronshield-Timestamp": timestamp,
                "X-Patronshield-Signature": sign(secret, timestamp, body),
            },
        )
        status = connection.getresponse().status
    except (OSError, http.client.HTTPException, UnicodeError) as e:
        logger.warning("webhook to %s: %s: %s", host, e.__class__.__name__, e)
        raise TransportError("webhook: could not connect") from e
    finally:
        connection.close()
    if 300 <= status < 400:
        raise TransportError(f"webhook: HTTP {status}, a redirect (not followed)", permanent=True)
    if status >= 400:
        raise TransportError(f"webhook: HTTP {status}", permanent=status < 500)


# Text messages through Twilio (the official package). Carriers have closed their
# e-mail-to-text gateways (T-Mobile December 2024, AT&T June 2025, Verizon March 2027).


def twilio_configured() -> bool:
    return bool(settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN and settings.TWILIO_FROM)


def e164(phone: str) -> str:
    """+<digits> as Twilio wants it; ten digits are a North American number (+1)."""
    digits = "".join(c for c in phone if c.isdigit())
    if phone.strip().startswith("+"):
        return f"+{digits}"
    if len(digits) == 10:
        return f"+1{digits}"
    if len(digits) == 11 and digits.startswith("1"):
        return f"+{digits}"
    return f"+{digits}" if digits else phone


def twilio_client():
    """The package's client; its requests go to TWILIO_API_URL instead of Twilio's hosts when
    that is set (the package's own host names, api.twilio.com and the regional ones, are
    replaced, path and query kept)."""
    from twilio.http.http_client import TwilioHttpClient
    from twilio.rest import Client

    class HttpClient(TwilioHttpClient):
        def request(self, method, url, *args, **kwargs):
            if base := settings.TWILIO_API_URL:
                parts = urlsplit(url)
                url = base + parts.path + (f"?{parts.query}" if parts.query else "")
            return super().request(method, url, *args, **kwargs)

    return Client(
        settings.TWILIO_ACCOUNT_SID,
        settings.TWILIO_AUTH_TOKEN,
        http_client=HttpClient(timeout=10),
    )


def _twilio(kind: str, create) -> str:
    """Runs one request through the package (`create(client)`); returns the new resource's
    sid. Twilio's refusals of the request (an invalid number, 21211; a bad account, 20003) are
    permanent; too many requests (429) and its own errors (5xx) are tried again. The error
    says Twilio's code, never its message (which repeats the phone number)."""
    import requests
    from twilio.base.exceptions import (
        TwilioException,
        TwilioRestException,
        TwilioServiceException,
    )

    if not twilio_configured():
        raise TransportError(f"{kind}: the provider is not configured", permanent=True)
    try:
        resource = create(twilio_client())
    except (TwilioRestException, TwilioServiceException) as e:
        status = int(e.status or 0)
        raise TransportError(
            f"{kind}: refused by the provider, error {e.code} (HTTP {status})",
            permanent=status != 429 and status < 500,
        ) from e
    except (requests.RequestException, TwilioException, ValueError) as e:
        logger.warning("twilio: %s: %s", e.__class__.__name__, e)
        raise TransportError(f"{kind}: could not reach the provider") from e
    return resource.sid or ""


def send_text(phone: str, body: str, status_callback: str = "") -> str:
    """A text message through Twilio; returns its sid."""
    extra = {"status_callback": status_callback} if status_callback else {}
    return _twilio(
        "text",
        lambda client: client.messages.create(
            to=e164(phone), from_=settings.TWILIO_FROM, body=body, **extra
        ),
    )


def place_call(phone: str, twiml: str, status_callback: str = "") -> str:
    """A phone call through Twilio that plays `twiml`; returns its sid. Its status callback
    reports how it ended (completed, busy, no-answer, failed)."""
    extra = {"status_callback": status_callback} if status_callback else {}
    return _twilio(
        "call",
        lambda client: client.calls.create(
            to=e164(phone), from_=settings.TWILIO_FROM, twiml=twiml, timeout=30, **extra
        ),
    )

"""How a message leaves the server: e-mail, a text-message gateway, a signed webhook.
After healthchecks' transports: one small class per channel and one error type."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.mail import EmailMessage


class TransportError(Exception):
    def __init__(self, message: str, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


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


def send_webhook(url: str, secret: str, payload: dict, key: str) -> None:
    body = json.dumps(payload, sort_keys=True).encode()
    timestamp = str(int(time.time()))
    request = urllib.request.Request(  # noqa: S310 - the administrator sets this URL
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "PatronShield",
            "Idempotency-Key": key,
            "X-PatronShield-Timestamp": timestamp,
            "X-PatronShield-Signature": sign(secret, timestamp, body),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            if response.status >= 300:
                raise TransportError(f"webhook: HTTP {response.status}")
    except urllib.error.HTTPError as e:
        raise TransportError(f"webhook: HTTP {e.code}", permanent=400 <= e.code < 500) from e
    except (urllib.error.URLError, OSError) as e:
        raise TransportError(f"webhook: {e}"[:300]) from e

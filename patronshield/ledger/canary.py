"""`patronshield verify-canary URL`: check a library's signed warrant canary from any
machine, without the library's database (no Django).

It fetches the canary (`…/canary.json`) and the library's public key (from the same site's
`/.well-known/patronshield-key.txt`, or pinned with `--key HEX`, which is stronger: a site
that was taken over serves its own key), then checks the signature, the state, the expiry
and the freshness proof (the newest daily checkpoint, at most FRESH_DAYS old).

Exit status: 0 the canary is active and every check passed; 1 it is not active (lapsed,
switched off, expired, stale): read that as the canary being down; 2 it cannot be trusted
(bad signature, another key, unreadable, unreachable)."""

from __future__ import annotations

import argparse
import json
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

from . import document_signature_valid

FORMAT = "patronshield-canary/1"
FRESH_DAYS = 3  # the daily checkpoint, with a day or two to spare
KEY_PATH = ".well-known/patronshield-key.txt"
MAX_BYTES = 65_536


@dataclass
class Verdict:
    status: int = 0  # 0 active, 1 down, 2 untrusted
    lines: list[str] = field(default_factory=list)

    def fail(self, status: int, line: str) -> None:
        self.status = max(self.status, status)
        self.lines.append(line)


def key_url(canary_url: str) -> str:
    """The key's address beside the canary: /canary.json -> /.well-known/…, and
    /l/<slug>/canary.json -> /l/<slug>/.well-known/… (a consortium member's)."""
    parts = urlsplit(canary_url)
    base = parts.path.rsplit("/", 1)[0] + "/"
    return urlunsplit((parts.scheme, parts.netloc, base + KEY_PATH, "", ""))


def fetch(url: str) -> bytes:
    if urlsplit(url).scheme not in ("http", "https"):
        raise ValueError(f"not an http(s) address: {url}")
    request = urllib.request.Request(url, headers={"Accept": "application/json, text/plain"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
        return response.read(MAX_BYTES + 1)[:MAX_BYTES]


def parse_key(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    key = next((line for line in lines if not line.startswith("#")), "")
    if len(key) != 64 or any(c not in "0123456789abcdef" for c in key.lower()):
        raise ValueError("the key file holds no Ed25519 public key (64 hex digits)")
    return key.lower()


def _time(value) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def check(document: dict, key: str, now: datetime) -> Verdict:
    v = Verdict()
    if document.get("format") != FORMAT:
        v.fail(2, f"not a Patron Shield canary (format {document.get('format')!r})")
        return v
    if not document_signature_valid(document, key):
        v.fail(2, "the signature does not verify with the library's key: do not trust it")
        return v
    name = (document.get("library") or {}).get("name", "?")
    v.lines.append(f"signed by {name}'s key {key[:16]}…")
    state = document.get("state")
    issued, expires = _time(document.get("issued_at")), _time(document.get("expires_at"))
    if state != "active":
        v.fail(1, f"the canary is {state}: the library no longer makes the statement")
    elif expires is None or expires <= now:
        v.fail(1, f"the canary expired at {document.get('expires_at')}")
    else:
        v.lines.append(f"active: {document.get('statement')}")
        v.lines.append(f"expires {expires:%Y-%m-%d %H:%M} UTC")
    if issued is None or issued > now + timedelta(minutes=10):
        v.fail(2, f"the canary's issue time is not believable: {document.get('issued_at')}")
    fresh = document.get("freshness") or {}
    checkpoint = _time(fresh.get("checkpoint_at"))
    if checkpoint is None:
        v.fail(1, "no freshness proof: the library has no daily checkpoint yet")
    elif now - checkpoint > timedelta(days=FRESH_DAYS):
        v.fail(1, f"stale: the newest daily checkpoint is from {checkpoint:%Y-%m-%d}")
    else:
        v.lines.append(f"fresh: daily checkpoint {checkpoint:%Y-%m-%d %H:%M} UTC")
    return v


def verify(url: str, key: str | None = None, now: datetime | None = None) -> Verdict:
    now = now or datetime.now(UTC)
    try:
        document = json.loads(fetch(url))
        served = parse_key(fetch(key_url(url)).decode("utf-8", "replace"))
    except (OSError, ValueError, urllib.error.URLError) as e:
        v = Verdict()
        v.fail(2, f"could not read the canary or the key: {e}")
        return v
    if not isinstance(document, dict):
        v = Verdict()
        v.fail(2, "the canary is not a JSON object")
        return v
    if key and key.lower() != served:
        v = Verdict()
        v.fail(2, "the site serves another key than the one you pinned: do not trust it")
        return v
    return check(document, key.lower() if key else served, now)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="patronshield verify-canary", description=__doc__)
    parser.add_argument("url", help="the canary's address, e.g. https://…/canary.json")
    parser.add_argument("--key", help="the library's public key (hex), pinned")
    args = parser.parse_args(argv)
    verdict = verify(args.url, args.key)
    word = {0: "OK", 1: "CANARY DOWN", 2: "UNTRUSTED"}[verdict.status]
    print(f"{word}: {args.url}")
    for line in verdict.lines:
        print(f"  {line}")
    return verdict.status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

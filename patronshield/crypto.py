"""AES-GCM for what must be kept encrypted at rest (document pages, their evidence).

Keys live outside the database: PATRONSHIELD_DATA_KEYS (or PATRONSHIELD_DATA_KEYS_FILE) as
"id:base64key,id:base64key", the first one current; the embedded default generates one
into var/data_keys. Each ciphertext names its key id, so keys can be rotated. AES-GCM
rather than Fernet: a Fernet token carries its creation time in clear.
"""

from __future__ import annotations

import base64
import os
import secrets
from functools import cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

MAGIC = b"PS1"


class MissingKey(LookupError):
    """A ciphertext names a key id that is not configured."""

    pass


def _parse(spec: str) -> dict[str, bytes]:
    keys = {}
    for item in filter(None, (x.strip() for x in spec.split(","))):
        kid, _, b64 = item.partition(":")
        key = base64.urlsafe_b64decode(b64 + "=" * (-len(b64) % 4))
        if len(key) != 32 or not kid or len(kid) > 32:
            raise ValueError(f"data key {kid!r}: need an id and a 256-bit key")
        keys[kid] = key
    return keys


def new_key_spec(kid: str | None = None) -> str:
    kid = kid or secrets.token_hex(4)
    return f"{kid}:{base64.urlsafe_b64encode(AESGCM.generate_key(bit_length=256)).decode()}"


@cache
def keyring() -> tuple[str, dict[str, bytes]]:
    spec = os.environ.get("PATRONSHIELD_DATA_KEYS", "")
    if path := os.environ.get("PATRONSHIELD_DATA_KEYS_FILE"):
        spec = open(path).read().strip()  # noqa: SIM115, PTH123
    if not spec:
        local = settings.VAR_DIR / "data_keys"
        if not local.exists():
            local.write_text(new_key_spec())
            local.chmod(0o600)
        spec = local.read_text().strip()
    keys = _parse(spec)
    return next(iter(keys)), keys


def encrypt(plaintext: bytes, purpose: str) -> bytes:
    current, keys = keyring()
    nonce = secrets.token_bytes(12)
    kid = current.encode()
    sealed = AESGCM(keys[current]).encrypt(nonce, plaintext, purpose.encode())
    return MAGIC + bytes([len(kid)]) + kid + nonce + sealed


def key_id(blob: bytes) -> str:
    return bytes(blob[4 : 4 + blob[3]]).decode()


def decrypt(blob: bytes, purpose: str) -> bytes:
    blob = bytes(blob)
    if not blob.startswith(MAGIC):
        raise ValueError("not a Patron Shield ciphertext")
    n = blob[3]
    kid = blob[4 : 4 + n].decode()
    nonce, sealed = blob[4 + n : 16 + n], blob[16 + n :]
    _current, keys = keyring()
    if kid not in keys:
        raise MissingKey(f"data key {kid!r} is not configured")
    return AESGCM(keys[kid]).decrypt(nonce, sealed, purpose.encode())


def mac(message: bytes, purpose: str, kid: str | None = None) -> str:
    """HMAC-SHA256 under a key derived from a data key: "<key id>:<hex>". Someone with the
    database alone cannot make one."""
    import hashlib
    import hmac

    current, keys = keyring()
    kid = kid or current
    if kid not in keys:
        raise MissingKey(f"data key {kid!r} is not configured")
    derived = hmac.new(keys[kid], b"patronshield-mac:" + purpose.encode(), hashlib.sha256)
    return f"{kid}:{hmac.new(derived.digest(), message, hashlib.sha256).hexdigest()}"


def mac_checker(purpose: str):
    """`mac_valid` for many messages of one purpose (the verifier checks one MAC per event):
    each key is derived once, and HMAC's inner and outer hashes are started once (RFC 2104),
    then copied per message, a third of the cost of `hmac.digest`."""
    import hashlib
    import hmac

    _current, keys = keyring()
    started = {}
    for kid, key in keys.items():
        derived = hmac.new(key, b"patronshield-mac:" + purpose.encode(), hashlib.sha256).digest()
        block = derived.ljust(64, b"\0")  # 32 bytes: shorter than SHA-256's 64-byte block
        started[kid] = (
            hashlib.sha256(bytes(b ^ 0x36 for b in block)),
            hashlib.sha256(bytes(b ^ 0x5C for b in block)),
        )

    def valid(value: str, message: bytes) -> bool:
        kid, _, _digest = value.partition(":")
        pads = started.get(kid)
        if pads is None:
            return False
        inner, outer = pads[0].copy(), pads[1].copy()
        inner.update(message)
        outer.update(inner.digest())
        return hmac.compare_digest(f"{kid}:{outer.hexdigest()}", value)

    return valid


def mac_valid(value: str, message: bytes, purpose: str) -> bool:
    import hmac

    kid, _, _digest = value.partition(":")
    try:
        return hmac.compare_digest(mac(message, purpose, kid), value)
    except MissingKey:
        return False

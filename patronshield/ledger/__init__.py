"""The tamper-evident log, as plain Python (no Django): hashing, checkpoints, verification.

Each library has one chain of events. An event's *content* (its `data`) is hashed on its
own, and its *header* (library, sequence number, time, kind, encounter, reference, actor,
the content hash and the previous event's hash) is hashed into the event's hash. The
retention purge may delete an event's content but never its header, so a purged chain still
verifies: the content hash stands in for what was deleted.

A checkpoint is the chain's head (sequence number and hash) at a moment, signed with the
library's Ed25519 key. Copies are mailed away from the server; given back to `verify`, they
prove that nobody rewrote the chain up to that point, even with database access, since the
private key is sealed with a data key that is not in the database.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

GENESIS = "0" * 64
FORMAT = "patronshield-ledger/1"


def canonical(value) -> bytes:
    """One byte string per value: sorted keys, no spaces, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def timestamp(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def content_hash(data: dict) -> str:
    return sha256(canonical(data))


@dataclass(frozen=True)
class Entry:
    """One event as the verifier sees it; `data` is None once purged."""

    library: int
    seq: int
    at: str
    kind: str
    encounter: int | None
    ref: str
    actor: int | None
    content_hash: str
    prev_hash: str
    hash: str
    data: dict | None = None
    pk: int | None = None

    def header(self) -> dict:
        return {
            "v": FORMAT,
            "library": self.library,
            "seq": self.seq,
            "at": self.at,
            "kind": self.kind,
            "encounter": self.encounter,
            "ref": self.ref,
            "actor": self.actor,
            "content": self.content_hash,
            "prev": self.prev_hash,
        }


def seal(
    *,
    library: int,
    seq: int,
    at: datetime,
    kind: str,
    encounter: int | None,
    ref: str,
    actor: int | None,
    data: dict,
    prev_hash: str,
) -> Entry:
    """The next entry of a chain, with its hashes."""
    entry = Entry(
        library=library,
        seq=seq,
        at=timestamp(at),
        kind=kind,
        encounter=encounter,
        ref=ref,
        actor=actor,
        content_hash=content_hash(data),
        prev_hash=prev_hash,
        hash="",
        data=data,
    )
    return Entry(**{**entry.__dict__, "hash": sha256(canonical(entry.header()))})


# ------------------------------------------------------------------------- checkpoints


@dataclass(frozen=True)
class Checkpoint:
    library: int
    seq: int
    head: str
    at: str
    public_key: str  # hex
    signature: str  # hex

    def statement(self) -> bytes:
        return canonical(
            {"v": FORMAT, "library": self.library, "seq": self.seq, "head": self.head,
             "at": self.at, "key": self.public_key}
        )  # fmt: skip

    def as_dict(self) -> dict:
        return dict(self.__dict__, format=FORMAT)

    @classmethod
    def from_dict(cls, d: dict) -> Checkpoint:
        return cls(**{k: d[k] for k in ("library", "seq", "head", "at", "public_key", "signature")})

    def signature_valid(self) -> bool:
        try:
            key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(self.public_key))
            key.verify(bytes.fromhex(self.signature), self.statement())
        except (InvalidSignature, ValueError):
            return False
        return True


def new_signing_key() -> bytes:
    """32 raw bytes of a fresh Ed25519 private key."""
    from cryptography.hazmat.primitives import serialization

    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def public_key_hex(private_key: bytes) -> str:
    from cryptography.hazmat.primitives import serialization

    public = Ed25519PrivateKey.from_private_bytes(private_key).public_key()
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def sign_checkpoint(private_key: bytes, *, library: int, seq: int, head: str, at: datetime):
    unsigned = Checkpoint(library, seq, head, timestamp(at), public_key_hex(private_key), "")
    signature = Ed25519PrivateKey.from_private_bytes(private_key).sign(unsigned.statement())
    return Checkpoint(**{**unsigned.__dict__, "signature": signature.hex()})


def sign_document(private_key: bytes, document: dict) -> dict:
    """`document` with `public_key` and `signature` (hex) added: Ed25519 over the canonical
    bytes of everything else, so any reader can check it with the key alone."""
    unsigned = {k: v for k, v in document.items() if k != "signature"}
    unsigned["public_key"] = public_key_hex(private_key)
    signature = Ed25519PrivateKey.from_private_bytes(private_key).sign(canonical(unsigned))
    return {**unsigned, "signature": signature.hex()}


def document_signature_valid(document: dict, public_key: str) -> bool:
    """Whether `document` (as `sign_document` made it) was signed by `public_key` (hex), and
    names that key itself."""
    unsigned = {k: v for k, v in document.items() if k != "signature"}
    if unsigned.get("public_key") != public_key:
        return False
    try:
        key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key))
        key.verify(bytes.fromhex(str(document.get("signature", ""))), canonical(unsigned))
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


# ------------------------------------------------------------------------ verification


@dataclass
class Report:
    library: int
    events: int = 0
    purged: int = 0
    checkpoints: int = 0
    problems: list[str] = field(default_factory=list)
    first_broken: int | None = None  # sequence number of the first event that fails

    @property
    def ok(self) -> bool:
        return not self.problems

    def fail(self, seq: int | None, message: str) -> None:
        self.problems.append(message)
        if seq is not None and (self.first_broken is None or seq < self.first_broken):
            self.first_broken = seq


def verify(
    library: int,
    entries: Iterable[Entry],
    checkpoints: Iterable[Checkpoint] = (),
    *,
    head_seq: int | None = None,
    head_hash: str | None = None,
    trusted_keys: Iterable[str] = (),
) -> Report:
    """Check one library's chain: every content hash, every link, the numbering from 1
    without gaps, the recorded head, and each checkpoint (signature by a trusted key, and
    the event it names). `entries` must be in sequence order as stored."""
    report = Report(library)
    prev, expected, hashes = GENESIS, 1, {}
    for e in entries:
        report.events += 1
        if e.library != library:
            report.fail(e.seq, f"event {e.seq}: belongs to library {e.library}")
        if e.seq != expected:
            report.fail(
                min(e.seq, expected),
                f"event {expected}: missing or out of order (found {e.seq} in its place)",
            )
            expected = e.seq
        if e.data is None:
            report.purged += 1
        elif content_hash(e.data) != e.content_hash:
            report.fail(e.seq, f"event {e.seq}: content altered (content hash does not match)")
        if e.prev_hash != prev:
            report.fail(e.seq, f"event {e.seq}: not linked to the event before it")
        if sha256(canonical(e.header())) != e.hash:
            report.fail(e.seq, f"event {e.seq}: altered (hash does not match its header)")
        hashes[e.seq] = e.hash
        prev, expected = e.hash, expected + 1
    last = expected - 1
    if head_seq is not None and head_seq != last:
        report.fail(
            min(head_seq, last) + 1,
            f"the chain should end at event {head_seq} but ends at event {last}",
        )
    elif head_hash is not None and last and hashes.get(last) != head_hash:
        report.fail(last, f"event {last}: is not the head the library recorded")
    trusted = set(trusted_keys)
    for cp in checkpoints:
        report.checkpoints += 1
        if cp.library != library:
            report.fail(None, f"checkpoint at event {cp.seq}: for library {cp.library}")
        elif not cp.signature_valid():
            report.fail(None, f"checkpoint at event {cp.seq}: signature invalid")
        elif trusted and cp.public_key not in trusted:
            report.fail(None, f"checkpoint at event {cp.seq}: signed by an unknown key")
        elif cp.seq not in hashes:
            report.fail(cp.seq, f"checkpoint at event {cp.seq}: that event is missing")
        elif hashes[cp.seq] != cp.head:
            report.fail(cp.seq, f"event {cp.seq}: differs from the signed checkpoint")
    return report

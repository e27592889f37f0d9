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


_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
_string = json.encoder.encode_basestring  # a JSON string as the encoder above writes it


def _fast_encoder():
    """The C encoder `_CANONICAL.encode` makes on every call, made once (the verifier
    encodes every event's content); None where this Python's differs from it."""
    make = getattr(json.encoder, "c_make_encoder", None)
    sample = {"b": [1, 2.5, None, True, {"é": '"q"\n'}], "a": -0.1, "c": "\u2028 ✓"}
    try:
        encode = make(None, _CANONICAL.default, _string, None, ":", ",", True, False, True)
        if "".join(encode(sample, 0)) == _CANONICAL.encode(sample):
            return encode
    except Exception:  # noqa: BLE001, S110 (another Python: the plain encoder then)
        pass
    return None


_ENCODE = _fast_encoder()


def canonical(value) -> bytes:
    """One byte string per value: sorted keys, no spaces, UTF-8 (exactly what `json.dumps`
    with those options writes, without making an encoder per call, which costs more than
    encoding an event)."""
    if _ENCODE is not None and isinstance(value, dict):
        return "".join(_ENCODE(value, 0)).encode()
    return _CANONICAL.encode(value).encode()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def timestamp(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def content_hash(data: dict) -> str:
    return sha256(canonical(data))


def _int(value: int | None) -> str:
    if value is None:
        return "null"
    return int.__repr__(value) if type(value) is int else _CANONICAL.encode(value)


def header_bytes(
    library: int, seq: int, at: str, kind: str, encounter: int | None, ref: str,
    actor: int | None, content: str, prev: str,
) -> bytes:  # fmt: skip
    """`canonical(entry.header())`, written directly: the same bytes, keys in sorted order
    (the verifier's inner loop; `test_incident_log` holds the two equal)."""
    return (
        f'{{"actor":{_int(actor)},"at":{_string(at)},"content":{_string(content)},'
        f'"encounter":{_int(encounter)},"kind":{_string(kind)},"library":{_int(library)},'
        f'"prev":{_string(prev)},"ref":{_string(ref)},"seq":{_int(seq)},"v":"{FORMAT}"}}'
    ).encode()


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


class Verifier:
    """`verify`, fed one event at a time (`add`), in sequence order as stored, then
    `finish`ed: what `verify-log` streams a chain of millions of events through. It keeps
    no event, only the hashes of those the checkpoints name."""

    def __init__(self, library: int, checkpoints: Iterable[Checkpoint] = ()):
        self.library = library
        self.report = Report(library)
        self.checkpoints = list(checkpoints)
        self.named = {cp.seq for cp in self.checkpoints}
        self.hashes: dict[int, str] = {}
        self.prev, self.expected = GENESIS, 1

    def add(
        self, library: int, seq: int, at: str, kind: str, encounter: int | None, ref: str,
        actor: int | None, content: str, prev: str, hash: str, data: dict | None,
    ) -> None:  # fmt: skip
        """One event's header fields (`at` as `timestamp` writes it) and its content
        (None once purged)."""
        report = self.report
        report.events += 1
        if library != self.library:
            report.fail(seq, f"event {seq}: belongs to library {library}")
        if seq != self.expected:
            report.fail(
                min(seq, self.expected),
                f"event {self.expected}: missing or out of order (found {seq} in its place)",
            )
            self.expected = seq
        if data is None:
            report.purged += 1
        elif sha256(canonical(data)) != content:
            report.fail(seq, f"event {seq}: content altered (content hash does not match)")
        if prev != self.prev:
            report.fail(seq, f"event {seq}: not linked to the event before it")
        header = header_bytes(library, seq, at, kind, encounter, ref, actor, content, prev)
        if hashlib.sha256(header).hexdigest() != hash:
            report.fail(seq, f"event {seq}: altered (hash does not match its header)")
        if seq in self.named:
            self.hashes[seq] = hash
        self.prev, self.expected = hash, self.expected + 1

    def finish(
        self,
        *,
        head_seq: int | None = None,
        head_hash: str | None = None,
        trusted_keys: Iterable[str] = (),
    ) -> Report:
        report, hashes = self.report, self.hashes
        last = self.expected - 1
        if head_seq is not None and head_seq != last:
            report.fail(
                min(head_seq, last) + 1,
                f"the chain should end at event {head_seq} but ends at event {last}",
            )
        elif head_hash is not None and last and self.prev != head_hash:
            report.fail(last, f"event {last}: is not the head the library recorded")
        trusted = set(trusted_keys)
        for cp in self.checkpoints:
            report.checkpoints += 1
            if cp.library != self.library:
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
    verifier = Verifier(library, checkpoints)
    add = verifier.add
    for e in entries:
        add(e.library, e.seq, e.at, e.kind, e.encounter, e.ref, e.actor, e.content_hash,
            e.prev_hash, e.hash, e.data)  # fmt: skip
    return verifier.finish(head_seq=head_seq, head_hash=head_hash, trusted_keys=trusted_keys)

"""The document checker: a photo or PDF of what an officer shows -> what it is, how sure,
the words that show it, the validity checks, and what it allows here. No Django."""

from __future__ import annotations

import hashlib
import os
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo

from PIL import Image

from patronshield.policy import RuleTable, Scenario, decide
from patronshield.policy.vocab import DOCUMENT_DEFECTS

from .checks import Check, defects, document_checks
from .classify import JUDICIAL, KINDS, Classification, classify
from .commands import Commands, read_commands
from .intake import (
    Page,
    UnreadableFile,
    check_size,
    inert_pdf,
    open_image,
    pdf_page_images,
    sniff,
    stripped_jpeg,
)
from .ocr import LONG_SIDE, RETRY_BELOW, OCRUnavailable, quality, read, second_reading

__all__ = [
    "JUDICIAL",
    "KINDS",
    "CheckResult",
    "Commands",
    "LibraryContext",
    "UnreadableFile",
    "check_bytes",
    "check_pages",
    "check_path",
    "check_text",
]

AUTHORIZE_REQUESTS = ("enter_nonpublic_area", "patron_records")


@dataclass(frozen=True)
class LibraryContext:
    name: str = ""
    address: str = ""
    time_zone: str = "America/Detroit"
    state: str = "MI"
    policy: RuleTable | None = None  # the library's adopted policy (default: the model)

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)


@dataclass
class CheckResult:
    file: str
    kind: str = "unknown"
    confidence: float = 0.0
    needs_human_review: bool = True
    form: str | None = None
    signed_by: str | None = None
    signals: list[dict] = field(default_factory=list)
    # What the paper commands, of whom (court, signature, addressee, place or person,
    # records, dates), each with its words.
    commands: Commands = field(default_factory=Commands)
    checks: list[Check] = field(default_factory=list)
    authorizes: dict = field(default_factory=lambda: dict.fromkeys(AUTHORIZE_REQUESTS, False))
    # Why the paper does not hold here (codes of policy.vocab.DOCUMENT_DEFECTS): the desk
    # passes them to `decide` as `document_defects`.
    defects: list[str] = field(default_factory=list)
    pages: int = 0
    seconds: float = 0.0
    error: str | None = None
    reason: str = ""
    text: str = ""
    sha256: str = ""
    # What may be stored: images re-encoded without metadata; PDFs as they came.
    clean_files: list[tuple[str, bytes]] = field(default_factory=list, repr=False)

    def as_dict(self) -> dict:
        out = {
            "file": self.file,
            "kind": self.kind,
            "confidence": self.confidence,
            "needs_human_review": self.needs_human_review,
            "form": self.form,
            "signed_by": self.signed_by,
            "signals": self.signals,
            "commands": self.commands.as_dict(),
            "checks": [c.as_dict() for c in self.checks],
            "authorizes": self.authorizes,
            "defects": self.defects,
            "pages": self.pages,
            "seconds": round(self.seconds, 3),
        }
        if self.reason:
            out["reason"] = self.reason
        if self.error:
            out["error"] = self.error
        return out


# The checks that must pass before a paper authorizes anything here: a search warrant for
# this library, within its window, signed by a judge; an order or subpoena that commands
# this library and names the records.
MUST_PASS = {
    "judicial_search_warrant": ("place_matches_library", "execution_deadline", "judge_signature"),
    "court_order": ("addressed_to_library", "records_named", "judge_signature"),
    "fisa_order": ("addressed_to_library", "records_named", "judge_signature"),
    "judicial_subpoena": ("addressed_to_library", "records_named"),
    "grand_jury_subpoena": ("addressed_to_library", "records_named"),
}


def _authorizes(
    kind: str, state: str, checks: list[Check], policy: RuleTable | None = None
) -> dict:
    """What the paper allows here: only what it commands of this library, now. Nothing
    unless every check it needs was read and holds and no check failed (a deadline nobody
    could read is not a deadline that holds); then what the policy and the state's law
    allow. An order or a subpoena commands a release, never entry, unless it names this
    library's premises."""
    results = {c.check: c.result for c in checks}
    nothing = dict.fromkeys(AUTHORIZE_REQUESTS, False)
    needed = MUST_PASS.get(kind, ())
    if "failed" in results.values() or any(results.get(c) != "passed" for c in needed):
        return nothing
    allowed = {
        request: decide(
            Scenario(agency="other", request=request, document=kind, state=state), policy
        ).authorized
        for request in AUTHORIZE_REQUESTS
    }
    if kind != "judicial_search_warrant" and results.get("place_matches_library") != "passed":
        allowed["enter_nonpublic_area"] = False
    return allowed


def cores() -> int:
    """The cores this process may use: pages are read side by side on that many."""
    if count := getattr(os, "process_cpu_count", None):  # Python 3.13
        return count() or 1
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


@dataclass
class _Pending:
    """A page still to be read: a photo, or a scanned PDF page with its thin text layer."""

    image: Image.Image
    text: str = ""
    source: str = "ocr"


def _pages_of(name: str, data: bytes) -> tuple[list[Page | _Pending], list[tuple[str, bytes]]]:
    """The pages of one file, those with enough text already read, and what may be kept."""
    check_size(data)
    if sniff(data) == "pdf":
        pages = [
            Page(text, "text") if image is None else _Pending(image, text, "scan")
            for text, image in pdf_page_images(data, LONG_SIDE[1])
        ]
        return pages, [(name, inert_pdf(data))]
    image = open_image(data)
    return [_Pending(image)], [(Path(name).stem + ".jpg", stripped_jpeg(image))]


def _read(pending: _Pending, parts: int = 1) -> Page:
    seen, upright = read(pending.image, parts)
    text = seen + "\n" + pending.text if pending.text else seen
    return Page(text, pending.source, pending.image, upright)


def _in_parallel(fn, items: list, workers: int, done=None) -> list:
    """`fn` over `items`, up to `workers` at a time (Tesseract runs as its own process, so
    threads suffice), in order; `done()` after each one finishes."""
    if workers <= 1 or len(items) <= 1:
        out = []
        for item in items:
            out.append(fn(item))
            if done:
                done()
        return out
    with ThreadPoolExecutor(max_workers=min(workers, len(items))) as pool:
        futures = [pool.submit(fn, item) for item in items]
        for future in as_completed(futures):
            future.result()  # an exception stops here, not after every page
            if done:
                done()
        return [f.result() for f in futures]


def check_pages(
    files: list[tuple[str, bytes]],
    *,
    context: LibraryContext | None = None,
    now: datetime | None = None,
    progress=None,
    workers: int | None = None,
) -> CheckResult:
    """Check one document given as one or several files (pages).

    Pages are read side by side, on `workers` threads (default: the cores this process may
    use). `progress(read, total)` is called when the pages are counted and after each page
    is read."""
    started = time.perf_counter()
    context = context or LibraryContext()
    now = now or datetime.now(context.zone)
    workers = workers or cores()
    name = ", ".join(n for n, _ in files)
    result = CheckResult(file=name)
    found: list[Page | _Pending] = []
    digest = hashlib.sha256()
    try:
        for file_name, data in files:
            digest.update(data)
            file_pages, clean = _pages_of(file_name, data)
            found += file_pages
            result.clean_files += clean
        pending = [p for p in found if isinstance(p, _Pending)]
        count = {"read": len(found) - len(pending)}
        if progress:
            progress(count["read"], len(found))

        def page_done():
            count["read"] += 1
            if progress:
                progress(count["read"], len(found))

        # Fewer pages than cores: each page's readings are cut into bands read side by side.
        parts = max(1, workers // max(1, len(pending)))
        read_pages = iter(_in_parallel(lambda p: _read(p, parts), pending, workers, page_done))
        pages = [next(read_pages) if isinstance(p, _Pending) else p for p in found]
    except (UnreadableFile, OCRUnavailable) as e:
        result.error = str(e)
        result.seconds = time.perf_counter() - started
        return result
    result.sha256 = digest.hexdigest()
    result.pages = len(pages)
    text = "\n".join(p.text for p in pages)
    c: Classification = classify(text)
    # A photo may have lost lines to blur; a flatbed scan read well has not.
    uprights = [
        p.upright
        for p in pages
        if p.upright is not None and (p.source == "ocr" or quality(p.text) < RETRY_BELOW)
    ]
    if c.kind == "unknown" and uprights:
        # Not conclusive: read the images once more, binarised another way, and weigh the
        # words of both readings. More words can only add signals, vetoes included, and the
        # rules for a judicial kind are the same.
        parts = max(1, workers // len(uprights))
        again = _in_parallel(lambda u: second_reading(u, parts), uprights, workers)
        text += "".join("\n" + t for t in again)
        c = classify(text)
    _judge(result, c, context, now)
    result.seconds = time.perf_counter() - started
    return result


def _judge(result: CheckResult, c: Classification, context: LibraryContext, now) -> None:
    """Fill `result` from the classification: what the paper commands, the checks, the
    defects, and what it allows here."""
    result.text = c.text
    result.kind, result.confidence = c.kind, c.confidence
    result.needs_human_review, result.form, result.signed_by = (
        c.needs_human_review,
        c.form,
        c.signed_by,
    )
    result.signals, result.reason = c.signals, c.reason
    result.commands = read_commands(c.text, context=context, kind=c.kind)
    result.checks = document_checks(
        c.kind, c.text, context=context, now=now, commands=result.commands
    )
    found = set(defects(result.checks))
    if c.sample:
        found.add("sample")  # a sample or specimen copy never holds
    if c.kind in MUST_PASS and c.kind != "judicial_search_warrant":
        # An order or a subpoena commands production, never entry here (it names no
        # premises of this library to search): that bears on a request to go in.
        found.add("no_entry_commanded")
    result.defects = [d for d in DOCUMENT_DEFECTS if d in found]
    if result.defects:
        result.needs_human_review = True
    result.authorizes = _authorizes(c.kind, context.state, result.checks, context.policy)


def check_text(
    text: str,
    name: str = "text",
    *,
    context: LibraryContext | None = None,
    now: datetime | None = None,
) -> CheckResult:
    """Check a paper's words already read (a text layer, a transcript)."""
    started = time.perf_counter()
    context = context or LibraryContext()
    result = CheckResult(file=name, pages=1)
    _judge(result, classify(text), context, now or datetime.now(context.zone))
    result.seconds = time.perf_counter() - started
    return result


def check_bytes(data: bytes, name: str = "upload", **kwargs) -> CheckResult:
    return check_pages([(name, data)], **kwargs)


def check_path(path, **kwargs) -> CheckResult:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        return CheckResult(file=str(path), error=f"The file could not be opened: {e.strerror}")
    result = check_bytes(data, path.name, **kwargs)
    result.file = str(path)
    return result

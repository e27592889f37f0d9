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

from .checks import Check, search_warrant_checks
from .classify import JUDICIAL, KINDS, Classification, classify
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
    "LibraryContext",
    "UnreadableFile",
    "check_bytes",
    "check_pages",
    "check_path",
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


def _authorizes(
    kind: str, state: str, checks: list[Check], policy: RuleTable | None = None
) -> dict:
    """What the paper allows here. A search warrant allows nothing here unless the place it
    describes and its execution deadline were read and hold (this library, not past), and no
    check failed: a deadline nobody could read is not a deadline that holds."""
    results = {c.check: c.result for c in checks}
    must_pass = ("place_matches_library", "execution_deadline")
    if "failed" in results.values() or any(results.get(c, "passed") != "passed" for c in must_pass):
        return dict.fromkeys(AUTHORIZE_REQUESTS, False)
    return {
        request: decide(
            Scenario(agency="other", request=request, document=kind, state=state), policy
        ).authorized
        for request in AUTHORIZE_REQUESTS
    }


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


def _read(pending: _Pending) -> Page:
    seen, upright = read(pending.image)
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

        read_pages = iter(_in_parallel(_read, pending, workers, page_done))
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
        text += "".join("\n" + t for t in _in_parallel(second_reading, uprights, workers))
        c = classify(text)
    result.text = c.text
    result.kind, result.confidence = c.kind, c.confidence
    result.needs_human_review, result.form, result.signed_by = (
        c.needs_human_review,
        c.form,
        c.signed_by,
    )
    result.signals, result.reason = c.signals, c.reason
    if c.kind == "judicial_search_warrant":
        result.checks = search_warrant_checks(c.text, c.hits, context=context, now=now)
        if any(ch.result == "failed" for ch in result.checks):
            result.needs_human_review = True
    result.authorizes = _authorizes(c.kind, context.state, result.checks, context.policy)
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

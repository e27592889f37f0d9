"""How fast the document checker answers: a 10-page scanned PDF and phone photos.

    python bench/checker_speed.py [--photos 5] [--repeat 1]

Makes the papers from the synthetic corpus (bench/corpus.py): ten kinds, each printed to PDF,
rasterised at 300 dpi and "scanned" (bench/imaging.py), bound into one image-only PDF; and
phone photos of single pages. Then it times `patronshield.checker.check_bytes` on them, to
the answer, the way the desk runs it: the pages read side by side (`workers`: the cores this
process may use) and, for comparison in the same run, one page after another (`workers=1`).

The machine is shared, so every time is also given as a ratio to a baseline measured in the
same run: one plain Tesseract reading of one 300-dpi page (no page finding, no second
reading). A ratio moves only when the checker does; seconds move with the load.

CPU seconds (this process and its Tesseract children) are given too: divided by the
cores, they say what the PDF would take on an idle machine.

Goals (issue 16): median <= 1.5 s per photo page on 2 cores; a 10-page scanned PDF <= 15 s.
It is a report: the exit status is 0 whatever the numbers.
"""

from __future__ import annotations

import argparse
import inspect
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import imaging  # noqa: E402
from bench.corpus import KINDS, render  # noqa: E402
from bench.documents import LIBRARY, NOW  # noqa: E402

GOAL_PDF_SECONDS = 15.0
GOAL_PHOTO_SECONDS = 1.5


def scanned_pdf(pages: int = 10, dpi: int = 300, seed: int = 7) -> bytes:
    """An image-only PDF of `pages` different papers, scanned at `dpi`."""
    rng = random.Random(f"checker-speed:{seed}")  # noqa: S311 - reproducible, not secret
    scans = []
    for i in range(pages):
        _suffix, pdf, _meta = render(KINDS[i % len(KINDS)], "text-pdf", seed * 1000 + i)
        page = imaging.rasterize(pdf, dpi)[0]
        scans.append(imaging.scan(page, rng, dpi=dpi)[0])
    return imaging.images_to_pdf(scans, dpi, 75)


def photos(count: int, seed: int = 7) -> list[bytes]:
    return [
        render(KINDS[i % len(KINDS)], "photo-jpeg", seed * 1000 + 500 + i)[1] for i in range(count)
    ]


def baseline(pdf: bytes) -> float:
    """Seconds for one plain Tesseract reading of the PDF's first page image."""
    import pytesseract
    from PIL import Image
    from pypdf import PdfReader

    image = PdfReader(io.BytesIO(pdf)).pages[0].images[0].image
    gray = Image.Image.convert(image, "L")
    started = time.perf_counter()
    pytesseract.image_to_string(gray, lang="eng", config="--dpi 300")
    return time.perf_counter() - started


def cpu() -> float:
    """CPU seconds of this process and its finished children (each Tesseract run is one)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def timed(data: bytes, name: str, **kwargs) -> tuple[float, object]:
    from patronshield.checker import LibraryContext, check_bytes

    context = LibraryContext(**LIBRARY)
    started = time.perf_counter()
    result = check_bytes(data, name, context=context, now=NOW, **kwargs)
    return time.perf_counter() - started, result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--photos", type=int, default=5, help="phone photos to time")
    ap.add_argument("--repeat", type=int, default=1, help="times each file is checked")
    args = ap.parse_args(argv)

    from patronshield.checker import check_pages

    parallel = "workers" in inspect.signature(check_pages).parameters
    cores = getattr(os, "process_cpu_count", os.cpu_count)() or 1
    print(f"Making the papers (cores this process may use: {cores}) ...", file=sys.stderr)
    pdf = scanned_pdf()
    shots = photos(args.photos)
    unit = statistics.median(baseline(pdf) for _ in range(3))
    print(f"baseline: one plain Tesseract reading of a 300-dpi page: {unit:.2f} s")

    runs = [("side by side", {})]
    if parallel:
        runs.append(("one page at a time", {"workers": 1}))
    for label, kwargs in runs:
        pdf_times, kinds = [], []
        spent = cpu()
        for _ in range(args.repeat):
            seconds, result = timed(pdf, "scan.pdf", **kwargs)
            pdf_times.append(seconds)
            kinds.append(f"{result.pages} pages, {result.kind} {result.error or ''}".strip())
        pdf_cpu = (cpu() - spent) / args.repeat
        photo_times = []
        for i, data in enumerate(shots * args.repeat):
            seconds, result = timed(data, f"photo-{i}.jpg", **kwargs)
            photo_times.append(seconds)
        p, ph = statistics.median(pdf_times), statistics.median(photo_times)
        print(f"--- {label}{'' if parallel else ' (this checker has no workers option)'}")
        print(
            f"  10-page scanned PDF: {p:6.2f} s  ({p / unit:5.1f} x baseline)  "
            f"goal <= {GOAL_PDF_SECONDS:.0f} s: {'met' if p <= GOAL_PDF_SECONDS else 'NOT met'}"
            f"   [{kinds[0]}]"
        )
        print(
            f"  10-page scanned PDF: {pdf_cpu:6.2f} CPU s: on {cores} idle cores about "
            f"{pdf_cpu / (cores if parallel and not kwargs else 1):.1f} s"
        )
        print(
            f"  photo, median of {len(photo_times)}: {ph:6.2f} s  ({ph / unit:5.1f} x baseline)  "
            f"goal <= {GOAL_PHOTO_SECONDS} s: {'met' if ph <= GOAL_PHOTO_SECONDS else 'NOT met'}"
            f"   (each: {', '.join(f'{t:.2f}' for t in photo_times)})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

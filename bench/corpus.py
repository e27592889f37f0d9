"""Deterministic synthetic corpus of what an officer might show at the library desk.

    python bench/corpus.py --out var/corpus --count 360 --seed 1

writes `doc-NNNN.<ext>` files and `manifest.json` (a list of objects with `file`, `kind`,
`form`, `variant`, `place_matches_library`, `issued`, `execute_by`, `signer_title`, plus
informational keys: `template`, `pages`, `text_layer`, `seed`, `imaging`).

* `kind` is the true kind (never "unknown").
* `place_matches_library` is a bool for search warrants (is the place to be searched the
  Ecorse Public Library?) and null for every other kind.
* `issued` is the date on the document; `execute_by` is the date by which it must be executed
  or complied with (search-warrant deadline, subpoena return date, production deadline of an
  order), null when the document has none.

Documents are modelled on public forms (AO 93/93C, AO 442, AO 88B, AO 89B, AO 110, Michigan
MC 11 and state warrants, DHS I-200, I-205, I-247A, I-138, FBI national security letters,
FISC orders) in our own words, rendered to PDF by WeasyPrint and rasterised by pdftoppm, then
turned into scans and simulated phone photos with Pillow. Everything is seeded: the same
arguments give byte-identical files.

`render(kind, variant, seed)` makes one file in memory for tests.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import shutil
import sys
import time
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import weasyprint  # noqa: E402
from PIL import Image  # noqa: E402

from bench import forms_agency, forms_judicial, imaging  # noqa: E402
from bench.documents_html import NOW, W, base_css  # noqa: E402
from patronshield.checker import JUDICIAL  # noqa: E402
from patronshield.checker import KINDS as CHECKER_KINDS

# The checker's verdicts, less "unknown" (never a true kind).
KINDS = [k for k in CHECKER_KINDS if k != "unknown"]
VARIANTS = ["text-pdf", "image-pdf", "photo-jpeg", "scan-png", "photo-webp", "multi-page-pdf"]
JUDICIAL_KINDS = JUDICIAL
BUILDERS = {
    "judicial_search_warrant": forms_judicial.search_warrant,
    "judicial_arrest_warrant": forms_judicial.arrest_warrant,
    "administrative_warrant": forms_agency.administrative_warrant,
    "judicial_subpoena": forms_judicial.judicial_subpoena,
    "grand_jury_subpoena": forms_judicial.grand_jury_subpoena,
    "administrative_subpoena": forms_agency.administrative_subpoena,
    "court_order": forms_judicial.court_order,
    "detainer": forms_agency.detainer,
    "national_security_letter": forms_agency.national_security_letter,
    "fisa_order": forms_judicial.fisa_order,
    "other": forms_agency.other,
}
REAL_SAMPLE = Path("/work/shared/samples/ao442-arrest-warrant-sample.pdf")
# Its "EJEMPLO" watermark makes it a sample, not a warrant: `other`, "this is a sample"
# (issue 16; shared/samples/README.md, written before, still names the form's kind).
REAL_SAMPLE_META = {
    "kind": "other",
    "form": "AO 442",
    "variant": "real-sample",
    "place_matches_library": None,
    "issued": "2025-02-17",
    "execute_by": None,
    "signer_title": "Judge",
    "template": "real-sample",
    "pages": 1,
    "text_layer": True,
}
SUFFIX = {
    "text-pdf": ".pdf",
    "image-pdf": ".pdf",
    "multi-page-pdf": ".pdf",
    "scan-png": ".png",
    "photo-jpeg": ".jpg",
    "photo-webp": ".webp",
}


# --------------------------------------------------------------------------- HTML -> PDF


def _html(doc, w: W, pages: int) -> str:
    margin_boxes = ""
    if doc.raster_size is None and w.rng.random() < 0.1:
        # Printed from a browser, like the real sample: date, title, URL and page count.
        issued = date.fromisoformat(doc.meta["issued"]) if doc.meta["issued"] else NOW
        printed = issued + timedelta(days=w.rng.randint(0, (NOW - issued).days))
        clock = f"{w.rng.randint(1, 12)}:{w.rng.randint(10, 59)} PM"
        stamp = f"{printed.month}/{printed.day}/26, {clock}"
        url = w.pick(
            [
                "https://mail.google.com/mail/u/0/#inbox?projector=1",
                "about:blank",
                "https://outlook.office.com/mail/inbox/id/AAQkADE3",
                "file:///C:/Users/desk/Downloads/scan0041.pdf",
            ]
        )
        margin_boxes = (
            f'@top-left {{ content: "{stamp}"; font: 7pt "DejaVu Sans"; }}'
            f'@top-center {{ content: "{w.pick(["Print", "document.pdf", "Scan_20261118"])}"; '
            'font: 7pt "DejaVu Sans"; }'
            f'@bottom-left {{ content: "{url}"; font: 7pt "DejaVu Sans"; }}'
            '@bottom-right { content: counter(page) "/" counter(pages); font: 7pt "DejaVu Sans"; }'
        )
    body = "".join(doc.pages[:pages])
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><style>"
        f"@page {{ {doc.page_css} {margin_boxes} }}"
        f"{base_css(w)}{doc.css}</style></head><body>{body}</body></html>"
    )


def _pdf(doc, w: W, pages: int) -> tuple[bytes, bool]:
    """Render; when the text overflows the pages it should fill, shrink the type and retry.
    Returns the PDF and whether it still overflowed (then only the first pages are kept)."""
    html = ""
    for _ in range(8):
        html = _html(doc, w, pages)
        rendered = weasyprint.HTML(string=html).render()
        if len(rendered.pages) <= pages:
            return rendered.write_pdf(), False
        w.size = round(w.size - 0.4, 1)
    rendered = weasyprint.HTML(string=html).render()
    return rendered.copy(rendered.pages[:pages]).write_pdf(), True


# --------------------------------------------------------------------------- render


def render(kind: str, variant: str, seed: int) -> tuple[str, bytes, dict]:
    """One corpus file in memory: (filename suffix, file bytes, manifest facts without `file`)."""
    if kind not in BUILDERS:
        raise ValueError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    if variant not in SUFFIX:
        raise ValueError(f"unknown variant {variant!r}; expected one of {', '.join(VARIANTS)}")
    # A seeded PRNG is the point here: the corpus must be reproducible, not secret.
    rng = random.Random(f"patronshield-corpus:{seed}:{kind}")  # noqa: S311
    w = W(rng)
    multi = variant == "multi-page-pdf"
    w.extra["multi"] = multi
    doc = BUILDERS[kind](w)
    pages = 2 if multi else 1
    pdf, overflow = _pdf(doc, w, pages)
    irng = random.Random(f"patronshield-corpus:{seed}:{kind}:{variant}:imaging")  # noqa: S311
    meta = dict(doc.meta)
    meta["variant"] = variant
    meta["pages"] = pages
    meta["seed"] = seed
    meta["font_pt"] = w.size
    if overflow:
        meta["overflow"] = True
    img_meta: dict = {}
    when = datetime(2026, 11, 24, 9, 0)  # photos are taken at the desk on the benchmark's day
    card = doc.raster_size is not None

    if variant == "text-pdf" or (multi and irng.random() < 0.6):
        data = pdf
        meta["text_layer"] = True
    elif variant in ("image-pdf", "multi-page-pdf"):
        dpi = 200
        scanned = []
        for page in imaging.rasterize(pdf, dpi * (3 if card else 1) // (2 if card else 1)):
            if card:
                page = _on_flatbed(page, irng, dpi)
            img, m = imaging.scan(page, irng, dpi=dpi)
            img_meta.update(m)
            scanned.append(img)
        data = imaging.images_to_pdf(scanned, dpi, irng.randint(55, 85))
        meta["text_layer"] = False
    elif variant == "scan-png":
        dpi = irng.choice([200, 300])
        page = imaging.rasterize(pdf, dpi)[0]
        if card:
            page = _on_flatbed(page, irng, dpi)
        img, img_meta = imaging.scan(page, irng, dpi=dpi)
        img_meta["dpi"] = dpi
        data = imaging.encode(img, "PNG", dpi=(dpi, dpi), compress_level=6)
        meta["text_layer"] = False
    else:  # photo-jpeg, photo-webp
        page = imaging.rasterize(pdf, 300 if card else 200)[0]
        img, exif, img_meta = imaging.photograph(page, irng, when)
        meta["text_layer"] = False
        if variant == "photo-jpeg":
            q = irng.randint(40, 85)
            data = imaging.encode(img, "JPEG", quality=q, exif=exif)
        else:
            q = irng.randint(45, 85)
            data = imaging.encode(img, "WEBP", quality=q, exif=exif, method=2)
        img_meta["quality"] = q
        img_meta["size"] = list(img.size)
    meta["imaging"] = img_meta
    return SUFFIX[variant], data, meta


def _on_flatbed(card: Image.Image, rng: random.Random, dpi: int) -> Image.Image:
    """A business card scanned on a letter-size flatbed: a small card near a corner."""
    page = Image.new("RGB", (int(8.5 * dpi), int(11 * dpi)), (255, 255, 255))
    cw = int(3.5 * dpi)
    card = card.convert("RGB").resize((cw, int(cw * card.height / card.width)))
    x = int(rng.uniform(0.3, 1.0) * dpi)
    y = int(rng.uniform(0.3, 1.2) * dpi)
    border = Image.new("RGB", (card.width + 4, card.height + 4), (120, 120, 120))
    page.paste(border, (x - 2, y - 2))
    page.paste(card, (x, y))
    return page


# --------------------------------------------------------------------------- corpus


def plan(count: int, seed: int) -> list[tuple[int, str, str, int]]:
    """(index, kind, variant, file seed): kinds round-robin, variants rotating per round, so
    with count >= 66 every kind has every variant."""
    out = []
    for i in range(count):
        kind = KINDS[i % len(KINDS)]
        variant = VARIANTS[(i // len(KINDS) + i % len(KINDS)) % len(VARIANTS)]
        out.append((i, kind, variant, seed * 1_000_003 + i))
    return out


def _job(args: tuple[int, str, str, int, str]) -> dict:
    i, kind, variant, file_seed, out = args
    suffix, data, meta = render(kind, variant, file_seed)
    name = f"doc-{i:04d}{suffix}"
    (Path(out) / name).write_bytes(data)
    return {"file": name, **meta}


def generate(
    out: Path, count: int = 360, seed: int = 1, workers: int = 2, progress: bool = True
) -> list[dict]:
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("doc-*"):
        old.unlink()
    tasks = [(i, k, v, s, str(out)) for i, k, v, s in plan(count, seed)]
    entries: list[dict] = []
    started = time.monotonic()
    if workers > 1:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for n, entry in enumerate(pool.imap_unordered(_job, tasks, chunksize=2), 1):
                entries.append(entry)
                if progress and n % 40 == 0:
                    took = time.monotonic() - started
                    print(f"  {n}/{count} files, {took:.0f} s", file=sys.stderr)
    else:
        entries = [_job(t) for t in tasks]
    entries.sort(key=lambda e: e["file"])
    if REAL_SAMPLE.exists():
        shutil.copyfile(REAL_SAMPLE, out / "real-sample-ao442.pdf")
        entries.append({"file": "real-sample-ao442.pdf", **REAL_SAMPLE_META})
    ordered = [
        {
            k: e.get(k)
            for k in (
                "file",
                "kind",
                "form",
                "variant",
                "place_matches_library",
                "issued",
                "execute_by",
                "signer_title",
                "template",
                "pages",
                "text_layer",
                "seed",
                "imaging",
            )
        }
        for e in entries
    ]
    (out / "manifest.json").write_text(json.dumps(ordered, indent=1, ensure_ascii=False) + "\n")
    return ordered


def summary(entries: list[dict]) -> str:
    seen = {e["variant"] for e in entries}
    variants = [v for v in VARIANTS if v in seen] + sorted(seen - set(VARIANTS))
    counts = Counter((e["kind"], e["variant"]) for e in entries)
    kinds = [k for k in KINDS if any(e["kind"] == k for e in entries)]
    width = max(len(k) for k in kinds)
    lines = [f"{'kind':<{width}} " + " ".join(f"{v:>14}" for v in variants) + f" {'total':>6}"]
    for k in kinds:
        row = [counts[(k, v)] for v in variants]
        lines.append(f"{k:<{width}} " + " ".join(f"{n:>14}" for n in row) + f" {sum(row):>6}")
    col = [sum(counts[(k, v)] for k in kinds) for v in variants]
    lines.append(f"{'total':<{width}} " + " ".join(f"{n:>14}" for n in col) + f" {sum(col):>6}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", type=Path, default=Path("var/corpus"))
    p.add_argument("--count", type=int, default=360)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--workers", type=int, default=2)
    args = p.parse_args(argv)
    started = time.monotonic()
    entries = generate(args.out, args.count, args.seed, args.workers)
    elapsed = time.monotonic() - started
    print(summary(entries))
    print(f"\n{len(entries)} files in {args.out} ({elapsed:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

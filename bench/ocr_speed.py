"""How fast the checker reads photos and scanned PDFs, against a baseline run at the same time.

    python bench/ocr_speed.py [--baseline REF] [--repeat 1] [--synthetic 10] [--no-pdf]

Two checkers run side by side, each in its own process: this checkout's, and the one at git
`REF` (default: where this branch left main), taken out with `git archive`. Every file is given
to one and then the other (the order alternating), never both at once, each time with all the
cores this machine has, the way the desk checks one paper. The machine is shared, so the
seconds move with the load: the ratio (this checkout / baseline, file by file, then the median)
is the number to read.

Files:
- the real corpus's phone photos and scanned PDFs (bench/real.py; var/real-corpus when
  gathered), with their true kinds: right / dangerous as in `bench/documents.py --real`;
- `--synthetic N` phone photos from bench/corpus.py (photo-jpeg, kinds in turn);
- a 10-page scanned PDF made of real pages (three real court papers, rasterised by pdftoppm at
  300 dpi, "scanned" by bench/imaging.py, bound as an image-only PDF), and the same pages
  scanned at 600 dpi.

For each: seconds per page (median, 90th percentile), CPU seconds per page (this process and
its Tesseract children), and the kinds each checker said. Goals (issue 16): median <= 1.5 s
per photo page on 2 cores; a 10-page scanned PDF <= 15 s. It is a report: exit status 0.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCANNED_PAGES = [  # (real paper, pages): ten pages of real court papers
    ("ord-cacd-judgment-commitment.pdf", 4),
    ("ord-azd-bard-remand.pdf", 4),
    ("ord-cacd-marshall-seal-denied.pdf", 2),
]
GOAL_PHOTO = 1.5
GOAL_PDF = 15.0


# --------------------------------------------------------------------------- the two checkers


def serve(tree: str) -> None:
    """In a child process: check each path read from stdin with the checker in `tree`."""
    sys.path.insert(0, tree)
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from patronshield.checker import LibraryContext, check_bytes

    context = LibraryContext(
        name="Ecorse Public Library",
        address="4184 W. Jefferson Ave., Ecorse, MI 48229",
        time_zone="America/Detroit",
        state="MI",
    )
    now = datetime(2026, 11, 24, 14, 0, tzinfo=ZoneInfo("America/Detroit"))
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        path = Path(line.strip())
        t = os.times()
        cpu = t.user + t.system + t.children_user + t.children_system
        started = time.perf_counter()
        result = check_bytes(path.read_bytes(), path.name, context=context, now=now)
        seconds = time.perf_counter() - started
        t = os.times()
        out = {
            "seconds": seconds,
            "cpu": t.user + t.system + t.children_user + t.children_system - cpu,
            "kind": result.kind,
            "pages": result.pages,
            "authorizes": sorted(k for k, v in result.authorizes.items() if v),
            "error": result.error,
        }
        print(json.dumps(out), flush=True)


class Checker:
    def __init__(self, label: str, tree: Path):
        self.label = label
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(tree)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=tree,
        )
        assert json.loads(self.proc.stdout.readline())["ready"]

    def check(self, path: Path) -> dict:
        self.proc.stdin.write(f"{path}\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait()


def baseline_tree(ref: str, into: Path) -> Path:
    """The package `patronshield` as it was at `ref`."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref, "patronshield"], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


# --------------------------------------------------------------------------- the files


def scanned_pdf(folder: Path, dpi: int, out: Path) -> Path | None:
    """Ten real pages scanned at `dpi` as one image-only PDF (made once, then kept)."""
    if out.exists():
        return out
    from pypdf import PdfReader

    from bench import imaging

    if not all((folder / name).exists() for name, _ in SCANNED_PAGES):
        return None
    rng = random.Random(f"ocr-speed:{dpi}")
    scans = []
    for name, count in SCANNED_PAGES:
        data = (folder / name).read_bytes()
        assert len(PdfReader(str(folder / name)).pages) >= count
        for page in imaging.rasterize(data, dpi)[:count]:
            scans.append(imaging.scan(page, rng, dpi=dpi)[0])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(imaging.images_to_pdf(scans, dpi, 75))
    return out


def synthetic_photos(count: int, out: Path) -> list[tuple[Path, str]]:
    from bench.corpus import KINDS, render

    out.mkdir(parents=True, exist_ok=True)
    made = []
    for i in range(count):
        kind = KINDS[i % len(KINDS)]
        path = out / f"synthetic-{i:02d}-{kind}.jpg"
        if not path.exists():
            path.write_bytes(render(kind, "photo-jpeg", 7_000 + i)[1])
        made.append((path, kind))
    return made


# --------------------------------------------------------------------------- the report


def percentile(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[max(0, min(len(s) - 1, math.ceil(q * len(s)) - 1))] if s else float("nan")


def summary(label: str, rows: list[dict], goal: float | None = None) -> str:
    lines = [f"--- {label} ({len(rows)} files)"]
    for who in ("base", "new"):
        per_page = [r[who]["seconds"] / max(1, r[who]["pages"]) for r in rows]
        cpu = [r[who]["cpu"] / max(1, r[who]["pages"]) for r in rows]
        lines.append(
            f"  {'baseline' if who == 'base' else 'this    '}  per page: median "
            f"{statistics.median(per_page):5.2f} s  p90 {percentile(per_page, 0.9):5.2f} s   "
            f"CPU median {statistics.median(cpu):5.2f} s  p90 {percentile(cpu, 0.9):5.2f} s"
        )
    ratios = [r["new"]["seconds"] / r["base"]["seconds"] for r in rows]
    cpu_ratios = [r["new"]["cpu"] / max(1e-6, r["base"]["cpu"]) for r in rows]
    lines.append(
        f"  this / baseline: seconds x{statistics.median(ratios):.2f} (median of files), "
        f"CPU x{statistics.median(cpu_ratios):.2f}"
    )
    if goal is not None:
        median = statistics.median(r["new"]["seconds"] / max(1, r["new"]["pages"]) for r in rows)
        lines.append(f"  goal <= {goal} s per page: {'met' if median <= goal else 'NOT met'}")
    return "\n".join(lines)


def accuracy(rows: list[dict]) -> str:
    from bench.real import ORDERS

    out = []
    for who, label in (("base", "baseline"), ("new", "this")):
        right = sum(
            1
            for r in rows
            if r[who]["kind"] == r["true"]
            or (r[who]["kind"] == "unknown" and r["true"] not in ORDERS)
        )
        danger = sum(1 for r in rows if set(r[who]["authorizes"]) - set(r["allowed"]))
        out.append(f"{label} {right}/{len(rows)} right, {danger} dangerous")
    return "  accuracy: " + "; ".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--baseline", default=None, help="git ref (default: merge-base with main)")
    ap.add_argument("--repeat", type=int, default=1, help="times each file is checked by each")
    ap.add_argument("--synthetic", type=int, default=10, help="synthetic photos (0: none)")
    ap.add_argument("--no-pdf", action="store_true", help="photos only")
    ap.add_argument("--no-real", action="store_true", help="no real papers")
    ap.add_argument("--no-photos", action="store_true", help="PDFs only")
    ap.add_argument("--serve", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.serve:
        serve(args.serve)
        return 0
    sys.path.insert(0, str(ROOT))
    from bench.real import documents_dir, load_manifest
    from patronshield.checker import JUDICIAL

    ref = (
        args.baseline
        or subprocess.run(
            ["git", "-C", str(ROOT), "merge-base", "HEAD", "main"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    work = ROOT / "var" / "bench" / "speed"
    folder = documents_dir()
    files: dict[str, list[tuple[Path, dict]]] = {
        "real photos": [],
        "synthetic photos": [],
        "real scanned PDFs": [],
    }
    if folder and not args.no_real:
        for m in load_manifest():
            facts = {"true": m["kind"], "allowed": m.get("authorizes", [])}
            if not (folder / m["file"]).exists():
                continue
            if m.get("derived_from"):
                if not args.no_photos:
                    files["real photos"].append((folder / m["file"], facts))
            elif not m.get("text_layer") and not args.no_pdf:
                files["real scanned PDFs"].append((folder / m["file"], facts))
    for path, kind in synthetic_photos(0 if args.no_photos else args.synthetic, work / "photos"):
        # A synthetic judicial paper may command this library; any other authorizes nothing.
        allowed = ["enter_nonpublic_area", "patron_records"] if kind in JUDICIAL else []
        files["synthetic photos"].append((path, {"true": kind, "allowed": allowed}))
    if folder and not args.no_pdf:
        for dpi in (300, 600):
            pdf = scanned_pdf(folder, dpi, work / f"scanned-10-pages-{dpi}dpi.pdf")
            if pdf:
                files[f"10-page scan, {dpi} dpi"] = [(pdf, {})]
    if not folder:
        print("(no real corpus here: see bench/real.py gather; real photos and PDFs left out)")

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        f"baseline: {ref[:10]}; this: {ROOT} (with changes); {cores} cores; "
        f"load {os.getloadavg()[0]:.1f}"
    )
    with tempfile.TemporaryDirectory(prefix="ocr-speed-") as tmp:
        base = Checker("base", baseline_tree(ref, Path(tmp)))
        new = Checker("new", ROOT)
        results: dict[str, list[dict]] = {}
        turn = 0
        for label, items in files.items():
            for path, facts in items:
                for _ in range(args.repeat):
                    turn += 1
                    order = (base, new) if turn % 2 else (new, base)
                    row = dict(facts, file=path.name)
                    for checker in order:
                        row[checker.label] = checker.check(path)
                    results.setdefault(label, []).append(row)
                    print(
                        f"  {path.name:<48} base {row['base']['seconds']:6.2f} s "
                        f"{row['base']['kind']:<24} this {row['new']['seconds']:6.2f} s "
                        f"{row['new']['kind']}",
                        file=sys.stderr,
                    )
        base.close()
        new.close()
    print(f"load at the end {os.getloadavg()[0]:.1f}")
    for label, rows in results.items():
        photos = "photo" in label
        print(summary(label, rows, GOAL_PHOTO if photos else None))
        if "true" in rows[0]:
            print(accuracy(rows))
        else:
            r = rows[0]
            for who in ("base", "new"):
                s = statistics.median(x[who]["seconds"] for x in rows)
                print(
                    f"  {'baseline' if who == 'base' else 'this    '}  to the answer: {s:6.2f} s "
                    f"({r[who]['pages']} pages, {r[who]['kind']}) goal <= {GOAL_PDF:.0f} s: "
                    f"{'met' if s <= GOAL_PDF else 'NOT met'}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())

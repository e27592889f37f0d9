"""The real-document corpus: public papers nobody here made, with their sources recorded.

    python bench/real.py photos          # make the phone-photo versions from the PDFs
    python bench/real.py check           # every file present, with the recorded sha256
    python bench/real.py gather --mirrors DIR   # copy the papers out of fetched repositories

`bench/real/manifest.toml` lists every paper: where it came from (repository, commit, path,
original publisher and URL), when it was retrieved, its true kind (the engine's document
vocabulary, plus `other`), whom it commands, and what it truly authorizes of the benchmark
library (the Ecorse Public Library): for a real order in someone else's case, nothing.

The papers themselves are fetched public data and are not committed with the code: they live
in the first of these directories that exists: $PATRONSHIELD_REAL_CORPUS, var/real-corpus in
this checkout, shared/real-corpus beside it. Photos are made from the PDFs by `photos`
(bench/imaging.py's perspective, blur and lighting, seeded), so the same files come out again.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import sys
import tomllib
from datetime import datetime
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import imaging  # noqa: E402
from patronshield.policy import vocab  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "bench" / "real" / "manifest.toml"
# Orders: a safe `unknown` is not a right answer for these (the desk must know it is an order).
ORDERS = frozenset(vocab.DOCUMENTS) - {"none", "verbal", "other", "unknown"}
PHOTO_DPI = 150
PHOTO_LONG_SIDE = 2000
PHOTO_WHEN = datetime(2026, 11, 24, 10, 0)


def documents_dir() -> Path | None:
    """Where the papers are, or None when they are not on this machine."""
    env = os.environ.get("PATRONSHIELD_REAL_CORPUS")
    candidates = [Path(env)] if env else []
    candidates += [ROOT / "var" / "real-corpus", ROOT.parent / "shared" / "real-corpus"]
    for c in candidates:
        if any(c.glob("*.pdf")):
            return c
    return None


def load_manifest(path: Path = MANIFEST) -> list[dict]:
    with path.open("rb") as f:
        docs = tomllib.load(f)["document"]
    for d in docs:
        bad = set(d.get("authorizes", [])) - {"enter_nonpublic_area", "patron_records"}
        if bad:
            raise ValueError(f"{d['file']}: unknown authorizes value(s) {sorted(bad)}")
    return docs


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_photos(docs: list[dict], folder: Path) -> list[Path]:
    """Each photo entry: page `page` of `derived_from`, rendered and photographed with `seed`."""
    made = []
    for d in docs:
        if not d.get("derived_from"):
            continue
        pdf = (folder / d["derived_from"]).read_bytes()
        page = imaging.rasterize(pdf, PHOTO_DPI)[d.get("page", 1) - 1].convert("RGB")
        img, exif, _ = imaging.photograph(page, random.Random(d["seed"]), PHOTO_WHEN)
        scale = PHOTO_LONG_SIDE / max(img.size)
        if scale < 1:
            img = img.resize((round(img.width * scale), round(img.height * scale)))
        out = folder / d["file"]
        out.write_bytes(imaging.encode(img, "JPEG", quality=82, exif=exif))
        made.append(out)
    return made


def gather(docs: list[dict], mirrors: Path, folder: Path) -> list[str]:
    """Copy each paper out of a local copy of its repository (a git directory at
    MIRRORS/owner+name/repo, as brought by fetching the repository), at the recorded commit,
    keeping its first `pages` pages; each source is checked against its recorded sha256."""
    import io
    import subprocess

    from pypdf import PdfReader, PdfWriter

    folder.mkdir(parents=True, exist_ok=True)
    problems = []
    for d in docs:
        src = d.get("source")
        if not src:
            continue  # a photo: `photos` makes it
        git_dir = mirrors / src["repo"].replace("/", "+") / "repo"
        shown = subprocess.run(
            ["git", "--git-dir", str(git_dir), "show", f"{src['commit']}:{src['path']}"],
            capture_output=True,
        )
        if shown.returncode:
            problems.append(f"{d['file']}: not in {git_dir} at {src['commit'][:10]}")
            continue
        data = shown.stdout
        if d.get("sha256_source") and hashlib.sha256(data).hexdigest() != d["sha256_source"]:
            problems.append(f"{d['file']}: the source differs from the manifest's sha256")
            continue
        if d.get("pages_in_source", 0) > d.get("pages", 0) > 0:
            writer = PdfWriter()
            for page in PdfReader(io.BytesIO(data)).pages[: d["pages"]]:
                writer.add_page(page)
            buf = io.BytesIO()
            writer.write(buf)
            data = buf.getvalue()
        (folder / d["file"]).write_bytes(data)
    return problems


def check(docs: list[dict], folder: Path) -> list[str]:
    problems = []
    for d in docs:
        f = folder / d["file"]
        if not f.exists():
            problems.append(f"{d['file']}: missing")
        elif d.get("sha256") and sha256(f) != d["sha256"]:
            problems.append(f"{d['file']}: sha256 differs from the manifest")
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("action", choices=["photos", "check", "gather"])
    ap.add_argument("--dir", type=Path, help="the papers' directory (default: found as above)")
    ap.add_argument("--mirrors", type=Path, help="for gather: where the fetched repositories are")
    args = ap.parse_args(argv)
    if args.action == "gather":
        if not args.mirrors:
            ap.error("gather needs --mirrors DIR")
        folder = args.dir or ROOT / "var" / "real-corpus"
        docs = load_manifest()
        problems = gather(docs, args.mirrors, folder)
        made = make_photos(docs, folder)
        print(
            "\n".join(problems)
            or f"{len(docs) - len(made)} papers and {len(made)} photos in {folder}"
        )
        return 1 if problems else 0
    folder = args.dir or documents_dir()
    if folder is None:
        print(
            "The real papers are not on this machine: set PATRONSHIELD_REAL_CORPUS or put them "
            "in var/real-corpus (see bench/real/manifest.toml for where each comes from)."
        )
        return 1
    docs = load_manifest()
    if args.action == "photos":
        for p in make_photos(docs, folder):
            print(f"{p.name}: {p.stat().st_size // 1024} KB")
        return 0
    problems = check(docs, folder)
    print("\n".join(problems) or f"all {len(docs)} files present and unchanged in {folder}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

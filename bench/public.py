"""Public pages benchmark: every language's three PDFs (poster, wallet cards, door sign)
rendered through the real views, their pages counted, their text extracted with pypdf
and checked for the language's script (Arabic letters for ar, Hangul for ko, Ethiopic for
am, ...), and the seconds per PDF; then the weight of every public page (HTML + CSS + JS).
Goals: the poster and the sign on one page (the Urdu poster, in Nastaliq, on two), the cards
on two (fronts, backs), the script found in every PDF, every page under 60 KB.

    .venv/bin/python bench/public.py [--languages en,ar,...] [--size letter|a4] [--json FILE]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(var_dir: str) -> None:
    os.environ["PATRONSHIELD_VAR_DIR"] = var_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "patronshield.settings")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import override_settings

    plain = "django.contrib.staticfiles.storage.StaticFilesStorage"
    override_settings(STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": plain}}).enable()
    call_command("migrate", verbosity=0)
    from patronshield.libraries.demo import seed_demo

    seed_demo()


def extract(pdf: bytes) -> tuple[int, str]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return len(reader.pages), "\n".join(page.extract_text() or "" for page in reader.pages)


def flat(text: str, marks: bool = True) -> str:
    """Without spaces; without vowel signs if not marks (pypdf drops some pre-base
    Devanagari and Gurmukhi vowel signs from the text layer, the page shows them)."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    if marks:
        return text
    return "".join(c for c in text if unicodedata.category(c) not in ("Mn", "Mc"))


def weight(client, url: str) -> dict:
    from django.contrib.staticfiles import finders

    html = client.get(url).content
    assets = re.findall(rb'(?:src|href)="/static/([^"]+)"', html)
    sizes = {a.decode(): Path(finders.find(a.decode())).stat().st_size for a in assets}
    return {
        "url": url,
        "html": len(html),
        "assets": sizes,
        "total": len(html) + sum(sizes.values()),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--languages", help="comma-separated codes (default: all 19)")
    parser.add_argument("--size", choices=["letter", "a4"], default="letter")
    parser.add_argument("--json", help="write the results here too")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as var_dir:
        setup_django(var_dir)
        from django.core.cache import cache
        from django.test import Client

        from patronshield.public import content, pdfs

        client = Client()
        codes = args.languages.split(",") if args.languages else content.CODES
        query = "?size=a4" if args.size == "a4" else ""
        rows, failures = [], []
        print(f"{'lang':8} {'script':10} " + " ".join(f"{k:>16}" for k in pdfs.KINDS))
        for code in codes:
            row = {"code": code, "script": content.script(code)}
            cells = []
            for kind in pdfs.KINDS:
                cache.clear()
                start = time.perf_counter()
                response = client.get(f"/rights/{code}/{kind}.pdf{query}")
                seconds = time.perf_counter() - start
                pages, text = extract(response.content)
                letters = content.letters_of(code, text)
                title = content.load(code)["card" if kind == "card" else "page"]["title"]
                if kind == "sign":
                    title = content.load(code)["sign"]["title"]
                found_title = flat(title) in flat(text)
                loose = flat(title, marks=False) in flat(text, marks=False)
                ok = (
                    response.status_code == 200
                    and pages <= pdfs.pages(kind, code)
                    and letters >= 20
                    and (found_title or loose or content.script(code) == "Arabic")
                )
                if kind == "card":
                    ok = ok and "I want to speak with a lawyer." in text
                if not ok:
                    failures.append((code, kind, pages, letters, found_title))
                row[kind] = {
                    "seconds": round(seconds, 2),
                    "pages": pages,
                    "bytes": len(response.content),
                    "script_letters": letters,
                    "title_in_text": found_title,
                    "title_without_vowel_signs": loose,
                }
                mark = "" if ok else " !"
                if ok and not found_title and loose:
                    mark = " ~"
                cells.append(f"{pages}p {seconds:5.2f}s {letters:5d}{mark}")
            rows.append(row)
            print(f"{code:8} {row['script']:10} " + " ".join(f"{c:>16}" for c in cells))

        times = {k: [r[k]["seconds"] for r in rows] for k in pdfs.KINDS}
        for kind, values in times.items():
            values = sorted(values)
            print(
                f"{kind:7} median {values[len(values) // 2]:.2f} s, max {values[-1]:.2f} s, "
                f"total {sum(values):.1f} s for {len(values)} languages"
            )
        print(
            "(cells: pages, seconds, letters of the script found in the extracted text; "
            "! = goal missed; ~ = title found only without vowel signs; Arabic script is "
            "checked by its letters, pypdf gives it in visual order)"
        )

        pages = ["/rights/", "/resources/", "/events/", "/transparency/", "/statements/"]
        for page in ("rights", "resources", "events", "transparency", "statements"):
            pages += [f"/{page}/{c}/" for c in codes]
        weights = [weight(client, url) for url in pages]
        heaviest = max(weights, key=lambda w: w["total"])
        print(f"\npage weight (HTML + CSS + JS), {len(weights)} public pages:")
        for w in weights:
            print(f"  {w['url']:24} {w['total'] / 1000:6.1f} KB (HTML {w['html'] / 1000:.1f} KB)")
        print(f"heaviest: {heaviest['url']} {heaviest['total'] / 1000:.1f} KB (goal < 60 KB)")
        over = [w["url"] for w in weights if w["total"] >= 60_000]
        if args.json:
            Path(args.json).write_text(
                json.dumps({"pdfs": rows, "pages": weights}, indent=2, ensure_ascii=False)
            )
        if failures or over:
            print(f"\nMISSED: {failures} {over}")
            return 1
        print("\nall goals met")
        return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark of the document checker on the synthetic corpus.

    python bench/documents.py [--corpus var/corpus] [--make N] [--seed 1] [--workers 2]

Generates the corpus first when its manifest is missing (or with --make N), runs
`patronshield.checker.check_path` on every file with two worker processes, and prints
accuracy per kind, overall accuracy, the confusion matrix, the DANGEROUS errors, every
misclassified file and the seconds per page. Detailed results go to <corpus>/results.json.

A DANGEROUS error is a file whose true kind is not judicial (not a judicial search or arrest
warrant, court order, judicial or grand-jury subpoena, or FISC order) that the checker calls
judicial, or for which it says the paper authorizes entering non-public areas or releasing
patron records.

It is a report: the exit status is 0 whatever the numbers.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import statistics
import sys
import time
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import JUDICIAL_KINDS, KINDS, VARIANTS  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CHECKER_INIT = ROOT / "patronshield" / "checker" / "__init__.py"
NOW = datetime(2026, 11, 24, 14, 0, tzinfo=ZoneInfo("America/Detroit"))
LIBRARY = {
    "name": "Ecorse Public Library",
    "address": "4184 W. Jefferson Ave., Ecorse, MI 48229",
    "time_zone": "America/Detroit",
    "state": "MI",
}
GOAL_ACCURACY = 0.97
GOAL_DANGEROUS = 0
GOAL_MEDIAN_SECONDS = 1.5
SHORT = {
    "judicial_search_warrant": "jsw",
    "judicial_arrest_warrant": "jaw",
    "administrative_warrant": "adw",
    "judicial_subpoena": "jsub",
    "grand_jury_subpoena": "gjs",
    "administrative_subpoena": "asub",
    "court_order": "ord",
    "detainer": "det",
    "national_security_letter": "nsl",
    "fisa_order": "fisa",
    "other": "oth",
    "unknown": "unk",
    "error": "ERR",
}

_ctx = None


def _init_worker() -> None:
    global _ctx
    from patronshield.checker import LibraryContext

    _ctx = LibraryContext(**LIBRARY)


def _check(path: str) -> dict:
    from patronshield.checker import check_path

    started = time.perf_counter()
    try:
        d = check_path(path, context=_ctx, now=NOW).as_dict()
    except Exception as e:  # noqa: BLE001 - a crash is a result to report, not to stop on
        d = {
            "kind": "error",
            "error": f"{type(e).__name__}: {e}",
            "confidence": 0.0,
            "authorizes": {},
            "pages": 0,
            "seconds": time.perf_counter() - started,
        }
    d["wall_seconds"] = time.perf_counter() - started
    return d


def wait_for_checker(timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while True:
        if CHECKER_INIT.exists():
            try:
                import patronshield.checker  # noqa: F401

                return True
            except Exception as e:  # noqa: BLE001 - half-written module: keep waiting
                err = e
        else:
            err = None
        if time.monotonic() >= deadline:
            if err:
                print(f"The checker does not import: {type(err).__name__}: {err}")
            return False
        time.sleep(min(10.0, max(0.1, deadline - time.monotonic())))


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    if not values:
        return float("nan")
    s = sorted(values)
    k = max(0, min(len(s) - 1, math.ceil(q * len(s)) - 1))
    return s[k]


def is_dangerous(true: str, result: dict) -> bool:
    if true in JUDICIAL_KINDS:
        return False
    auth = result.get("authorizes") or {}
    return (
        result.get("kind") in JUDICIAL_KINDS
        or bool(auth.get("enter_nonpublic_area"))
        or bool(auth.get("patron_records"))
    )


def report(manifest: list[dict], results: dict[str, dict], wall: float) -> str:
    out: list[str] = []
    p = out.append
    rows = [(m, results[m["file"]]) for m in manifest if m["file"] in results]
    total = len(rows)
    correct = sum(1 for m, r in rows if r.get("kind") == m["kind"])

    p(f"Document checker benchmark: {total} files, {wall:.0f} s wall time")
    p("")
    p("Accuracy per kind")
    width = max(len(k) for k in KINDS)
    for kind in KINDS:
        sub = [(m, r) for m, r in rows if m["kind"] == kind]
        if not sub:
            continue
        ok = sum(1 for m, r in sub if r.get("kind") == kind)
        p(f"  {kind:<{width}}  {ok:>3}/{len(sub):<3}  {100 * ok / len(sub):6.1f} %")
    p(f"  {'OVERALL':<{width}}  {correct:>3}/{total:<3}  {100 * correct / max(1, total):6.1f} %")
    p("")
    p("Accuracy per variant")
    variants = [v for v in VARIANTS if any(m["variant"] == v for m, _ in rows)]
    variants += sorted({m["variant"] for m, _ in rows} - set(VARIANTS))
    for v in variants:
        sub = [(m, r) for m, r in rows if m["variant"] == v]
        ok = sum(1 for m, r in sub if r.get("kind") == m["kind"])
        p(f"  {v:<{width}}  {ok:>3}/{len(sub):<3}  {100 * ok / len(sub):6.1f} %")

    p("")
    p("Confusion matrix (rows: true kind, columns: predicted)")
    predicted = Counter(r.get("kind", "error") for _, r in rows)
    cols = [k for k in [*KINDS, "unknown", "error"] if k in predicted or k in KINDS]
    cols = [c for c in cols if c in KINDS or predicted[c]]
    matrix: dict[str, Counter] = defaultdict(Counter)
    for m, r in rows:
        matrix[m["kind"]][r.get("kind", "error")] += 1
    p(f"  {'':<{width}} " + " ".join(f"{SHORT.get(c, c[:4]):>5}" for c in cols))
    for kind in KINDS:
        if kind not in matrix:
            continue
        cells = " ".join(f"{(matrix[kind][c] or '.'):>5}" for c in cols)
        p(f"  {kind:<{width}} {cells}")
    p("  columns: " + ", ".join(f"{SHORT.get(c, c)}={c}" for c in cols))

    dangerous = [(m, r) for m, r in rows if is_dangerous(m["kind"], r)]
    p("")
    p(f"DANGEROUS errors: {len(dangerous)}")
    for m, r in dangerous:
        auth = [k for k, v in (r.get("authorizes") or {}).items() if v]
        p(
            f"  {m['file']:<24} true={m['kind']:<24} predicted={r.get('kind'):<24} "
            f"conf={r.get('confidence', 0):.2f} authorizes={','.join(auth) or '-'} "
            f"[{m['variant']}, {m.get('template')}]"
        )

    # Informational: a judicial search warrant that is past its deadline or names another
    # place should not authorize entering the library's non-public areas either.
    stale = [
        (m, r)
        for m, r in rows
        if m["kind"] == "judicial_search_warrant"
        and (r.get("authorizes") or {}).get("enter_nonpublic_area")
        and (
            m.get("place_matches_library") is False
            or (m.get("execute_by") and m["execute_by"] < NOW.date().isoformat())
        )
    ]
    p(
        f"Search warrants for another place or past their deadline that still authorize "
        f"entry (informational): {len(stale)}"
    )
    for m, _r in stale:
        p(
            f"  {m['file']:<24} place_matches_library={m.get('place_matches_library')} "
            f"execute_by={m.get('execute_by')} [{m['variant']}, {m.get('template')}]"
        )

    wrong = [(m, r) for m, r in rows if r.get("kind") != m["kind"]]
    p("")
    p(f"Misclassified files: {len(wrong)}")
    for m, r in wrong:
        err = f" error={r['error']}" if r.get("error") else ""
        p(
            f"  {m['file']:<24} true={m['kind']:<24} predicted={r.get('kind'):<24} "
            f"conf={r.get('confidence', 0):.2f} [{m['variant']}, {m.get('template')}]{err}"
        )

    per_page = [
        r.get("seconds", 0.0) / max(1, r.get("pages") or 1) for _, r in rows if "seconds" in r
    ]
    median = statistics.median(per_page) if per_page else float("nan")
    p95 = percentile(per_page, 0.95)
    p("")
    p(
        f"Seconds per page: median {median:.2f}, 95th percentile {p95:.2f}, max "
        f"{max(per_page, default=float('nan')):.2f} (checker's own timing, 2 workers)"
    )

    acc = correct / max(1, total)
    p("")
    p("Goals")
    p(
        f"  accuracy >= {GOAL_ACCURACY:.0%}:        {'PASS' if acc >= GOAL_ACCURACY else 'FAIL'}"
        f"  ({100 * acc:.1f} %)"
    )
    p(
        f"  dangerous errors == {GOAL_DANGEROUS}:      "
        f"{'PASS' if len(dangerous) == GOAL_DANGEROUS else 'FAIL'}  ({len(dangerous)})"
    )
    p(
        f"  median <= {GOAL_MEDIAN_SECONDS} s per page: "
        f"{'PASS' if median <= GOAL_MEDIAN_SECONDS else 'FAIL'}  ({median:.2f} s)"
    )
    return "\n".join(out)


def run(corpus: Path, workers: int) -> tuple[list[dict], dict[str, dict], float]:
    manifest = json.loads((corpus / "manifest.json").read_text())
    paths = [str(corpus / m["file"]) for m in manifest]
    started = time.monotonic()
    results: dict[str, dict] = {}
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(workers, initializer=_init_worker) as pool:
        for n, (m, d) in enumerate(
            zip(manifest, pool.imap(_check, paths, chunksize=1), strict=True), 1
        ):
            results[m["file"]] = d
            if n % 50 == 0:
                print(
                    f"  checked {n}/{len(paths)} files, {time.monotonic() - started:.0f} s",
                    file=sys.stderr,
                )
    return manifest, results, time.monotonic() - started


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT / "var" / "corpus")
    ap.add_argument("--make", type=int, metavar="N", help="(re)generate N files first")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument(
        "--wait", type=float, default=0.0, help="seconds to wait for the checker module to appear"
    )
    args = ap.parse_args(argv)

    if args.make or not (args.corpus / "manifest.json").exists():
        from bench.corpus import generate, summary

        n = args.make or 360
        print(f"Generating {n} files into {args.corpus} ...", file=sys.stderr)
        t = time.monotonic()
        entries = generate(args.corpus, n, args.seed, args.workers)
        print(summary(entries), file=sys.stderr)
        print(f"generated in {time.monotonic() - t:.0f} s\n", file=sys.stderr)

    if not wait_for_checker(args.wait):
        print("The checker (patronshield.checker) is not available yet; nothing to measure.")
        return 0

    manifest, results, wall = run(args.corpus, args.workers)
    (args.corpus / "results.json").write_text(
        json.dumps(
            [
                {
                    **results[m["file"]],
                    "file": m["file"],
                    "true": m["kind"],
                    "variant": m["variant"],
                    "template": m.get("template"),
                }
                for m in manifest
            ],
            indent=1,
            ensure_ascii=False,
            default=str,
        )
        + "\n"
    )
    print(report(manifest, results, wall))
    return 0


if __name__ == "__main__":
    sys.exit(main())

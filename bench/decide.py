"""`patronshield decide` on 100,000 scenarios: the batch (one JSON array in, one out) against
the stream (`--ndjson`, in one process and in two: `--jobs 2`), each run as the real
command in its own process: decisions/s
(wall clock and the CPU the process used; with --jobs, its workers' are not counted,
so that figure is left out) and peak memory (the parent's maximum resident set, from
getrusage), for two kinds of input:

- one library: its state, every agency, request, document, language, emergency and
  consent at random (a batch of the desk's questions; scenarios repeat, as they do);
- all states: every state and every flag as well, nearly every scenario different (the
  stream's cache of decisions helps little: the engine's own speed).

    .venv/bin/python bench/decide.py [--n 100000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).with_name("patronshield")


def scenarios(n: int, all_states: bool, seed: int = 19) -> list[dict]:
    from patronshield.policy import engine, vocab

    rng = random.Random(seed)
    states = sorted(engine.state_laws()) if all_states else ["MI"]
    out = []
    for _ in range(n):
        s = {
            "agency": rng.choice(vocab.AGENCIES),
            "request": rng.choice(vocab.REQUESTS),
            "document": rng.choice(vocab.DOCUMENTS),
            "language": rng.choice(vocab.LANGUAGES),
            "emergency": rng.random() < 0.1,
            "patron_consent": rng.random() < 0.1,
            "state": rng.choice(states),
        }
        if all_states:
            s["crime_at_library"] = rng.random() < 0.5
            s["active_threat"] = rng.random() < 0.2
        out.append(s)
    return out


def run(args: list[str], stdin_path: Path) -> tuple[float, float, int, int]:
    """(seconds, CPU seconds, peak resident KiB, lines of output) of one run."""
    env = {**os.environ, "PATRONSHIELD_STATE": "", "DATABASE_URL": "",
           "PATRONSHIELD_VAR_DIR": "/nonexistent"}  # fmt: skip
    with stdin_path.open("rb") as stdin, tempfile.TemporaryFile() as out:
        t = time.perf_counter()
        p = subprocess.Popen([BIN, "decide", *args], stdin=stdin, stdout=out, env=env)  # noqa: S603
        _pid, status, usage = os.wait4(p.pid, 0)
        elapsed = time.perf_counter() - t
        p.returncode = os.waitstatus_to_exitcode(status)
        assert p.returncode == 0, p.returncode
        out.seek(0)
        lines = sum(1 for _ in out)
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="psdecide"))
    for label, all_states in (("one library", False), ("all states", True)):
        batch = scenarios(args.n, all_states)
        distinct = len({json.dumps(s, sort_keys=True) for s in batch})
        (tmp / "batch.json").write_text(json.dumps(batch))
        (tmp / "stream.ndjson").write_text("".join(json.dumps(s) + "\n" for s in batch))
        del batch
        print(f"{label}: {args.n:,} scenarios ({distinct:,} different)")
        for name, argv, path in (
            ("batch (JSON array)", [], tmp / "batch.json"),
            ("--ndjson", ["--ndjson"], tmp / "stream.ndjson"),
            ("--ndjson --jobs 2", ["--ndjson", "--jobs", "2"], tmp / "stream.ndjson"),
        ):
            elapsed, cpu, rss, lines = run(argv, path)
            print(
                f"  {name:20} {args.n / elapsed:>9,.0f} decisions/s ({elapsed:.1f} s"
                + ("" if "--jobs" in argv else f"; {args.n / cpu:,.0f}/s of its CPU")
                + f"), peak memory {rss / 1024:,.0f} MiB"
                + (f", {lines:,} lines" if argv else "")
            )


if __name__ == "__main__":
    main()

"""`patronshield decide`: a scenario as JSON on stdin, the decision as JSON on stdout.

Standard library only, so it answers without booting the web application.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from functools import lru_cache

from . import vocab
from .engine import InputError, Scenario, decide

FIELDS = {
    "state": None,
    "agency": vocab.AGENCIES,
    "request": vocab.REQUESTS,
    "document": vocab.DOCUMENTS,
    "patron_consent": ("true", "false"),
    "emergency": ("true", "false"),
    "crime_at_library": ("true", "false"),
    "requester": vocab.REQUESTERS,
    "active_threat": ("true", "false"),
    "warrant_unsigned": ("true", "false"),
    # A list: what the document checker found wrong with the paper.
    "document_defects": vocab.DOCUMENT_DEFECTS,
    "language": vocab.LANGUAGES,
}
LISTS = ("document_defects",)
REQUIRED = ("request",)
STATE_HELP = "two-letter code (default: the library's state, else MI)"


def scenario_from_json(obj, default_state: str, where: str = "") -> Scenario:
    if not isinstance(obj, dict):
        raise InputError(
            where or "input", "expected a JSON object with fields: " + ", ".join(FIELDS)
        )
    unknown = sorted(set(obj) - set(FIELDS))
    if unknown:
        raise InputError(where + unknown[0], "unknown field; allowed fields: " + ", ".join(FIELDS))
    for name in REQUIRED:
        if name not in obj:
            raise InputError(where + name, "missing; one of: " + ", ".join(FIELDS[name]))
    requester = obj.get("requester", "officer")
    if "agency" not in obj and requester == "officer":
        raise InputError(where + "agency", "missing; one of: " + ", ".join(FIELDS["agency"]))
    for name in ("agency", "request", "document", "language", "state", "requester"):
        if name in obj and not isinstance(obj[name], str):
            allowed = FIELDS[name]
            hint = ", ".join(allowed) if allowed else "a two-letter state code"
            raise InputError(where + name, f"must be a string, one of: {hint}")
    try:
        return Scenario(
            # Someone who is not an officer is not an agency.
            agency=obj.get("agency", "other"),
            request=obj["request"],
            document=obj.get("document", "none"),
            state=obj.get("state", default_state).upper(),
            patron_consent=obj.get("patron_consent", False),
            emergency=obj.get("emergency", False),
            crime_at_library=obj.get("crime_at_library", False),
            requester=requester,
            active_threat=obj.get("active_threat", False),
            warrant_unsigned=obj.get("warrant_unsigned", False),
            document_defects=obj.get("document_defects", ()),
            language=obj.get("language", "en"),
        )
    except InputError as e:
        raise InputError(where + e.field, str(e).split(": ", 1)[1]) from None


def run(stdin: str, default_state: str = "MI") -> tuple[int, str, str]:
    """Returns (exit status, stdout, stderr)."""
    try:
        data = json.loads(stdin)
    except json.JSONDecodeError as e:
        return 2, "", f"input: not valid JSON ({e.msg}, line {e.lineno} column {e.colno})\n"
    try:
        if isinstance(data, list):
            scenarios = [
                scenario_from_json(obj, default_state, f"[{i}].") for i, obj in enumerate(data)
            ]
            out = [decide(s).as_dict() for s in scenarios]
        else:
            out = decide(scenario_from_json(data, default_state)).as_dict()
    except InputError as e:
        return 2, "", f"{e}\n"
    return 0, json.dumps(out, ensure_ascii=False, indent=2) + "\n", ""


CACHE = 4096  # decisions kept (by scenario) while streaming: most batches repeat a few
CHUNK = 2000  # lines a worker process decides at a time


@lru_cache(maxsize=CACHE)
def _answer(scenario: Scenario) -> bytes:
    """The decision as one NDJSON line (the engine is a pure function of the scenario)."""
    return json.dumps(decide(scenario).as_dict(), ensure_ascii=False).encode() + b"\n"


def _decide_lines(lines: list[bytes], default_state: str, start: int):
    """One answer line per non-empty line: (the output, answered, in error, the first line
    in error or 0), lines numbered from `start`."""
    done = bad = first_bad = 0
    out: list[bytes] = []
    for n, line in enumerate(lines, start):
        if not line.strip():
            continue
        try:
            out.append(_answer(scenario_from_json(json.loads(line), default_state)))
            done += 1
            continue
        except json.JSONDecodeError as e:
            field, message = "input", f"not valid JSON ({e.msg}, column {e.colno})"
        except UnicodeDecodeError:
            field, message = "input", "not UTF-8 text"
        except InputError as e:
            field, message = e.field, str(e).split(": ", 1)[1]
        bad += 1
        first_bad = first_bad or n
        record = {"line": n, "field": field, "error": f"{field}: {message}"}
        out.append(json.dumps(record, ensure_ascii=False).encode() + b"\n")
    return b"".join(out), done, bad, first_bad


def _chunks(lines: Iterable[bytes]):
    chunk: list[bytes] = []
    start = 1
    for line in lines:
        chunk.append(line)
        if len(chunk) == CHUNK:
            yield chunk, start
            start += CHUNK
            chunk = []
    if chunk:
        yield chunk, start


def stream(
    lines: Iterable[bytes], write, default_state: str = "MI", jobs: int = 1
) -> tuple[int, int, int]:
    """`decide --ndjson`: one scenario a line in, one answer a line out, in order, in
    constant memory. An answer is the decision object batch mode gives; a line that is not
    a scenario gets an error record instead, {"line": N, "field": ..., "error": ...}, and
    the stream goes on. Empty lines are skipped. With `jobs` > 1, chunks of lines are
    decided by that many processes, at most two chunks each in flight. `write` takes
    bytes. Returns (lines answered, lines in error, the first line in error or 0)."""
    totals = [0, 0, 0]

    def take(out, done, bad, first_bad):
        write(out)
        totals[0] += done
        totals[1] += bad
        totals[2] = totals[2] or first_bad

    chunks = _chunks(lines)
    first = next(chunks, None)
    second = next(chunks, None)
    if jobs <= 1 or second is None:  # one process: no pool to start
        for chunk, start in (c for c in (first, second) if c):
            take(*_decide_lines(chunk, default_state, start))
        for chunk, start in chunks:
            take(*_decide_lines(chunk, default_state, start))
        return tuple(totals)
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor
    from itertools import chain

    pending: deque = deque()
    with ProcessPoolExecutor(jobs) as pool:
        for chunk, start in chain([first, second], chunks):
            pending.append(pool.submit(_decide_lines, chunk, default_state, start))
            if len(pending) >= 2 * jobs:
                take(*pending.popleft().result())
        while pending:
            take(*pending.popleft().result())
    return tuple(totals)


def main_ndjson(args: list[str], default_state: str) -> int:
    jobs = 1
    if args[:1] == ["--jobs"] and len(args) >= 2 and args[1].isdigit():
        jobs, args = max(1, int(args[1])), args[2:]
    if len(args) > 1 or (args and args[0].startswith("--")):
        sys.stderr.write("usage: patronshield decide [--library SLUG] --ndjson [--jobs N] [FILE]\n")
        return 2
    path = args[0] if args and args[0] != "-" else None
    try:
        source = open(path, "rb") if path else sys.stdin.buffer  # noqa: SIM115, PTH123
    except OSError as e:
        sys.stderr.write(f"decide: {path}: {e.strerror}\n")
        return 2
    try:
        done, bad, first = stream(source, sys.stdout.buffer.write, default_state, jobs)
    finally:
        if path:
            source.close()
        sys.stdout.flush()
    if bad:
        sys.stderr.write(
            f"decide: {bad} of {done + bad} lines not decided (the first: line {first}); "
            "each has an error record in its place\n"
        )
        return 2
    return 0


def main(argv: list[str], default_state: str = "MI") -> int:
    if argv and argv[0] in ("-h", "--help"):
        print(
            "usage: patronshield decide [--library SLUG] < scenario.json\n"
            "       patronshield decide [--library SLUG] --ndjson [--jobs N] [FILE]\n\n"
            "Reads one scenario object, or an array of them, as JSON on stdin and writes\n"
            "the decision(s) as JSON on stdout. With --ndjson: one scenario object a line\n"
            "(from FILE, or stdin), one decision a line out, in the same order, as they come;\n"
            'a line that is not a scenario gets {"line": N, "field": ..., "error": ...} in\n'
            "its place, the rest go on, and the exit status is 2. --jobs N: N processes.\n"
            "Fields:\n"
            + "\n".join(
                f"  {k}: {'a list of: ' if k in LISTS else ''}{', '.join(v) if v else STATE_HELP}"
                for k, v in FIELDS.items()
            )
        )
        return 0
    if argv[:1] == ["--ndjson"]:
        return main_ndjson(argv[1:], default_state)
    status, out, err = run(sys.stdin.read(), default_state)
    sys.stdout.write(out)
    sys.stderr.write(err)
    return status

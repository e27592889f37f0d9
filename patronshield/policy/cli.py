"""`patronshield decide`: a scenario as JSON on stdin, the decision as JSON on stdout.

Standard library only, so it answers without booting the web application.
"""

from __future__ import annotations

import json
import sys

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


def main(argv: list[str], default_state: str = "MI") -> int:
    if argv and argv[0] in ("-h", "--help"):
        print(
            "usage: patronshield decide [--library SLUG] < scenario.json\n\n"
            "Reads one scenario object, or an array of them, as JSON on stdin and writes\n"
            "the decision(s) as JSON on stdout. Fields:\n"
            + "\n".join(
                f"  {k}: {'a list of: ' if k in LISTS else ''}{', '.join(v) if v else STATE_HELP}"
                for k, v in FIELDS.items()
            )
        )
        return 0
    status, out, err = run(sys.stdin.read(), default_state)
    sys.stdout.write(out)
    sys.stderr.write(err)
    return status

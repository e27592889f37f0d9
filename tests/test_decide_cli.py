"""`patronshield decide`: the JSON contract, batch mode and every bad-input path, run as a
real process the way a script or another program would call it."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).with_name("patronshield")


def decide(stdin: str, *args, env=None):
    return subprocess.run(
        [BIN, "decide", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=30,
        env={
            **os.environ,
            "PATRONSHIELD_STATE": "",
            "DATABASE_URL": "",
            "PATRONSHIELD_VAR_DIR": "/nonexistent",
            **(env or {}),
        },
    )


def test_it_decides_one_scenario():
    p = decide(
        json.dumps(
            {
                "agency": "ice",
                "request": "enter_nonpublic_area",
                "document": "administrative_warrant",
            }
        )
    )
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert out["outcome"] == "decline" and out["authorized"] is False
    assert out["notify_director"] is True and out["approver"] in ("none", "director_or_designee")
    assert out["citations"] and {"source", "ref"} <= set(out["citations"][0])
    for key in (
        "consult_counsel",
        "nondisclosure",
        "do_not_obstruct",
        "staff_script",
        "explanation",
    ):
        assert key in out


def test_it_decides_a_batch_in_order():
    batch = [
        {"agency": "fbi", "request": "patron_records", "document": "judicial_search_warrant"},
        {"agency": "ice", "request": "presence_public_area"},
        {
            "agency": "fbi",
            "request": "patron_records",
            "document": "national_security_letter",
            "language": "es",
        },
    ]
    p = decide(json.dumps(batch))
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert [d["outcome"] for d in out] == ["comply_after_approval", "permit", "refer"]
    assert out[2]["nondisclosure"] and out[2]["language"] == "es"


def test_defaults_are_michigan_english_no_consent_no_emergency():
    out = json.loads(
        decide(
            '{"agency": "local_police", "request": "patron_records", '
            '"document": "judicial_subpoena"}'
        ).stdout
    )
    assert out["state"] == "MI" and out["language"] == "en"
    assert out["outcome"] == "refer" and out["authorized"] is False


def test_the_configured_library_state_is_the_default():
    p = decide(
        '{"agency": "local_police", "request": "patron_records", "document": "judicial_subpoena"}',
        env={"PATRONSHIELD_STATE": "NY"},
    )
    assert json.loads(p.stdout)["state"] == "NY"


def test_the_one_library_in_the_embedded_database_sets_the_state(tmp_path):
    with sqlite3.connect(tmp_path / "patronshield.sqlite3") as db:
        db.execute(
            "CREATE TABLE libraries_library "
            "(slug TEXT, name TEXT, address TEXT, time_zone TEXT, state TEXT)"
        )
        db.execute("INSERT INTO libraries_library VALUES ('ny', 'NY Lib', '', 'UTC', 'NY')")
    scenario = '{"agency": "ice", "request": "presence_public_area"}'
    p = decide(scenario, env={"PATRONSHIELD_VAR_DIR": str(tmp_path)})
    assert json.loads(p.stdout)["state"] == "NY"
    with sqlite3.connect(tmp_path / "patronshield.sqlite3") as db:
        db.execute("INSERT INTO libraries_library VALUES ('wi', 'WI Lib', '', 'UTC', 'WI')")
    p = decide(scenario, "--library", "wi", env={"PATRONSHIELD_VAR_DIR": str(tmp_path)})
    assert json.loads(p.stdout)["state"] == "WI"


@pytest.mark.parametrize(
    "stdin,field",
    [
        ("not json", "input"),
        ("", "input"),
        ('{"request": "patron_records"}', "agency"),
        ('{"agency": "ice"}', "request"),
        ('{"agency": "cia", "request": "patron_records"}', "agency"),
        ('{"agency": "ice", "request": "patron_records", "document": "badge"}', "document"),
        ('{"agency": "ice", "request": "patron_records", "state": "XX"}', "state"),
        ('{"agency": "ice", "request": "patron_records", "emergency": "yes"}', "emergency"),
        ('{"agency": "ice", "request": "patron_records", "language": "xx"}', "language"),
        ('{"agency": "ice", "request": "patron_records", "colour": "red"}', "colour"),
        ('{"agency": 3, "request": "patron_records"}', "agency"),
        ("[1]", "[0]"),
        ('[{"agency": "ice", "request": "patron_records"}, {"agency": "ice"}]', "[1].request"),
        ("42", "input"),
    ],
)
def test_bad_input_exits_2_with_one_line_naming_the_field(stdin, field):
    p = decide(stdin)
    assert p.returncode == 2
    assert p.stdout == ""
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(field)
    assert "Traceback" not in p.stderr


def test_unknown_value_message_lists_the_allowed_values():
    p = decide('{"agency": "cia", "request": "patron_records"}')
    assert "ice" in p.stderr and "local_police" in p.stderr


# ------------------------------------------------------------------------------ --ndjson

NDJSON_BATCH = [
    {"agency": "fbi", "request": "patron_records", "document": "judicial_search_warrant"},
    {"agency": "ice", "request": "presence_public_area"},
    {"agency": "fbi", "request": "patron_records", "document": "national_security_letter",
     "language": "es"},
]  # fmt: skip


def test_ndjson_answers_one_line_a_scenario_as_the_batch_does():
    p = decide("".join(json.dumps(s) + "\n" for s in NDJSON_BATCH), "--ndjson")
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    assert [json.loads(line) for line in lines] == json.loads(
        decide(json.dumps(NDJSON_BATCH)).stdout
    )


def test_ndjson_a_bad_line_gets_an_error_record_and_the_stream_goes_on():
    stdin = "\n".join(
        [
            json.dumps(NDJSON_BATCH[0]),
            "",  # skipped, but counted
            "{not json",
            json.dumps({"agency": "cia", "request": "patron_records"}),
            json.dumps([NDJSON_BATCH[1]]),
            json.dumps(NDJSON_BATCH[1]),
        ]
    )
    p = decide(stdin + "\n", "--ndjson")
    assert p.returncode == 2
    out = [json.loads(line) for line in p.stdout.splitlines()]
    assert len(out) == 5
    assert out[0]["outcome"] == "comply_after_approval" and out[4]["outcome"] == "permit"
    assert out[1] == {"line": 3, "field": "input", "error": out[1]["error"]}
    assert out[1]["error"].startswith("input: not valid JSON")
    assert out[2]["line"] == 4 and out[2]["field"] == "agency" and "'cia'" in out[2]["error"]
    assert out[3]["line"] == 5 and out[3]["field"] == "input"
    assert "3 of 5 lines not decided (the first: line 3)" in p.stderr
    assert "Traceback" not in p.stderr


def test_ndjson_reads_a_file_and_says_when_there_is_none(tmp_path):
    path = tmp_path / "in.ndjson"
    path.write_text(json.dumps(NDJSON_BATCH[1]) + "\n")
    p = decide("", "--ndjson", str(path))
    assert p.returncode == 0 and json.loads(p.stdout)["outcome"] == "permit"
    p = decide("", "--ndjson", str(tmp_path / "missing.ndjson"))
    assert p.returncode == 2 and "missing.ndjson" in p.stderr and not p.stdout


def test_ndjson_in_several_processes_keeps_the_order_and_the_line_numbers():
    lines = [json.dumps(NDJSON_BATCH[i % 3]) for i in range(4500)]
    lines[4321] = '{"agency": "ice"}'  # in the third chunk
    stdin = "\n".join(lines) + "\n"
    one, two = decide(stdin, "--ndjson"), decide(stdin, "--ndjson", "--jobs", "2")
    assert one.returncode == two.returncode == 2
    assert one.stdout == two.stdout
    out = two.stdout.splitlines()
    assert len(out) == 4500 and json.loads(out[4321])["line"] == 4322
    assert json.loads(out[4322])["outcome"] == json.loads(out[2])["outcome"]

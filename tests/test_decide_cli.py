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

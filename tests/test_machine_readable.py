"""Issue 20, point 4: the transparency report and the warrant canary for machines.
`/transparency.json` carries exactly the published (banded) figures of the page and CSV;
`/canary.json` is signed with the library's Ed25519 key, says its state outright and carries
a freshness proof; `patronshield verify-canary` checks one over HTTP from outside the app,
and tells a lapsed, a stale, a forged and a re-keyed canary apart. The statements' Atom feed."""

import datetime as dt
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.utils import timezone

from patronshield import ledger
from patronshield.desk import chain
from patronshield.ledger import canary
from patronshield.public import transparency
from patronshield.public.models import TransparencySettings
from tests.test_transparency import DETROIT, visit, visits

BIN = Path(sys.executable).parent
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def public(library, settings):
    settings.PATRONSHIELD_PUBLIC_LIBRARY = "ecorse"
    return library[0]


def affirm(lib, director, days_ago=2):
    transparency.transparency_settings_update(
        library=lib, user=director, national_security_bands=True, canary=True
    )
    when = timezone.now() - dt.timedelta(days=days_ago)
    transparency.canary_affirm(library=lib, user=director, now=when)
    return when


def test_the_json_report_has_the_page_s_banded_figures_and_no_count(client, public):
    visits(public, 7, at=dt.datetime(2025, 8, 1, tzinfo=DETROIT))
    visits(public, 3, agency="sheriff", at=dt.datetime(2025, 8, 1, tzinfo=DETROIT))
    response = client.get("/transparency.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert not response.cookies and response["Access-Control-Allow-Origin"] == "*"
    doc = response.json()
    assert doc["format"] == "patronshield-transparency/1"
    q3 = next(q for q in doc["quarters"] if q["period"] == "2025-Q3")
    assert q3["total"] == {"low": 10, "high": 14, "text": "10–14"}
    agency = {c["category"]: c for c in q3["tables"]["agency"]}
    assert (agency["immigration"]["low"], agency["immigration"]["high"]) == (5, 9)
    assert agency["local"]["text"] == "fewer than 5" and agency["local"]["label"]
    assert set(q3["tables"]) == set(transparency.TABLES)

    def keys(node):
        if isinstance(node, dict):
            return set(node) | {k for v in node.values() for k in keys(v)}
        return {k for v in node for k in keys(v)} if isinstance(node, list) else set()

    assert "count" not in keys(doc)  # bands only, never the number
    # The same numbers the CSV publishes.
    csv = client.get("/transparency.csv").content.decode()
    assert "2025-Q3,total,total,,10–14,10,14" in csv
    assert client.get("/l/ecorse/transparency.json").json()["quarters"] == doc["quarters"]
    assert client.post("/transparency.json").status_code == 405


def test_the_canary_is_signed_and_says_its_state(client, public, people):
    off = client.get("/canary.json").json()
    key = client.get("/.well-known/patronshield-key.txt").content.decode().split()[-1]
    assert off["state"] == "off" and off["statement"] is None
    assert ledger.document_signature_valid(off, key)
    assert key == chain.public_key(public.pk)

    affirmed = affirm(public, people["director"])
    chain.checkpoint_make(library=public, reason="daily", notify=False)
    doc = client.get("/canary.json").json()
    assert doc["state"] == "active" and "received no National Security Letter" in doc["statement"]
    assert doc["expires_at"] == ledger.timestamp(affirmed + dt.timedelta(days=30))
    newest = chain.Checkpoint.objects.filter(library=public, reason="daily").latest("seq")
    assert doc["freshness"]["head"] == newest.head
    assert ledger.document_signature_valid(doc, key)
    forged = {**doc, "state": "active", "expires_at": "2099-01-01T00:00:00+00:00"}
    assert not ledger.document_signature_valid(forged, key)

    # A checkpoint made when a visit closed would date the visit: only daily ones count.
    chain.checkpoint_make(library=public, reason="encounter 1 closed", notify=False)
    assert client.get("/canary.json").json()["freshness"]["head"] == newest.head


def test_a_lapsed_canary_says_lapsed(client, public, people):
    affirm(public, people["director"], days_ago=31)
    assert client.get("/canary.json").json()["state"] == "lapsed"


NOW = dt.datetime(2026, 12, 6, 12, 0, tzinfo=dt.UTC)


def signed(**overrides):
    key = ledger.new_signing_key()
    doc = {
        "format": canary.FORMAT,
        "library": {"name": "Test Library", "slug": "test"},
        "state": "active",
        "statement": "As of 1 December 2026, this library has received no National "
        "Security Letter or FISA order.",
        "affirmed_at": "2026-12-01T09:00:00+00:00",
        "expires_at": "2026-12-31T09:00:00+00:00",
        "issued_at": "2026-12-06T11:59:00+00:00",
        "freshness": {"checkpoint_at": "2026-12-06T03:00:00+00:00", "head": "ab" * 32},
        **overrides,
    }
    return ledger.sign_document(key, doc), ledger.public_key_hex(key)


@pytest.mark.parametrize(
    ("overrides", "status", "says"),
    [
        ({}, 0, "active"),
        ({"state": "lapsed", "statement": None}, 1, "the canary is lapsed"),
        ({"expires_at": "2026-12-05T09:00:00+00:00"}, 1, "expired"),
        ({"freshness": {"checkpoint_at": "2026-11-20T03:00:00+00:00", "head": "00"}}, 1, "stale"),
        ({"freshness": None}, 1, "no freshness proof"),
        ({"issued_at": "2027-06-01T00:00:00+00:00"}, 2, "not believable"),
        ({"format": "something/1"}, 2, "not a Patron Shield canary"),
    ],
)
def test_the_verifier_tells_each_case_apart(overrides, status, says):
    doc, key = signed(**overrides)
    verdict = canary.check(doc, key, NOW)
    assert verdict.status == status, verdict.lines
    assert any(says in line for line in verdict.lines), verdict.lines


def test_the_verifier_refuses_a_forgery_and_another_key():
    doc, key = signed()
    assert canary.check({**doc, "expires_at": "2099-01-01T00:00:00+00:00"}, key, NOW).status == 2
    _other, other_key = signed()
    assert canary.check(doc, other_key, NOW).status == 2  # signed by someone else's key
    assert canary.key_url("https://x.org/l/a/canary.json") == (
        "https://x.org/l/a/.well-known/patronshield-key.txt"
    )


@pytest.mark.django_db(transaction=True)
def test_verify_canary_over_http_against_the_running_app(live_server, library, people, settings):
    """The command, in its own process, reads the live app's canary and key over HTTP."""
    settings.PATRONSHIELD_PUBLIC_LIBRARY = "ecorse"
    lib = library[0]

    def run(*args):
        out = subprocess.run(
            [BIN / "patronshield", "verify-canary", f"{live_server.url}/canary.json", *args],
            capture_output=True,
            text=True,
            timeout=60,
        )
        return out.returncode, out.stdout

    code, out = run()
    assert code == 1 and "CANARY DOWN" in out and "the canary is off" in out
    affirm(lib, people["director"])
    chain.checkpoint_make(library=lib, reason="daily", notify=False)
    code, out = run()
    assert code == 0 and out.startswith("OK") and "received no National Security Letter" in out
    code, out = run("--key", ledger.public_key_hex(ledger.new_signing_key()))
    assert code == 2 and "another key than the one you pinned" in out
    code, out = run("--key", chain.public_key(lib.pk))
    assert code == 0
    TransparencySettings.objects.filter(library=lib).update(
        canary_affirmed_at=timezone.now() - dt.timedelta(days=31)
    )
    code, out = run()
    assert code == 1 and "lapsed" in out
    bad = subprocess.run(
        [BIN / "patronshield", "verify-canary", "http://127.0.0.1:9/canary.json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2 and "could not read" in bad.stdout


def test_published_statements_as_an_atom_feed(client, public, people):
    from patronshield.aftercare.models import Review, Statement

    review = Review.objects.create(library=public, encounter=visit(public))
    now = timezone.now()
    week = "the week of 1 December"
    Statement.objects.create(
        review=review, language="en", text="We protect privacy.", approved_at=now,
        published=True, period=week,
    )  # fmt: skip
    Statement.objects.create(
        review=review, language="es", text="Protegemos la privacidad.", approved_at=now,
        published=True,
    )  # fmt: skip
    Statement.objects.create(review=review, language="ar", text="draft", published=False)
    response = client.get("/statements.atom")
    assert response.status_code == 200 and "atom" in response["Content-Type"]
    assert not response.cookies
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 2  # the draft is not published
    texts = {e.find(f"{ATOM}summary").text for e in entries}
    assert texts == {"We protect privacy.", "Protegemos la privacidad."}
    links = {e.find(f"{ATOM}link").get("href") for e in entries}
    assert any("/statements/es/#statement-" in link for link in links)
    assert client.get("/l/ecorse/statements.atom").status_code == 200

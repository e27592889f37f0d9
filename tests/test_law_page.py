"""The law page (`/law/`) and `patronshield law`: every jurisdiction's library-records law as a
director and their lawyer check it, in words, the library's own state first; the same as JSON
on the command line, without the web app. Against the real tables (all 51 jurisdictions now);
the states.toml fallback for a state without a table by taking one away."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils.html import escape

from patronshield.policy import engine, law
from tests.conftest import make_library, make_user
from tests.test_record_views import page_text

BIN = Path(sys.executable).with_name("patronshield")
# Keys of the tables that must never reach the screen (words stand in for them).
KEYS = ("court_order", "needs_counsel_review", "law_enforcement_emergency",
        "library_operations", "read_from_text", "attorney_general_opinion", "search_warrant",
        "consent_written", "parent_of_minor", "court_showing", "crime_at_library")  # fmt: skip


@pytest.fixture
def director(people):
    return people["director"]


def law_page(client, user, **headers):
    client.force_login(user)
    response = client.get(reverse("law"), **headers)
    assert response.status_code == 200
    return response


def test_it_lists_all_51_jurisdictions_with_an_index(client, director):
    html = law_page(client, director).content.decode()
    codes = re.findall(r'<details id="law-([A-Z]{2})"', html)
    assert len(codes) == len(set(codes)) == 51
    assert set(codes) == set(law.jurisdictions())
    for code in codes:
        assert f'href="#law-{code}"' in html


def test_it_puts_the_librarys_state_first_open_and_marked(client, director):
    html = law_page(client, director).content.decode()
    first = re.search(r"<details [^>]*>", html).group(0)
    assert 'id="law-MI"' in first and "own" in first and "open" in first
    assert "your library's state" in page_text(law_page(client, director))
    # then the others A–Z by name
    names = re.findall(r'<summary><span class="law-name">([^<]+)', html)
    assert names[0] == "Michigan" and names[1:] == sorted(names[1:])


def test_it_puts_another_librarys_state_first_for_its_staff(client, db):
    lib, branch = make_library("austin", "Austin Public Library", state="TX")
    html = law_page(client, make_user("d@tx.example.org", "director", lib, branch)).content
    first = re.search(rb"<details [^>]*>", html).group(0)
    assert b'id="law-TX"' in first and b"open" in first


def section(html: str, code: str) -> str:
    return html.split(f'id="law-{code}"', 1)[1].split("</details>", 1)[0]


def test_it_shows_each_routes_citation_and_whether_the_desk_applies_it(client, director):
    html = law_page(client, director).content.decode()
    alaska = section(html, "AK")
    assert "A court order" in alaska and "AS 40.25.140(a)" in alaska
    assert "The desk applies it." in alaska
    # the parent of a minor is in the statute, not in the engine
    assert "A parent or guardian of a minor" in alaska and "AS 40.25.140(b)" in alaska
    assert "The desk does not apply it yet." in alaska
    assert 'href="https://casetext.com/statute/alaska-statutes/' in alaska
    for j in law.jurisdictions().values():  # every route of every state, with its citation
        text = section(html, j.code)
        for route in j.routes:
            assert escape(route.ref) in text, (j.code, route.ref)
    assert "Guidance, not legal advice." in page_text(law_page(client, director))


def test_it_shows_the_warrant_window_or_says_not_confirmed(client, director):
    html = law_page(client, director).content.decode()
    kansas = section(html, "KS")
    assert "10 days" in kansas and "K.S.A. 22-2506(a)" in kansas
    assert law.jurisdictions()["AK"].warrant_window is None
    window = section(html, "AK").split("Time to execute a search warrant", 1)[1]
    assert "not confirmed" in window.split("</dd>", 1)[0]


def fallback(code: str) -> law.Jurisdiction:
    """The jurisdiction as it reads with no rule table: its states.toml row alone."""
    return law._jurisdiction(engine.state_laws()[code], None)


def test_it_falls_back_to_the_states_row_without_a_table():
    alaska = fallback("AK")
    assert alaska.encoded is False and alaska.citation == "Alaska Stat. § 40.25.140"
    assert alaska.routes == ()
    assert alaska.warrant_window is None and alaska.consent == ""


def test_it_says_which_states_the_desk_does_not_apply_yet(client, director, monkeypatch):
    every = {**law.jurisdictions(), "AK": fallback("AK")}
    monkeypatch.setattr(law, "jurisdictions", lambda: every)
    html = law_page(client, director).content.decode()
    assert "No rule table for this state yet" in section(html, "AK")
    assert "No rule table for this state yet" not in section(html, "MI")
    assert len(re.findall(r'<details id="law-', html)) == 51


@pytest.mark.parametrize("language", ["en", "es"])
def test_it_shows_words_never_internal_keys(client, director, language):
    text = page_text(law_page(client, director, HTTP_ACCEPT_LANGUAGE=language))
    for key in KEYS:
        assert key not in text, key


def test_it_renders_in_spanish(client, director):
    response = law_page(client, director, HTTP_ACCEPT_LANGUAGE="es")
    html = response.content.decode()
    assert '<html lang="es"' in html
    assert "Nuestra política" in page_text(response)  # the crumbs, already in the catalogue
    assert len(re.findall(r'<details id="law-', html)) == 51


@pytest.mark.parametrize(
    ("role", "linked"),
    [("desk", False), ("designee", False), ("director", True), ("admin", True)],
)
def test_it_is_linked_from_the_desk_and_the_policy_page_for_directors(client, people, role,
                                                                        linked):  # fmt: skip
    client.force_login(people[role])
    for page in ("desk:home", "policy:show"):
        assert (b'href="/law/"' in client.get(reverse(page)).content) is linked, page


def test_it_is_linked_for_counsel(client, library):
    lib, branch = library
    client.force_login(make_user("counsel@a.example.org", "counsel", lib, branch))
    assert b'href="/law/"' in client.get(reverse("policy:show")).content


# ----------------------------------------------------------------- patronshield law


def run(*args):
    return subprocess.run(
        [BIN, "law", *args],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "DATABASE_URL": "", "PATRONSHIELD_VAR_DIR": "/nonexistent"},
    )


def test_it_prints_one_state_as_json():
    p = run("mi")
    assert p.returncode == 0, p.stderr
    mi = json.loads(p.stdout)
    assert mi["code"] == "MI" and mi["encoded"] is True
    court = next(r for r in mi["routes"] if r["kind"] == "court_order")
    assert court["encoded"] is True and court["ref"].startswith("MCL 397.603(2)(a)")
    assert {"citation", "title", "source_url", "reviewed_on", "review_status", "protects",
            "consent", "penalty", "warrant_window", "not_confirmed"} <= set(mi)  # fmt: skip


def test_it_prints_every_state_as_json():
    p = run()
    assert p.returncode == 0, p.stderr
    every = json.loads(p.stdout)
    assert len(every) == 51 == len({j["code"] for j in every})
    assert all(j["encoded"] for j in every)  # every jurisdiction has its table now
    alaska = next(j for j in every if j["code"] == "AK")
    assert {r["kind"]: r["encoded"] for r in alaska["routes"]} == {
        "court_order": True,
        "parent_of_minor": False,
    }


def test_it_refuses_an_unknown_state_in_one_line():
    p = run("ZZ")
    assert p.returncode == 2 and p.stdout == ""
    assert p.stderr.count("\n") == 1 and "'ZZ'" in p.stderr


def test_it_answers_without_the_web_app():
    p = subprocess.run(
        [sys.executable, "-c", "import sys; from patronshield.cli import main; "
         "main(['law', 'TX']); print('django' in sys.modules)"],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert p.stdout.strip().endswith("False"), p.stderr


def test_it_shows_what_the_engine_reads_from_each_table(client, director):
    """One reading of the tables: the page's routes, window and consent are the engine's."""
    html = law_page(client, director).content.decode()
    for code, table in engine.state_tables().items():
        j = law.jurisdictions()[code]
        assert (j.routes, j.warrant_window, j.penalty) == (
            table.routes,
            table.warrant_window,
            table.penalty,
        )
        text = section(html, code)
        for route in table.routes:
            applies = "The desk applies it." if route.encoded else "The desk does not apply it yet."
            assert applies in text, (code, route.kind)

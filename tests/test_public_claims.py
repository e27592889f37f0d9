"""The Know-Your-Rights page and door sign promise only what the engine does, in every
state: officers enter staff-only areas only with the documents the engine lets through
(never a subpoena), and no route by which a patron's record goes is named that the state's
table does not list (no "emergency", no "subpoena", no "permission" where the law has none)."""

import html as html_lib
import io
import re

import pytest
from pypdf import PdfReader

from patronshield.libraries.policies import adopted_table
from patronshield.policy import Scenario, decide, model_policy, state_laws, state_tables, vocab
from patronshield.public import content

STATES = sorted(state_tables())
AGENCIES = ("ice", "local_police")
# How the English text names each document and each release route.
DOCUMENT_WORDS = {
    "judicial_search_warrant": r"search warrant signed by a judge",
    "judicial_arrest_warrant": r"arrest warrant",
    "administrative_warrant": r"ICE warrant|administrative warrant",
    "judicial_subpoena": r"subpoena",
    "grand_jury_subpoena": r"subpoena",
    "administrative_subpoena": r"subpoena",
    "court_order": r"court order",
    "detainer": r"detainer",
    "national_security_letter": r"National Security Letter",
    "fisa_order": r"FISA",
}
ROUTE_WORDS = {
    "consent": r"permission|consent",
    "consent_written": r"permission|consent",
    "subpoena": r"subpoena",
    "court_order": r"court order",
    "search_warrant": r"warrant signed by a judge|judge's warrant|search warrant",
    "law_enforcement_emergency": r"emergency",
    "parent_of_minor": r"parent",
    "crime_at_library": r"crime",
}
CLAIM = re.compile(r'<li data-claim="(entry|release)">(.*?)</li>', re.S)


def entry_documents(state: str, policy) -> set[str]:
    """The documents with which the engine lets every agency asked about into staff-only areas."""
    return {
        document
        for document in vocab.DOCUMENTS
        if all(
            decide(
                Scenario(agency=a, request="enter_nonpublic_area", document=document, state=state),
                policy,
            ).outcome
            in ("permit", "comply_after_approval")
            for a in AGENCIES
        )
    }


def named(words: dict[str, str], text: str) -> set[str]:
    return {key for key, pattern in words.items() if re.search(pattern, text, re.I)}


def plain(html: str) -> str:
    return html_lib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)))


def check_entry(text: str, allowed: set[str], where: str):
    said = named(DOCUMENT_WORDS, text)
    assert said <= allowed, f"{where}: names {said - allowed} for entry: {text!r}"
    assert said >= set(content.ENTRY_DOCUMENTS), f"{where}: {text!r}"


def check_release(text: str, routes: set[str], where: str):
    # The privacy sentence also says what releases nothing ("never because … an ICE
    # warrant"); that clause names no route.
    text = re.sub(r"\bnever because.*", "", text)
    said = named(ROUTE_WORDS, text)
    assert said <= routes | set(content.RELEASE_ROUTES), f"{where}: names {said - routes}"
    assert set(content.RELEASE_ROUTES) <= routes


@pytest.fixture
def library_in(library):
    lib, _branch = library

    def move(state):
        lib.state = state
        lib.save()
        return lib

    return move


def test_it_tests_every_jurisdiction():
    assert len(STATES) == 51


def test_the_entry_documents_are_exactly_those_the_engine_lets_in():
    """The page says "not unless": a document the engine also accepts would make it untrue,
    and so would one it refuses."""
    for state in STATES:
        assert entry_documents(state, model_policy()) == set(content.ENTRY_DOCUMENTS), state


@pytest.mark.parametrize("state", STATES)
def test_it_names_no_entry_or_release_route_the_law_does_not_have(client, library_in, state):
    lib = library_in(state)
    allowed = entry_documents(state, adopted_table(lib))
    routes = {r.kind for r in state_tables()[state].routes}

    html = client.get("/rights/en/").content.decode()
    claims = CLAIM.findall(html)
    assert [k for k, _ in claims] == ["entry", "release", "entry"]
    for kind, sentence in claims:
        text = plain(sentence)
        if kind == "entry":
            check_entry(text, allowed, state)
        else:
            check_release(text, routes, state)
            law = state_laws()[state]
            assert f"{law.name}'s library-records law ({law.citation})" in text

    pdf = client.get("/rights/en/sign.pdf").content
    sign = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    entry, _, release = sign.partition("Patron records")
    assert release, sign
    check_entry(entry.partition("Entering staff-only areas")[2], allowed, f"{state} sign")
    check_release(release.partition("The library director")[0], routes, f"{state} sign")


@pytest.mark.parametrize("code", content.CODES)
def test_every_language_has_the_claims_the_facts_and_their_placeholders(code):
    text = content.load(code)
    for section, key in [
        ("library", "entry"),
        ("privacy", "share"),
        ("privacy", "will_not_entry"),
        ("sign", "body"),
        ("stopped", "papers"),
        ("warrants", "removal"),
    ]:
        assert text[section][key].strip(), (section, key)
    for section, key in [("privacy", "share"), ("sign", "body")]:
        assert set(content.PLACEHOLDER.findall(text[section][key])) == {"state", "citation"}
    assert "1304(e)" in text["stopped"]["papers"]
    assert "I-205" in text["warrants"]["removal"]

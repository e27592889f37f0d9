"""The Know-Your-Rights page and door sign promise only what the engine does, in every
state: officers enter staff-only areas only with the documents the engine lets through
(never a subpoena), and no route by which a patron's record goes is named that the state's
table does not list (no "emergency", no "subpoena", no "permission" where the law has none).
In English by the words; in each of the 19 languages by the line of the content source each
claim is, its state's law and citation, and what that line's English says."""

import html as html_lib
import io
import re
from functools import cache

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


# ------------------------------------------------------------------ every language


def _leaves(node, path=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(node, str):
        yield path, node


def _source(code: str, key: tuple) -> str:
    node = content.load(code)
    for part in key:
        node = node[part]
    return node


def claim_keys(english: list, values: dict) -> list[tuple]:
    """Which line of the content source each claim on the English page is (derived, not
    listed: the English line whose text, filled in, is the claim's)."""
    filled = {plain(content.fill(text, values)): key for key, text in _leaves(content.load("en"))}
    return [filled[plain(sentence)] for _kind, sentence in english]


def what_the_english_claims(key: tuple, values: dict) -> tuple[set, set]:
    """The documents and the routes a line names, read from its English text: a translation
    of the line claims the same (that the translation says what the English says is its
    review's job; that its line is the one shown, with the state's law, is checked here)."""
    text = plain(content.fill(_source("en", key), values))
    return named(DOCUMENT_WORDS, text), named(ROUTE_WORDS, re.sub(r"\bnever because.*", "", text))


ENGLISH_CLAIMS = {}  # state -> the English page's claims


@cache
def entry_documents_in(state: str) -> frozenset:
    return frozenset(entry_documents(state, model_policy()))


@pytest.mark.parametrize("code", content.CODES)
def test_every_language_claims_only_what_each_states_table_has(client, library_in, code):
    """The page, the door sign and the poster in each of the 19 languages, for every state:
    each claim line is the language's own line for that claim in the content source, with the
    state's law and citation filled in, and what the line claims (its English text's
    documents and routes) is what the state's table and the engine allow."""
    from patronshield.public import pdfs
    from patronshield.public.views import rights_context

    for state in STATES:
        lib = library_in(state)
        values = content.library_values(lib)
        law = state_laws()[state]
        routes = {r.kind for r in state_tables()[state].routes} | set(content.RELEASE_ROUTES)
        if state not in ENGLISH_CLAIMS:  # the same for every language: rendered once
            ENGLISH_CLAIMS[state] = CLAIM.findall(client.get("/rights/en/").content.decode())
        english = ENGLISH_CLAIMS[state]
        keys = claim_keys(english, values)
        assert keys, "no claim on the English page"

        claims = CLAIM.findall(client.get(f"/rights/{code}/").content.decode())
        assert [k for k, _ in claims] == [k for k, _ in english], (code, state)
        for (kind, sentence), key in zip(claims, keys, strict=True):
            where = f"{code} {state} {'.'.join(key)}"
            assert plain(sentence) == plain(content.fill(_source(code, key), values)), where
            # No number, form or section of its own: only the state's citation, filled in.
            numbers = content.LTR_RUN.findall
            assert numbers(_source(code, key)) == numbers(_source("en", key)), where
            documents, named_routes = what_the_english_claims(key, values)
            if kind == "entry":
                assert documents == entry_documents_in(state), where
            else:
                assert named_routes <= routes, f"{where}: names {named_routes - routes}"
                assert law.citation in plain(sentence) and law.name in plain(sentence), where

        context = rights_context(lib, code)
        for kind, lines in [
            ("sign", [("sign", "body")]),
            ("poster", [k for k in keys if k[0] != "privacy" or k[1] == "share"]),
        ]:
            sheet = plain(pdfs.sheet_html(kind, context, page_url="/", size="letter"))
            for key in lines:
                line = plain(content.fill(_source(code, key), values))
                assert line in sheet, f"{code} {state} {kind}: {'.'.join(key)}"
        body = plain(content.fill(_source(code, ("sign", "body")), values))
        assert law.citation in body and law.name in body, (code, state)
        # The sign's one line says both: entry, then records (split as the English sign is).
        documents, _routes = what_the_english_claims(("sign", "body"), values)
        records = plain(content.fill(_source("en", ("sign", "body")), values))
        named_routes = named(ROUTE_WORDS, records.partition("Patron records")[2])
        assert documents == entry_documents_in(state) and named_routes <= routes, (code, state)

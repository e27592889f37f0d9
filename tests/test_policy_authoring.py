"""The pure part of policy authoring, as tables: choices -> rules, document, changes."""

from datetime import date

import pytest

from patronshield.policy import Scenario, authoring, decide, model_policy, parse_table, texts, vocab
from patronshield.policy.engine import InputError, cited

BASE = authoring.default_choices(public_areas=["Lobby"], nonpublic_areas=["Staff workroom"])


def with_(**changes):
    c = {**BASE, **changes}
    return authoring.clean(c)


def test_the_default_choices_are_the_model_policy():
    table = authoring.table_for(BASE)
    assert [r.id for r in table.rules] == [r.id for r in model_policy().rules]
    assert table.approver == "director_or_designee"


@pytest.mark.parametrize(
    ("exceptions", "kept", "dropped"),
    [
        ({"safety": True, "consent": True}, {"policy.safety", "policy.patron_permission"}, set()),
        ({"safety": False, "consent": True}, {"policy.patron_permission"},
         {"policy.safety", "policy.safety_entry"}),
        ({"safety": True, "consent": False}, {"policy.safety"}, {"policy.patron_permission"}),
        ({"safety": False, "consent": False}, set(),
         {"policy.safety", "policy.safety_entry", "policy.patron_permission"}),
    ],
)  # fmt: skip
def test_exceptions_keep_or_drop_their_rules(exceptions, kept, dropped):
    ids = {r.id for r in authoring.table_for(with_(exceptions=exceptions)).rules}
    assert kept <= ids and not (dropped & ids)


# (choices, scenario, expected outcome, expected approver)
CASES = [
    # Patron records go only where the state's statute names a route (NY: consent).
    ({}, ("ice", "patron_records", "none", "NY", True, False), "comply_after_approval",
     "director_or_designee"),
    ({"exceptions": {"safety": True, "consent": False}},
     ("ice", "patron_records", "none", "NY", True, False), "decline", "director_or_designee"),
    ({"approver": "director"}, ("fbi", "seize_equipment", "judicial_search_warrant", "OH", False,
     False), "comply_after_approval", "director"),
    ({"exceptions": {"safety": False, "consent": True}},
     ("local_police", "enter_nonpublic_area", "none", "OH", False, True), "decline", "none"),
    ({}, ("local_police", "enter_nonpublic_area", "none", "OH", False, True), "permit", "none"),
    ({"approver": "director"}, ("ice", "enter_nonpublic_area", "administrative_warrant", "MI",
     False, False), "decline", "none"),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "s", "outcome", "approver"), CASES)
def test_the_engine_decides_by_the_library_table(changes, s, outcome, approver):
    agency, request, document, state, consent, emergency = s
    scenario = Scenario(agency=agency, request=request, document=document, state=state,
                        patron_consent=consent, emergency=emergency)  # fmt: skip
    d = decide(scenario, authoring.table_for(with_(**changes)))
    assert (d.outcome, d.approver) == (outcome, approver)


def test_director_only_relabels_the_citations():
    table = authoring.table_for(with_(approver="director"))
    refs = [c.ref for r in table.rules for c in r.citations]
    assert not any("Director or designee" in ref for ref in refs)
    assert any("Director approves" in ref for ref in refs)


def test_a_table_survives_storage_as_data():
    table = authoring.table_for(with_(approver="director"), version="3")
    assert parse_table(authoring.table_data(table)) == table


@pytest.mark.parametrize("language", vocab.LANGUAGES)
@pytest.mark.parametrize("state", ["MI", "IL", "OH", "FL", "KY"])
def test_every_rule_is_in_the_document_with_its_citations(language, state):
    table = authoring.table_for(BASE)
    doc = authoring.document(BASE, state, library="Ecorse", table=table, language=language)
    entries = {r.id: r for s in doc.sections for r in s.rules}
    for rule in table.rules:
        assert entries[rule.id].citations == cited(rule.citations, language)
    sources = {c.source for c in doc.citations()}
    assert {"policy", "federal", "statute"} <= sources


def test_changing_a_choice_changes_both_the_table_and_the_document():
    new = with_(exceptions={"safety": True, "consent": False})
    old_doc, new_doc = authoring.document(BASE, "MI"), authoring.document(new, "MI")
    assert "policy.patron_permission" in old_doc.rule_ids
    assert "policy.patron_permission" not in new_doc.rule_ids
    assert "policy.patron_permission" not in {r.id for r in authoring.table_for(new).rules}
    exceptions = next(s for s in new_doc.sections if s.key == "exceptions")
    assert any("written consent" in p for p in exceptions.paragraphs)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (None, BASE, ["First version, from the model policy."]),
        (BASE, BASE, ["No changes: the policy was reviewed as it stands."]),
        (BASE, with_(approver="director"),
         ["Who approves: now the Director only (was the Director or a designee)."]),
        (BASE, with_(areas={"public": ["Lobby"], "nonpublic": ["Staff workroom", "Server room"]}),
         ["Area added (non-public): Server room."]),
        (BASE, with_(areas={"public": ["Lobby", "Staff workroom"], "nonpublic": []}),
         ["Staff workroom is now public."]),
        (BASE, with_(areas={"public": [], "nonpublic": ["Staff workroom"]}),
         ["Area removed: Lobby."]),
        (BASE, with_(exceptions={"safety": False, "consent": True}),
         ["Exception no longer allowed: the safety and security of the library (an emergency)."]),
        (BASE, with_(retention={**BASE["retention"], "documents_days": 90}),
         ["Keeping photos of documents: now 90 days (was 365)."]),
        (BASE, with_(counsel={"name": "A. Lawyer", "phone": "313-555-0177", "email": ""}),
         ["Legal counsel is now: A. Lawyer, 313-555-0177."]),
        (BASE, with_(values="We protect privacy."), ["The statement of values was rewritten."]),
    ],
)  # fmt: skip
def test_changes_say_what_changed(old, new, expected):
    assert authoring.changes(old, new) == expected


def test_changes_in_spanish():
    assert authoring.changes(BASE, with_(approver="director"), "es") == [
        "Quién aprueba: ahora solo el director(a) (antes el director(a) o una persona designada)."
    ]


@pytest.mark.parametrize(
    ("choices", "field"),
    [
        ({"approver": "board"}, "approver"),
        ({"exceptions": {"safety": "yes"}}, "exceptions"),
        ({"exceptions": {"gag": True}}, "exceptions"),
        ({"retention": {**BASE["retention"], "documents_days": 0}}, "retention.documents_days"),
        ({"retention": {**BASE["retention"], "requests_days": "many"}}, "retention.requests_days"),
        ({"areas": {"public": ["Lobby"], "nonpublic": ["lobby"]}}, "areas"),
    ],
)
def test_bad_choices_are_refused(choices, field):
    with pytest.raises(InputError) as e:
        authoring.clean({**BASE, **choices})
    assert e.value.field == field


@pytest.mark.parametrize(
    ("adopted_on", "built", "today", "keys"),
    [
        (date(2026, 6, 1), authoring.sources("MI"), date(2026, 12, 1), []),
        (date(2025, 11, 30), authoring.sources("MI"), date(2026, 12, 1), ["review:2025-11-30"]),
        (date(2026, 6, 1), {**authoring.sources("MI"), "federal": "2025-01-01"},
         date(2026, 12, 1), [f"source:federal:{authoring.sources('MI')['federal']}"]),
        (date(2026, 6, 1), {**authoring.sources("MI"), "statute": "2099-01-01"},
         date(2026, 12, 1), []),
    ],
)  # fmt: skip
def test_notices(adopted_on, built, today, keys):
    got = authoring.notices(adopted_on=adopted_on, built=built, state="MI", today=today)
    assert [n.key for n in got] == keys


@pytest.mark.parametrize("language", vocab.LANGUAGES)
def test_authoring_texts_exist_in_every_language(language):
    english, other = texts("en"), texts(language)
    for section in ("document", "changes", "notices", "card"):
        assert set(other[section]) == set(english[section]), section
    assert len(other["card"]["steps"]) == 5
    assert len(other["card"]["kinds"]) == len(english["card"]["kinds"]) == 5
    for approver in authoring.APPROVER_CHOICES:
        card = authoring.card_text(approver, language)
        assert all("{" not in s for s in card["steps"])


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize(
    ("agency", "asked", "document", "emergency"),
    [
        ("fbi", "seize_equipment", "judicial_search_warrant", False),
        ("ice", "patron_records", "court_order", False),
        ("local_police", "surveillance_footage", "none", True),
        ("ice", "enter_nonpublic_area", "administrative_warrant", False),
    ],
)
def test_under_director_only_the_desk_is_never_told_a_designee_may_approve(
    language, agency, asked, document, emergency
):
    scenario = Scenario(agency=agency, request=asked, document=document, state="MI",
                        emergency=emergency, language=language)  # fmt: skip
    words = lambda d: " ".join([d.staff_script, d.explanation, *d.do, *d.dont])  # noqa: E731
    both = decide(scenario, authoring.table_for(with_()))
    alone = decide(scenario, authoring.table_for(with_(approver="director")))
    designee = {"en": "designee", "es": "designada"}[language]
    assert designee in words(both).lower()  # the default names the designee...
    assert designee not in words(alone).lower()  # ...director-only never does
    assert both.outcome == alone.outcome

"""Issue 16 point 3: what the checker found wrong with a paper is part of the decision. A
paper with a defect authorizes nothing; what it would have opened is referred to the director,
with the reason in the staff script; nobody is ever told to obstruct."""

import itertools
import json
import time

import pytest

from patronshield.policy import (
    InputError,
    Scenario,
    decide,
    defect_reasons,
    defect_table,
    state_laws,
    state_tables,
    texts,
    vocab,
)
from patronshield.policy.cli import main, run

STATES = sorted(state_laws())
PAPERS = [d for d in vocab.DOCUMENTS if d not in ("none", "verbal")]
PAIRS = list(itertools.combinations(vocab.DOCUMENT_DEFECTS, 2))


def bears(defect: str, request: str) -> bool:
    """Whether the defect table says the defect bears on the request (from the data)."""
    asked = {request, vocab.REQUEST_CLASSES[request]}
    return any(
        r.defects and defect in r.defects and r.requests and asked & r.requests
        for r in defect_table().rules
    )


def test_every_state_every_paper_every_defect_and_pair_authorizes_nothing():
    count, started = 0, time.perf_counter()
    for state in STATES:
        for document in vocab.DOCUMENTS:
            combos = [(d,) for d in vocab.DOCUMENT_DEFECTS]
            for defects, request in itertools.chain(
                itertools.product(combos, vocab.PROTECTED_REQUESTS),
                itertools.product(PAIRS, ("enter_nonpublic_area", "patron_records")),
            ):
                asked = dict(agency="fbi", request=request, document=document, state=state)
                d = decide(Scenario(**asked, document_defects=defects))
                count += 1
                if not any(bears(x, request) for x in defects):
                    # A defect that does not bear on what is asked (a records order commands
                    # no entry; asked for records) leaves the answer as it was.
                    plain = decide(Scenario(**asked))
                    assert (d.outcome, d.authorized) == (plain.outcome, plain.authorized)
                    continue
                assert not d.authorized and d.outcome == "refer", (state, document, defects)
                assert d.do_not_obstruct and d.notify_director
                assert d.rules and all(r.startswith("document.") for r in d.rules), d.rules
    elapsed = time.perf_counter() - started
    print(f"\n{count} decisions in {elapsed:.1f} s")
    n = len(vocab.DOCUMENT_DEFECTS)
    assert count == len(STATES) * len(vocab.DOCUMENTS) * (n * 6 + n * (n - 1) // 2 * 2)


def test_a_records_order_that_commands_no_entry_still_stands_for_the_records():
    """An order addressed to the library naming records, in a state whose law releases on a
    court order: the records go after approval; a request to go into staff areas on the same
    paper is referred, with the reason."""
    asked = dict(agency="local_police", document="court_order", state="OH")
    records = decide(Scenario(**asked, request="patron_records",
                              document_defects=("no_entry_commanded",)))  # fmt: skip
    assert records.outcome == "comply_after_approval" and records.authorized
    entry = decide(Scenario(**asked, request="enter_nonpublic_area",
                            document_defects=("no_entry_commanded",)))  # fmt: skip
    assert entry.outcome == "refer" and not entry.authorized
    assert "doesn't order a search of this library" in entry.staff_script


@pytest.mark.parametrize("agency", ["ice", "local_police", "other"])
@pytest.mark.parametrize("defect", vocab.DOCUMENT_DEFECTS)
def test_no_agency_gets_past_a_defect(agency, defect):
    for document, request in itertools.product(PAPERS, vocab.PROTECTED_REQUESTS):
        if not bears(defect, request):
            continue
        for state in ("MI", "NY", "TX", "IL", "WI", "OH"):
            d = decide(Scenario(agency=agency, request=request, document=document, state=state,
                                document_defects=(defect,)))  # fmt: skip
            assert d.outcome == "refer" and not d.authorized


def test_a_judge_signed_warrant_for_another_branch_issued_a_year_ago():
    ok = Scenario(agency="local_police", request="enter_nonpublic_area",
                  document="judicial_search_warrant")  # fmt: skip
    assert decide(ok).outcome == "comply_after_approval" and decide(ok).authorized
    d = decide(Scenario(**{**ok.__dict__, "document_defects": ("wrong_place", "expired")}))
    assert d.outcome == "refer" and not d.authorized
    assert d.staff_script.startswith("This warrant names another address")
    assert "time to carry out this warrant has passed" in d.staff_script
    assert "won't stand in your way" in d.staff_script and "can't consent" in d.staff_script
    # The why is what is wrong with the paper, and only that.
    assert d.rules == ("document.wrong_place", "document.expired")
    assert "particularly describes" in d.explanation and "14 days" in d.explanation
    assert "lets officers search" not in d.explanation
    assert "Nobody could tell what this document is" not in d.explanation
    refs = " ".join(c.ref for c in d.citations)
    assert "amend. IV" in refs and "41(e)(2)(A)(i)" in refs and "18 U.S.C. § 111" in refs
    assert "Brigham" not in refs and "Steagald" not in refs
    assert any(x.startswith("Do not help") for x in d.dont)
    assert any("Do not physically block anyone" in x for x in d.dont)


def test_the_staff_script_never_tells_anyone_to_obstruct():
    for defect in vocab.DOCUMENT_DEFECTS:
        request = "patron_records" if bears(defect, "patron_records") else "enter_nonpublic_area"
        for language in vocab.LANGUAGES:
            d = decide(Scenario(agency="fbi", request=request, language=language,
                                document="judicial_search_warrant",
                                document_defects=(defect,)))  # fmt: skip
            assert d.do_not_obstruct
            tail = texts(language)["script"]["defect"]
            assert d.staff_script.endswith(tail)
        assert "won't stand in your way" in texts("en")["script"]["defect"]
        assert "No me voy a interponer" in texts("es")["script"]["defect"]


def test_a_state_warrant_past_the_state_s_window_cites_the_state_s_rule():
    d = decide(Scenario(agency="state_police", request="enter_nonpublic_area", state="CT",
                        document="judicial_search_warrant",
                        document_defects=("expired",)))  # fmt: skip
    window = state_tables()["CT"].warrant_window
    assert window and window.ref in [c.ref for c in d.citations]


def test_an_unsigned_warrant_is_the_not_signed_defect():
    count = 0
    for state, document, request, emergency, consent in itertools.product(
        ("MI", "NY", "OH", "TX", "WI"), vocab.WARRANTS, vocab.REQUESTS, (False, True),
        (False, True),
    ):  # fmt: skip
        fields = dict(agency="local_police", request=request, document=document, state=state,
                      emergency=emergency, patron_consent=consent)  # fmt: skip
        old = decide(Scenario(**fields, warrant_unsigned=True)).as_dict()
        new = decide(Scenario(**fields, document_defects=["not_signed"])).as_dict()
        assert old == new, fields
        count += 1
    assert count == 5 * 3 * 9 * 4
    d = decide(Scenario(agency="fbi", request="patron_records", document="judicial_search_warrant",
                        warrant_unsigned=True, document_defects=("wrong_place",)))  # fmt: skip
    assert d.rules == ("document.not_signed", "document.wrong_place")


def test_an_emergency_or_a_public_area_is_not_the_paper():
    """The paper allows nothing; an emergency still lets officers act, and officers may be in
    the public areas, paper or not. The defect is said as a warning."""
    d = decide(Scenario(agency="local_police", request="enter_nonpublic_area", emergency=True,
                        document="judicial_search_warrant",
                        document_defects=("wrong_place",)))  # fmt: skip
    assert d.outcome == "permit" and d.rules[-1] == "federal.exigent_entry"
    assert any("another address" in w for w in d.warnings)
    d = decide(Scenario(agency="ice", request="presence_public_area",
                        document="judicial_search_warrant",
                        document_defects=("sample",)))  # fmt: skip
    assert d.outcome == "permit" and any("sample" in w for w in d.warnings)
    # An emergency never releases a record on a paper that does not hold.
    for state in STATES:
        d = decide(Scenario(agency="local_police", request="patron_records", state=state,
                            emergency=True, document="judicial_search_warrant",
                            document_defects=("expired",)))  # fmt: skip
        table = state_tables().get(state)
        if d.authorized:
            seen = Scenario(agency="local_police", request="patron_records", state=state,
                            emergency=True, document="unknown")  # fmt: skip
            rule = table.first_match(seen)
            assert rule and rule.route == "law_enforcement_emergency", (state, d.rules)


def test_a_private_litigant_hears_the_reason_in_their_own_words():
    d = decide(Scenario(agency="other", request="patron_records", requester="private_litigant",
                        document="judicial_subpoena",
                        document_defects=("not_addressed_to_library",)))  # fmt: skip
    assert d.outcome == "refer" and not d.authorized
    assert d.staff_script.startswith("This paper is addressed to someone else")
    assert "Only our director or a designee can answer" in d.staff_script
    assert "stand in your way" not in d.staff_script


def test_a_gag_stays_whatever_is_wrong_with_the_paper():
    d = decide(Scenario(agency="fbi", request="patron_records", document="national_security_letter",
                        document_defects=("sample",)))  # fmt: skip
    assert d.nondisclosure and d.outcome == "refer"
    assert any("gag" in x for x in d.do)


def test_the_reasons_are_plain_words_in_each_language():
    assert defect_reasons(["wrong_place"], "judicial_search_warrant") == [
        "The warrant names another address, not this library."
    ]
    assert defect_reasons(["expired", "wrong_place"], "court_order", "es") == [
        "Nombra otro lugar, no esta biblioteca.",
        "Su plazo para cumplirse ya pasó.",
    ]
    assert defect_reasons(["sample"], "other", "xx") == defect_reasons(["sample"], "other")
    for language in vocab.LANGUAGES:
        t = texts(language)
        for d in vocab.DOCUMENT_DEFECTS:
            for doc in vocab.DOCUMENTS:
                reason = defect_reasons([d], doc, language)[0]
                assert reason and "_" not in reason  # no internal key reaches a screen
            assert d in t["defect"] and d in t["reason"]
            assert f"defect_{d}" in t["explanation"]
        assert set(t["defect"]) == set(texts("en")["defect"])
        assert set(t["reason"]) == set(texts("en")["reason"])


def test_every_defect_has_one_cited_rule():
    table = defect_table()
    assert table.layer == "document" and table.reviewed_on
    by_defect = {d: [r for r in table.rules if r.defects and d in r.defects]
                 for d in vocab.DOCUMENT_DEFECTS}  # fmt: skip
    for defect, rules in by_defect.items():
        assert len(rules) == 1, defect
        rule = rules[0]
        assert rule.outcome == "refer" and not rule.authorized and rule.citations
        assert any("18 U.S.C. § 111" in c.ref for c in rule.citations)


@pytest.mark.parametrize(
    "value,message",
    [
        ('["wrong_address"]', "'wrong_address' is not one of: not_signed, wrong_place"),
        ('"wrong_place"', "must be a list of: not_signed"),
        ("[1]", "1 is not one of"),
    ],
)
def test_the_command_line_refuses_an_unknown_defect(value, message):
    stdin = '{"agency": "fbi", "request": "patron_records", "document": '
    stdin += f'"judicial_search_warrant", "document_defects": {value}}}'
    status, out, err = run(stdin)
    assert status == 2 and not out
    assert err.startswith("document_defects: ") and message in err
    with pytest.raises(InputError) as e:
        Scenario(agency="fbi", request="patron_records", document_defects=json.loads(value))
    assert e.value.field == "document_defects"


def test_the_command_line_decides_with_defects_and_lists_them_in_help(capsys):
    stdin = json.dumps({"agency": "fbi", "request": "enter_nonpublic_area",
                        "document": "judicial_search_warrant",
                        "document_defects": ["night_time"]})  # fmt: skip
    status, out, err = run(stdin)
    assert status == 0 and not err
    d = json.loads(out)
    assert d["outcome"] == "refer" and not d["authorized"]
    assert "night here" in d["staff_script"] and d["rules"] == ["document.night_time"]
    assert main(["--help"]) == 0
    assert "document_defects: a list of: not_signed, wrong_place" in capsys.readouterr().out

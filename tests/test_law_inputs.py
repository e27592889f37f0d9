"""The inputs the law needs beyond an officer's paper (issue 15, part 4): who is asking (a
parent of a minor, a private litigant), an active threat to life in the building, and a
warrant nobody has signed."""

import pytest

from patronshield.policy import InputError, Scenario, decide, state_tables, texts
from patronshield.policy.cli import main, run

PARENT_STATES = sorted(
    code
    for code, table in state_tables().items()
    if any(r.kind == "parent_of_minor" for r in table.routes)
)


def parent(state, **kw):
    kw.setdefault("request", "patron_records")
    return decide(Scenario(agency="other", state=state, requester="parent_of_minor", **kw))


def test_it_shows_an_ohio_parent_their_childs_records_once_the_director_approves():
    d = parent("OH")
    assert d.authorized and d.outcome == "comply_after_approval"
    assert d.approver == "director_or_designee"
    assert any("149.432(B)(1)" in c.ref for c in d.citations)
    assert "officer" not in " ".join(d.do) + d.staff_script


@pytest.mark.parametrize("state", [s for s in PARENT_STATES if s != "OH"])
def test_it_refers_a_parent_where_the_routes_condition_cannot_be_checked(state):
    d = parent(state)
    assert not d.authorized and d.outcome == "refer"
    route = next(r for r in state_tables()[state].routes if r.kind == "parent_of_minor")
    assert not route.encoded
    assert "a condition the desk cannot check" in d.explanation


@pytest.mark.parametrize("state", ["MI", "NY", "TX", "CA", "IL", "PA"])
def test_it_gives_a_parent_nothing_where_the_statute_names_no_parent_route(state):
    d = parent(state)
    assert not d.authorized and d.outcome in ("refer", "decline")


@pytest.mark.parametrize("request_", ["patron_whereabouts", "surveillance_footage"])
def test_it_refers_an_ohio_parent_asking_where_the_child_is_or_for_footage(request_):
    assert not parent("OH", request=request_).authorized


@pytest.mark.parametrize(
    "state,document,authorized",
    [
        ("MI", "none", False),
        ("MI", "judicial_subpoena", False),
        ("TX", "court_order", False),  # a court order after a showing: police or a prosecutor
        ("PA", "court_order", False),  # a court order in a criminal proceeding only
        ("WI", "verbal", False),
        ("NY", "court_order", True),
        ("OH", "court_order", True),
    ],
)
def test_it_releases_to_a_private_litigant_only_what_the_statute_names(state, document, authorized):
    d = decide(
        Scenario(agency="other", request="patron_records", document=document, state=state,
                 requester="private_litigant")
    )  # fmt: skip
    assert d.authorized is authorized
    assert d.outcome != "permit"
    if not authorized:
        assert d.outcome in ("refer", "decline")


def test_it_never_lets_a_subpoena_hand_a_private_litigant_records_on_the_spot():
    for state in state_tables():
        s = Scenario(agency="other", request="patron_records", state=state,
                     document="judicial_subpoena", requester="private_litigant")  # fmt: skip
        d = decide(s)
        assert d.outcome == "refer", state


@pytest.mark.parametrize(
    "change,field",
    [
        ({"agency": "local_police"}, "agency"),
        ({"request": "enter_nonpublic_area"}, "request"),
        ({"document": "judicial_search_warrant"}, "document"),
        ({"emergency": True}, "emergency"),
        ({"active_threat": True}, "active_threat"),
    ],
)
def test_it_refuses_an_officers_input_for_a_parent(change, field):
    base = {"agency": "other", "request": "patron_records", "requester": "parent_of_minor"}
    with pytest.raises(InputError) as e:
        Scenario(**{**base, **change})
    assert e.value.field == field


@pytest.mark.parametrize("state", ["MI", "OH", "TX", "WI", "NY", "CA"])
@pytest.mark.parametrize("language", ["en", "es"])
def test_it_leads_with_911_in_an_active_threat_and_releases_no_record(state, language):
    d = decide(Scenario(agency="local_police", request="patron_whereabouts", state=state,
                        active_threat=True, language=language))  # fmt: skip
    assert "911" in d.staff_script.split(".")[0] and "911" in d.do[0]
    assert not d.authorized and d.outcome == "refer"
    assert d.explanation.startswith(texts(language)["explanation"]["active_threat"][:40])


def test_it_tells_michigan_staff_what_they_saw_is_not_a_library_record():
    d = decide(Scenario(agency="local_police", request="patron_whereabouts", state="MI",
                        active_threat=True))  # fmt: skip
    assert "MCL 397.602" in " ".join(c.ref for c in d.citations)
    assert "not a library record" in d.explanation
    assert "MI.active_threat" in d.rules


def test_it_lets_illinois_identify_someone_in_an_active_threat_through_its_emergency_route():
    d = decide(Scenario(agency="local_police", request="patron_whereabouts", state="IL",
                        active_threat=True))  # fmt: skip
    assert d.authorized and d.outcome == "comply_after_approval"
    assert "911" in d.do[0]
    # Never what someone borrowed, even then.
    d = decide(Scenario(agency="local_police", request="patron_records", state="IL",
                        active_threat=True))  # fmt: skip
    assert not d.authorized


@pytest.mark.parametrize("state", ["MI", "OH", "NY", "TX", "WI"])
@pytest.mark.parametrize("request_", ["enter_nonpublic_area", "patron_records", "seize_equipment"])
def test_it_treats_an_unsigned_search_warrant_as_no_warrant(state, request_):
    signed = decide(Scenario(agency="local_police", request=request_, state=state,
                             document="judicial_search_warrant"))  # fmt: skip
    d = decide(Scenario(agency="local_police", request=request_, state=state,
                        document="judicial_search_warrant", warrant_unsigned=True))  # fmt: skip
    assert signed.outcome == "comply_after_approval"
    assert not d.authorized and d.outcome in ("refer", "decline")
    assert "not a warrant yet" in d.explanation and "signed by a judge" in d.staff_script


def test_it_refuses_warrant_unsigned_for_a_paper_that_is_no_warrant():
    with pytest.raises(InputError) as e:
        Scenario(agency="fbi", request="patron_records", document="court_order",
                 warrant_unsigned=True)  # fmt: skip
    assert e.value.field == "warrant_unsigned"


@pytest.mark.parametrize("language", ["en", "es"])
def test_footage_of_a_crime_at_a_wisconsin_library_speaks_with_one_voice(language):
    """Wis. Stat. § 43.30(5)(a): the library shall disclose the pertinent footage to the
    officer investigating a crime at the library; the director checks first. The why says
    that alone: not "Wisconsin law is stricter", not "nothing is handed over"."""
    d = decide(
        Scenario(agency="local_police", request="surveillance_footage", state="WI",
                 crime_at_library=True, language=language)
    )  # fmt: skip
    t = texts(language)["explanation"]
    assert (d.outcome, d.authorized) == ("refer", False)
    assert d.rules[0] == "WI.footage_of_crime_at_library"
    assert d.explanation == t["WI_footage"]
    assert any("43.30(5)(a)" in c.ref for c in d.citations)
    not_said = decide(
        Scenario(agency="local_police", request="surveillance_footage", state="WI",
                 language=language)
    )  # fmt: skip
    stricter = texts(language)["common"]["stricter"].format(state="Wisconsin", citation="")
    assert not_said.explanation.startswith(stricter)  # without § 43.30(5): as before
    assert t["WI_footage_refer"] in not_said.explanation


def test_it_has_every_new_text_in_every_language():
    en, es = texts("en"), texts("es")
    for section in ("explanation", "script", "steps", "document"):
        assert set(en[section]) == set(es[section]), section


def test_it_decides_a_parent_on_the_command_line_without_an_agency():
    status, out, err = run('{"request": "patron_records", "requester": "parent_of_minor"}', "OH")
    assert status == 0 and '"authorized": true' in out


@pytest.mark.parametrize(
    "field,value,allowed",
    [
        ("requester", '"mother"', "officer, parent_of_minor, private_litigant"),
        ("active_threat", '"yes"', "true or false"),
        ("warrant_unsigned", "1", "true or false"),
    ],
)
def test_it_exits_2_naming_the_allowed_values(field, value, allowed):
    stdin = '{"agency": "fbi", "request": "patron_records", "document": '
    stdin += f'"judicial_search_warrant", "{field}": {value}}}'
    status, out, err = run(stdin)
    assert status == 2 and not out
    assert err.startswith(field) and allowed in err


def test_it_lists_the_new_fields_in_decide_help(capsys):
    assert main(["--help"]) == 0
    help_ = capsys.readouterr().out
    assert "requester: officer, parent_of_minor, private_litigant" in help_
    assert "active_threat: true, false" in help_ and "warrant_unsigned: true, false" in help_

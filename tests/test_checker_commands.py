"""What a paper commands, of whom, and whether it holds here, now: real court orders that
command no library authorize nothing, and say why; a search warrant opens a staff-only area
only for this library's address, within its window, signed by a judge."""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from patronshield.checker import JUDICIAL, LibraryContext, check_text
from patronshield.checker.checks import command_checks, defects
from patronshield.checker.classify import classify
from patronshield.checker.commands import read_commands

PAPERS = Path(__file__).parent / "papers"
DETROIT = ZoneInfo("America/Detroit")
NOW = datetime(2026, 11, 24, 14, 0, tzinfo=DETROIT)
ECORSE = LibraryContext(
    name="Ecorse Public Library", address="4184 W. Jefferson Ave., Ecorse, MI 48229"
)
NOTHING = {"enter_nonpublic_area": False, "patron_records": False}


def paper(name: str) -> str:
    """A fixture's text, without its source comment."""
    lines = (PAPERS / name).read_text().splitlines(keepends=True)
    return "".join(line for line in lines if not line.startswith("#"))


REAL_ORDERS = sorted(p.name for p in PAPERS.glob("*.txt") if not p.name.startswith("ao"))


def test_every_real_paper_records_its_source():
    for name in REAL_ORDERS:
        head = (PAPERS / name).read_text().split("\n", 5)
        assert any("Source: http" in line or "http" in line for line in head), name


@pytest.mark.parametrize("name", REAL_ORDERS)
def test_a_real_order_in_someone_else_s_case_authorizes_nothing_and_says_why(name):
    r = check_text(paper(name), name, context=ECORSE, now=NOW)
    assert r.authorizes == NOTHING
    if r.kind in JUDICIAL:
        assert "not_addressed_to_library" in r.defects, r.as_dict()["checks"]
        failing = [c for c in r.checks if c.result != "passed"]
        assert any(c.check == "addressed_to_library" for c in failing)
    else:
        assert r.reason  # not called judicial, and the reason is given
    # Whatever the classifier makes of it, the commands name no library.
    commands = read_commands(classify(paper(name)).text, context=ECORSE, kind="court_order")
    assert commands.addressee is None or commands.addressee.who != "library"
    assert "not_addressed_to_library" in defects(command_checks(commands, kind="court_order"))


def test_an_order_commanding_a_party_names_the_party_with_its_words():
    r = check_text(paper("order_peck_v_minev.txt"), context=ECORSE, now=NOW)
    assert r.kind == "court_order"
    addressee = r.commands.addressee
    assert addressee.who == "party" and "Plaintiff's Motion" in addressee.value
    assert addressee.evidence.startswith("IT IS HEREBY ORDERED")
    assert r.commands.produce_by.value == "2022-09-14"  # a due date, not a warrant's deadline
    assert r.commands.execute_by is None
    d = r.as_dict()["commands"]
    assert d["addressee"] == {
        "value": addressee.value,
        "evidence": addressee.evidence,
        "who": "party",
    }


def test_a_judge_named_at_the_top_is_not_a_signature_and_a_clerk_s_is_not_a_judge_s():
    r = check_text(paper("order_rehal_v_weinstein_ny.txt"), context=ECORSE, now=NOW)
    assert r.commands.signature.value == "Susanna Molina Rojas, Clerk of the Court"
    assert not r.commands.judge_signed
    assert {c.check: c.result for c in r.checks}.get("judge_signature", "failed") == "failed"


def test_a_title_quoted_in_the_body_is_not_where_the_paper_is_signed():
    r = check_text(paper("habeas_jackson_v_hartley.txt"), context=ECORSE, now=NOW)
    assert r.commands.signature is None  # "…the jurisdiction of the United States Magistrate Judge"


# ----------------------------------------------------------------- judge titles


@pytest.mark.parametrize(
    "block,name,title",
    [
        (
            "Hon. Jane Roe, United States Magistrate Judge",
            "Jane Roe",
            "United States Magistrate Judge",
        ),
        ("/s/ Ann Lee Circuit Court Judge", "Ann Lee", "Circuit Court Judge"),
        ("SO ORDERED. ROBERT LANE, CHIEF JUDGE", "ROBERT LANE", "CHIEF JUDGE"),
        (
            "Dated: May 1, 2026 Mary Poe, Senior United States District Judge",
            "Mary Poe",
            "Senior United States District Judge",
        ),
        ("SO ORDERED. Carl Diaz, Circuit Judge", "Carl Diaz", "Circuit Judge"),
        ("IT IS SO ORDERED. /s/ Dana Kim, Judge of Probate", "Dana Kim", "Judge of Probate"),
        ("ENTERED: Lee Fox, Probate Judge", "Lee Fox", "Probate Judge"),
        ("SO ORDERED. Pat Ng, Associate Judge", "Pat Ng", "Associate Judge"),
        ("Signed: Ruth Ames, Superior Court Judge", "Ruth Ames", "Superior Court Judge"),
        ("SO ORDERED. Eve Hart, Justice", "Eve Hart", "Justice"),
        ("Dated: 5/1/2026 Honorable Tom Wu", "Tom Wu", ""),
        ("SO ORDERED. Judge Amit Rao", "Amit Rao", "Judge"),
        (
            "Date and time issued: 11/20/2026 Judge's signature Sam Ode, District Judge",
            "Sam Ode",
            "District Judge",
        ),
    ],
)
def test_every_judge_title_is_recognised_where_the_paper_is_signed(block, name, title):
    text = "STATE OF MICHIGAN IN THE CIRCUIT COURT FOR THE COUNTY OF WAYNE ORDER " + block
    c = read_commands(text)
    assert c.judge_signed, c.signature
    assert c.signature.value == ", ".join(x for x in (name, title) if x)


@pytest.mark.parametrize(
    "block",
    [
        "SO ORDERED. /s/ Kay Lin, Immigration Judge",
        "Signed: Ray Cole, Administrative Law Judge",
        "Dated: 5/1/2026 /s/ Kevin Dane, Deportation Officer",
    ],
)
def test_an_executive_officer_s_signature_is_never_a_judge_s(block):
    assert not read_commands("ORDER " + block).judge_signed


# ----------------------------------------------------------------- search warrants


def ao93(place: str, issued: str, execute_by: str) -> str:
    """The wording of the federal form AO 93 (Rev. 11/13), as published by the U.S. Courts
    (uscourts.gov/forms/law-enforcement-grand-jury-and-prosecution-forms), filled in."""
    return f"""AO 93 (Rev. 11/13) Search and Seizure Warrant
UNITED STATES DISTRICT COURT for the Eastern District of Michigan
In the Matter of the Search of (Briefly describe the property to be searched or identify the
person by name and address) {place.split(",")[0]} ) Case No. 2:26-mj-30412
SEARCH AND SEIZURE WARRANT
To: Any authorized law enforcement officer
An application by a federal law enforcement officer or an attorney for the government requests
the search of the following person or property located in the Eastern District of Michigan
(identify the person or describe the property to be searched and give its location):
{place}
I find that the affidavit(s), or any recorded testimony, establish probable cause to search and
seize the person or property described above, and that such search will reveal (identify the
person or describe the property to be seized): the public computer sign-in sheets for October
2026.
YOU ARE COMMANDED to execute this warrant on or before {execute_by} (not to exceed 14 days)
in the daytime 6:00 a.m. to 10:00 p.m.
Unless delayed notice is authorized below, you must give a copy of the warrant and a receipt for
the property taken to the person from whom, or from whose premises, the property was taken, or
leave the copy and receipt at the place where the property was taken.
Date and time issued: {issued} 10:15 a.m. Judge's signature
City and state: Detroit, Michigan Hon. Jane Roe, United States Magistrate Judge
Printed name and title"""


HERE = "The Ecorse Public Library, 4184 W. Jefferson Ave., Ecorse, MI 48229, its staff workroom"
BRANCH = "Wyandotte Public Library, Bacon Branch, 45 Eureka Rd., Wyandotte, MI 48192"


def test_a_filled_ao93_for_this_library_within_its_window_authorizes_entry():
    r = check_text(ao93(HERE, "November 20, 2026", "December 3, 2026"), context=ECORSE, now=NOW)
    assert r.kind == "judicial_search_warrant"
    assert r.defects == []
    assert r.authorizes == {"enter_nonpublic_area": True, "patron_records": True}
    c = r.commands
    assert c.addressee.who == "officers" and "4184 W. Jefferson" in c.place.value
    assert c.issued.value == "2026-11-20" and c.execute_by.value == "2026-12-03"
    assert c.signature.value == "Jane Roe, United States Magistrate Judge" and c.judge_signed
    assert "sign-in sheets" in c.records.value


def test_the_same_warrant_for_another_library_s_branch_authorizes_nothing():
    r = check_text(ao93(BRANCH, "November 20, 2026", "December 3, 2026"), context=ECORSE, now=NOW)
    assert r.kind == "judicial_search_warrant"
    assert r.authorizes == NOTHING and "wrong_place" in r.defects
    place = next(c for c in r.checks if c.check == "place_matches_library")
    assert place.result == "failed" and "Eureka" in place.quote
    assert place.evidence.endswith("not Ecorse Public Library")


def test_a_library_whose_name_appears_but_whose_address_does_not_is_not_this_branch():
    other = LibraryContext(name="Ecorse Public Library", address="12 Main St., Ecorse, MI")
    r = check_text(ao93(HERE, "November 20, 2026", "December 3, 2026"), context=other, now=NOW)
    assert "wrong_place" in r.defects and r.authorizes == NOTHING


def test_the_same_warrant_issued_a_year_ago_has_expired():
    r = check_text(ao93(HERE, "November 20, 2025", "December 3, 2025"), context=ECORSE, now=NOW)
    assert r.authorizes == NOTHING and r.defects == ["expired"]


def test_a_federal_warrant_with_no_deadline_line_is_held_to_rule_41_s_14_days():
    text = ao93(HERE, "October 20, 2026", "░░░░").replace("on or before ░░░░", "")
    r = check_text(text, context=ECORSE, now=NOW)
    check = next(c for c in r.checks if c.check == "execution_deadline")
    assert check.result == "failed" and "14 days" in check.evidence
    assert "expired" in r.defects


def test_with_no_library_configured_the_place_cannot_be_confirmed():
    r = check_text(ao93(HERE, "November 20, 2026", "December 3, 2026"), now=NOW)
    place = next(c for c in r.checks if c.check == "place_matches_library")
    assert place.result == "not_found" and place.note == "no_library"
    assert "place_not_confirmed" in r.defects and r.authorizes == NOTHING


def test_a_warrant_signed_by_an_officer_is_not_signed_by_a_judge():
    text = ao93(HERE, "November 20, 2026", "December 3, 2026").replace(
        "Hon. Jane Roe, United States Magistrate Judge", "Kevin Dane, Special Agent"
    )
    r = check_text(text, context=ECORSE, now=NOW)
    assert r.authorizes == NOTHING
    if r.kind == "judicial_search_warrant":
        assert "not_signed" in r.defects


# ----------------------------------------------------------------- subpoenas


SUBPOENA = """AO 88B (Rev. 02/14) Subpoena to Produce Documents, Information, or Objects or to
Permit Inspection of Premises in a Civil Action
UNITED STATES DISTRICT COURT for the Eastern District of Michigan
Maria Lopez, Plaintiff v. Dearborn Transit Co., Defendant  Civil Action No. 2:26-cv-11873
SUBPOENA TO PRODUCE DOCUMENTS, INFORMATION, OR OBJECTS OR TO PERMIT INSPECTION OF PREMISES IN
A CIVIL ACTION
To: Custodian of Records, Ecorse Public Library, 4184 W. Jefferson Ave., Ecorse, MI 48229
(Name of person to whom this subpoena is directed)
Production: YOU ARE COMMANDED to produce at the time, date, and place set forth below the
following documents, electronically stored information, or objects, and to permit inspection,
copying, testing, or sampling of the material: the meeting-room booking records for March 2026.
Place: 231 W. Lafayette Blvd., Detroit, MI 48226  Date and Time: 12/15/2026 10:00 am
Date: 11/20/2026 CLERK OF COURT Signature of Clerk or Deputy Clerk"""


def test_a_subpoena_to_the_library_s_custodian_naming_records_authorizes_the_release():
    ohio = LibraryContext(name=ECORSE.name, address=ECORSE.address, state="OH")
    r = check_text(SUBPOENA, context=ohio, now=NOW)
    # It commands production, not entry: that is all that keeps it from opening a door.
    assert r.kind == "judicial_subpoena" and r.defects == ["no_entry_commanded"]
    assert r.commands.addressee.who == "library"
    assert "booking records" in r.commands.records.value
    assert r.commands.produce_by.value == "2026-12-15"
    # Ohio's statute lets a subpoena release records; a subpoena never opens a door.
    assert r.authorizes == {"enter_nonpublic_area": False, "patron_records": True}
    # Michigan's does not: the engine still refers it to the director and counsel.
    r = check_text(SUBPOENA, context=ECORSE, now=NOW)
    assert r.defects == ["no_entry_commanded"] and r.authorizes == NOTHING


def test_a_subpoena_to_someone_else_or_naming_nothing_authorizes_nothing():
    ohio = LibraryContext(name=ECORSE.name, address=ECORSE.address, state="OH")
    other = SUBPOENA.replace("Custodian of Records, Ecorse Public Library", "Dearborn Transit Co.")
    r = check_text(other.replace("4184 W. Jefferson", "1 Michigan"), context=ohio, now=NOW)
    assert r.authorizes == NOTHING and "not_addressed_to_library" in r.defects
    blank = SUBPOENA.replace(" the meeting-room booking records for March 2026.", "")
    r = check_text(blank, context=ohio, now=NOW)
    assert r.authorizes == NOTHING and "no_records_named" in r.defects


def test_an_order_to_this_library_naming_records_holds_and_one_to_another_library_does_not():
    order = """STATE OF MICHIGAN IN THE CIRCUIT COURT FOR THE COUNTY OF WAYNE
ORDER FOR RELEASE OF LIBRARY RECORDS UNDER MCL 397.603 The Ecorse Public Library having been
given notice and an opportunity to be heard, IT IS ORDERED that the Library shall produce the
circulation record described in Exhibit A. Dated: November 20, 2026
Hon. Ann Lee, Circuit Court Judge"""
    r = check_text(order, context=ECORSE, now=NOW)
    assert r.kind == "court_order" and r.defects == ["no_entry_commanded"]
    assert r.authorizes == {"enter_nonpublic_area": False, "patron_records": True}
    other = order.replace("Ecorse Public Library", "Wyandotte Public Library")
    r = check_text(other, context=ECORSE, now=NOW)
    assert r.authorizes == NOTHING and "not_addressed_to_library" in r.defects
    r = check_text(order, now=NOW)  # no library configured: it cannot command "this" library
    assert r.authorizes == NOTHING and "not_addressed_to_library" in r.defects


def test_every_check_and_note_has_words_on_the_desk():
    """No internal key reaches a screen: each check and note the checker makes has a label."""
    from patronshield.checker.checks import DEFECTS, NOTES
    from patronshield.desk.document_views import CHECK_LABELS, CHECK_NOTES

    made = {c.check for name in REAL_ORDERS for c in check_text(paper(name), now=NOW).checks}
    made |= {c.check for c in check_text(SUBPOENA, context=ECORSE, now=NOW).checks}
    made |= {c.check for c in check_text(ao93(HERE, "May 1, 2026", "May 9, 2026"), now=NOW).checks}
    assert made | set(DEFECTS) <= set(CHECK_LABELS)
    assert set(NOTES) <= set(CHECK_NOTES)


@pytest.mark.parametrize(
    "words,iso",
    [
        ("on or before 27 November 2026", "2026-11-27"),
        ("on or before Nov. 28, 2026", "2026-11-28"),
        ("on or before 11/28/26", "2026-11-28"),
    ],
)
def test_an_execute_by_date_in_the_ways_courts_write_it(words, iso):
    c = read_commands(
        f"SEARCH WARRANT YOU ARE COMMANDED to execute this warrant {words}.",
        kind="judicial_search_warrant",
    )
    assert c.execute_by.value == iso


def test_honorable_alone_is_a_judge_but_not_a_secretary_or_an_attorney():
    assert read_commands("ORDER SO ORDERED. Hon. Ann Roe").judge_signed
    assert not read_commands(
        "ORDER SO ORDERED. Hon. Ann Roe, Secretary of Homeland Security"
    ).judge_signed


@pytest.mark.parametrize(
    "place",
    [
        "4184 West Jefferson Avenue, Ecorse, Michigan 48229, a public library building",
        "The premises known as the Ecorsé Public Library",  # an accent read by OCR
    ],
)
def test_this_library_s_address_however_it_is_written(place):
    r = check_text(ao93(place, "November 20, 2026", "December 3, 2026"), context=ECORSE, now=NOW)
    assert "wrong_place" not in r.defects and r.authorizes["enter_nonpublic_area"]

"""The classifier, as a table: each kind of paper and each trap, by its words."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from patronshield.checker.checklist import kind_from_checklist
from patronshield.checker.classify import JUDICIAL, classify

AO93 = """AO 93 (Rev. 11/13) Search and Seizure Warrant
UNITED STATES DISTRICT COURT for the Eastern District of Michigan
In the Matter of the Search of (Briefly describe the property to be searched) the public
computer sign-in records of the Ecorse Public Library, 4184 W. Jefferson Ave., Ecorse, MI
SEARCH AND SEIZURE WARRANT
To: Any authorized law enforcement officer
The property to be seized: sign-in records of the public computers for October 2026.
YOU ARE COMMANDED to execute this warrant on or before December 3, 2026 (not to exceed 14
days) in the daytime 6:00 a.m. to 10:00 p.m.
Date and time issued: November 20, 2026 10:15 a.m.  Judge's signature
City and state: Detroit, Michigan   Hon. Jane Roe, United States Magistrate Judge"""

STATE_SEARCH = """STATE OF MICHIGAN 25TH DISTRICT COURT  SEARCH WARRANT
TO THE SHERIFF OR ANY PEACE OFFICER: Affiant having subscribed and sworn to an affidavit,
THEREFORE, IN THE NAME OF THE PEOPLE OF THE STATE OF MICHIGAN, I COMMAND THAT YOU SEARCH the
following described place: the staff workroom of the Ecorse Public Library and seize the
following property: one laptop. Issued: 11/21/2026  Robert Lane, District Judge"""

AO442 = """AO 442 (Rev. 11/11) Arrest Warrant  UNITED STATES DISTRICT COURT for the Northern
District of Ohio  United States of America v. John Doe  ARREST WARRANT  To: Any authorized
law enforcement officer  YOU ARE COMMANDED to arrest and bring before a United States
magistrate judge without unnecessary delay (name of person to be arrested) John Doe
Date: 11/02/2026  Issuing officer's signature  Printed name and title: Mary Poe, Deputy Clerk"""

AO88B = """AO 88B (Rev. 02/14) Subpoena to Produce Documents, Information, or Objects
UNITED STATES DISTRICT COURT for the Eastern District of Michigan  Plaintiff v. Defendant
SUBPOENA TO PRODUCE DOCUMENTS, INFORMATION, OR OBJECTS OR TO PERMIT INSPECTION OF PREMISES
IN A CIVIL ACTION  To: Ecorse Public Library  YOU ARE COMMANDED to produce at the time, date,
and place set forth below the following documents  CLERK OF COURT  Signature of Clerk"""

AO110 = """AO 110 (Rev. 06/09) Subpoena to Testify Before a Grand Jury  UNITED STATES DISTRICT
COURT for the Western District of Michigan  SUBPOENA TO TESTIFY BEFORE A GRAND JURY
To: Custodian of Records, Ecorse Public Library  YOU ARE COMMANDED to appear in this United
States district court at the time, date, and place shown below to testify before the court's
grand jury.  CLERK OF COURT  Signature of Clerk or Deputy Clerk"""

STATE_SUBPOENA = """STATE OF MICHIGAN  THIRD JUDICIAL CIRCUIT COURT  WAYNE COUNTY
SUBPOENA  Order to Appear and/or Produce  Case No. 26-1234-FH  People of the State of
Michigan v. R. Roe  TO: Records custodian, Ecorse Public Library  YOU ARE COMMANDED to produce
the records listed below  Attorney's signature: A. Smith, Attorney for the Plaintiff"""

COURT_ORDER = """STATE OF MICHIGAN  IN THE CIRCUIT COURT FOR THE COUNTY OF WAYNE
ORDER FOR RELEASE OF LIBRARY RECORDS UNDER MCL 397.603  The Ecorse Public Library having been
given notice and an opportunity to be heard, IT IS ORDERED that the Library shall produce the
circulation record described in Exhibit A.  Hon. Ann Lee, Circuit Judge"""

I200 = """U.S. DEPARTMENT OF HOMELAND SECURITY  Warrant for Arrest of Alien  File No. A-123
To: Any immigration officer authorized pursuant to sections 236 and 287 of the Immigration
and Nationality Act and part 287 of title 8, Code of Federal Regulations. I have determined
that there is probable cause to believe that Juan Perez is removable from the United States.
YOU ARE COMMANDED to arrest and take into custody for removal proceedings under the
Immigration and Nationality Act, the above-named alien.  (Signature of Authorized Immigration
Officer)  Supervisory Detention and Deportation Officer  Form I-200 (Rev. 09/16)"""

I205 = """U.S. Department of Homeland Security  WARRANT OF REMOVAL/DEPORTATION  To any
immigration officer of the United States Department of Homeland Security: (Full name of alien)
who entered the United States is subject to removal/deportation from the United States, based
upon a final order by: an immigration judge in exclusion, deportation, or removal proceedings;
a designated official; the Board of Immigration Appeals; a United States District or
Magistrate Court Judge  YOU ARE COMMANDED to take into custody and remove from the United
States the above-named alien  (Signature of immigration officer)  Field Office Director
Form I-205 (Rev. 08/07)"""

I247 = """DEPARTMENT OF HOMELAND SECURITY  IMMIGRATION DETAINER - NOTICE OF ACTION  Subject ID
TO: (Name and Title of Institution) FROM: (Department of Homeland Security Office Address)
Name of Alien: ...  Signature of Immigration Officer  DHS Form I-247A (3/17)"""

I138 = """U.S. Department of Homeland Security  Immigration and Customs Enforcement  SUBPOENA
(Form I-138)  In the matter of: investigation  To: Ecorse Public Library  By the service of
this subpoena upon you, YOU ARE HEREBY COMMANDED to produce the records listed below,
issued under the authority of 8 U.S.C. 1225(d) and 8 CFR 287.4.  Special Agent in Charge"""

NSL = """U.S. Department of Justice  Federal Bureau of Investigation  Detroit, Michigan
To: Ecorse Public Library  Under the authority of Title 18, United States Code (U.S.C.),
Section 2709, you are hereby directed to provide the name, address, and length of service of
the subscriber. In accordance with 18 U.S.C. § 2709(c), you are prohibited from disclosing
that the FBI has sought or obtained access to information.  Special Agent in Charge"""

FISA = """UNITED STATES FOREIGN INTELLIGENCE SURVEILLANCE COURT  WASHINGTON, D.C.  IN RE
APPLICATION OF THE FEDERAL BUREAU OF INVESTIGATION FOR AN ORDER REQUIRING THE PRODUCTION OF
TANGIBLE THINGS  PRIMARY ORDER  Pursuant to 50 U.S.C. § 1861, IT IS HEREBY ORDERED that the
Custodian of Records shall produce the tangible things described.  Judge, United States
Foreign Intelligence Surveillance Court"""

VOLUNTARY = """U.S. Department of Homeland Security  Immigration and Customs Enforcement
Detroit Field Office  Dear Library Director, We request your voluntary assistance in
identifying patrons who used your public computers on November 3. Your cooperation is
appreciated. This letter is not a subpoena or a warrant.  Deportation Officer K. Dane"""

KYR = """KNOW YOUR RIGHTS  How to tell a judicial warrant from an ICE warrant. A judicial
warrant is signed by a judge and names a court: UNITED STATES DISTRICT COURT. An ICE warrant
(Form I-200 or I-205) is signed by an immigration officer, even if it says YOU ARE COMMANDED
or mentions an immigration judge. You have the right to remain silent. Do not open the door."""

CARD = """Kevin Dane  Deportation Officer  U.S. Immigration and Customs Enforcement
Office: (313) 555-0190  kevin.dane@example.gov"""

CARD_PHOTO = """U.S. Department of Homeland\nSecurity\nImmigration and Customs Enforcement - ERO
Detroit\n\nJames Mbeki\nDeportation Officer\n333 Mt. Elliott St., Detroit, MI 48207
Office: (313) 739-8182 Cell: (313) 621-2444\njames.mbeki@ice.dhs.gov"""

CARD_FBI = """U.S. Department of Justice  Federal Bureau of Investigation  Dana Whitfield
Special Agent in Charge  Detroit Field Office  Tel: (313) 555-0147  dwhitfield@fbi.example.gov"""

# A DHS form read so badly that only its header, its signer and a phone number survive:
# it names a form, so it is no card.
I200_SCRAPS = """U.S. Department of Homeland Security  Warrant for Arrest of Alien  Deportation
Officer  Office: (313) 555-0190  duty.officer@example.gov"""

IJ_ORDER = """U.S. DEPARTMENT OF JUSTICE  EXECUTIVE OFFICE FOR IMMIGRATION REVIEW  IMMIGRATION
COURT  ORDER OF THE IMMIGRATION JUDGE  IT IS HEREBY ORDERED that the respondent be removed
from the United States.  Immigration Judge"""

I205_NO_HEADER = """WARRANT OF REMOVAL/DEPORTATION based upon a final order by a United States
District or Magistrate Court Judge. YOU ARE COMMANDED to take into custody and remove from the
United States the above-named alien pursuant to the Immigration and Nationality Act."""

FAKE_SEARCH_WARRANT_SIGNED_BY_ICE = """SEARCH WARRANT  YOU ARE COMMANDED to search the staff
areas of the library.  UNITED STATES DISTRICT COURT?  Signed: Supervisory Detention and
Deportation Officer, Enforcement and Removal Operations"""

UNSIGNED_SEARCH_WARRANT = """UNITED STATES DISTRICT COURT for the Eastern District of
Michigan  SEARCH AND SEIZURE WARRANT  YOU ARE COMMANDED to execute this warrant on or before
December 3, 2026.  Signature: ________________"""

CASES = [
    ("ao93", AO93, "judicial_search_warrant", "AO 93"),
    ("state search warrant", STATE_SEARCH, "judicial_search_warrant", None),
    ("ao442", AO442, "judicial_arrest_warrant", "AO 442"),
    ("ao88b", AO88B, "judicial_subpoena", "AO 88B"),
    ("ao110", AO110, "grand_jury_subpoena", "AO 110"),
    ("state subpoena", STATE_SUBPOENA, "judicial_subpoena", None),
    ("MCL 397.603 order", COURT_ORDER, "court_order", None),
    ("I-200", I200, "administrative_warrant", "I-200"),
    ("I-205 mentions judges", I205, "administrative_warrant", "I-205"),
    ("I-247A", I247, "detainer", "I-247A"),
    ("I-138", I138, "administrative_subpoena", None),
    ("NSL", NSL, "national_security_letter", None),
    ("FISA", FISA, "fisa_order", None),
    ("voluntary letter", VOLUNTARY, "other", None),
    ("KYR flyer", KYR, "other", None),
    ("business card", CARD, "other", None),
    ("DHS officer's card with the full letterhead", CARD_PHOTO, "other", None),
    ("FBI agent's card", CARD_FBI, "other", None),
    ("DHS form scraps with a phone number", I200_SCRAPS, "administrative_warrant", None),
    ("garbage", "a8 #@ zq 11 ..", "unknown", None),
]


@pytest.mark.parametrize("name,text,kind,form", CASES, ids=[c[0] for c in CASES])
def test_each_kind(name, text, kind, form):
    c = classify(text)
    assert c.kind == kind, (c.reason, c.scores)
    if form:
        assert c.form == form
    assert c.signals if kind != "unknown" else True
    if kind in JUDICIAL:
        assert c.needs_human_review  # staff always confirm a judicial reading


@pytest.mark.parametrize(
    "text,signer",
    [
        (AO93, "magistrate"),
        (AO442, "clerk"),
        (I200, "immigration_officer"),
        (I205, "immigration_officer"),
        (NSL, "agency_official"),
        (AO110, "clerk"),
        (STATE_SUBPOENA, "attorney"),
    ],
)
def test_who_signed(text, signer):
    assert classify(text).signed_by == signer


@pytest.mark.parametrize(
    "text",
    [I205, I205_NO_HEADER, IJ_ORDER, FAKE_SEARCH_WARRANT_SIGNED_BY_ICE, KYR, I200, VOLUNTARY],
)
def test_traps_never_come_out_judicial(text):
    assert classify(text).kind not in JUDICIAL


def test_a_warrant_without_a_judges_signature_is_unknown():
    c = classify(UNSIGNED_SEARCH_WARRANT)
    assert c.kind == "unknown" and c.needs_human_review
    assert "judge" in c.reason


def test_every_signal_reports_the_words_that_triggered_it():
    c = classify(I205)
    by_id = {s["signal"]: s["evidence"] for s in c.signals}
    assert by_id["form_i205"] == "I-205"
    assert by_id["immigration_judge"].lower() == "immigration judge"


VETO_PHRASES = [
    "U.S. Department of Homeland Security",
    "Form I-205",
    "Form I-200",
    "Supervisory Detention and Deportation Officer",
    "an immigration judge",
    "Authorized Immigration Officer",
    "Warrant for Arrest of Alien",
]
JUDICIAL_PHRASES = [
    AO93,
    AO442,
    COURT_ORDER,
    AO110,
    STATE_SEARCH,
    FISA,
    "United States Magistrate Judge",
    "YOU ARE COMMANDED",
    "SEARCH WARRANT",
    "Circuit Judge",
    "UNITED STATES DISTRICT COURT",
]


@given(
    st.lists(st.sampled_from(JUDICIAL_PHRASES), min_size=1, max_size=4),
    st.sampled_from(VETO_PHRASES),
    st.integers(min_value=0, max_value=4),
)
def test_one_immigration_marker_anywhere_means_never_judicial(parts, veto, where):
    parts.insert(min(where, len(parts)), veto)
    assert classify("\n".join(parts)).kind not in JUDICIAL


CHECKLIST = [
    ({"court": "yes", "title": "search_warrant", "signer": "judge"}, "judicial_search_warrant"),
    (
        {"court": "yes", "title": "search_warrant", "signer": "immigration_officer"},
        "administrative_warrant",
    ),
    ({"court": "no", "title": "search_warrant", "signer": "judge"}, "unknown"),
    ({"court": "cant_tell", "title": "search_warrant", "signer": "judge"}, "unknown"),
    ({"court": "yes", "title": "search_warrant", "signer": "cant_read"}, "unknown"),
    (
        {"court": "yes", "title": "arrest_warrant", "signer": "clerk_or_attorney"},
        "judicial_arrest_warrant",
    ),
    (
        {"court": "no", "title": "ice_warrant", "signer": "immigration_officer"},
        "administrative_warrant",
    ),
    ({"court": "yes", "title": "ice_warrant", "signer": "judge"}, "administrative_warrant"),
    ({"court": "no", "title": "subpoena", "signer": "agency_official"}, "administrative_subpoena"),
    ({"court": "yes", "title": "subpoena", "signer": "clerk_or_attorney"}, "judicial_subpoena"),
    ({"court": "yes", "title": "grand_jury", "signer": "clerk_or_attorney"}, "grand_jury_subpoena"),
    ({"court": "yes", "title": "order", "signer": "judge"}, "court_order"),
    ({"court": "yes", "title": "fisa", "signer": "judge"}, "fisa_order"),
    ({"court": "no", "title": "nsl", "signer": "agency_official"}, "national_security_letter"),
    ({"court": "no", "title": "detainer", "signer": "immigration_officer"}, "detainer"),
    ({"court": "no", "title": "letter", "signer": "cant_read"}, "other"),
    ({"court": "cant_tell", "title": "cant_tell", "signer": "cant_read"}, "unknown"),
]


@pytest.mark.parametrize("answers,kind", CHECKLIST)
def test_checklist(answers, kind):
    assert kind_from_checklist(answers)[0] == kind


def test_checklist_rejects_an_unknown_answer():
    with pytest.raises(ValueError, match="court"):
        kind_from_checklist({"court": "maybe", "title": "order", "signer": "judge"})

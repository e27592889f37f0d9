"""Forms, not mentions: a paper is read as a form by its title block and form number where
forms print them, never by a form quoted in a guide, template, memo, flyer or public
release about it; a sample copy is a sample; signal words are the form's own wording; a
judge's title counts where a signature puts it.

The real texts are short excerpts of public documents, their source above each one (the
`search` tool's `pages` corpus, read 2026-12-06, and /work/shared/samples/). Each rule has a
real text where one was found and a constructed counter-case.
"""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from patronshield.checker import LibraryContext, check_path, check_text
from patronshield.checker.classify import JUDICIAL, classify

NOW = datetime(2026, 11, 24, 14, 0, tzinfo=ZoneInfo("America/Detroit"))
ECORSE = LibraryContext(
    name="Ecorse Public Library", address="4184 W. Jefferson Ave., Ecorse, MI 48229"
)

# ---------------------------------------------------------------- real papers about a form

# ICE, "ICE Guidance for Completing Form I-247A" (2017), as published at
# https://www.scribd.com/document/343192456/ICE-Guidance-for-Form-I-247A
ICE_I247A_GUIDE = """ICE GUIDANCE FOR COMPLETING FORM I-247A
1. Form I-247A (Immigration Detainer Notice of Action). Effective April 2, 2017, the
Department rescinded Form I-247D (Immigration Detainer Request for Voluntary
Action), Form I-247N (Request for Voluntary Notification of Release of Suspected
Priority Alien), and Form I-247X (Request for Voluntary Transfer), and replaced them
with a consolidated detainer form, the Form I-247A (Immigration Detainer Notice of
Action).
2. Form I-247A, Box 1.
1) When Box 1 is checked, Form I-247A requests that the receiving LEA: (1) notify
DHS as early as practicable, at least 48 hours, if possible, before a removable alien is
released from criminal custody;
2) Prior to issuing an immigration detainer to an LEA, immigration officers must have
probable cause to believe that the individual they seek to detain is a removable alien."""

# FBI electronic communication template approving a National Security Letter (Rev.
# 03-09-2006), released under FOIA: https://vdocuments.site/federal-bureau-of-investigation-
# jesejt-to-deliverin-division-from-drafting.html and
# https://spookstack.io/documents/6217-national-security-letters-part-1/?p=283
FBI_NSL_EC_TEMPLATE = """(Rev. 03-09-2006)
FEDERAL BUREAU OF INVESTIGATION
Precedence: ROUTINE
To: General Counsel Date: 00/00/2006
Attn: Deputy General Counsel, NSLB
From: [DRAFTING DIVISION] [APPROVING OFFICIAL]
Contact: [CASE AGENT, telephone number (000) 000-0000]
Approved By: [SAC NAME] [ASAC NAME] [CDC NAME] [SSA NAME]
Synopsis: Approves the issuance of an FCRA Section 1681u(a) National Security Letter
(NSL) for financial institution listings; provides reporting data; and, if necessary,
transmits the NSL for delivery to the credit reporting company.
DISCLOSURE PROVISIONS
[Option 1 - Invoking Nondisclosure Requirement]
(U) In accordance with 18 U.S.C. § 2709(c) I, the senior official approving this EC,
certify that a disclosure of the fact that the FBI has sought or obtained access to the
information sought by this letter may endanger the national security of the United States"""

# NSA, information memorandum to the Senate Select Committee on Intelligence on compliance
# with the FISC's business-records orders (2009, released by the DNI 2013):
# https://vdocuments.site/nsa-intel-foreigner-surveillance.html
NSA_MEMO_ON_FISC_ORDERS = """TOP SECRET//COMINT//NOFORN
NATIONAL SECURITY AGENCY
CENTRAL SECURITY SERVICE
FORT GEORGE G. MEADE MARYLAND 20735
MEMORANDUM FOR MAJORITY STAFF DIRECTOR, SENATE SELECT COMMITTEE ON INTELLIGENCE
SUBJECT: (U) Congressional Notification - INFORMATION MEMORANDUM
(TS//SI//NF) I am pleased to report to the Committee the significant progress made to date
to resolve the Business Records (BR) matter. NSA is committed to work each matter to a
resolution that is consistent with Foreign Intelligence Surveillance Court (FISC) orders.
I. (TS//SI//NF) Compliance with the Foreign Intelligence Surveillance Court's Business
Records and Pen Register/Trap and Trace Orders: NSA notified the Committee on February 25,
2009 of a compliance issue with the implementation of the FISC authorized Business Records
(BR) Order."""

# ODNI public release of a FISC order (BR 08-13, released March 28, 2014):
# https://www.documentcloud.org/documents/1099687/039-a4000915-br-08-13-order-3-2-09-redacted.txt
FISC_ORDER_PUBLIC_RELEASE = """Approved for Public Release By the ODNI March 28, 2014
UNITED STATES FOREIGN INTELLIGENCE SURVEILLANCE COURT WASHINGTON, D.C.
IN RE PRODUCTION OF TANGIBLE THINGS FROM Docket Number: BR 08-13
ORDER
On December 12, 2008, the Foreign Intelligence Surveillance Court re-authorized the
government to acquire the tangible things sought by the government in its application in
the above-captioned docket."""

# Know-your-rights flyers that quote "a warrant signed by a judge" and the ICE forms:
# https://www.cabanillaslaw.com/blog/2017/1/28/if-an-ice-agent-shows-up-at-your-door
KYR_CABANILLAS = """If An ICE Agent Shows Up At Your Door
1. Don't open the door but be calm. You have rights.
2. Ask what they are there for. Ask for an interpreter if you need one.
3. If they ask to enter, ask if they have a warrant signed by a judge. If they do, ask them
to show it to you through a window or slipped under the door.
NOTE: An ICE administrative warrant (form I-200, I-205) does not allow them to enter your
home without your consent."""

# https://pogueimmigrationlaw.com/news/?m=11&y=2024
KYR_POGUE = """If an ICE officer comes to your home you do NOT have to open the door unless they
have a proper warrant signed by a Judge. If it is an immigration warrant, titled "Warrant of
Removal/Deportation," it does NOT give the officer the right to enter your home.
A search or arrest warrant does give an officer legal permission to enter your home,
however, it still has to meet certain requirements to be valid. It MUST be signed by a Judge
and have your CORRECT name on it. Their title will be listed near the signature, and it MUST
say Judge."""

# A guide to a form: https://legalclarity.org/how-to-fill-out-and-serve-federal-subpoena-form-ao-88/
AO88_GUIDE = """How to Fill Out and Serve Federal Subpoena Form AO 88
Form AO 88 is the standard federal subpoena used to compel a witness to appear and testify at
a civil trial or hearing. The form is issued under the authority of Federal Rule of Civil
Procedure 45 and can be signed by either the Clerk of Court or any attorney licensed to
practice in the issuing district. If you need a witness to testify at a deposition during
discovery, you need Form AO 88A. If you need someone to hand over documents, use Form AO 88B."""

# A page about search-warrant templates:
# https://www.signnow.com/info-forms/42961-what-is-a-search-warrant-template-and-how-is-it-used
SEARCH_WARRANT_TEMPLATE_PAGE = """Definition and Meaning of a Search Warrant Template
A search warrant template is a standardized legal document that law enforcement officers use
to request judicial authorization for a search. This template outlines essential details,
including the location to be searched, the items to be seized, and the probable cause
justifying the search. Submit for Approval: Present the completed warrant to a judge for
review and approval."""

ABOUT_A_FORM = [
    ("ICE guide to completing an I-247A", ICE_I247A_GUIDE, "guide"),
    ("FBI template approving an NSL", FBI_NSL_EC_TEMPLATE, "template"),
    ("NSA memo about FISC orders", NSA_MEMO_ON_FISC_ORDERS, "memo"),
    ("FISC order as released to the public", FISC_ORDER_PUBLIC_RELEASE, "released"),
    ("know-your-rights flyer (Cabanillas)", KYR_CABANILLAS, "flyer"),
    ("know-your-rights flyer (Pogue)", KYR_POGUE, "flyer"),
    ("guide to filling out an AO 88", AO88_GUIDE, "guide"),
    ("page about search-warrant templates", SEARCH_WARRANT_TEMPLATE_PAGE, "guide"),
]


@pytest.mark.parametrize(
    "text,word", [c[1:] for c in ABOUT_A_FORM], ids=[c[0] for c in ABOUT_A_FORM]
)
def test_a_paper_about_a_form_is_other_with_the_reason(text, word):
    c = classify(text)
    assert c.kind == "other", (c.reason, c.scores)
    assert word in c.reason
    assert c.form is None  # the form it speaks of is not this paper's
    # Nor the judge or officer it speaks of: a flyer is not "signed by a magistrate judge".
    assert c.signed_by is None, c.signed_by


# ---------------------------------------------------------------- real forms stay forms

# DHS Form I-247A (02/17), the form itself:
# https://dokumen.tips/documents/department-of-homeland-security-the-department-of-homeland-security-dhs-has-placed.html
I247A_FORM = """DHS Form I-247A (02/17) Page 1 of 3
DEPARTMENT OF HOMELAND SECURITY (DHS)
IMMIGRATION DETAINER - NOTICE OF ACTION
Subject ID: Event #: File No: Date:
TO: (Name and Title of Institution - OR Any Subsequent Law Enforcement Agency)
FROM: (DHS Office Address)
1. DHS HAS DETERMINED THAT PROBABLE CAUSE EXISTS THAT THE SUBJECT IS A REMOVABLE ALIEN.
IT IS THEREFORE REQUESTED THAT YOU: Notify DHS as early as practicable (at least 48 hours,
if possible) before the alien is released from your custody."""

# AO 88 (Rev. 02/14), the form itself: https://www.templateroller.com/template/236077/
# form-ao88-subpoena-to-appear-and-testify-at-a-hearing-or-trial-in-a-civil-action.html
AO88_FORM = """AO 88 (Rev. 02/14) Subpoena to Appear and Testify at a Hearing or Trial
in a Civil Action
UNITED STATES DISTRICT COURT
for the Eastern District of Michigan
Plaintiff v. Civil Action No. Defendant
SUBPOENA TO APPEAR AND TESTIFY AT A HEARING OR TRIAL IN A CIVIL ACTION
To: Custodian of Records, Ecorse Public Library
YOU ARE COMMANDED to appear in the United States district court at the time, date, and place
set forth below to testify at a hearing or trial in this civil action. When you arrive, you
must remain at the court until the judge or a court officer allows you to leave.
CLERK OF COURT Signature of Clerk or Deputy Clerk"""


def test_the_real_i247a_is_still_a_detainer():
    c = classify(I247A_FORM)
    assert (c.kind, c.form, c.reason) == ("detainer", "I-247A", "")


def test_a_form_number_quoted_in_running_text_is_a_mention_not_the_form():
    # Constructed: an ICE letter that quotes a form deep in its text names no form; the same
    # number in the footer line is the form's own.
    letter = (
        "U.S. Immigration and Customs Enforcement, Detroit Field Office. Dear Director, we "
        "write about a patron. " + "We ask for your help in this matter. " * 8 + "An "
        "administrative warrant (Form I-200) has been issued for the person named below."
    )
    mention = classify(letter)
    assert mention.form is None
    assert "form_i200" in {s["signal"] for s in mention.signals}  # its veto still holds
    assert mention.kind not in JUDICIAL
    footer = classify(letter + "\nForm I-200 (Rev. 09/16)")
    assert footer.form == "I-200"


# ---------------------------------------------------------------- AO 88, 88A, 88B


def test_the_real_ao88_is_labelled_ao88():
    c = classify(AO88_FORM)
    assert (c.kind, c.form) == ("judicial_subpoena", "AO 88")


@pytest.mark.parametrize(
    "number,title",
    [
        ("AO 88A (Rev. 12/20)", "Subpoena to Testify at a Deposition in a Civil Action"),
        ("AO 88B (Rev. 02/14)", "Subpoena to Produce Documents, Information, or Objects"),
        ("AO 88 (Rev. 02/14)", "Subpoena to Appear and Testify at a Hearing or Trial"),
    ],
)
def test_each_ao88_form_is_labelled_by_its_own_number(number, title):
    c = classify(AO88_FORM.replace("AO 88 (Rev. 02/14) Subpoena to Appear", f"{number} {title}"))
    assert (c.kind, c.form) == ("judicial_subpoena", number.split(" (")[0])


# ---------------------------------------------------------------- samples

SAMPLE_PDF = Path("/work/shared/samples/ao442-arrest-warrant-sample.pdf")


@pytest.mark.skipif(not SAMPLE_PDF.exists(), reason="the shared real sample is not here")
def test_the_real_ejemplo_copy_of_an_ao442_is_a_sample():
    # A teaching copy of an AO 442 from longislandwins.com with "EJEMPLO" across it.
    r = check_path(SAMPLE_PDF)
    assert (r.kind, r.reason) == ("other", "this is a sample")
    assert "sample" in r.defects
    assert not any(r.authorizes.values())


AO442 = """AO 442 (Rev. 11/11) Arrest Warrant
UNITED STATES DISTRICT COURT for the Eastern District of Michigan
ARREST WARRANT To: Any authorized law enforcement officer
YOU ARE COMMANDED to arrest and bring before a United States magistrate judge without
unnecessary delay (name of person to be arrested) John Doe
Date: 11/02/2026 Issuing officer's signature Hon. Mary Poe, United States Magistrate Judge"""


@pytest.mark.parametrize(
    "stamp",
    ["SAMPLE", "SPECIMEN", "EJEMPLO", "MUESTRA", "TEMPLATE", "VOID", "S A M P L E", "SAMPLE COPY"],
)
def test_a_stamped_copy_is_a_sample(stamp):
    c = classify(AO442 + "\n" + stamp + "\n")
    assert (c.kind, c.reason, c.sample) == ("other", "this is a sample", True)


@pytest.mark.parametrize(
    "words",
    [
        "The property to be seized: a blood sample and a DNA sample of the defendant.",
        "to permit inspection, copying, testing, or sampling of the materials; to test, or "
        "sample the property",
        "por ejemplo, la muestra de sangre",
        "the prior order is null and void",
    ],
)
def test_the_word_sample_in_the_text_is_no_stamp(words):
    c = classify(AO442 + "\n" + words)
    assert (c.kind, c.sample) == ("judicial_arrest_warrant", False)


# ---------------------------------------------------------------- the form's own wording

RULE45_SUBPOENA = """AO 88B (Rev. 02/14) Subpoena to Produce Documents, Information, or Objects
UNITED STATES DISTRICT COURT for the Eastern District of Michigan
SUBPOENA TO PRODUCE DOCUMENTS, INFORMATION, OR OBJECTS OR TO PERMIT INSPECTION
To: Ecorse Public Library YOU ARE COMMANDED to produce at the time, date, and place set forth
below the following documents. A person commanded to produce documents, electronically stored
information, or tangible things need not appear in person. CLERK OF COURT"""


def test_tangible_things_in_a_rule_45_subpoena_is_not_fisa():
    c = classify(RULE45_SUBPOENA)
    assert c.kind == "judicial_subpoena"
    assert "fisa_tangible_things" not in {s["signal"] for s in c.signals}


def test_tangible_things_under_a_fisc_caption_is_fisa():
    fisc = (
        "UNITED STATES FOREIGN INTELLIGENCE SURVEILLANCE COURT WASHINGTON, D.C. IN RE "
        "APPLICATION OF THE FEDERAL BUREAU OF INVESTIGATION FOR AN ORDER REQUIRING THE "
        "PRODUCTION OF TANGIBLE THINGS PRIMARY ORDER IT IS HEREBY ORDERED that the Custodian "
        "of Records shall produce the tangible things described. Judge, United States Foreign "
        "Intelligence Surveillance Court"
    )
    c = classify(fisc)
    assert c.kind == "fisa_order"
    assert "fisa_tangible_things" in {s["signal"] for s in c.signals}


def test_an_order_is_its_command_not_a_title_that_speaks_of_one():
    caption = "STATE OF MICHIGAN IN THE CIRCUIT COURT FOR THE COUNTY OF WAYNE "
    motion = caption + (
        "MOTION FOR ORDER FOR RELEASE OF LIBRARY RECORDS. The People move for an order "
        "granting access to records. Respectfully submitted, A. Smith, Attorney for the Plaintiff"
    )
    assert "it_is_ordered" not in {s["signal"] for s in classify(motion).signals}
    order = caption + "ORDER. IT IS HEREBY ORDERED that the Library produce the records. "
    assert "it_is_ordered" in {s["signal"] for s in classify(order).signals}


# ---------------------------------------------------------------- judges' titles

ORDER_BODY = """STATE OF MICHIGAN
IN THE CIRCUIT COURT FOR THE COUNTY OF WAYNE
ORDER FOR RELEASE OF LIBRARY RECORDS UNDER MCL 397.603
The Ecorse Public Library having been given notice and an opportunity to be heard,
IT IS ORDERED that the Library shall produce the circulation record described in Exhibit A.
"""

TITLES = [
    "Judge",
    "Chief Judge",
    "District Judge",
    "Circuit Judge",
    "Circuit Court Judge",
    "Magistrate Judge",
    "United States Magistrate Judge",
    "Justice",
    "Judge of Probate",
    "Associate Judge",
    "Superior Court Judge",
    "District Court Judge",
]


@pytest.mark.parametrize("title", TITLES)
@pytest.mark.parametrize("block", ["/s/ Ann Lee\n{t}", "Ann Lee, {t}", "______________\n{t}"])
def test_every_judge_title_in_a_signature_is_a_judges_signature(title, block):
    c = classify(ORDER_BODY + block.format(t=title))
    assert c.kind == "court_order", (c.reason, c.signals)
    assert c.signed_by in ("judge", "magistrate")  # a magistrate judge is reported as such


def test_a_circuit_court_judge_names_the_court():
    c = classify(
        "ORDER TO PRODUCE LIBRARY RECORDS. IT IS ORDERED that the Ecorse Public Library "
        "produce the records described in Exhibit A within 14 days.\n/s/ Ann Lee\n"
        "Circuit Court Judge"
    )
    assert (c.kind, c.signed_by) == ("court_order", "judge")


@pytest.mark.parametrize(
    "text",
    [
        # A judge spoken of in running text is no signature.
        ORDER_BODY + "Present the completed order to a judge for review. Attorney for the People",
        ORDER_BODY + "It must be signed by a Circuit Court Judge or the judge of probate.",
        # Immigration judges and administrative law judges are executive officers.
        ORDER_BODY + "John Roe, Immigration Judge",
        ORDER_BODY + "John Roe\nImmigration Judge",
        ORDER_BODY + "John Roe, Administrative Law Judge",
    ],
)
def test_a_judge_spoken_of_or_an_executive_judge_is_no_judges_signature(text):
    c = classify(text)
    assert c.signed_by != "judge", (c.kind, c.signals)
    # An order with no judge's signature is still an order (its caption, title and words of
    # command say so), but it fails the signature check and authorizes nothing, though it
    # names this library and the records.
    assert c.kind not in JUDICIAL or c.kind == "court_order", (c.kind, c.signals)
    r = check_text(text, context=ECORSE, now=NOW)
    assert not any(r.authorizes.values())
    if r.kind == "court_order":
        assert "not_signed" in r.defects


@pytest.mark.parametrize(
    "text",
    [
        ORDER_BODY + "Respectfully submitted, Ann Lee, Attorney for the People",
        ORDER_BODY + "John Roe, Administrative Law Judge",
    ],
)
def test_an_order_signed_by_an_attorney_or_an_executive_judge_is_not_a_courts(text):
    assert classify(text).kind not in JUDICIAL


# A law firm's page that speaks of a circuit court judge and of orders:
# https://www.duneganlaw.com/2018/04/17/who-supervises-the-probate-administration/
PROBATE_PAGE = """A circuit court judge presides over probate proceedings.
The judge will rule on the validity of the decedent's will, or if the decedent died intestate,
and will consider evidence to confirm the identities of the decedent's heirs. If any questions
or disputes arise while administering the decedent's probate estate, the judge will hold a
hearing as necessary to resolve the matter in question. The judge's decision will be set forth
in a written direction called an 'order.'"""

# A service's page titled with an order's name:
# https://onestoplegaldocumentservices.com/services/order-for-probate
ORDER_FOR_PROBATE_PAGE = """Order for Probate
An Order for Probate is a legal document issued by a court that officially initiates the
probate process for a deceased person's estate. Typically issued after a hearing where the
will's validity is confirmed."""


@pytest.mark.parametrize("text", [PROBATE_PAGE, ORDER_FOR_PROBATE_PAGE])
def test_real_pages_that_speak_of_judges_and_orders_are_no_order(text):
    c = classify(text)
    assert c.kind not in JUDICIAL and c.signed_by != "judge"
    assert "it_is_ordered" not in {s["signal"] for s in c.signals}


def test_justice_at_the_end_of_a_department_of_justice_letterhead_is_no_title():
    nsl = (
        "U.S. Department of\nJustice\nFederal Bureau of Investigation\nUnder the authority of "
        "18 U.S.C. § 2709 you are hereby directed to provide the records. Special Agent in Charge"
    )
    c = classify(nsl)
    assert (c.kind, c.signed_by) == ("national_security_letter", "agency_official")


# Know-your-rights card quoting the ICE forms in running text:
# https://www.mnknow.net/emergency/ice-at-your-door
KYR_MNKNOW = """ICE AT YOUR DOOR
Ask for a Judicial Warrant. Ask them to slide the warrant under the door or hold it against a
window. DO NOT OPEN THE DOOR.
Administrative (ICE): Signed by an ICE Official. Header: "Dept. of Homeland Security". No legal
right to enter your home.
Judicial (Court): Signed by a Judge or Court. Header: "U.S. District Court".
Crucial Instruction: An "Administrative Warrant" (Form I-200 or I-205) is signed by an ICE
official, not a judge. It does not give them the right to enter your home without your
permission."""


def test_a_real_flyer_quoting_the_ice_forms_names_no_form():
    c = classify(KYR_MNKNOW)
    assert (c.kind, c.form) == ("other", None)
    assert "flyer" in c.reason


@pytest.mark.parametrize(
    "text",
    [
        # A court's memorandum and order is the court's, not an agency's memo.
        ORDER_BODY.replace("ORDER FOR RELEASE", "MEMORANDUM OPINION AND ORDER FOR RELEASE")
        + "Ann Lee, Circuit Court Judge",
        # An order may say the records are exempt from FOIA, or be redacted.
        ORDER_BODY + "The records are exempt from disclosure under the Freedom of Information "
        "Act. The patron's name [REDACTED] and card number [REDACTED] are withheld [SEAL].\n"
        "Ann Lee, Circuit Court Judge",
    ],
)
def test_a_court_order_that_speaks_of_memoranda_foia_or_redactions_stays_an_order(text):
    c = classify(text)
    assert (c.kind, c.reason) == ("court_order", ""), (c.reason, c.signals)


# A federal Violation Notice (CVB, Rev. 1/2020), D. Ariz., via RECAP (freelawproject/x-ray,
# program/data1/gov.uscourts.azd.1271921.1.0.pdf): its probable-cause statement speaks of "an
# arrest warrant" in running text.
VIOLATION_NOTICE = """United States District Court
Violation Notice (Rev. 1/2020)
Location Code Violation Number Officer Name (Print) Officer No.
YOU ARE CHARGED WITH THE FOLLOWING VIOLATION
APPEARANCE IS REQUIRED
If Box A is checked, you must appear in court. See instructions.
My signature signifies that I have received a copy of this violation notice. It is not an
admission of guilt.
STATEMENT OF PROBABLE CAUSE
(For issuance of an arrest warrant or summons)
I state that on July 20th, 2021 while exercising my duties as a law enforcement officer in
the District of Arizona
Executed on: Date (mm/dd/yyyy) Officer's Signature
Probable cause has been stated for the issuance of a warrant.
Executed on: Date (mm/dd/yyyy) U.S. Magistrate Judge"""


def test_a_title_spoken_of_in_running_text_is_no_title():
    c = classify(VIOLATION_NOTICE)
    assert c.kind not in JUDICIAL
    assert not any(h.signal.id == "arrest_warrant_title" and not h.mention for h in c.hits)


@pytest.mark.parametrize(
    "title", ["ARREST WARRANT", "Arrest Warrant", "arrest warrant (felony)\n", "SEARCH WARRANT"]
)
def test_a_title_printed_as_one_counts(title):
    # Constructed: the same words as a title, in capitals or on a line of their own.
    text = (
        "UNITED STATES DISTRICT COURT for the Eastern District of Michigan\n"
        + "Case No. 2:26-mj-30825. United States of America v. John Doe. " * 8
        + f"\n{title}\n"
        "YOU ARE COMMANDED to arrest and bring before a United States magistrate judge John Doe"
    )
    c = classify(text)
    assert any(h.signal.id.endswith("warrant_title") and not h.mention for h in c.hits)


def test_a_title_that_starts_the_forms_footer_line_counts():
    # Constructed after the Michigan felony warrant's footer, as OCR reads it mid-page.
    text = (
        "STATE OF MICHIGAN 27TH DISTRICT COURT CASE NO. 26-83768-FF "
        + "The complainant has sworn to the complaint before me. " * 8
        + "\nWarrant (felony) - Distribution: Court, Police, Prosecutor\n"
        "THE PEOPLE OF THE STATE OF MICHIGAN: To any peace officer, you are authorized to make "
        "an arrest. Kareem Sullivan, Magistrate"
    )
    c = classify(text)
    assert c.kind == "judicial_arrest_warrant", (c.reason, c.signals)


# The head of a real civil minute order (C.D. Cal. 2:15-cv-05642, Gray v. Hudson, Dkt. 400):
# https://storage.courtlistener.com/recap/gov.uscourts.cacd.624044/gov.uscourts.cacd.624044.400.0.pdf
# (freelawproject/x-ray @64b396db, program/data/gov.uscourts.cacd.624044.400.0.pdf; the
# excerpt keeps its words, drops the attorneys' names and the docket numbers).
MINUTES = """Case 2:15-cv-05642-CAS-JC Document 400 Filed 07/01/19 Page 1 of 1 Page ID #:7187
UNITED STATES DISTRICT COURT CENTRAL DISTRICT OF CALIFORNIA CIVIL MINUTES - GENERAL
Case No. CV15-5642-CAS(JCx) Title MARCUS GRAY, ETC.; ET AL. v. KATHERYN ELIZABETH HUDSON
Present: The Honorable CHRISTINA A. SNYDER, U.S. DISTRICT JUDGE Deputy Clerk Court Reporter
Proceedings: PRETRIAL CONFERENCE STATUS CONFERENCE RE: SETTLEMENT HEARING ON MOTIONS IN
LIMINE Hearing held and counsel are present. The Court is in receipt of the Mediation Report
filed by the parties and continues the pretrial conference."""


def test_an_order_s_own_title_in_capitals_names_it_a_sentence_about_an_order_does_not():
    c = classify(MINUTES)
    assert "order_title" in {h.signal.id for h in c.hits}
    assert c.kind == "court_order"
    about = (
        "Guide for self-represented litigants. After the hearing the court may enter an order "
        "granting or denying the motion; a civil minutes entry records what happened."
    )
    assert "order_title" not in {h.signal.id for h in classify(about).hits}


# ---------------------------------------------------------------- orders: caption, title, words

# The words of a U.S. Court of Appeals order (Tenth Circuit, In re Liebowitz, No. 21-800,
# RECAP; bench/real/manifest.toml): a clerk enters it for the court.
APPEALS_ORDER = """UNITED STATES COURT OF APPEALS
FOR THE TENTH CIRCUIT
_________________________________
In re: RICHARD P. LIEBOWITZ No. 21-800
_________________________________
ORDER
_________________________________
Consequently, Richard P. Liebowitz may show cause in writing within 20 days of the date of
this order why he should not be similarly suspended in this court.
Entered for the Court

CHRISTOPHER M. WOLPERT, Clerk
"""
CAPTION = "UNITED STATES DISTRICT COURT\nEASTERN DISTRICT OF MICHIGAN\n\nJANE ROE, Plaintiff,\nv.\n"


def test_an_order_without_a_judges_signature_is_an_order_that_authorizes_nothing():
    c = classify(APPEALS_ORDER)
    assert c.kind == "court_order", (c.reason, c.signals)
    r = check_text(APPEALS_ORDER, context=ECORSE, now=NOW)
    assert "not_signed" in r.defects and not any(r.authorizes.values())


@pytest.mark.parametrize(
    "title",
    [
        "ORDER",
        "O R D E R",
        "SECONDARY ORDER",
        "ORDER GRANTING IN PART AND\nDENYING IN PART MOTION FOR\nATTORNEYS' FEES",
        "SUGGESTION OF REMAND AND\nTRANSFER ORDER",
        "MEMORANDUM OF DECISION AND ORDER",
        "FINAL JUDGMENT",
        "[PROPOSED] ORDER TO FILE REDACTED\nCOPY OF AFFIDAVIT",
    ],
)
def test_an_orders_title_in_the_caption_is_read_whole(title):
    text = CAPTION + "Defendant.\n\n" + title + "\n\nThe motion is granted in part."
    assert "order_title" in {s["signal"] for s in classify(text).signals}, title


@pytest.mark.parametrize(
    "title",
    [
        "DEFENDANTS' NOTICE OF\nMOTION AND MOTION FOR\nPARTIAL SUMMARY JUDGMENT",
        "MOTION FOR PROTECTIVE ORDER",
        "NOTICE OF ENTRY OF ORDER",
        "DEFENDANTS' RESPONSE TO\nCOURT'S ORDER (ECF NO. 214)",
        "DECLARATION IN SUPPORT OF MOTION FOR RECONSIDERATION OF THE COURT'S ORDER ON FEES",
        "IN RE APPLICATION OF THE FBI\nFOR AN ORDER REQUIRING THE\nPRODUCTION OF TANGIBLE THINGS",
    ],
)
def test_a_title_that_speaks_of_an_order_is_no_orders_title(title):
    text = CAPTION + "Defendant.\n\n" + title + "\n\nRespectfully submitted."
    c = classify(text)
    assert "order_title" not in {s["signal"] for s in c.signals}, title
    assert c.kind not in JUDICIAL


def test_the_courts_words_of_command_are_one_pattern():
    from patronshield.checker.commands import ORDERED, ORDERS

    assert ORDERS in ORDERED.pattern
    said = (
        "The court, on its own initiative, ORDERS the parties to this appeal to file a statement."
    )
    assert "it_is_ordered" in {s["signal"] for s in classify(CAPTION + said).signals}
    spoken = "The court orders entered in this case were appealed."
    assert "it_is_ordered" not in {s["signal"] for s in classify(CAPTION + spoken).signals}


PROPOSED = (
    CAPTION + "Defendant.\n\n[PROPOSED] ORDER GRANTING MOTION TO FILE UNDER SEAL\n\n"
    "The Motion is GRANTED. IT IS SO ORDERED.\n"
)


def test_a_proposed_order_is_an_order_only_once_signed_and_dated():
    blank = classify(PROPOSED + "Dated: ______________ ____________\nHon. Ann Lee\nDistrict Judge")
    assert blank.kind == "unknown" and "proposed" in blank.reason
    entered = classify(PROPOSED + "DATED: October 2, 2020\nHon. Ann Lee\nDistrict Judge")
    assert entered.kind == "court_order"
    # The parties' dates on a stipulation are not the judge's: the last one is.
    stipulated = classify(
        PROPOSED + "DATED: January 29, 2009 /s/ Bo Li, Attorney for Plaintiff\n"
        "PURSUANT TO STIPULATION, IT IS SO ORDERED.\nDATED: ________\nHon. Ann Lee\nDistrict Judge"
    )
    assert stipulated.kind == "unknown"


# An ODNI certification that speaks of the FISC (Washington Post, 2014-06-30; manifest).
FISC_SPOKEN_OF = """CERTIFICATION OF THE DIRECTOR OF NATIONAL INTELLIGENCE AND THE ATTORNEY
GENERAL PURSUANT TO SUBSECTION 702(g) OF THE FOREIGN INTELLIGENCE SURVEILLANCE ACT OF 1978
the Director of National Intelligence and the Attorney General, being duly sworn, hereby
certify that there are procedures in place that will be submitted with this certification
for approval by the Foreign Intelligence Surveillance Court that are reasonably designed"""


def test_a_paper_that_speaks_of_the_fisa_court_is_no_fisa_order():
    assert classify(FISC_SPOKEN_OF).kind != "fisa_order"


def test_a_warrant_filled_with_placeholders_is_a_template():
    text = (
        "AO 442 (Rev. 11/11) Arrest Warrant\nUNITED STATES DISTRICT COURT\nfor the\n"
        "Northern District of Georgia\nUnited States of America v. Juan Valdez\nCase No. XXXXXX\n"
        "ARREST WARRANT\nTo: Any authorized law enforcement officer\nYOU ARE COMMANDED to arrest "
        "and bring before a United States magistrate judge without unnecessary delay\n"
        "Issuing officer's signature\nHonorable Judge Name\nPrinted name and title"
    )
    c = classify(text)
    assert c.kind == "other" and "template" in c.reason

"""Specimens of the papers an officer may show: not real forms, made up and marked SPECIMEN,
with the features that tell them apart. The papers are in English, as real ones are; what
the trainee is told about them is translatable."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Specimen:
    id: str
    kind: str  # the engine's document vocabulary
    name: str  # what to call it
    issuer: str  # "court", "agency" or "fbi": the look of the letterhead
    header: tuple[str, ...]
    title: str
    body: tuple[str, ...]
    signature: str
    signer: str
    footer: str
    tells: tuple  # what tells it apart (translatable)


COURT = "UNITED STATES DISTRICT COURT"
DISTRICT = "for the Eastern District of Michigan"
DHS = "U.S. DEPARTMENT OF HOMELAND SECURITY"

SPECIMENS = (
    Specimen(
        "search_warrant", "judicial_search_warrant", _("Judicial search warrant"), "court",
        (COURT, DISTRICT, "In the Matter of the Search of: Public computer records, 123 Main St."),
        "SEARCH AND SEIZURE WARRANT",
        ("To: Any authorized law enforcement officer",
         "YOU ARE COMMANDED to execute this warrant on or before [date, 14 days at most] "
         "in the daytime 6:00 a.m. to 10:00 p.m.",
         "Property to be seized: the items described in Attachment B."),
        "J. Doe", "United States Magistrate Judge", "AO 93 (specimen)",
        (_("A court's name at the top (the caption)"),
         _("“YOU ARE COMMANDED to execute this warrant on or before …”"),
         _("The place and the things to be seized are described"),
         _("Signed by a judge or magistrate judge")),
    ),
    Specimen(
        "arrest_warrant", "judicial_arrest_warrant", _("Judicial arrest warrant"), "court",
        (COURT, DISTRICT, "United States of America v. [name]"),
        "ARREST WARRANT",
        ("To: Any authorized law enforcement officer",
         "YOU ARE COMMANDED to arrest and bring before a United States magistrate judge "
         "without unnecessary delay [name of person to be arrested]."),
        "J. Doe", "United States Magistrate Judge", "AO 442 (specimen)",
        (_("A court's name at the top (the caption)"),
         _("“ARREST WARRANT”: it names a person, not a place to search"),
         _("Signed by a judge or magistrate judge")),
    ),
    Specimen(
        "i200", "administrative_warrant", _("ICE administrative warrant (Form I-200)"), "agency",
        (DHS, "Immigration and Customs Enforcement"),
        "WARRANT FOR ARREST OF ALIEN",
        ("To: Any immigration officer authorized pursuant to sections 236 and 287 of the "
         "Immigration and Nationality Act",
         "I have determined that there is probable cause to believe that [name] is removable "
         "from the United States."),
        "R. Roe", "Supervisory Detention and Deportation Officer (Authorized Immigration Officer)",
        "Form I-200 (specimen)",
        (_("“U.S. Department of Homeland Security” at the top: no court"),
         _("Signed by an immigration officer, not a judge"),
         _("The form number at the foot: I-200")),
    ),
    Specimen(
        "i205", "administrative_warrant", _("ICE administrative warrant (Form I-205)"), "agency",
        (DHS, "Immigration and Customs Enforcement"),
        "WARRANT OF REMOVAL/DEPORTATION",
        ("To any immigration officer of the United States Department of Homeland Security:",
         "[Name] is subject to removal/deportation based upon a final order by an immigration "
         "judge in exclusion, deportation, or removal proceedings."),
        "R. Roe", "Field Office Director (Authorized Immigration Officer)",
        "Form I-205 (specimen)",
        (_("“U.S. Department of Homeland Security” at the top: no court"),
         _("It mentions “an immigration judge”: an immigration judge works for the executive "
           "branch, so this is still not a judge's warrant"),
         _("Signed by an immigration officer; the form number at the foot: I-205")),
    ),
    Specimen(
        "subpoena", "judicial_subpoena", _("Court subpoena"), "court",
        (COURT, DISTRICT, "[Plaintiff] v. [Defendant], Civil Action No. [number]"),
        "SUBPOENA TO PRODUCE DOCUMENTS, INFORMATION, OR OBJECTS",
        ("To: Custodian of Records, [Library]",
         "YOU ARE COMMANDED to produce at the time, date, and place set forth below the "
         "following documents: […]",
         "Place: [office address]   Date and time: [in 14 days]"),
        "CLERK OF COURT", "Signature of Clerk or Deputy Clerk, or Attorney's signature",
        "AO 88B (specimen)",
        (_("A court's name at the top, but signed by the clerk or an attorney, not a judge"),
         _("A date and place to produce, later: nothing is handed over on the spot")),
    ),
    Specimen(
        "admin_subpoena", "administrative_subpoena", _("Agency subpoena"), "agency",
        (DHS, "Homeland Security Investigations"),
        "IMMIGRATION ENFORCEMENT SUBPOENA",
        ("To: [Library]",
         "You are hereby commanded to appear and produce the records described below.",
         "Pursuant to 8 U.S.C. § 1225(d)."),
        "R. Roe", "Special Agent in Charge", "Form I-138 (specimen)",
        (_("An agency's letterhead, no court named, no judge"),
         _("Not self-executing: only a court can force anyone to comply")),
    ),
    Specimen(
        "court_order", "court_order", _("Court order"), "court",
        ("STATE OF MICHIGAN", "IN THE CIRCUIT COURT FOR THE COUNTY OF WAYNE",
         "In re: Application of the People, Case No. [number]"),
        "ORDER",
        ("At a session of said Court held on [date], PRESENT: Hon. [name], Circuit Judge.",
         "IT IS ORDERED that the Library produce the records described in Exhibit A."),
        "J. Doe", "Circuit Judge", "(specimen)",
        (_("A court's name at the top"), _("“ORDER” and “IT IS ORDERED”"),
         _("Signed by a judge")),
    ),
    Specimen(
        "detainer", "detainer", _("Immigration detainer (Form I-247A)"), "agency",
        (DHS,),
        "IMMIGRATION DETAINER – NOTICE OF ACTION",
        ("To: [Name of law enforcement agency holding the person]",
         "IT IS REQUESTED THAT YOU maintain custody of the alien for a period NOT TO EXCEED "
         "48 HOURS beyond the time when he/she would otherwise have been released."),
        "R. Roe", "Immigration Officer", "Form I-247A (specimen)",
        (_("Addressed to a jail or police agency holding someone"),
         _("A request to hold a person: it asks nothing of a library")),
    ),
    Specimen(
        "nsl", "national_security_letter", _("National Security Letter"), "fbi",
        ("U.S. Department of Justice", "FEDERAL BUREAU OF INVESTIGATION"),
        "NATIONAL SECURITY LETTER",
        ("Under the authority of Title 18, United States Code (U.S.C.), Section 2709, you are "
         "hereby directed to provide the [records] described in the attachment.",
         "In accordance with 18 U.S.C. § 2709(c), you are prohibited from disclosing to any "
         "person that the FBI has sought or obtained access to information."),
        "A. Official", "Special Agent in Charge", "(specimen)",
        (_("FBI letterhead, no court"), _("It cites 18 U.S.C. § 2709"),
         _("A nondisclosure paragraph: tell only the director and counsel")),
    ),
)  # fmt: skip

BY_ID = {s.id: s for s in SPECIMENS}

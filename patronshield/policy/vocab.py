"""The closed vocabularies of the engine: what can be asked, shown, and decided."""

AGENCIES = (
    "ice",
    "cbp",
    "hsi",
    "fbi",
    "us_marshals",
    "other_federal",
    "state_police",
    "local_police",
    "sheriff",
    "other",
)
IMMIGRATION_AGENCIES = frozenset({"ice", "cbp", "hsi"})

# Who is asking: an officer (the default), a parent or guardian asking for their minor
# child's records, or a party to a private lawsuit (a civil subpoena, say). Only an officer
# is an agency; the others ask only about patron records.
REQUESTERS = ("officer", "parent_of_minor", "private_litigant")
# The papers someone who is not an officer can bring.
PRIVATE_DOCUMENTS = ("none", "verbal", "judicial_subpoena", "court_order", "other", "unknown")

# Each request belongs to one class; rules may match a class or a request.
REQUEST_CLASSES = {
    "presence_public_area": "public",
    "question_people_public_area": "public",
    "arrest_public_area": "public",
    "enter_nonpublic_area": "nonpublic",
    "seize_equipment": "nonpublic",
    "patron_records": "patron_info",
    "patron_whereabouts": "patron_info",
    "surveillance_footage": "patron_info",
    "staff_records": "staff_info",
}
REQUESTS = tuple(REQUEST_CLASSES)
# Requests that touch what the policy protects (everything outside the public areas).
PROTECTED_REQUESTS = tuple(r for r, c in REQUEST_CLASSES.items() if c != "public")

DOCUMENTS = (
    "none",
    "verbal",
    "judicial_search_warrant",
    "judicial_arrest_warrant",
    "administrative_warrant",
    "judicial_subpoena",
    "grand_jury_subpoena",
    "administrative_subpoena",
    "court_order",
    "detainer",
    "national_security_letter",
    "fisa_order",
    # Not among `decide`'s documented values, but accepted: the document checker's
    # verdicts for "not legal process" and "cannot tell".
    "other",
    "unknown",
)
# The documents that are warrants, and so may be signed or not (`warrant_unsigned`).
WARRANTS = ("judicial_search_warrant", "judicial_arrest_warrant", "administrative_warrant")
# What the document checker found wrong with a paper, or could not confirm, that stops it
# authorizing anything here (an input of `decide`, `document_defects`). Each is a reason the
# desk says aloud: "This warrant names another address: don't obstruct, don't help."
DOCUMENT_DEFECTS = (
    "not_signed",  # no judge's or magistrate's signature where the paper needs one
    "wrong_place",  # the place to be searched is not this library
    "place_not_confirmed",  # no place could be read, or no library to compare it with
    "expired",  # past its execute-by date, or the state's or Rule 41's window
    "deadline_not_confirmed",  # no date to execute by or issue date could be read
    "night_time",  # a daytime-only warrant, outside 6:00-22:00 here
    "not_addressed_to_library",  # an order or subpoena that commands someone else
    "no_records_named",  # an order or subpoena that names no records or items to produce
    "no_entry_commanded",  # an order or subpoena: it commands production, not entry here
    "sample",  # a sample, specimen or template copy, not the real thing
)
# The defects that say only that a check could not be made: the desk shows them as "Cannot
# confirm here", never as "No" (a "No" over an unread date invites staff to obstruct).
UNCONFIRMED_DEFECTS = frozenset({"place_not_confirmed", "deadline_not_confirmed"})
# Defects that only limit what a paper opens (an order that commands production, not entry):
# the paper may still hold for what it does command.
SCOPE_DEFECTS = frozenset({"no_entry_commanded"})
# Documents that carry a nondisclosure ("gag") requirement by their nature.
GAG_DOCUMENTS = frozenset({"national_security_letter", "fisa_order"})

OUTCOMES = ("permit", "comply_after_approval", "decline", "refer")
# How protective an outcome is: the most protective layer wins. `refer` ranks above
# `decline`: both hand over nothing, but `refer` also answers a legal process through
# the director and counsel, which a plain refusal would leave unanswered.
OUTCOME_RANK = {outcome: rank for rank, outcome in enumerate(OUTCOMES)}

APPROVERS = ("none", "director_or_designee", "director")
# The exceptions a library's policy may allow or leave out (rules tagged `exception`).
EXCEPTIONS = ("safety", "consent")
CITATION_SOURCES = ("policy", "statute", "federal", "case")

# The state rule tables' vocabulary (docs/state-tables.md).
# `document`: what is wrong with the paper itself (data/law/defects.toml).
LAYERS = ("federal", "policy", "statute", "document")
TABLE_KINDS = ("statute", "attorney_general_opinion")
PROTECTS = ("registration", "circulation", "use", "footage", "other")
CONSENT = ("written", "any", "none")
# Every way a statute lets a record go, whether or not the engine has an input for it yet.
ROUTE_KINDS = (
    "consent_written",
    "consent",
    "subpoena",
    "court_order",
    "court_showing",
    "search_warrant",
    "law_enforcement_emergency",
    "parent_of_minor",
    "library_operations",
    "crime_at_library",
    "statute",
    "other",
)
LANGUAGES = ("en", "es")


def language_or_default(language: str | None) -> str:
    """`language` if the engine's texts exist in it, else English."""
    return language if language in LANGUAGES else "en"

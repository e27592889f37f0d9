"""The document checker in the desk flow: photo or PDF -> what it is, the evidence, the
checks, what it allows here; then staff confirm it or answer the checklist."""

from django import forms
from django.contrib import messages
from django.core.exceptions import RequestDataTooBig, TooManyFilesSent, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.dateparse import parse_date
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from patronshield.libraries.policies import adopted_table
from patronshield.policy import defect_reasons, vocab
from patronshield.uploads import validate_upload_size

from . import services
from .access import access_record
from .models import Document, DocumentCheck
from .steps import STEPS, asked
from .views import RecordClosed, _closed, _encounter, _may_answer, document_refused

MAX_FILES = 10

SIGNAL_LABELS = {
    "court_caption_federal": _("A federal court is named at the top"),
    "court_caption_state": _("A state or local court is named"),
    "court_docket": _("A court case number or district is given"),
    "fisa_court": _("The Foreign Intelligence Surveillance Court is named"),
    "search_warrant_title": _("Titled as a search warrant"),
    "matter_of_the_search": _("Describes a place to be searched"),
    "commanded_to_execute": _("Commands officers to execute the warrant"),
    "command_to_search": _("Commands officers to search"),
    "ao93": _("Federal form AO 93 (search and seizure warrant)"),
    "arrest_warrant_title": _("Titled as an arrest warrant"),
    "ordered_to_arrest": _("Orders an arrest"),
    "commanded_to_arrest_before_magistrate": _("Orders an arrest and appearance before a judge"),
    "ao442": _("Federal form AO 442 (arrest warrant)"),
    "subpoena_word": _("Says it is a subpoena"),
    "subpoena_to_produce": _("Orders papers or testimony to be produced"),
    "grand_jury": _("Names a grand jury"),
    "ao88": _("Federal form AO 88 (subpoena to testify at a hearing or trial)"),
    "ao88a": _("Federal form AO 88A (subpoena to testify at a deposition)"),
    "ao88b": _("Federal form AO 88B (subpoena to produce documents)"),
    "ao110": _("Federal form AO 110 (grand jury subpoena)"),
    "administrative_subpoena": _("An agency's own subpoena, not a court's"),
    "summons": _("Says it is a summons"),
    "form_i138": _("DHS Form I-138 (immigration subpoena)"),
    "order_title": _("Titled as a court's order"),
    "it_is_ordered": _("Says “it is ordered”"),
    "court_rules": _("The court grants or denies a request (“is GRANTED”)"),
    "proposed_order": _("Titled as a proposed order: an order only once the judge signs it"),
    "notice_and_hearing": _("Mentions notice and a hearing (MCL 397.603)"),
    "dhs_header": _("Department of Homeland Security letterhead"),
    "ice_header": _("Immigration and Customs Enforcement letterhead"),
    "warrant_for_arrest_of_alien": _("“Warrant for Arrest of Alien” (DHS Form I-200)"),
    "form_i200": _("DHS Form I-200"),
    "warrant_of_removal": _("“Warrant of Removal/Deportation” (DHS Form I-205)"),
    "form_i205": _("DHS Form I-205"),
    "immigration_and_nationality_act": _("Cites the Immigration and Nationality Act"),
    "immigration_officer_signature": _("Signed by an immigration officer"),
    "immigration_judge": _("Mentions an immigration judge (not a court judge)"),
    "detainer": _("Immigration detainer (DHS Form I-247)"),
    "nsl_statute": _("National Security Letter (18 U.S.C. § 2709)"),
    "fbi_letterhead": _("FBI letterhead"),
    "nondisclosure": _("Forbids telling anyone (a gag)"),
    "fisa_statute": _("Cites the FISA business-records law (50 U.S.C. § 1861)"),
    "fisa_tangible_things": _("Orders “tangible things” produced, under a FISA court caption"),
    "voluntary_request": _("Asks for voluntary help: not an order"),
    "know_your_rights": _("A Know-Your-Rights flyer"),
    "event_flyer": _("An event flyer"),
    "about_guide": _("A guide to filling out or reading a form, not the form itself"),
    "about_template": _("A template or model with blanks, not a paper that was issued"),
    "about_memo": _("An agency memo about a form or an order, not the paper itself"),
    "about_release": _("A copy released to the public, not a paper served on the library"),
    "sample_stamp": _("Marked “sample”, “specimen” or “void”: not a real paper"),
    "sample_title": _("Titled as a sample or example"),
    "contact_card": _("Contact details, like a business card"),
    "judge_signature": _("A judge's signature line"),
    "magistrate_signature": _("A magistrate judge is named"),
    "fisa_judge": _("Signed by a FISA court judge"),
    "clerk_signature": _("Signed by the clerk of court"),
    "attorney_signature": _("Signed by an attorney"),
    "executive_judge_signature": _(
        "Signed by an administrative law judge (an agency's officer, not a court's judge)"
    ),
    "agency_official_signature": _("Signed by an agency official"),
}
CHECK_LABELS = {
    "court_named": _("A court is named"),
    "judge_signature": _("Signed by a judge or magistrate, with the title"),
    "date_issued": _("The date it was issued"),
    "execution_deadline": _(
        "To be carried out in time: a date that has not passed, within 14 days for a federal "
        "warrant or the state's own limit for a state warrant"
    ),
    "daytime": _("Daytime only (6:00 to 22:00) unless the judge allowed any time"),
    "place_matches_library": _("The place described is this library"),
    "items_described": _("What may be searched for or taken is described"),
    "addressed_to_library": _("It is addressed to this library or its custodian of records"),
    "records_named": _("It names the records or items to hand over"),
    "date_to_produce": _("The date to hand them over by"),
}
# What a check adds to the words it quotes (codes from patronshield.checker.checks.NOTES).
CHECK_NOTES = {
    "deadline_passed": _("the deadline has passed (today is %(today)s)"),
    "over_federal_limit": _("more than %(days)s days after it was issued"),
    "over_state_limit": _("more than %(days)s days after it was issued (%(ref)s)"),
    "local_time": _("it is %(time)s here"),
    "not_this_library": _("not %(library)s"),
    "no_library": _("no library is set up here to compare it with"),
}
RESULT_LABELS = {"passed": _("Yes"), "failed": _("No"), "not_found": _("Not found")}
SIGNER_LABELS = {
    "judge": _("a judge"),
    "magistrate": _("a magistrate judge"),
    "immigration_officer": _("an immigration officer"),
    "clerk": _("a clerk of court"),
    "attorney": _("an attorney"),
    "agency_official": _("an agency official"),
}

COURT_CHOICES = [
    ("yes", _("Yes: it names a court (“… Court”)")),
    ("no", _("No court: it names an agency, like Homeland Security, ICE or the FBI")),
    ("cant_tell", _("I can't tell")),
]
TITLE_CHOICES = [
    ("search_warrant", _("Search warrant, or search and seizure warrant")),
    ("arrest_warrant", _("Arrest warrant")),
    ("ice_warrant", _("Warrant for Arrest of Alien, or Warrant of Removal (Form I-200, I-205)")),
    ("subpoena", _("Subpoena")),
    ("grand_jury", _("Grand jury subpoena")),
    ("order", _("Order (“it is ordered”)")),
    ("fisa", _("Foreign Intelligence Surveillance Court order")),
    ("detainer", _("Immigration detainer (Form I-247)")),
    ("nsl", _("National Security Letter")),
    ("letter", _("A letter, card or flyer")),
    ("cant_tell", _("I can't tell")),
]
SIGNER_CHOICES = [
    ("judge", _("A judge or magistrate")),
    ("immigration_officer", _("An immigration officer (ICE, DHS)")),
    ("clerk_or_attorney", _("A clerk of court or an attorney")),
    ("agency_official", _("An agency official (FBI, police)")),
    ("cant_read", _("I can't read it")),
]


class ChecklistForm(forms.Form):
    court = forms.ChoiceField(
        label=_("Is a court named at the top?"),
        choices=COURT_CHOICES,
        widget=forms.RadioSelect,
    )
    title = forms.ChoiceField(
        label=_("What is it called?"), choices=TITLE_CHOICES, widget=forms.RadioSelect
    )
    signer = forms.ChoiceField(
        label=_("Who signed it?"), choices=SIGNER_CHOICES, widget=forms.RadioSelect
    )


def _check(encounter, cid):
    return get_object_or_404(DocumentCheck, pk=cid, encounter=encounter)


@require_POST
def upload(request, pk):
    encounter = _encounter(request, pk)
    if request.method == "POST":
        try:
            _may_answer(request, encounter)
        except RecordClosed:
            return _closed(request, encounter)
    try:
        uploads = request.FILES.getlist("pages")
    except (TooManyFilesSent, RequestDataTooBig):
        uploads, error = (
            [],
            _("Too many files at once: upload at most %(n)s pages.") % {"n": MAX_FILES},
        )
    else:
        error = None
        if not uploads:
            error = _("Choose a photo or a PDF of the paper first.")
        elif len(uploads) > MAX_FILES:
            error = _("Too many files at once: upload at most %(n)s pages.") % {"n": MAX_FILES}
        else:
            try:
                for u in uploads:
                    validate_upload_size(u)  # by its size, before it is read
            except ValidationError as e:
                error = e.messages[0]
    if error:
        return render(
            request,
            "desk/document_error.html",
            {"encounter": encounter, "error": error},
            status=400,
        )
    files = [(u.name, u.read()) for u in uploads]
    check = services.document_check_queue(encounter=encounter, user=request.user, files=files)
    return redirect("desk:check_progress", pk=encounter.pk, cid=check.pk)


def other_question(encounter) -> str | None:
    """The first question other than the document's still to answer, if any."""
    return next(
        (n for n in asked(encounter) if n != "document" and STEPS[n].current(encounter) == ""),
        None,
    )


@require_safe
def progress(request, pk, cid):
    """While the checker reads: page N of M, refreshed by htmx (every second) or, without
    JavaScript, by the page itself; then the result. A failure says so and offers the
    checklist; nothing answered so far is lost."""
    encounter = _encounter(request, pk)
    check = _check(encounter, cid)
    if check.pending and check.created_at < timezone.now() - services.CHECK_GIVE_UP:
        services.document_checks_expire()
        check.refresh_from_db()
    result_url = reverse("desk:check", args=[pk, cid])
    if check.state == DocumentCheck.State.DONE:
        if request.headers.get("HX-Request"):
            return HttpResponse(headers={"HX-Redirect": result_url})
        return redirect(result_url)
    if check.state == DocumentCheck.State.FAILED and request.headers.get("HX-Request"):
        return HttpResponse(headers={"HX-Refresh": "true"})
    reading = min(check.pages_read + 1, check.pages)
    return render(
        request,
        "desk/document_progress.html",
        {
            "encounter": encounter,
            "check": check,
            "reading": reading,
            "form": ChecklistForm(),
            "other": other_question(encounter),
        },
        status=422 if check.state == DocumentCheck.State.FAILED else 200,
    )


def _note(check: dict) -> str:
    """The check's note in the desk's language ("" when it has none, or was stored before
    checks had notes: then its evidence says it all, in English)."""
    template = CHECK_NOTES.get(check.get("note", ""))
    if not template:
        return ""
    params = dict(check.get("params") or {})
    if day := parse_date(str(params.get("today", ""))):
        params["today"] = formats.date_format(day, "DATE_FORMAT")
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return ""


# The checks without which a paper cannot open anything here (checker._authorizes).
BLOCKING_CHECKS = ("place_matches_library", "execution_deadline")


def holds_here(check) -> dict:
    """Whether the paper holds here, from what the check found: `failed` (a check failed, or
    a defect that is no mere doubt: "No", and what to do), `unconfirmed` (a check that
    matters could not be made: "Cannot confirm here", never "No"), or "" (nothing found
    wrong); with the reasons in the desk's language and the checks not confirmed."""
    summary = check.summary or {}
    defects = [
        d
        for d in vocab.DOCUMENT_DEFECTS
        if d in summary.get("defects", []) and d not in vocab.SCOPE_DEFECTS
    ]
    results = summary.get("checks", {})
    failed = [c for c, r in results.items() if r == "failed"]
    unconfirmed = [c for c in BLOCKING_CHECKS if results.get(c) == "not_found"]
    if failed or any(d not in vocab.UNCONFIRMED_DEFECTS for d in defects):
        verdict = "failed"
    elif unconfirmed or defects:
        verdict = "unconfirmed"
    else:
        verdict = ""
    language = get_language() or "en"
    reasons = defect_reasons(defects, check.kind, language)
    if not reasons:  # a check stored before checks gave defects: name the checks
        reasons = [str(CHECK_LABELS.get(c, c)) for c in failed + unconfirmed]
    named = "; ".join(str(CHECK_LABELS.get(c, c)) for c in unconfirmed) or " ".join(
        defect_reasons([d for d in defects if d in vocab.UNCONFIRMED_DEFECTS], check.kind, language)
    )
    return {"verdict": verdict, "reasons": reasons, "unconfirmed": named}


@require_safe
def result(request, pk, cid):
    encounter = _encounter(request, pk)
    check = _check(encounter, cid)
    if check.state != DocumentCheck.State.DONE:  # still being read, or it failed
        return redirect("desk:check_progress", pk=pk, cid=cid)
    access_record(request=request, encounter=encounter, what="document")
    evidence = services.document_check_evidence(check)
    signals = [
        {**s, "label": SIGNAL_LABELS.get(s["signal"], s["signal"])} for s in evidence["signals"]
    ]
    checks = [
        {
            **c,
            "label": CHECK_LABELS.get(c["check"], c["check"]),
            "answer": RESULT_LABELS[c["result"]],
            "note_text": _note(c),
        }
        for c in evidence["checks"]
    ]
    return render(
        request,
        "desk/document_result.html",
        {
            "encounter": encounter,
            "check": check,
            "kind_label": Document(check.kind).label if check.kind else "",
            "signals": signals,
            "checks": checks,
            "signer": SIGNER_LABELS.get(check.signed_by, ""),
            "authorizes": check.summary.get("authorizes", {}),
            "holds": holds_here(check),
            "confident": check.kind not in ("", "unknown") and check.confidence >= 0.75,
            "director_only": adopted_table(encounter.library).approver == "director",
            "locked": services.DOCUMENT_LOCKED
            if services.document_locked(encounter, request.user)
            else "",
        },
        status=200 if not check.error else 422,
    )


@require_POST
def confirm(request, pk, cid):
    encounter = _encounter(request, pk)
    if request.method == "POST":
        try:
            _may_answer(request, encounter)
        except RecordClosed:
            return _closed(request, encounter)
    check = _check(encounter, cid)
    if services.document_locked(encounter, request.user):
        return document_refused(request, encounter)
    if not check.kind or check.kind == "unknown":
        return redirect(reverse("desk:checklist", args=[pk]) + f"?check={check.pk}")
    encounter = services.document_confirm(check=check, user=request.user, kind=check.kind)
    nxt = encounter.next_step()
    return redirect("desk:result", pk=pk) if nxt is None else redirect("desk:step", pk=pk, step=nxt)


@require_http_methods(["GET", "POST"])
def checklist(request, pk):
    encounter = _encounter(request, pk)
    if request.method == "POST":
        try:
            _may_answer(request, encounter)
        except RecordClosed:
            return _closed(request, encounter)
    cid = request.GET.get("check") or request.POST.get("check")
    check = _check(encounter, cid) if cid and cid.isdigit() else None
    form = ChecklistForm(request.POST or None)
    if request.method == "POST" and services.document_locked(encounter, request.user):
        return document_refused(request, encounter)
    if request.method == "POST" and form.is_valid():
        encounter, check, conflict = services.document_checklist(
            encounter=encounter, user=request.user, answers=form.cleaned_data, check=check
        )
        if conflict:
            messages.warning(
                request,
                _(
                    "The photo shows an immigration form or an immigration officer's "
                    "signature, which is never a judge's warrant. The paper is treated as "
                    "“I can't tell” until the director has seen it."
                ),
            )
        nxt = encounter.next_step()
        return (
            redirect("desk:result", pk=pk)
            if nxt is None
            else redirect("desk:step", pk=pk, step=nxt)
        )
    return render(
        request,
        "desk/checklist.html",
        {"encounter": encounter, "form": form, "check": check},
        status=400 if form.is_bound else 200,
    )

"""The library's policy pages: the adopted policy for all staff, the draft for the director
and the administrator, a version's board-ready PDF, adoption, the desk cards, and the law of
every state behind them. Thin: the services in policies.py write; the document comes from
policy.authoring, the law from policy.law."""

from __future__ import annotations

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from patronshield.accounts.models import Role
from patronshield.policy import authoring, law, model_policy
from patronshield.policy.engine import cited_ref

from . import card, policies
from .forms import AdoptForm, PolicyForm
from .models import PolicyVersion

READERS = frozenset({Role.DESK, Role.DESIGNEE, Role.DIRECTOR, Role.ADMIN, Role.COUNSEL})


def _library(request, roles=READERS):
    if request.user.library_id is None or request.user.role not in roles:
        raise PermissionDenied
    return request.user.library


def _language() -> str:
    return "es" if (get_language() or "en").startswith("es") else "en"


def _version(request, number) -> PolicyVersion:
    """A version of the user's library: a draft only for those who edit it."""
    library = _library(request)
    version = get_object_or_404(library.policy_versions, number=number)
    if version.status == PolicyVersion.Status.DRAFT and request.user.role not in (
        policies.EDITOR_ROLES
    ):
        raise Http404
    return version


def _heading(version: PolicyVersion | None) -> str:
    if version is None:
        return _("The model policy: the board has not adopted the library's own yet.")
    if version.status == PolicyVersion.Status.DRAFT:
        return _("Draft of version %(n)s: not in force until the board adopts it.") % {
            "n": version.number
        }
    line = _("Version %(n)s, adopted by the board on %(date)s.") % {
        "n": version.number,
        "date": version.board_adopted_on.isoformat(),
    }
    if version.status == PolicyVersion.Status.SUPERSEDED:
        line += " " + _("Superseded by a later version.")
    return line


def document_context(library, version: PolicyVersion | None, language: str) -> dict:
    """The document of `version` (None: the model policy as the library has it now)."""
    if version is None:
        choices, table, changes = policies.initial_choices(library), model_policy(), ()
    else:
        # The change summary against the previous adopted version, in the reader's language
        # (the adopted version also keeps it, in English, as it was adopted).
        choices, table = version.choices, policies.version_table(version)
        previous = policies.previous_adopted(version)
        changes = authoring.changes(previous.choices if previous else None, choices, language)
    doc = authoring.document(
        choices,
        library.state,
        library=library.name,
        table=table,
        changes=changes,
        language=language,
    )
    return {
        "doc": doc,
        "heading": _heading(version),
        "changes_title": _("Changes since the previous version"),
        "sources_label": _("Sources"),
        "verify_label": _("to be confirmed by counsel"),
        "version": version,
    }


@require_safe
def show(request):
    """The policy in force, for everyone on staff; the director sees why it needs review."""
    library = _library(request)
    language = _language()
    version = policies.adopted_version(library)
    context = document_context(library, version, language)
    editor = request.user.role in policies.EDITOR_ROLES
    see_notices = request.user.role in (Role.DIRECTOR, Role.ADMIN)
    return render(
        request,
        "policy/show.html",
        {
            **context,
            "editor": editor,
            "notices": policies.notices(library, language=language) if see_notices else [],
            "draft": library.policy_versions.filter(status=PolicyVersion.Status.DRAFT).first()
            if editor
            else None,
            "versions": library.policy_versions.exclude(status=PolicyVersion.Status.DRAFT),
            "branches": library.branches.all(),
            "card_languages": [("en", "English"), ("es", "Español")],
        },
    )


@require_safe
def version_page(request, number):
    version = _version(request, number)
    context = document_context(version.library, version, _language())
    return render(
        request,
        "policy/version.html",
        {**context, "editor": request.user.role in policies.EDITOR_ROLES},
    )


def _pdf_safe(text: str) -> str:
    """Text for a CSS string in the page margins: no quotes, backslashes or tags."""
    return "".join(ch for ch in text if ch not in '"\\<>\n')


@require_safe
def version_pdf(request, number):
    """The board-ready PDF of a version (a draft's, to circulate before the meeting)."""
    version = _version(request, number)
    library = version.library
    context = document_context(library, version, _language())
    html = render_to_string(
        "policy/pdf/policy.html",
        {
            **context,
            "running": _pdf_safe(f"{library.name} · " + _("version %(n)s") % {"n": version.number}),
            "guidance": _pdf_safe(_("Guidance, not legal advice: review it with counsel.")),
            "page_label": _pdf_safe(_("Page")),
            "show_signature": version.status == PolicyVersion.Status.DRAFT,
            "signature_label": _("Board chair"),
            "date_label": _("Date adopted"),
        },
    )
    pdf = card.pdfs.weasyprint.HTML(string=html).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"{library.slug}-policy-v{version.number}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@require_http_methods(["GET", "POST"])
def draft(request):
    """The draft as a form of choices. Saving never changes the rules in force."""
    library = _library(request, policies.EDITOR_ROLES)
    current = library.policy_versions.filter(status=PolicyVersion.Status.DRAFT).first()
    if request.method == "POST":
        form = PolicyForm(request.POST)
        if form.is_valid():
            version = current or policies.draft_get_or_create(library=library, user=request.user)
            try:
                policies.draft_save(version=version, user=request.user, choices=form.choices())
            except ValidationError as e:
                form.add_error(None, e)
            else:
                messages.success(request, _("Draft saved. The rules in force have not changed."))
                return redirect("policy:version", number=version.number)
        status = 400
    else:
        adopted = policies.adopted_version(library)
        choices = (
            current.choices
            if current
            else adopted.choices
            if adopted
            else policies.initial_choices(library)
        )
        form = PolicyForm(initial=PolicyForm.initial_from(choices))
        status = 200
    return render(request, "policy/draft.html", {"form": form, "draft": current}, status=status)


@require_http_methods(["GET", "POST"])
def adopt(request, number):
    library = _library(request, policies.EDITOR_ROLES)
    version = get_object_or_404(
        library.policy_versions, number=number, status=PolicyVersion.Status.DRAFT
    )
    return _adopt(request, library, version)


@reauthentication_required
def _adopt(request, library, version):
    """Mark the draft adopted on the board's date: asks for the second factor again."""
    form = AdoptForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                policies.version_adopt(
                    version=version, user=request.user, board_date=form.cleaned_data["board_date"]
                )
            except ValidationError as e:
                form.add_error("board_date", e)
            else:
                messages.success(
                    request,
                    _("Version %(n)s is adopted: the desk now applies it.") % {"n": version.number},
                )
                return redirect("policy:show")
        status = 400
    context = document_context(library, version, _language())
    return render(request, "policy/adopt.html", {**context, "form": form}, status=status)


@require_safe
def desk_card(request, branch, language):
    """The one-page desk card of a branch, to print."""
    library = _library(request)
    if language not in card.LANGUAGES:
        raise Http404
    branch = get_object_or_404(library.branches, pk=branch)
    response = HttpResponse(card.card_pdf(branch, language), content_type="application/pdf")
    name = f"{library.slug}-desk-card-{branch.pk}-{language}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


# The law page's words for the tables' keys: no key reaches the screen.
ROUTE_WORDS = {
    "consent_written": gettext_lazy("The patron's written consent"),
    "consent": gettext_lazy("The patron's consent"),
    "subpoena": gettext_lazy("A subpoena"),
    "court_order": gettext_lazy("A court order"),
    "court_showing": gettext_lazy("A court order after a showing to the court"),
    "search_warrant": gettext_lazy("A search warrant"),
    "law_enforcement_emergency": gettext_lazy("An emergency, at law enforcement's request"),
    "parent_of_minor": gettext_lazy("A parent or guardian of a minor"),
    "library_operations": gettext_lazy("The library's own operations"),
    "crime_at_library": gettext_lazy("A crime at the library"),
    "statute": gettext_lazy("Where another law requires it"),
    "other": gettext_lazy("Another route (see the note)"),
}
STATUS_WORDS = {
    "read_from_text": gettext_lazy("Read from the law's text, not yet reviewed by counsel"),
    "needs_counsel_review": gettext_lazy("Needs review by counsel"),
    "counsel_reviewed": gettext_lazy("Reviewed by counsel"),
}
KIND_WORDS = {
    "statute": gettext_lazy("Statute"),
    "attorney_general_opinion": gettext_lazy("Attorney general's opinion (no statute)"),
}
PROTECTS_WORDS = {
    "registration": gettext_lazy("registration records"),
    "circulation": gettext_lazy("what a patron borrowed"),
    "use": gettext_lazy("use of the library and its services"),
    "footage": gettext_lazy("camera footage"),
    "other": gettext_lazy("other records (see the law)"),
}
CONSENT_WORDS = {
    "written": gettext_lazy("Written consent"),
    "any": gettext_lazy("Consent in any form"),
    "none": gettext_lazy("The law names no consent route"),
}


def _law_row(j: law.Jurisdiction, own: bool) -> dict:
    """One jurisdiction in words: what the page shows, never a key."""
    not_confirmed = _("not confirmed")
    window = j.warrant_window
    return {
        "j": j,
        "own": own,
        "protects_ref": cited_ref(j.protects_ref, _language()),
        "kind": KIND_WORDS.get(j.kind, not_confirmed),
        "status": STATUS_WORDS.get(j.review_status, not_confirmed),
        "protects": [PROTECTS_WORDS.get(p, PROTECTS_WORDS["other"]) for p in j.protects],
        "consent": CONSENT_WORDS.get(j.consent, not_confirmed),
        "routes": [(ROUTE_WORDS.get(r.kind, ROUTE_WORDS["other"]), r) for r in j.routes],
        "window": (
            ngettext("%(days)s day", "%(days)s days", window.days) % {"days": window.days}
            if window
            else not_confirmed
        ),
    }


@require_safe
def law_page(request):
    """Every jurisdiction's library-records law, the library's own state first."""
    library = _library(request)
    every = law.jurisdictions()
    others = sorted((j for j in every.values() if j.code != library.state), key=lambda j: j.name)
    rows = [_law_row(j, False) for j in others]
    if library.state in every:
        rows.insert(0, _law_row(every[library.state], True))
    return render(request, "policy/law.html", {"rows": rows, "library": library})

"""The library's policy pages: the adopted policy for all staff, the draft for the director
and the administrator, a version's board-ready PDF, adoption, and the desk cards. Thin: the
services in policies.py write; the document comes from policy.authoring."""

from __future__ import annotations

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from patronshield.accounts.models import Role
from patronshield.policy import authoring, model_policy

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

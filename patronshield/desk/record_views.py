"""The incident record's pages: the timeline, one form at a time to add to it, the
director's decision and legal hold, closing, and the counsel export. The writes are
`record`'s services; a possible patron's name or number is shown as a warning next to the
field, the text kept, and saved only by a second, explicit "Save anyway"."""

from collections.abc import Callable
from dataclasses import dataclass

from allauth.account.decorators import reauthentication_required
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from patronshield.accounts.models import APPROVER_ROLES, Role
from patronshield.uploads import validate_upload_size

from . import record, timeline
from .access import access_record
from .models import Checkpoint, Event
from .pii import confirm_token
from .views import _encounter

EXPORT_ROLES = frozenset({Role.DIRECTOR, Role.DESIGNEE, Role.ADMIN, Role.COUNSEL})
HOLD_ROLES = frozenset({*APPROVER_ROLES, Role.ADMIN})


def _text(**attrs):
    return forms.TextInput(attrs={"autocomplete": "off", **attrs})


def _area(rows=4):
    return forms.Textarea(attrs={"rows": rows, "autocomplete": "off"})


class OfficerForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("As on their ID, with the title: “Agent R. Smith”."),
        widget=_text(),
    )
    agency = forms.CharField(
        label=gettext_lazy("Agency"), required=False, max_length=200, widget=_text()
    )
    badge = forms.CharField(
        label=gettext_lazy("Badge number"), required=False, max_length=200, widget=_text()
    )
    contact = forms.CharField(
        label=gettext_lazy("Phone or e-mail they gave"),
        required=False,
        max_length=200,
        widget=_text(),
    )
    vehicle = forms.CharField(
        label=gettext_lazy("Vehicle, if you saw one"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Colour, make, plate."),
        widget=_text(),
    )
    id_checked = forms.BooleanField(label=gettext_lazy("I saw their ID"), required=False)


class ItemForm(forms.Form):
    pii_field = "description"
    action = forms.ChoiceField(
        label=gettext_lazy("What did they do with it?"),
        choices=list(record.ITEM_ACTIONS.items()),
        widget=forms.RadioSelect,
    )
    description = forms.CharField(
        label=gettext_lazy("What was it?"),
        max_length=500,
        help_text=gettext_lazy("“Public computer 3”, “2 hours of lobby camera footage”."),
        widget=_area(3),
    )
    from_collection = forms.BooleanField(
        label=gettext_lazy("It is from the library's collection (a book, a DVD…)"),
        required=False,
    )
    barcode = forms.CharField(
        label=gettext_lazy("Item barcode"),
        required=False,
        max_length=40,
        help_text=gettext_lazy("The barcode on the item, never a patron's card."),
        widget=_text(inputmode="numeric"),
    )


class ReceiptForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Photo or PDF of the receipt"),
        help_text=gettext_lazy(
            "Officers executing a search warrant leave a receipt for what they take."
        ),
        widget=forms.FileInput(
            attrs={"accept": "image/*,application/pdf", "capture": "environment"}
        ),
        validators=[validate_upload_size],
    )


class NoteForm(forms.Form):
    pii_field = "text"
    text = forms.CharField(
        label=gettext_lazy("Note"),
        max_length=4000,
        help_text=gettext_lazy("What happened, in your words. Say “a patron”, never who."),
        widget=_area(6),
    )


class DecisionForm(forms.Form):
    pii_field = "note"
    approved = forms.ChoiceField(
        label=gettext_lazy("Your decision on what they asked for"),
        choices=[("yes", gettext_lazy("Approved")), ("no", gettext_lazy("Refused"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("Why, and on what authority"),
        required=False,
        max_length=2000,
        widget=_area(4),
    )


class OverrideForm(forms.Form):
    pii_field = "reason"
    reason = forms.CharField(
        label=gettext_lazy("Why the paper holds after all"),
        max_length=2000,
        help_text=gettext_lazy(
            "What you checked, and how: “I read the warrant: the address is our Main "
            "branch's”. It goes on the record with your name and the time."
        ),
        widget=_area(4),
    )


class HoldForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        max_length=300,
        help_text=gettext_lazy("The case, the request or counsel's instruction."),
        widget=_text(),
    )


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Counsel's e-mail"),
        help_text=gettext_lazy("Counsel's staff account at this library: they may then read "
                               "this record and export it, nothing more."),
    )  # fmt: skip


def _invite(encounter, user, data, confirmed):
    record.counsel_invite(encounter=encounter, user=user, email=data["email"])
    return _("Counsel may now read this record.")


def _officer(encounter, user, data, confirmed):
    record.officer_add(encounter=encounter, user=user, **data)
    return _("Officer added.")


def _item(encounter, user, data, confirmed):
    record.item_record(encounter=encounter, user=user, confirmed=confirmed, **data)
    return _("Recorded.")


def _receipt(encounter, user, data, confirmed):
    upload = data["file"]
    record.receipt_add(encounter=encounter, user=user, name=upload.name, data=upload.read())
    return _("Receipt kept with the record.")


def _note(encounter, user, data, confirmed):
    record.note_add(encounter=encounter, user=user, text=data["text"], confirmed=confirmed)
    return _("Note added.")


def _decision(encounter, user, data, confirmed):
    record.approval_record(
        encounter=encounter,
        user=user,
        approved=data["approved"] == "yes",
        note=data["note"],
        confirmed=confirmed,
    )
    return _("Your decision is on the record.")


def _override(encounter, user, data, confirmed):
    from .services import document_defects_override

    document_defects_override(
        encounter=encounter, user=user, reason=data["reason"], confirmed=confirmed
    )
    return _("What the check found wrong with the paper is set aside; the decision is made again.")


def _hold(encounter, user, data, confirmed):
    on = not encounter.legal_hold
    record.legal_hold_set(encounter=encounter, user=user, on=on, reason=data["reason"])
    return _("Legal hold set.") if on else _("Legal hold lifted.")


@dataclass(frozen=True)
class Action:
    form: type[forms.Form]
    title: str
    button: str | None
    save: Callable
    roles: frozenset | None = None  # None: anyone who may write
    while_closed: bool = False


ACTIONS = {
    "officer": Action(OfficerForm, gettext_lazy("Add an officer"), gettext_lazy("Add"), _officer),
    "item": Action(ItemForm, gettext_lazy("Viewed, copied or taken"), gettext_lazy("Save"), _item),
    "receipt": Action(
        ReceiptForm, gettext_lazy("Photograph the receipt"), gettext_lazy("Save the receipt"),
        _receipt,
    ),
    "note": Action(NoteForm, gettext_lazy("Add a note"), gettext_lazy("Save"), _note),
    "decision": Action(
        DecisionForm, gettext_lazy("Record your decision"), gettext_lazy("Save my decision"),
        _decision, roles=APPROVER_ROLES,
    ),
    # Only the library's director, never a designee or the desk (issue 16).
    "override": Action(
        OverrideForm, gettext_lazy("Set aside what the check found wrong with the paper"),
        gettext_lazy("Set it aside"), _override, roles=frozenset({Role.DIRECTOR}),
    ),
    "hold": Action(
        HoldForm, gettext_lazy("Legal hold"), None, _hold, roles=HOLD_ROLES, while_closed=True
    ),
    "invite": Action(
        InviteForm, gettext_lazy("Invite counsel"), gettext_lazy("Invite"), _invite,
        roles=APPROVER_ROLES, while_closed=True,
    ),
}  # fmt: skip


def _may_write(user) -> bool:
    return user.role != Role.COUNSEL


def _refuse_if_closed(request, encounter, *, while_closed=False):
    if encounter.purged_at:
        message = _("This record has been purged under the retention schedule.")
    elif encounter.closed_at and not while_closed:
        message = _("This record is closed: nothing more can be added.")
    else:
        return None
    messages.warning(request, message)
    return redirect("desk:record", pk=encounter.pk)


@require_safe
def record_page(request, pk):
    encounter = _encounter(request, pk)
    user = request.user
    access_record(request=request, encounter=encounter, what="record")
    closing = encounter.events.filter(kind=Event.Kind.CLOSED).first()
    checkpoint = None
    if closing:
        checkpoint = (
            Checkpoint.objects.filter(library_id=encounter.library_id, seq__gte=closing.seq)
            .order_by("seq", "pk")
            .first()
        )
    return render(
        request,
        "desk/record.html",
        {
            "encounter": encounter,
            "lines": timeline.lines(encounter),
            "seized": record.seized_items(encounter),
            "writable": _may_write(user) and not encounter.closed_at and not encounter.purged_at,
            "approver": user.role in APPROVER_ROLES,
            "may_hold": user.role in HOLD_ROLES and not encounter.purged_at,
            "may_export": user.role in EXPORT_ROLES,
            "may_invite": user.role in APPROVER_ROLES and not encounter.purged_at,
            "may_close": user.role != Role.DESK or encounter.started_by_id == user.pk,
            "checkpoint": checkpoint,
        },
    )


@require_http_methods(["GET", "POST"])
def action(request, pk, name):
    encounter = _encounter(request, pk)
    if name not in ACTIONS:
        raise Http404
    spec = ACTIONS[name]
    if not _may_write(request.user) or (spec.roles and request.user.role not in spec.roles):
        raise PermissionDenied
    if refused := _refuse_if_closed(request, encounter, while_closed=spec.while_closed):
        return refused
    initial = {"agency": encounter.get_agency_display()} if name == "officer" else {}
    form = spec.form(request.POST or None, request.FILES or None, initial=initial)
    pii_field = getattr(spec.form, "pii_field", None)
    button = spec.button
    warning, status = None, 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            text = form.cleaned_data.get(pii_field, "") if pii_field else ""
            confirmed = bool(text) and request.POST.get("confirm") == confirm_token(text)
            try:
                done = spec.save(encounter, request.user, form.cleaned_data, confirmed)
            except record.PossiblePatronData as e:
                warning = {"messages": e.messages, "token": confirm_token(text)}
                status = 200
            except ValidationError as e:
                for message in e.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, done)
                return redirect("desk:record", pk=encounter.pk)
    if name == "hold":
        button = _("Lift the legal hold") if encounter.legal_hold else _("Set the legal hold")
    return render(
        request,
        "desk/record_form.html",
        {
            "encounter": encounter,
            "name": name,
            "form": form,
            "title": spec.title,
            "button": button,
            "pii_field": pii_field,
            "warning": warning,
            "multipart": name == "receipt",
        },
        status=status,
    )


@require_POST
def left(request, pk):
    encounter = _encounter(request, pk)
    if not _may_write(request.user):
        raise PermissionDenied
    if refused := _refuse_if_closed(request, encounter):
        return refused
    record.officers_left(encounter=encounter, user=request.user)
    messages.success(request, _("Recorded: the officers have left."))
    return redirect("desk:record", pk=encounter.pk)


@require_POST
def missing(request, pk, seq):
    encounter = _encounter(request, pk)
    if not _may_write(request.user):
        raise PermissionDenied
    if refused := _refuse_if_closed(request, encounter):
        return refused
    item = encounter.events.filter(kind=Event.Kind.ITEM, seq=seq).first()
    seized = [i for i in record.seized_items(encounter) if i["event"].seq == seq]
    if item is None or not seized:
        raise Http404
    if not seized[0]["missing"]:
        record.item_marked_missing(encounter=encounter, user=request.user, item=item)
    messages.success(request, _("Marked missing in the catalogue."))
    return redirect("desk:record", pk=encounter.pk)


@require_http_methods(["GET", "POST"])
def close(request, pk):
    encounter = _encounter(request, pk)
    user = request.user
    if not _may_write(user) or (user.role == Role.DESK and encounter.started_by_id != user.pk):
        raise PermissionDenied
    if refused := _refuse_if_closed(request, encounter):
        return refused
    if request.method == "POST":
        record.encounter_close(encounter=encounter, user=user)
        messages.success(
            request,
            _("The drill is closed.")
            if encounter.drill
            else _("The record is closed. A signed checkpoint goes to the director and counsel."),
        )
        return redirect("desk:record", pk=encounter.pk)
    kinds = set(encounter.events.values_list("kind", flat=True))
    return render(
        request,
        "desk/record_close.html",
        {
            "encounter": encounter,
            "not_left": Event.Kind.LEFT not in kinds,
            "unmarked": [i for i in record.seized_items(encounter) if not i["missing"]],
        },
    )


@require_http_methods(["GET", "POST"])
def export(request, pk):
    encounter = _encounter(request, pk)
    if request.user.role not in EXPORT_ROLES:
        raise PermissionDenied
    return _export(request, encounter)


@reauthentication_required
def _export(request, encounter):
    """The whole record as one PDF: asks for the second factor again. A GET only shows what
    the export holds and the button; the export itself (which is recorded) is a POST."""
    from .export import export_pdf

    if request.method != "POST":
        return render(request, "desk/export_confirm.html", {"encounter": encounter})
    access_record(request=request, encounter=encounter, what="export")
    pdf = export_pdf(encounter=encounter, user=request.user)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"patronshield-{encounter.library.slug}-encounter-{encounter.pk}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


urlpatterns = [
    path("desk/<int:pk>/record/", record_page, name="record"),
    path("desk/<int:pk>/record/left/", left, name="record_left"),
    path("desk/<int:pk>/record/close/", close, name="record_close"),
    path("desk/<int:pk>/record/missing/<int:seq>/", missing, name="record_missing"),
    path("desk/<int:pk>/record/<slug:name>/", action, name="record_action"),
    path("desk/<int:pk>/export/", export, name="export"),
]

"""Records-request pages: the list, a new request, a request's detail with its timeline and
the form of the next step for whoever owns it. Thin: the services decide and write."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from patronshield.accounts.models import Role, User
from patronshield.desk.access import access_record
from patronshield.desk.models import Outcome
from patronshield.desk.record import PossiblePatronData
from patronshield.desk.views import visible_encounters

from . import forms, services, workflow
from .models import RecordsRequest, State
from .timeline import timeline

STEP_FORMS = {
    "advice": forms.AdviceForm,
    "decision": forms.DecisionForm,
    "release": forms.ReleaseForm,
    "release_closed": forms.EmptyForm,
    "notice": forms.NoticeForm,
    "closed_under_gag": forms.EmptyForm,
}


def _library(request):
    if request.user.library_id is None:
        raise PermissionDenied
    return request.user.library


def _request(request, pk) -> RecordsRequest:
    """A request the user may see, or 404 (another library's, or under a gag)."""
    _library(request)
    return get_object_or_404(workflow.visible(request.user), pk=pk)


def _days_left(rr: RecordsRequest) -> int | None:
    if rr.deadline is None or rr.state == State.CLOSED:
        return None
    return (rr.deadline - rr.today()).days


@require_GET
def request_list(request):
    _library(request)
    requests = list(workflow.visible(request.user).select_related("encounter"))
    for rr in requests:
        rr.days_left = _days_left(rr)
        rr.days_overdue = -rr.days_left if rr.days_left is not None else None
    return render(
        request,
        "records/list.html",
        {
            "open": [r for r in requests if r.state != State.CLOSED],
            "closed": [r for r in requests if r.state == State.CLOSED],
        },
    )


def _warned(form, error: PossiblePatronData) -> None:
    form.warned = True
    form.add_error(None, error)
    if "files" in form.fields:  # a browser does not keep chosen files across a reload
        form.fields["files"].help_text = _("Choose the files again.")


def _encounter_choices(user):
    return [
        (
            e.pk,
            f"{timezone.localtime(e.started_at):%Y-%m-%d %H:%M}"
            + (f" · {e.get_agency_display()}" if e.agency else ""),
        )
        for e in visible_encounters(user)[:30]
    ]


def _files(field_value) -> list[tuple[str, bytes]]:
    return [(f.name, f.read()) for f in field_value or []]


@require_http_methods(["GET", "POST"])
def request_new(request):
    library = _library(request)
    encounters = _encounter_choices(request.user)
    if request.method == "POST":
        form = forms.ReceiveForm(request.POST, request.FILES, encounters=encounters)
        if form.is_valid():
            data = form.cleaned_data
            encounter = None
            if data["encounter"]:
                encounter = get_object_or_404(
                    visible_encounters(request.user), pk=data["encounter"]
                )
            try:
                rr = services.records_receive(
                    user=request.user,
                    kind=data["kind"],
                    description=data["description"],
                    requester=data["requester"] or "officer",
                    agency=data["agency"],
                    officer=data["officer"],
                    reference=data["reference"],
                    asked=data["asked"],
                    received_on=data["received_on"],
                    deadline=data["deadline"],
                    nondisclosure_order=data["nondisclosure_order"],
                    nondisclosure_ends=data["nondisclosure_ends"],
                    encounter=encounter,
                    files=_files(data["files"]),
                    confirmed=data["confirmed"],
                )
            except PossiblePatronData as e:
                _warned(form, e)
            except ValidationError as e:
                form.add_error(None, e)
            else:
                if workflow.can_see(request.user, rr):
                    return redirect("records:detail", pk=rr.pk)
                messages.success(
                    request,
                    _(
                        "Recorded. It is under a nondisclosure order: only the director and "
                        "counsel can see it now. Tell no one else about it."
                    ),
                )
                return redirect("records:list")
    else:
        initial = {"received_on": timezone.localdate()}
        if (pk := request.GET.get("encounter", "")).isdigit():
            initial["encounter"] = int(pk)
        form = forms.ReceiveForm(encounters=encounters, initial=initial)
    return render(
        request,
        "records/new.html",
        {"form": form, "library": library},
        status=400 if form.is_bound else 200,
    )


def _step_form(rr, user, step):
    """The unbound form of a step, with what can be proposed."""
    today = rr.today()
    if step == "advice":
        form = forms.AdviceForm(initial={"counsel_name": rr.library.counsel_name})
    elif step == "decision":
        p = services.proposal(rr, get_language())
        form = forms.DecisionForm(
            initial={"legal_basis": p["explanation"], "citations": "\n".join(p["citations"])}
        )
    elif step == "release":
        under = " ".join(filter(None, [str(rr.get_kind_display()), rr.reference]))
        recipient = " · ".join(filter(None, [rr.officer, rr.get_agency_display()]))
        form = forms.ReleaseForm(
            initial={"under": under, "released_on": today, "recipient": recipient}
        )
    elif step == "notice":
        form = forms.NoticeForm(initial={"notified_on": today})
    else:
        form = forms.EmptyForm()
    return _fit(form, user, step)


def _fit(form, user, step):
    if step == "advice" and user.role == Role.COUNSEL:
        del form.fields["counsel_name"]  # counsel writes as themselves
    return form


def _detail(request, rr, bound=None, status=200):
    user = request.user
    steps = []
    for step in workflow.open_steps(rr):
        if not workflow.may(user, rr, step):
            continue
        form = bound[1] if bound and bound[0] == step else _step_form(rr, user, step)
        steps.append({"name": step, "label": workflow.STEPS[step].todo, "form": form})
    waiting_for = [
        workflow.STEPS[s].todo for s in workflow.open_steps(rr) if not workflow.may(user, rr, s)
    ]
    grant = None
    if user.role == Role.DIRECTOR and not rr.purged_at:
        roles = [Role.COUNSEL, Role.DESIGNEE] if rr.gagged else [Role.COUNSEL]
        people = User.objects.filter(library=rr.library, role__in=roles, is_active=True)
        granted = set(rr.granted.values_list("pk", flat=True))
        grant = {
            "form": forms.GrantForm(
                designees=[
                    (d.pk, f"{d.display_name} ({d.get_role_display()})")
                    for d in people
                    if d.pk not in granted
                ]
            ),
            "granted": rr.granted.all(),
        }
    # A step that is not open (skipped, repeated, or closed meanwhile) says why on top.
    refused = []
    if bound and bound[0] != "hold" and bound[0] not in {s["name"] for s in steps}:
        refused = [e for errors in bound[1].errors.values() for e in errors]
    proposal = None
    if any(s["name"] == "decision" for s in steps):
        proposal = services.proposal(rr, get_language())
        proposal["label"] = dict(Outcome.choices).get(proposal["outcome"])
    return render(
        request,
        "records/detail.html",
        {
            "rr": rr,
            "days_left": (days := _days_left(rr)),
            "days_overdue": -days if days is not None else None,
            "gag_in_force": rr.gag_in_force(),
            "steps": steps,
            "refused": refused,
            "waiting_for": waiting_for,
            "proposal": proposal,
            "timeline": timeline(rr),
            "items": rr.released_items.prefetch_related("files"),
            "may_hold": user.role in workflow.HOLD_ROLES and not rr.purged_at,
            "hold_form": bound[1] if bound and bound[0] == "hold" else forms.HoldForm(),
            "grant": grant,
        },
        status=status,
    )


@require_GET
def request_detail(request, pk):
    rr = _request(request, pk)
    access_record(request=request, records_request=rr, what="request")
    return _detail(request, rr)


def _run(step, rr, user, data):
    common = {"rr": rr, "user": user}
    if step == "advice":
        return services.records_advise(
            **common,
            advice=data["advice"],
            notes=data["notes"],
            counsel_name=data.get("counsel_name", ""),
            confirmed=data["confirmed"],
        )
    if step == "decision":
        return services.records_decide(
            **common,
            release=data["release"],
            legal_basis=data["legal_basis"],
            citations=data["citations"],
            confirmed=data["confirmed"],
        )
    if step == "release":
        return services.records_release(
            **common,
            what=data["what"],
            recipient=data["recipient"],
            under=data["under"],
            released_on=data["released_on"],
            files=_files(data["files"]),
            hashes=data["hashes"],
            confirmed=data["confirmed"],
        )
    if step == "release_closed":
        return services.records_release_close(**common)
    if step == "notice":
        return services.records_notice(
            **common,
            notified_on=data["notified_on"],
            method=data["method"],
            note=data["note"],
            confirmed=data["confirmed"],
        )
    return services.records_close_under_gag(**common)


@require_POST
def request_step(request, pk, step):
    rr = _request(request, pk)
    if step not in STEP_FORMS:
        raise Http404
    if not workflow.may(request.user, rr, step):
        raise PermissionDenied
    form = _fit(STEP_FORMS[step](request.POST, request.FILES), request.user, step)
    if form.is_valid():
        try:
            _run(step, rr, request.user, form.cleaned_data)
        except PossiblePatronData as e:
            _warned(form, e)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            return redirect("records:detail", pk=rr.pk)
    return _detail(request, rr, bound=(step, form), status=400)


@require_POST
def request_hold(request, pk):
    rr = _request(request, pk)
    form = forms.HoldForm(request.POST)
    on = request.POST.get("on") == "1"
    if form.is_valid():
        try:
            services.records_hold(
                rr=rr, user=request.user, on=on, reason=form.cleaned_data["reason"]
            )
        except ValidationError as e:
            form.add_error("reason", e)
        else:
            return redirect("records:detail", pk=rr.pk)
    return _detail(request, rr, bound=("hold", form), status=400)


@require_POST
def request_grant(request, pk):
    rr = _request(request, pk)
    if request.user.role != Role.DIRECTOR:
        raise PermissionDenied
    form = forms.GrantForm(
        request.POST,
        designees=User.objects.filter(library=rr.library).values_list("pk", "email"),
    )
    if not form.is_valid():
        messages.error(request, _("Choose a designee or counsel of this library."))
        return redirect("records:detail", pk=rr.pk)
    designee = User.objects.get(pk=form.cleaned_data["designee"])
    try:
        services.records_grant(
            rr=rr, user=request.user, designee=designee, on=request.POST.get("on") != "0"
        )
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect("records:detail", pk=rr.pk)


CONTENT_TYPES = {".pdf": "application/pdf", ".jpg": "image/jpeg"}


@require_GET
def request_file(request, pk, fid):
    rr = _request(request, pk)
    f = get_object_or_404(rr.files, pk=fid)
    content = services.file_content(f)
    if content is None:
        raise Http404
    access_record(request=request, records_request=rr, what="request_file")
    response = HttpResponse(
        content, content_type=CONTENT_TYPES.get(Path(f.name).suffix, "application/octet-stream")
    )
    response["Content-Disposition"] = (
        f'attachment; filename="records-{rr.pk}-{f.pk}{Path(f.name).suffix}"'
    )
    response["Cache-Control"] = "no-store"
    return response

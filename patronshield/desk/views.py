from allauth.account.decorators import reauthentication_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from patronshield.accounts.models import Role
from patronshield.libraries.policies import adopted_table
from patronshield.notifications.services import gag_withholds
from patronshield.policy import decide, defect_reasons

from . import services
from .access import access_record
from .models import GAGGED, Access, Encounter
from .result import coming, nobody_alerted, told, voice
from .steps import STEP_ORDER, STEPS, asked


def _library_or_403(request):
    if request.user.library_id is None:
        raise PermissionDenied
    return request.user.library


def _closed(request, encounter):
    from django.contrib import messages

    messages.warning(request, _("This record is closed: nothing more can be added."))
    return redirect("desk:record", pk=encounter.pk)


def visible_encounters(user):
    """Directors, designees and administrators see their library's encounters; desk staff
    see today's encounters at their branch and the ones they started. Never a drill: those
    are reached only by who runs them (`_encounter`). A visit under a gag (an NSL, a FISA
    order): only the director, who started it and counsel invited to it; to anyone else it
    does not exist."""
    qs = Encounter.objects.filter(library_id=user.library_id, drill=False).select_related(
        "library", "branch", "started_by"
    )
    if user.role == "counsel":
        return qs.filter(counsel=user)
    if user.role != "director":
        qs = qs.filter(~GAGGED | Q(started_by=user))
    if user.role == "desk":
        # One condition, not two querysets OR-ed and made distinct: the same rows, and the
        # query compiles in half the time (it runs on every desk page).
        today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        qs = qs.filter(Q(started_by=user) | Q(started_at__gte=today, branch_id=user.branch_id))
    return qs


def may_open(user, encounter) -> bool:
    """`visible_encounters`, for an encounter already in hand (a review's, a task's)."""
    return visible_encounters(user).filter(pk=encounter.pk).exists()


def _encounter(request, pk):
    _library_or_403(request)
    drill = (
        Encounter.objects.filter(
            pk=pk, library_id=request.user.library_id, drill=True, started_by=request.user
        )
        .select_related("library", "branch", "started_by")
        .first()
    )
    return drill or get_object_or_404(visible_encounters(request.user), pk=pk)


@require_safe
def home(request):
    library = _library_or_403(request)
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    visible = visible_encounters(request.user)
    recent = visible.filter(started_at__gte=today)[:10]
    context = {"library": library, "recent": recent}
    if request.user.role in (Role.DIRECTOR, Role.DESIGNEE, Role.COUNSEL):  # the live panel
        context["open_count"] = visible.filter(closed_at=None, purged_at=None).count()
    return render(request, "desk/home.html", context)


def _may_answer(request, encounter=None):
    """Counsel read; they never run the desk flow. A closed record takes no more answers."""
    if request.user.role == "counsel":
        raise PermissionDenied
    if encounter is not None and (encounter.closed_at or encounter.purged_at):
        raise RecordClosed


class RecordClosed(Exception):
    pass


def _offer_cancel(request, encounter) -> bool:
    """The "Started by mistake" button: for whoever may answer, in the first 5 minutes."""
    return request.user.role != "counsel" and services.may_cancel(encounter)


@require_POST
def start(request):
    _library_or_403(request)
    _may_answer(request)
    encounter = services.encounter_start(user=request.user, language=get_language())
    return redirect("desk:step", pk=encounter.pk, step=STEP_ORDER[0])


@require_http_methods(["GET", "POST"])
def step(request, pk, step):
    encounter = _encounter(request, pk)
    if step not in STEPS or step not in asked(encounter):
        raise Http404
    current = STEPS[step]
    error = None
    if request.method == "POST":
        try:
            _may_answer(request, encounter)
        except RecordClosed:
            return _closed(request, encounter)
        if step == "document" and services.document_locked(encounter, request.user):
            return document_refused(request, encounter)
        value = current.value(request.POST.get("answer", ""), encounter)
        if value is None:
            error = True
        else:
            encounter = services.encounter_answer(
                encounter=encounter, actor=request.user, **{current.field: value}
            )
            nxt = encounter.next_step()
            if nxt is None or request.POST.get("then") == "result":
                return redirect("desk:result", pk=encounter.pk)
            return redirect("desk:step", pk=encounter.pk, step=nxt)
    return _step_page(request, encounter, step, error=error, status=400 if error else 200)


def document_refused(request, encounter):
    """Under a gag only the director changes the document answer: the question, its answer
    kept and the reason, with 403."""
    return _step_page(request, encounter, "document", status=403)


def _step_page(request, encounter, step, *, error=None, status=200):
    current = STEPS[step]
    flow = asked(encounter)
    options = current.options(encounter)
    choices = dict(options)
    groups = [
        (heading, [(value, choices[value]) for value in values if value in choices])
        for heading, values in current.groups
    ] or [(None, options)]
    locked = step == "document" and services.document_locked(encounter, request.user)
    # A photo or PDF being read, or read and not yet confirmed: the document step offers it.
    photo_check = (
        encounter.checks.filter(method="photo", confirmed_kind="")
        .exclude(state="failed")
        .order_by("-created_at", "-pk")
        .first()
        if step == "document"
        else None
    )
    return render(
        request,
        "desk/step.html",
        {
            "encounter": encounter,
            "step": current,
            "groups": [(heading, values) for heading, values in groups if values],
            "selected": current.current(encounter),
            "position": flow.index(step) + 1,
            "total": len(flow),
            "error": error,
            "locked": services.DOCUMENT_LOCKED if locked else "",
            "back": _previous_step(encounter, flow, step),
            "then": request.GET.get("then", ""),
            "photo_check": photo_check,
            "may_cancel": _offer_cancel(request, encounter),
        },
        status=status,
    )


def _previous_step(encounter, flow, step):
    earlier = flow[: flow.index(step)]
    if earlier:
        return reverse("desk:step", args=[encounter.pk, earlier[-1]])
    return reverse("desk:home")


@require_safe
def result(request, pk):
    encounter = _encounter(request, pk)
    if (nxt := encounter.next_step()) is not None:
        return redirect("desk:step", pk=encounter.pk, step=nxt)
    access_record(request=request, encounter=encounter, what="result")
    language = get_language()
    decision = encounter.decision
    # Working in another language: the script in it, and under it the English line of the
    # same decision, to read or show to the officer.
    script_en = ""
    if language != "en":
        live = decide(
            services.scenario_for(encounter, language), adopted_table(encounter.library)
        ).as_dict()
        if live["outcome"] == decision["outcome"]:
            script_en = decision.get("staff_script", "")
            decision = live
    answers = [(STEPS[name], STEPS[name].current(encounter)) for name in asked(encounter)]
    answers = [(s, dict(s.choices).get(v, v)) for s, v in answers]
    return render(
        request,
        "desk/result.html",
        {
            "encounter": encounter,
            "decision": decision,
            "script_en": script_en if decision.get("language") != "en" else "",
            "answers": answers,
            "voice": voice(encounter, decision),
            # What the document check found wrong with the paper; the director alone may
            # set it aside (record_views' `override`).
            "paper_reasons": defect_reasons(
                encounter.document_defects, encounter.document, language or "en"
            ),
            "may_override": request.user.role == Role.DIRECTOR and not encounter.closed_at,
            "may_cancel": _offer_cancel(request, encounter),
            # "I'm on it" here too, for the director or a designee reading the desk's page.
            "may_ack": request.user.role in (Role.DIRECTOR, Role.DESIGNEE),
            **status_context(encounter),
        },
    )


@require_http_methods(["GET", "POST"])
def cancel(request, pk):
    """ "Started by mistake": within 5 minutes, with a reason (`services.encounter_cancel`)."""
    from django.contrib import messages
    from django.core.exceptions import ValidationError

    from .pii import confirm_token
    from .record import PossiblePatronData

    encounter = _encounter(request, pk)
    try:
        _may_answer(request, encounter)
    except RecordClosed:
        return _closed(request, encounter)
    reason = request.POST.get("reason", "")
    errors, warning, status = [], None, 200
    if request.method == "POST":
        confirmed = bool(reason.strip()) and request.POST.get("confirm") == confirm_token(reason)
        try:
            services.encounter_cancel(
                encounter=encounter, user=request.user, reason=reason, confirmed=confirmed
            )
        except PossiblePatronData as e:
            warning = {"messages": e.messages, "token": confirm_token(reason)}
        except ValidationError as e:
            errors, status = e.messages, 400
        else:
            messages.success(
                request, _("Cancelled. Everyone already alerted is told it was a mistake.")
            )
            return redirect("desk:record", pk=encounter.pk)
    elif not services.may_cancel(encounter):
        errors, status = [_("More than 5 minutes have passed: it can no longer be cancelled.")], 400
    return render(
        request,
        "desk/cancel.html",
        {"encounter": encounter, "reason": reason, "errors": errors, "warning": warning},
        status=status,
    )


def status_context(encounter):
    """The live escalation status: each person, their channels, delivered or not."""
    lines = []
    by_contact = {}
    for n in encounter.notifications.select_related("contact").order_by("created_at", "pk"):
        by_contact.setdefault(n.contact, []).append(n)
    for contact, notes in by_contact.items():
        first = timezone.localtime(notes[0].created_at).strftime("%H:%M")
        sent = [n for n in notes if n.status == "sent"]
        failed = [n for n in notes if n.status in ("failed", "pending") and n.last_error]
        if sent:
            state = "sent"
            when = timezone.localtime(sent[0].sent_at).strftime("%H:%M")
            text = _("%(role)s %(name)s: alerted %(first)s, delivered %(when)s") % {
                "role": contact.get_role_display(),
                "name": contact.name,
                "first": first,
                "when": when,
            }
        elif all(n.status == "cancel" for n in notes):
            state = "withheld"
            text = _("%(role)s %(name)s: not told (cancelled before it was sent)") % {
                "role": contact.get_role_display(),
                "name": contact.name,
            }
        elif all(n.status == "withheld" for n in notes) or gag_withholds(encounter, contact):
            # Under a gag a message not sent yet never will be (`deliver` withholds it).
            state = "withheld"
            text = _("%(role)s %(name)s: not told (nondisclosure)") % {
                "role": contact.get_role_display(),
                "name": contact.name,
            }
        elif failed:
            state = "failed"
            text = _("%(role)s %(name)s: not delivered yet (%(error)s), retrying") % {
                "role": contact.get_role_display(),
                "name": contact.name,
                "error": failed[0].last_error[:80],
            }
        else:
            state = "pending"
            text = _("%(role)s %(name)s: alert queued %(first)s") % {
                "role": contact.get_role_display(),
                "name": contact.name,
                "first": first,
            }
        lines.append({"state": state, "text": text})
    pending_failures = any(line["state"] == "failed" for line in lines)
    return {
        # The top of the desk's page: the director's messages, then who is coming.
        "coming": coming(encounter),
        "told": told(encounter),
        "status": lines,
        "pending_failures": pending_failures,
        "nobody_alerted": nobody_alerted(encounter),
    }


@require_safe
def status(request, pk):
    encounter = _encounter(request, pk)
    alerts = voice(encounter, encounter.decision or {"outcome": encounter.outcome})["alerts"]
    return render(
        request,
        "desk/_live.html",
        {"encounter": encounter, "alerts": alerts, **status_context(encounter)},
    )


@require_safe
def access_log(request):
    """Who opened which encounter, newest first: for the director only, after proving the
    second factor again."""
    library = _library_or_403(request)
    if request.user.role != "director":
        raise PermissionDenied
    return _access_log(request, library)


@reauthentication_required
def _access_log(request, library):
    entries = (
        Access.objects.filter(library=library)
        .exclude(encounter__drill=True)
        .select_related("user", "encounter")
        .order_by("-at")[:500]
    )
    return render(request, "desk/access_log.html", {"entries": entries})

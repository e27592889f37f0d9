"""The after-action pages. Reviews: the director and the designees of the library (a visit
under a gag: only those who may open the visit, `desk.views.may_open`). A check-in: the
person it is for, and nobody else, whatever their role (anyone else gets 404). Tasks: their
owner marks them done.
Writes are `services`; a possible patron's name or number is a warning with "Save anyway"."""

import datetime as dt
import zoneinfo

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from patronshield.accounts.models import Role
from patronshield.desk.pii import confirm_token
from patronshield.desk.record import PossiblePatronData
from patronshield.desk.views import may_open, visible_encounters

from . import forms, services
from .models import CheckIn, Review, Task


def _staff(request):
    if request.user.library_id is None:
        raise PermissionDenied
    return request.user


def _review(request, pk) -> Review:
    user = _staff(request)
    if not services.is_reviewer(user, user.library_id):
        raise PermissionDenied
    review = get_object_or_404(
        Review.objects.select_related("encounter", "library"), pk=pk, library_id=user.library_id
    )
    if not may_open(user, review.encounter):
        raise Http404  # a visit under a gag: the director, who started it, counsel invited
    return review


def _save(request, form, save):
    """Validate, save through `save(data, confirmed)`; a possible patron's name is a warning
    (the text kept) until the person confirms that exact text. (done, warning)."""
    if not form.is_valid():
        return False, None
    fields = getattr(form, "pii_fields", ())
    token = confirm_token(*(form.cleaned_data.get(f, "") for f in fields))
    confirmed = bool(fields) and request.POST.get("confirm") == token
    try:
        save(form.cleaned_data, confirmed)
    except PossiblePatronData as e:
        return False, {"messages": e.messages, "token": token}
    except ValidationError as e:
        for message in e.messages:
            form.add_error(None, message)
        return False, None
    return True, None


def _form_page(request, review, form, *, title, button, lead="", status=200, warning=None):
    return render(
        request,
        "aftercare/form.html",
        {
            "review": review,
            "form": form,
            "title": title,
            "button": button,
            "lead": lead,
            "warning": warning,
        },
        status=status,
    )


@require_safe
def home(request):
    user = _staff(request)
    reviewer = services.is_reviewer(user, user.library_id)
    checkins = (
        CheckIn.objects.filter(user=user)
        .select_related("review__encounter")
        .order_by("-review__encounter__started_at")
    )
    fresh = timezone.now() - services.CHECKIN_FRESH
    reviews = []
    if reviewer:
        reviews = (
            Review.objects.filter(encounter__in=visible_encounters(user))
            .select_related("encounter")
            .order_by("-encounter__started_at")
        )
    return render(
        request,
        "aftercare/home.html",
        {
            # Newest first; those of visits closed more than CHECKIN_FRESH ago folded away.
            "checkins": [c for c in checkins if c.review.encounter.closed_at >= fresh],
            "earlier": [c for c in checkins if c.review.encounter.closed_at < fresh],
            "tasks": Task.objects.filter(owner=user, done_at=None).select_related("review"),
            "reviewer": reviewer,
            "reviews": reviews,
            # The director edits the policy's draft and sees who is current; others read.
            "policy_url": reverse("policy:show"),
            "training_url": reverse(
                "training:team" if user.role in (Role.DIRECTOR, Role.ADMIN) else "training:home"
            ),
        },
    )


@require_safe
def review_page(request, pk):
    review = _review(request, pk)
    statements = {s.language: s for s in review.statements.all()}
    return render(
        request,
        "aftercare/review.html",
        {
            "review": review,
            "encounter": review.encounter,
            "tasks": review.tasks.select_related("owner"),
            "checkins": review.checkins.select_related("user").order_by("pk"),
            "statements": [
                (code, forms.LANGUAGE_NAMES.get(code, code), statements.get(code))
                for code in services.statement_languages(review.library)
            ],
            "published": any(s.published for s in statements.values()),
            # The director edits the policy's draft and sees who is current; others read.
            "policy_url": reverse("policy:show"),
            "training_url": reverse(
                "training:team"
                if request.user.role in (Role.DIRECTOR, Role.ADMIN)
                else "training:home"
            ),
            "programmes": services.PROGRAMMES,
        },
    )


@require_http_methods(["GET", "POST"])
def debrief(request, pk):
    review = _review(request, pk)
    initial = {
        f: getattr(review, f)
        for f in ("went_well", "went_badly", "policy_followed", "policy_step", "to_change",
                  "review_policy", "review_training")
    }  # fmt: skip
    form = forms.DebriefForm(request.POST or None, initial=initial)
    warning, status = None, 200
    if request.method == "POST":
        complete = "complete" in request.POST

        def save(data, confirmed):
            services.debrief_save(
                review=review, user=request.user, complete=complete, confirmed=confirmed, **data
            )

        done, warning = _save(request, form, save)
        if done:
            messages.success(
                request, _("The review is complete.") if complete else _("Review saved.")
            )
            return redirect("aftercare:review", pk=review.pk)
        status = 200 if warning else 400
    return render(
        request,
        "aftercare/debrief.html",
        {"review": review, "form": form, "warning": warning},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def task_add(request, pk):
    review = _review(request, pk)
    due = services.library_today(review.library) + dt.timedelta(days=14)
    owners = services.task_owners(review.library_id)
    form = forms.TaskForm(request.POST or None, owners=owners, initial={"due": due})
    warning, status = None, 200
    if request.method == "POST":

        def save(data, confirmed):
            services.task_add(review=review, user=request.user, confirmed=confirmed, **data)

        done, warning = _save(request, form, save)
        if done:
            messages.success(request, _("Task added. Its owner is reminded by e-mail."))
            return redirect("aftercare:review", pk=review.pk)
        status = 200 if warning else 400
    return _form_page(
        request, review, form, title=_("Add a follow-up task"), button=_("Add the task"),
        lead=_("The owner gets an e-mail two days before the due date and on it."),
        status=status, warning=warning,
    )  # fmt: skip


@require_POST
def task_done(request, tid):
    user = _staff(request)
    task = get_object_or_404(
        Task.objects.select_related("review__encounter"), pk=tid, review__library_id=user.library_id
    )
    if not services.may_mark_done(task, user):
        raise Http404
    if task.owner_id != user.pk and not may_open(user, task.review.encounter):
        raise Http404
    services.task_done(task=task, user=user)
    messages.success(request, _("Marked done."))
    if services.is_reviewer(user, user.library_id) and request.POST.get("next") == "review":
        return redirect("aftercare:review", pk=task.review_id)
    return redirect("aftercare:home")


@require_http_methods(["GET", "POST"])
def present(request, pk):
    review = _review(request, pk)
    people = services.task_owners(review.library_id).exclude(
        pk__in=review.checkins.values_list("user_id", flat=True)
    )
    form = forms.PresentForm(request.POST or None, people=people)
    status = 200
    if request.method == "POST":

        def save(data, confirmed):
            services.checkin_add(review=review, user=request.user, person=data["person"])

        done, _warning = _save(request, form, save)
        if done:
            messages.success(request, _("A private check-in is offered to them."))
            return redirect("aftercare:review", pk=review.pk)
        status = 400
    return _form_page(
        request, review, form, title=_("Someone else who was there"),
        button=_("Offer a check-in"), status=status,
    )  # fmt: skip


def _own_checkin(request, cid) -> CheckIn:
    """The person's own check-in, or 404: nobody else learns even that it exists."""
    user = _staff(request)
    return get_object_or_404(
        CheckIn.objects.select_related("review__library", "review__encounter"), pk=cid, user=user
    )


@require_http_methods(["GET", "POST"])
def checkin(request, cid):
    item = _own_checkin(request, cid)
    answers = services.checkin_read(item, request.user)
    initial = {k: answers.get(k) for k in ("feeling", "how", "referrals")}
    form = forms.CheckInForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            services.checkin_answer(checkin=item, user=request.user, **form.cleaned_data)
            messages.success(request, _("Thank you. Only you can read what you wrote."))
            return redirect("aftercare:checkin", cid=item.pk)
        status = 400
    zone = zoneinfo.ZoneInfo(item.review.library.time_zone)
    return render(
        request,
        "aftercare/checkin.html",
        {
            "checkin": item,
            "form": form,
            "day": timezone.localtime(item.review.encounter.started_at, zone),
            "referrals": services.referrals_for(item.review.library),
            "wanted": answers.get("referrals", []),
            "kinds": dict(forms.SupportContact.Kind.choices),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def community(request, pk):
    review = _review(request, pk)
    initial = {"seen": review.impact_seen, "rumours": review.impact_rumours,
               "groups": review.impact_groups}  # fmt: skip
    form = forms.ImpactForm(request.POST or None, initial=initial)
    warning, status = None, 200
    if request.method == "POST":

        def save(data, confirmed):
            services.impact_save(review=review, user=request.user, confirmed=confirmed, **data)

        done, warning = _save(request, form, save)
        if done:
            messages.success(request, _("Impact note saved."))
            return redirect("aftercare:review", pk=review.pk)
        status = 200 if warning else 400
    return _form_page(
        request, review, form, title=_("Impact on the community"), button=_("Save"),
        lead=_("For the library's own planning: not published."), status=status, warning=warning,
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def statement(request, pk):
    review = _review(request, pk)
    languages = services.statement_languages(review.library)
    existing = {s.language: s for s in review.statements.all()}
    initial = {
        f"text_{code}": existing[code].text
        if code in existing and existing[code].text
        else services.statement_draft(review.encounter, code)
        for code in languages
    }
    form = forms.StatementForm(request.POST or None, languages=languages, initial=initial)
    warning, status = None, 200
    if request.method == "POST" and not review.encounter.gagged:
        if request.POST.get("withdraw"):
            services.statement_withdraw(review=review, user=request.user)
            messages.success(request, _("The statement is no longer on the public site."))
            return redirect("aftercare:review", pk=review.pk)

        def save(data, confirmed):
            services.statement_approve(
                review=review, user=request.user, texts=form.texts(), confirmed=confirmed
            )

        done, warning = _save(request, form, save)
        if done:
            messages.success(request, _("Approved: the statement is on the public site."))
            return redirect("aftercare:review", pk=review.pk)
        status = 200 if warning else 400
    return render(
        request,
        "aftercare/statement.html",
        {
            "review": review,
            "form": form,
            "warning": warning,
            "gagged": review.encounter.gagged,
            "published": any(s.published for s in existing.values()),
            "public_url": reverse("statements:list"),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def programme(request, pk, kind):
    review = _review(request, pk)
    if kind not in services.PROGRAMMES:
        raise Http404
    spec = services.PROGRAMMES[kind]
    library = review.library
    day = services.library_today(library) + dt.timedelta(days=21)
    names = [forms.LANGUAGE_NAMES.get(c, c) for c in services.statement_languages(library)]
    initial = {
        "title": spec["title"], "description": spec["description"], "date": day,
        "time": dt.time(18, 0), "minutes": 90, "location": library.address,
        "languages": ", ".join(names),
    }  # fmt: skip
    form = forms.ProgrammeForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":

        def save(data, confirmed):
            zone = zoneinfo.ZoneInfo(library.time_zone)
            starts = dt.datetime.combine(data.pop("date"), data.pop("time"), tzinfo=zone)
            services.programme_add(
                review=review, user=request.user, programme=kind, starts_at=starts, **data
            )

        done, _warning = _save(request, form, save)
        if done:
            messages.success(request, _("Added to the library's public events calendar."))
            return redirect("aftercare:review", pk=review.pk)
        status = 400
    return _form_page(
        request, review, form, title=spec["title"], button=_("Add to the events calendar"),
        lead=_("Published on the public events page and its calendar feed as soon as you add "
               "it. Check the date and the partner first."),
        status=status,
    )  # fmt: skip

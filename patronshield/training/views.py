"""My training, a module and its questions, a drill's start, finish and results, and the
director's view of who is current. Thin: the writes are `services`, the content `modules`
and `scenarios`."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_safe

from patronshield.accounts.models import Role
from patronshield.desk.models import Outcome
from patronshield.desk.steps import STEP_ORDER, STEPS
from patronshield.libraries.policies import adopted_table
from patronshield.policy import decide, vocab

from . import modules, schedule, services
from .models import Attempt
from .scenarios import drills

TEAM_ROLES = frozenset({Role.DIRECTOR, Role.ADMIN})


def _language():
    lang = get_language() or "en"
    return vocab.language_or_default(lang)


def _trainee(request):
    user = request.user
    if user.library_id is None or user.role not in schedule.TRAINEE_ROLES:
        raise PermissionDenied
    return user


@require_safe
def home(request):
    user = _trainee(request)
    st = schedule.status(user)
    attempts = list(Attempt.objects.filter(user=user, finished_at__isnull=False)[:200])
    best = {}
    for a in attempts:
        best.setdefault((a.kind, a.key), a)  # newest first
    titles = modules.titles()
    module_rows = [
        {"slug": slug, "title": titles[slug], "last": best.get(("module", slug)),
         "done": slug in st["modules_done"]}
        for slug in modules.ORDER
    ]  # fmt: skip
    lang = _language()
    drill_rows = [
        {"id": d.id, "title": d.text("title", lang), "last": best.get(("drill", d.id))}
        for d in drills().values()
    ]
    return render(
        request,
        "training/home.html",
        {"status": st, "modules": module_rows, "drills": drill_rows,
         "required_drills": schedule.REQUIRED_DRILLS},
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def module_page(request, slug):
    user = _trainee(request)
    if slug not in modules.ORDER:
        raise Http404
    lang = _language()
    m = modules.module(user.library, slug, lang)
    results, attempt, status = None, None, 200
    if request.method == "POST":
        answers = {q.id: request.POST.get(q.id, "") for q in m.questions}
        attempt, results = services.module_submit(
            user=user, slug=slug, answers=answers, language=lang
        )
        status = 200
    return render(
        request,
        "training/module.html",
        {"module": m, "results": results, "attempt": attempt,
         "position": modules.ORDER.index(slug) + 1, "count": len(modules.ORDER)},
        status=status,
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def drill_page(request, scenario):
    user = _trainee(request)
    drill = drills().get(scenario)
    if drill is None:
        raise Http404
    if request.method == "POST":
        attempt = services.drill_start(user=user, scenario_id=drill.id, language=_language())
        return redirect("desk:step", pk=attempt.encounter_id, step=STEP_ORDER[0])
    lang = _language()
    last = Attempt.objects.filter(user=user, kind=Attempt.Kind.DRILL, key=drill.id).first()
    return render(
        request,
        "training/drill.html",
        {"drill": drill, "title": drill.text("title", lang),
         "narrative": drill.text("narrative", lang), "last": last},
    )  # fmt: skip


def _own_attempt(request, pk):
    user = _trainee(request)
    return get_object_or_404(Attempt, pk=pk, user=user, kind=Attempt.Kind.DRILL)


@require_http_methods(["GET", "POST"])
def drill_finish(request, pk):
    attempt = _own_attempt(request, pk)
    if attempt.finished_at:
        return redirect("training:drill_result", pk=attempt.pk)
    drill = drills()[attempt.key]
    lang = _language()
    conduct = None
    if drill.conduct:
        conduct = {
            "prompt": drill.text_of(drill.conduct.prompt, lang),
            "options": [(o["id"], o.get(lang) or o["en"]) for o in drill.conduct.options],
        }
    if request.method == "POST":
        services.drill_finish(
            attempt=attempt, user=request.user, conduct=request.POST.get("conduct", "")
        )
        return redirect("training:drill_result", pk=attempt.pk)
    return render(
        request,
        "training/drill_finish.html",
        {"attempt": attempt, "conduct": conduct, "encounter": attempt.encounter, "finishing": True,
         "unfinished": attempt.encounter.next_step()},
    )  # fmt: skip


def _label(step, value):
    if value in ("", None):
        return None
    if isinstance(value, bool):
        value = "yes" if value else "no"
    return dict(STEPS[step].choices).get(value, value)


@require_safe
def drill_result(request, pk):
    user = _trainee(request)
    qs = Attempt.objects.filter(kind=Attempt.Kind.DRILL, library_id=user.library_id)
    if user.role not in TEAM_ROLES:
        qs = qs.filter(user=user)
    attempt = get_object_or_404(qs, pk=pk)
    if not attempt.finished_at:
        if attempt.user_id != user.pk:
            raise Http404
        return redirect("training:drill_finish", pk=attempt.pk)
    lang = _language()
    drill = drills()[attempt.key]
    decision = decide(drill.scenario(user.library.state, lang), adopted_table(user.library))
    outcomes = dict(Outcome.choices)
    rows = [
        {"question": STEPS[a["step"]].question, "given": _label(a["step"], a["given"]),
         "expected": _label(a["step"], a["expected"]), "right": a["right"]}
        for a in attempt.detail.get("answers", [])
    ]  # fmt: skip
    out = attempt.detail.get("outcome", {})
    conduct = attempt.detail.get("conduct")
    if conduct and drill.conduct:
        options = {o["id"]: o.get(lang) or o["en"] for o in drill.conduct.options}
        conduct = {**conduct, "prompt": drill.text_of(drill.conduct.prompt, lang),
                   "given_label": options.get(conduct["given"]),
                   "expected_label": options[conduct["expected"]],
                   "why": drill.text_of(drill.conduct.why, lang)}  # fmt: skip
    return render(
        request,
        "training/drill_result.html",
        {"attempt": attempt, "drill": drill, "lang": lang, "rows": rows, "decision": decision,
         "outcome": {**out, "given_label": outcomes.get(out.get("given")),
                     "expected_label": outcomes.get(out.get("expected"))},
         "conduct": conduct},
    )  # fmt: skip


@require_safe
def team(request):
    user = _trainee(request)
    if user.role not in TEAM_ROLES:
        raise PermissionDenied
    now = timezone.now()
    library = user.library
    branches = {b.pk: {"branch": b, "people": []} for b in library.branches.order_by("name")}
    none = {"branch": None, "people": []}
    counts = {"current": 0, "due": 0, "overdue": 0}
    for person in (
        schedule.trainees(library)
        .select_related("branch")
        .order_by("last_name", "first_name", "email")
    ):
        st = schedule.status(person, now)
        counts[st["state"]] += 1
        last = Attempt.objects.filter(user=person, finished_at__isnull=False).first()
        branches.get(person.branch_id, none)["people"].append(
            {"person": person, "status": st, "last": last,
             "drill": Attempt.objects.filter(user=person, kind="drill",
                                             finished_at__isnull=False).first()}
        )  # fmt: skip
    groups = [g for g in [*branches.values(), none] if g["people"]]
    return render(
        request,
        "training/team.html",
        {"groups": groups, "counts": counts, "module_count": len(modules.ORDER)},
    )

"""Who owes which training by when, and the reminders.

Everyone who works the desk trains: desk staff (volunteers included), designees, the
director and administrators (not counsel). A newcomer's first round is due 30 days after
their account is made; a completed round (every module passed and one drill done since the
round began) sets the yearly refresher, due a year later; each policy version the board
adopts starts a new round for everyone, due 30 days later (what was passed before was about
the old policy). A reminder goes by e-mail 14 days before the due date, once per due date.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from patronshield.accounts.models import Role
from patronshield.policy import vocab

from .models import Assignment, Attempt

TRAINEE_ROLES = (Role.DESK, Role.DESIGNEE, Role.DIRECTOR, Role.ADMIN)
NEW_STAFF_DAYS = 30
REFRESHER_DAYS = 365
POLICY_CHANGE_DAYS = 30
REMIND_DAYS_BEFORE = 14
REQUIRED_DRILLS = 1


def trainees(library):
    return library.staff.filter(is_active=True, role__in=TRAINEE_ROLES)


def _today(now):
    return timezone.localdate(now)


def assignment_for(user, now=None) -> Assignment:
    """The round in force for `user`, made on first need (a newcomer's first round)."""
    now = now or timezone.now()
    current = user.training_assignments.order_by("-assigned_at", "-pk").first()
    if current is None:
        start = min(user.date_joined, now)
        current = Assignment.objects.create(
            user=user,
            assigned_at=start,
            due_on=_today(start) + timedelta(days=NEW_STAFF_DAYS),
            reason=Assignment.Reason.NEW,
        )
    return current


def progress(user, assignment: Assignment) -> dict:
    """What counts toward the round: modules passed and drills finished since it began."""
    since = Attempt.objects.filter(user=user, finished_at__gte=assignment.assigned_at)
    return {
        "modules": set(
            since.filter(kind=Attempt.Kind.MODULE, passed=True).values_list("key", flat=True)
        ),
        "drills": since.filter(kind=Attempt.Kind.DRILL).count(),
    }


def status(user, now=None) -> dict:
    """current (trained, refresher not yet due), due (training to do, in time), overdue."""
    from .modules import ORDER

    now = now or timezone.now()
    a = assignment_for(user, now)
    done = progress(user, a)
    if _today(now) > a.due_on:
        state = "overdue"
    elif a.reason == Assignment.Reason.REFRESHER:
        state = "current"
    else:
        state = "due"
    completed = (
        user.training_assignments.filter(completed_at__isnull=False)
        .order_by("-completed_at")
        .values_list("completed_at", flat=True)
        .first()
    )
    return {
        "assignment": a,
        "state": state,
        "completed_at": completed,
        "modules_done": [m for m in ORDER if m in done["modules"]],
        "modules_left": [m for m in ORDER if m not in done["modules"]],
        "drills_done": done["drills"],
        "drills_left": max(0, REQUIRED_DRILLS - done["drills"]),
    }


@transaction.atomic
def round_check(user, now=None) -> Assignment | None:
    """After each attempt: when the round is complete, close it and set the refresher."""
    from .modules import ORDER

    now = now or timezone.now()
    a = Assignment.objects.select_for_update().get(pk=assignment_for(user, now).pk)
    if a.completed_at:
        return None
    done = progress(user, a)
    if set(ORDER) - done["modules"] or done["drills"] < REQUIRED_DRILLS:
        return None
    a.completed_at = now
    a.save(update_fields=["completed_at"])
    return Assignment.objects.create(
        user=user,
        assigned_at=now,
        due_on=_today(now) + timedelta(days=REFRESHER_DAYS),
        reason=Assignment.Reason.REFRESHER,
    )


def policy_changed(*, library, version: str = "", now=None) -> int:
    """A new policy version is adopted: everyone trains again on it, within 30 days (once
    per version)."""
    now = now or timezone.now()
    due = _today(now) + timedelta(days=POLICY_CHANGE_DAYS)
    made = 0
    with transaction.atomic():
        for user in trainees(library):
            if (
                version
                and Assignment.objects.filter(
                    user=user, reason=Assignment.Reason.POLICY, policy_version=str(version)[:40]
                ).exists()
            ):
                continue  # this version's round is set already (a signal sent twice)
            Assignment.objects.create(
                user=user,
                assigned_at=now,
                due_on=due,
                reason=Assignment.Reason.POLICY,
                policy_version=str(version)[:40],
            )
            made += 1
    return made


def on_policy_adopted(sender, library, version=None, **kwargs):
    number = getattr(version, "number", None) or getattr(version, "version", None) or version
    policy_changed(library=library, version=str(number or ""))


def reminder_message(user, a: Assignment, left: dict) -> EmailMessage:
    from .modules import titles

    with override(vocab.language_or_default(user.language)):
        names = titles()
        todo = [f"- {names[m]}" for m in left["modules_left"]]
        if left["drills_left"]:
            todo.append("- " + _("one scenario drill"))
        body = "\n".join(
            [
                _("Hello %(name)s,") % {"name": user.display_name},
                "",
                _("Your training on the library's law-enforcement policy is due on %(date)s.")
                % {"date": a.due_on.isoformat()},
                _("Still to do:"),
                *todo,
                "",
                _("Open “My training”: %(url)s") % {"url": f"{settings.SITE_URL}/training/"},
            ]
        )
        subject = _("Training due on %(date)s: %(library)s") % {
            "date": a.due_on.isoformat(),
            "library": user.library.name,
        }
    return EmailMessage(
        subject=subject,
        body=body + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={"Message-ID": f"<training-{a.pk}-{a.due_on:%Y%m%d}@patronshield>"},
    )


def reminders_send(now=None) -> list[str]:
    """From `patronshield daily`: a reminder to each trainee whose round is due within 14
    days and not done, once per due date (claimed before sending; released if the mail
    fails, so the next run tries again)."""
    from patronshield.libraries.models import Library

    now = now or timezone.now()
    today = _today(now)
    lines = []
    for library in Library.objects.order_by("pk"):
        sent = 0
        for user in trainees(library).exclude(email=""):
            a = assignment_for(user, now)
            if a.completed_at or a.due_on > today + timedelta(days=REMIND_DAYS_BEFORE):
                continue
            left = status(user, now)
            if not left["modules_left"] and not left["drills_left"]:
                continue
            claimed = (
                Assignment.objects.filter(pk=a.pk)
                .exclude(reminded_for=a.due_on)
                .update(reminded_for=a.due_on)
            )
            if not claimed:
                continue
            try:
                reminder_message(user, a, left).send()
            except Exception:  # refused connections, timeouts: the next run tries again
                Assignment.objects.filter(pk=a.pk).update(reminded_for=a.reminded_for)
                lines.append(f"{library.slug}: training reminder to {user.email} failed")
                continue
            sent += 1
        if sent:
            lines.append(f"{library.slug}: {sent} training reminders")
    return lines

"""Every write of the after-action review goes through one of these functions: the review
opened when an encounter closes, the debrief, follow-up tasks and their reminders, the
private check-ins, the community impact note, the statement and follow-up programmes.

Free text is checked for what could identify a patron (`desk.pii`, as desk notes are) and
saved only when the caller confirms. Significant steps go on the encounter's hash chain.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import tomllib
import zoneinfo
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, override
from django.utils.translation import gettext_lazy as _

from patronshield import crypto
from patronshield.accounts.models import APPROVER_ROLES, Role
from patronshield.desk import pii
from patronshield.desk.chain import encounter_event
from patronshield.desk.models import Encounter, Event
from patronshield.desk.record import PossiblePatronData, check_text
from patronshield.policy import vocab

from .models import CheckIn, Followed, Review, Statement, SupportContact, Task

log = logging.getLogger(__name__)
HERE = Path(__file__).parent
# Roles that may be counted as present and be given a check-in or a task: the library's own
# staff (counsel and a consortium operator are not).
STAFF_ROLES = frozenset({Role.DESK, Role.DESIGNEE, Role.DIRECTOR, Role.ADMIN})
REFERRAL_KINDS = [k for k, _label in SupportContact.Kind.choices]
REMIND_DAYS_BEFORE = 2


def _zone(library) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(library.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def library_today(library, now=None) -> dt.date:
    return timezone.localdate(now or timezone.now(), timezone=_zone(library))


def is_reviewer(user, library_id: int) -> bool:
    return user.library_id == library_id and user.role in APPROVER_ROLES


def _reviewer(review: Review, user) -> None:
    if not is_reviewer(user, review.library_id):
        raise PermissionDenied


# ----------------------------------------------------------------------------- opening


def people_present(encounter: Encounter):
    """The staff member who started the encounter and every staff user of the library who
    acted on one of its events."""
    from patronshield.accounts.models import User

    ids = set(encounter.events.exclude(actor=None).values_list("actor_id", flat=True))
    if encounter.started_by_id:
        ids.add(encounter.started_by_id)
    return User.objects.filter(
        pk__in=ids, library_id=encounter.library_id, role__in=STAFF_ROLES, is_active=True
    ).order_by("pk")


# A check-in is prompted (on the desk's home, by e-mail) only for a visit closed this
# recently: asking "how are you" about a visit months ago (an imported or seeded record)
# would be noise. It can still be answered on /after/.
CHECKIN_FRESH = dt.timedelta(days=30)


def review_open(*, encounter: Encounter) -> Review | None:
    """The review of a closed encounter, opened once (never for a drill), with a check-in
    offered to each person who was there, each told that one is waiting."""
    if encounter.drill or not encounter.closed_at:
        return None
    with transaction.atomic():
        review, created = Review.objects.get_or_create(
            encounter=encounter, defaults={"library_id": encounter.library_id}
        )
        if not created:
            return review
        encounter_event(encounter, Event.Kind.REVIEW, None, step="opened", review=review.pk)
        for person in people_present(encounter):
            _checkin_offer(review, person, added_by=None)
    return review


def encounter_closed_receiver(sender, encounter, user=None, **kwargs):
    try:
        review_open(encounter=encounter)
    except Exception:  # closing the record must never fail because of the review
        log.exception("could not open the after-action review of encounter %s", encounter.pk)


def _checkin_offer(review: Review, person, added_by) -> CheckIn:
    checkin, created = CheckIn.objects.get_or_create(
        review=review, user=person, defaults={"added_by": added_by}
    )
    fresh = review.encounter.closed_at >= timezone.now() - CHECKIN_FRESH
    if created and person.email and fresh:
        from .tasks import checkin_notice

        pk = checkin.pk
        transaction.on_commit(lambda: checkin_notice.enqueue(pk))
    return checkin


def checkin_notice_send(checkin_pk: int) -> bool:
    """Tells the person a check-in waits, and nothing else: the e-mail may be read on a
    phone, over a shoulder."""
    checkin = CheckIn.objects.select_related("user", "review__library").filter(pk=checkin_pk)
    checkin = checkin.first()
    if checkin is None:  # purged meanwhile: nothing to tell
        return True
    url = f"{settings.SITE_URL}/after/checkin/{checkin.pk}/"
    library = checkin.review.library.name
    with override(_language_of(checkin.user)):
        message = EmailMessage(
            subject=gettext("A private check-in is waiting for you (%(library)s)")
            % {"library": library},
            body=gettext(
                "After the recent visit at %(library)s, a short private check-in is waiting "
                "for you: how you are, and whether you would like a referral (the employee "
                "assistance programme, counselling, support groups).\n\n"
                "Only you can read your answers. The director sees only that it was offered "
                "and whether you asked for help.\n\n"
            )
            % {"library": library}
            + f"{url}\n",
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[checkin.user.email],
            headers={"Message-ID": f"<aftercare-checkin-{checkin.pk}@patronshield>"},
        )
    try:
        message.send(using="default")
    except Exception as e:  # refused connections, timeouts, smtplib errors
        log.warning("check-in notice %s not sent: %s", checkin.pk, e)
        return False
    return True


# ----------------------------------------------------------------------------- debrief


@transaction.atomic
def debrief_save(
    *,
    review: Review,
    user,
    went_well: str = "",
    went_badly: str = "",
    policy_followed: str = "",
    policy_step: str = "",
    to_change: str = "",
    review_policy: bool = False,
    review_training: bool = False,
    complete: bool = False,
    confirmed: bool = False,
) -> Review:
    """The debrief checklist. Completing it records the step on the encounter's chain."""
    _reviewer(review, user)
    texts = [t.strip()[:4000] for t in (went_well, went_badly, to_change)]
    policy_step = policy_step.strip()[:300]
    if policy_followed not in ("", *Followed.values):
        raise ValidationError(_("Choose yes, partly or no."))
    if policy_followed in (Followed.PARTLY, Followed.NO) and not policy_step:
        raise ValidationError(_("Say which step of the policy was not followed."))
    if complete and not policy_followed:
        raise ValidationError(_("Say whether the policy was followed before completing."))
    check_text(review.encounter, *texts, policy_step, confirmed=confirmed)
    review.went_well, review.went_badly, review.to_change = texts
    review.policy_followed = policy_followed
    review.policy_step = policy_step if policy_followed in (Followed.PARTLY, Followed.NO) else ""
    review.review_policy = bool(review_policy)
    review.review_training = bool(review_training)
    first_completion = complete and not review.completed_at
    if first_completion:
        review.completed_at = timezone.now()
        review.completed_by = user
    review.save()
    if first_completion:
        encounter_event(
            review.encounter,
            Event.Kind.REVIEW,
            user,
            step="completed",
            review=review.pk,
            policy_followed=review.policy_followed,
            review_policy=review.needs_policy_review,
            review_training=review.review_training,
        )
    return review


# ------------------------------------------------------------------------------- tasks


def task_owners(library_id: int):
    from patronshield.accounts.models import User

    return User.objects.filter(
        library_id=library_id, role__in=STAFF_ROLES, is_active=True
    ).order_by("first_name", "last_name", "email")


@transaction.atomic
def task_add(*, review: Review, user, title: str, owner, due: dt.date, confirmed=False) -> Task:
    _reviewer(review, user)
    title = title.strip()[:300]
    if not title:
        raise ValidationError(_("Say what is to be done."))
    if not task_owners(review.library_id).filter(pk=owner.pk).exists():
        raise ValidationError(_("The owner must be on this library's staff."))
    if due < library_today(review.library) - dt.timedelta(days=1):
        raise ValidationError(_("The due date is in the past."))
    check_text(review.encounter, title, confirmed=confirmed)
    return Task.objects.create(review=review, title=title, owner=owner, due=due)


def may_mark_done(task: Task, user) -> bool:
    return task.owner_id == user.pk or is_reviewer(user, task.review.library_id)


@transaction.atomic
def task_done(*, task: Task, user) -> Task:
    if not may_mark_done(task, user):
        raise PermissionDenied
    if not task.done_at:
        task.done_at, task.done_by = timezone.now(), user
        task.save(update_fields=["done_at", "done_by"])
    return task


def _language_of(user) -> str:
    return vocab.language_or_default(user.language)


def _task_message(task: Task, when: str) -> EmailMessage:
    """In the owner's language."""
    fmt = {"library": task.review.library.name, "due": f"{task.due:%Y-%m-%d}"}
    url = f"{settings.SITE_URL}/after/"
    with override(_language_of(task.owner)):
        if when == "due":
            subject = gettext("Follow-up task due: %(library)s") % fmt
            lead = gettext("Due on %(due)s (today or earlier)") % fmt
        else:
            subject = gettext("Follow-up task due soon: %(library)s") % fmt
            lead = gettext("Due on %(due)s") % fmt
        body = gettext("%(lead)s, from the after-action review at %(library)s:") % {
            **fmt,
            "lead": lead,
        }
        done = gettext("Mark it done when it is done:")
    return EmailMessage(
        subject=subject,
        body=f"{body}\n\n  {task.title}\n\n{done}\n{url}\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[task.owner.email],
        headers={"Message-ID": f"<aftercare-task-{task.pk}-{when}-{task.due:%Y%m%d}@patronshield>"},
    )


def task_reminders_send(*, now=None) -> list[str]:
    """Open tasks: a reminder REMIND_DAYS_BEFORE days before the due date and one on it (or
    the first run after), each once per due date: a task whose due date moves is reminded
    again. Called by `patronshield daily`; a row is claimed before sending, and a failed
    send is released to be tried on the next run."""
    now = now or timezone.now()
    lines = []
    tasks = (
        Task.objects.filter(done_at=None)
        .exclude(owner__email="")
        .select_related("owner", "review__library")
        .order_by("pk")
    )
    for task in tasks:
        today = library_today(task.review.library, now)
        if today >= task.due:
            when, field = "due", "reminded_due"
        elif today >= task.due - dt.timedelta(days=REMIND_DAYS_BEFORE):
            when, field = "before", "reminded_before"
        else:
            continue
        if getattr(task, field) == task.due:
            continue
        claimed = (
            Task.objects.filter(pk=task.pk, due=task.due, done_at=None)
            .exclude(**{field: task.due})
            .update(**{field: task.due})
        )
        if not claimed:
            continue
        try:
            _task_message(task, when).send(using="default")
        except Exception as e:  # refused connections, timeouts, smtplib errors
            Task.objects.filter(pk=task.pk).update(**{field: getattr(task, field)})
            lines.append(f"{task.review.library.slug}: reminder for task {task.pk} failed: {e}")
            continue
        lines.append(f"{task.review.library.slug}: reminded the owner of task {task.pk} ({when})")
    return lines


# ---------------------------------------------------------------------------- check-ins


@transaction.atomic
def checkin_add(*, review: Review, user, person) -> CheckIn:
    """The director adds someone else who was there (a volunteer with a desk account)."""
    _reviewer(review, user)
    if not task_owners(review.library_id).filter(pk=person.pk).exists():
        raise ValidationError(_("Only this library's staff and volunteers can be added."))
    return _checkin_offer(review, person, added_by=user)


def _own(checkin: CheckIn, user) -> None:
    if checkin.user_id != user.pk:
        raise PermissionDenied


@transaction.atomic
def checkin_answer(
    *, checkin: CheckIn, user, feeling: str = "", how: str = "", referrals=(), note: str = ""
) -> CheckIn:
    """Only the person it is for answers; everything they write is sealed. What stays in
    clear is that they answered and whether they asked for help."""
    _own(checkin, user)
    referrals = [r for r in referrals if r in REFERRAL_KINDS]
    answers = {
        "feeling": feeling.strip()[:40],
        "how": how.strip()[:4000],
        "referrals": referrals,
        "note": note.strip()[:2000],
    }
    checkin.sealed = crypto.encrypt(json.dumps(answers).encode(), checkin.purpose)
    checkin.help_requested = bool(referrals)
    checkin.answered_at = timezone.now()
    checkin.save(update_fields=["sealed", "help_requested", "answered_at"])
    return checkin


def checkin_read(checkin: CheckIn, user) -> dict:
    """The answers, for the person they belong to and nobody else."""
    _own(checkin, user)
    if not checkin.sealed:
        return {}
    return json.loads(crypto.decrypt(checkin.sealed, checkin.purpose))


@cache
def national_referrals() -> list[dict]:
    return tomllib.loads((HERE / "referrals.toml").read_text())["contact"]


def referrals_for(library) -> dict[str, list]:
    """Where to find help, by kind: the library's own staff contacts, its public
    directory's counselling and support groups, then the national lines."""
    from patronshield.public.models import Resource

    groups = {kind: [] for kind in REFERRAL_KINDS}
    for c in library.support_contacts.all():
        groups[c.kind].append(c)
    public = {Resource.Kind.COUNSELLING: "counselling", Resource.Kind.SUPPORT: "support_group"}
    for r in library.public_resources.filter(kind__in=list(public), sample=False):
        groups[public[r.kind]].append(r)
    for c in national_referrals():
        groups[c["kind"]].append(c)
    return groups


# ---------------------------------------------------------------------------- community


@transaction.atomic
def impact_save(
    *, review: Review, user, seen: str = "", rumours: str = "", groups: str = "", confirmed=False
) -> Review:
    _reviewer(review, user)
    texts = [t.strip()[:4000] for t in (seen, rumours, groups)]
    check_text(review.encounter, *texts, confirmed=confirmed)
    review.impact_seen, review.impact_rumours, review.impact_groups = texts
    review.save(update_fields=["impact_seen", "impact_rumours", "impact_groups"])
    return review


@cache
def statement_texts() -> dict:
    return tomllib.loads((HERE / "statement.toml").read_text())


AGENCY_GROUPS = {
    "ice": "federal_immigration",
    "cbp": "federal_immigration",
    "hsi": "federal_immigration",
    "fbi": "federal",
    "us_marshals": "federal",
    "other_federal": "federal",
    "state_police": "state",
    "local_police": "local",
    "sheriff": "local",
}


def period_of(encounter: Encounter, language: str) -> str:
    """The week the encounter began in (its Monday), never the day or the time."""
    t = statement_texts()[language]
    day = timezone.localtime(encounter.started_at, _zone(encounter.library)).date()
    monday = day - dt.timedelta(days=day.weekday())
    date = t["date"].format(month=t["months"][monday.month - 1], day=monday.day, year=monday.year)
    return t["period"].format(date=date)


def _what_was_done(encounter: Encounter) -> str:
    outcome = encounter.outcome
    if outcome == "comply_after_approval":
        approval = encounter.events.filter(kind=Event.Kind.APPROVAL).order_by("-seq").first()
        if approval is None or approval.data is None:
            return "comply_pending"
        return "comply_approved" if approval.data.get("approved") else "comply_refused"
    return outcome or ""


def statement_draft(encounter: Encounter, language: str) -> str:
    """The statement in one language, from the encounter's fields only: the week, the kind
    of agency, what was asked in general terms, what the library did, and the library's
    values. Never an officer, a patron, a note or a document's words. Empty for a language
    with no template: the director writes that one."""
    texts = statement_texts()
    if language not in texts:
        return ""
    t = texts[language]
    library = encounter.library.name
    site = settings.SITE_URL
    body = t["body"].format(
        period=period_of(encounter, language),
        agency=t["agency"][AGENCY_GROUPS.get(encounter.agency, "other")],
        library=library,
        asked=t["asked"].get(encounter.request, t["asked"][""]),
        did=t["did"].get(_what_was_done(encounter), t["did"][""]),
        values=t["values"].format(library=library),
        resources=f"{site}/resources/",
        rights=f"{site}/rights/{language}/",
    )
    return t["title"].format(library=library) + "\n\n" + body


def statement_languages(library) -> list[str]:
    """The library's languages, English and Spanish at least (those have a template)."""
    languages = list(library.languages or [])
    for code in ("en", "es"):
        if code not in languages:
            languages.append(code)
    return languages


def statement_findings(encounter: Encounter, text: str) -> list[pii.Finding]:
    """What in a statement could identify someone: what `pii` finds, and any officer's
    name or badge number recorded on the encounter (the record may name officers, a
    statement to the public never does)."""
    found = pii.findings(text, encounter.library.card_number_pattern)
    lowered = text.lower()
    for e in encounter.events.filter(kind=Event.Kind.OFFICER):
        for key in ("name", "badge"):
            value = ((e.data or {}).get(key) or "").strip()
            parts = [value] + [w for w in value.replace(".", " ").split() if len(w) > 2]
            for part in parts:
                if key == "name" and part.lower() in pii.OFFICER_TITLES:
                    continue
                if part and part.lower() in lowered:
                    f = pii.Finding("name", part)
                    if f not in found:
                        found.append(f)
                    break
    return found


@transaction.atomic
def statement_approve(
    *, review: Review, user, texts: dict[str, str], confirmed: bool = False
) -> list[Statement]:
    """The director's (or a designee's) edited statement, approved and published in every
    language it is written in. Refused under a nondisclosure order."""
    _reviewer(review, user)
    encounter = review.encounter
    if encounter.gagged:
        raise ValidationError(
            _("A nondisclosure order applies to this visit: no statement can be published.")
        )
    texts = {lang: (t or "").strip()[:6000] for lang, t in texts.items()}
    texts = {lang: t for lang, t in texts.items() if lang in statement_languages(review.library)}
    if not any(texts.values()):
        raise ValidationError(_("Write the statement in at least one language."))
    if not confirmed:
        found = [f for t in texts.values() if t for f in statement_findings(encounter, t)]
        if found:
            raise PossiblePatronData(found)
    now = timezone.now()
    saved = []
    for lang, text in texts.items():
        statement, _created = Statement.objects.update_or_create(
            review=review,
            language=lang,
            defaults={
                "text": text,
                "published": bool(text),
                "approved_at": now if text else None,
                "approved_by": user if text else None,
                "period": period_of(encounter, lang) if lang in statement_texts() else "",
            },
        )
        saved.append(statement)
    encounter_event(
        encounter,
        Event.Kind.REVIEW,
        user,
        step="statement_published",
        review=review.pk,
        languages=sorted(lang for lang, t in texts.items() if t),
    )
    return saved


@transaction.atomic
def statement_withdraw(*, review: Review, user) -> int:
    _reviewer(review, user)
    n = review.statements.filter(published=True).update(published=False)
    if n:
        encounter_event(
            review.encounter, Event.Kind.REVIEW, user, step="statement_withdrawn", review=review.pk
        )
    return n


PROGRAMMES = {
    "rights": {
        "kind": "workshop",
        "title": _("Know Your Rights: a free information session"),
        "description": _(
            "What everyone in the United States may do and say when approached by "
            "immigration or police officers, with a partner organisation. Free, open to all, "
            "no registration, nobody's name taken."
        ),
    },
    "clinic": {
        "kind": "legal_clinic",
        "title": _("Free legal clinic"),
        "description": _(
            "Free, confidential advice from immigration lawyers and accredited "
            "representatives. Bring any papers you have. No appointment needed."
        ),
    },
}


@transaction.atomic
def programme_add(
    *,
    review: Review,
    user,
    programme: str,
    title: str,
    description: str,
    starts_at: dt.datetime,
    minutes: int,
    location: str = "",
    partner: str = "",
    languages: str = "",
):
    """A follow-up programme on the library's public events calendar, in one step."""
    from patronshield.public.models import Event as PublicEvent

    _reviewer(review, user)
    if programme not in PROGRAMMES:
        raise ValidationError(_("Unknown programme."))
    if starts_at <= timezone.now():
        raise ValidationError(_("The programme must start in the future."))
    event = PublicEvent(
        library=review.library,
        kind=PROGRAMMES[programme]["kind"],
        title=title.strip()[:200],
        description=description.strip(),
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=max(15, minutes)),
        location=location.strip()[:300],
        partner=partner.strip()[:200],
        languages=languages.strip()[:200],
    )
    event.full_clean()
    event.save()
    return event

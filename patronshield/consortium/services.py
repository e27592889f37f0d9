"""The consortium's early warning. When a visit by an immigration or other federal agency
closes at a library that shares, the other member libraries that receive warnings are
told, by e-mail to their director, the date and, in general terms, what was asked: never
the time, the branch, an officer, a patron or a note, and the library's name only if it
chose to say it. Never while the visit is open, never for a drill, a visit started by
mistake or one under a gag (a National Security Letter, a FISA order).

Every member library of the deployment is a member of the consortium. Every change of the
choices, every warning and every warning sent is an event on the sender's chain."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, gettext, gettext_lazy

from patronshield.accounts.models import APPROVER_ROLES, Role
from patronshield.policy import vocab

from .models import AgencyClass, ConsortiumSettings, Delivery, SharedVisit

FEDERAL_AGENCIES = frozenset({"fbi", "us_marshals", "other_federal"})
PAGE_DAYS = 90  # the consortium page shows this many days of shared visits
CLAIM_MINUTES = 10  # a claim older than this (a worker that died mid-send) is taken again
RETRY_MAX = dt.timedelta(hours=6)

# What was asked, in general terms: policy.vocab.REQUEST_CLASSES' classes.
ASKED = {
    "public": gettext_lazy("to be in the public areas, or to question people there"),
    "nonpublic": gettext_lazy("to go into a staff-only area, or to take equipment"),
    "patron_info": gettext_lazy("information about patrons"),
    "staff_info": gettext_lazy("information about staff"),
    "": gettext_lazy("what they asked for was not recorded"),
}


def settings_of(library) -> ConsortiumSettings:
    return ConsortiumSettings.objects.get_or_create(library=library)[0]


def agency_class(agency: str) -> str | None:
    if agency in vocab.IMMIGRATION_AGENCIES:
        return AgencyClass.IMMIGRATION
    if agency in FEDERAL_AGENCIES:
        return AgencyClass.FEDERAL
    return None


def _event(library, user=None, **data):
    from patronshield.desk.chain import event_append
    from patronshield.desk.models import Event

    return event_append(
        library=library, kind=Event.Kind.CONSORTIUM, actor=user, ref="consortium", data=data
    )


# ------------------------------------------------------------------------------ choices


@transaction.atomic
def consortium_settings_update(*, library, user, shares: bool, shares_name: bool, receives: bool):
    """The director's choices; each change is an event on the library's chain."""
    if user.library_id != library.pk or user.role != Role.DIRECTOR:
        raise PermissionDenied
    s = ConsortiumSettings.objects.select_for_update().get(pk=settings_of(library).pk)
    wanted = {
        "shares": bool(shares),
        "shares_name": bool(shares) and bool(shares_name),  # a name only with a warning
        "receives": bool(receives),
    }
    changed = {k: v for k, v in wanted.items() if getattr(s, k) != v}
    for name, value in changed.items():
        setattr(s, name, value)
    s.save()
    if changed:
        _event(library, user, action="settings", by=user.display_name, **changed)
    return s


# ------------------------------------------------------------------------------ sharing


def shareable(encounter) -> bool:
    """Closed, real (not a drill, not started by mistake), by an immigration or other
    federal officer, and under no gag: not by the document answer, not by a document
    check that found one."""
    from patronshield.desk.models import Event

    return bool(
        encounter.closed_at
        and not encounter.drill
        and not encounter.purged_at
        and not encounter.gagged
        and encounter.requester in ("", "officer")
        and agency_class(encounter.agency)
        and not encounter.checks.filter(kind__in=vocab.GAG_DOCUMENTS).exists()
        and not encounter.events.filter(kind=Event.Kind.CANCELLED).exists()
    )


def receiving(library) -> list:
    """The other member libraries that receive warnings."""
    from patronshield.libraries.models import Library

    return list(
        Library.objects.filter(consortium__receives=True).exclude(pk=library.pk).order_by("pk")
    )


def warning_share(encounter) -> SharedVisit | None:
    """Share one closed visit, once, if its library shares and it may be shared."""
    from patronshield.desk.models import Encounter

    with transaction.atomic():
        encounter = Encounter.objects.select_for_update().get(pk=encounter.pk)
        s = settings_of(encounter.library)
        if not s.shares or not shareable(encounter):
            return None
        if SharedVisit.objects.filter(encounter=encounter).exists():
            return None
        zone = zoneinfo.ZoneInfo(encounter.library.time_zone)
        visit = SharedVisit.objects.create(
            library=encounter.library,
            encounter=encounter,
            on=encounter.started_at.astimezone(zone).date(),
            agency_class=agency_class(encounter.agency),
            request_class=vocab.REQUEST_CLASSES.get(encounter.request, ""),
            name_shared=s.shares_name,
        )
        told = receiving(encounter.library)
        Delivery.objects.bulk_create([Delivery(visit=visit, to=lib) for lib in told])
        _event(
            encounter.library,
            action="warning",
            visit=visit.pk,
            date=visit.on.isoformat(),
            agency_class=visit.agency_class,
            request_class=visit.request_class,
            name_shared=visit.name_shared,
            told=[lib.pk for lib in told],
            count=len(told),
        )
        transaction.on_commit(_enqueue, robust=True)
    return visit


def _enqueue():
    from .tasks import send

    send.enqueue()


def share_on_close(sender, encounter, **kwargs):
    """Connected to `desk.signals.encounter_closed`."""
    warning_share(encounter)


# ------------------------------------------------------------------------------ sending


def directors_of(library) -> list[str]:
    """The director's accounts and the roster's director, with an e-mail address."""
    from patronshield.accounts.models import User

    emails = set(
        User.objects.filter(library=library, role=Role.DIRECTOR, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    emails |= set(
        library.contacts.filter(active=True, role="director")
        .exclude(email="")
        .values_list("email", flat=True)
    )
    return sorted(emails)


def warnings_send(*, now: dt.datetime | None = None) -> list[str]:
    """Send the warnings due: each claimed before it is sent, so two runs never both send;
    one that fails is released and tried again later, further apart each time."""
    from patronshield.notifications.mail import send_localized

    now = now or timezone.now()
    stale = now - dt.timedelta(minutes=CLAIM_MINUTES)
    due = (
        Delivery.objects.filter(status=Delivery.Status.PENDING)
        .filter(Q(claimed_at=None) | Q(claimed_at__lt=stale))
        .filter(Q(next_attempt_at=None) | Q(next_attempt_at__lte=now))
        .select_related("visit__library", "to")
        .order_by("pk")
    )
    lines = []
    for d in due:
        claimed = (
            Delivery.objects.filter(pk=d.pk, status=Delivery.Status.PENDING)
            .filter(Q(claimed_at=None) | Q(claimed_at__lt=stale))
            .update(claimed_at=now)
        )
        if not claimed:
            continue
        sender = d.visit.library
        if not settings_of(d.to).receives:
            Delivery.objects.filter(pk=d.pk).update(status=Delivery.Status.DROPPED)
            continue
        to = directors_of(d.to)
        try:
            if not to:
                raise RuntimeError("no director has an e-mail address")
            send_localized(to, lambda group, d=d: warning_message(d, group))
        except Exception as e:  # refused connections, timeouts, smtplib errors
            wait = min(dt.timedelta(minutes=5) * 2**d.attempts, RETRY_MAX)
            Delivery.objects.filter(pk=d.pk).update(
                claimed_at=None,
                attempts=d.attempts + 1,
                next_attempt_at=now + wait,
                error=str(e)[:300],
            )
            lines.append(f"{sender.slug}: consortium warning to {d.to.slug} failed: {e}")
            continue
        with transaction.atomic():
            Delivery.objects.filter(pk=d.pk).update(
                status=Delivery.Status.SENT, sent_at=now, attempts=d.attempts + 1, error=""
            )
            _event(sender, action="warning_sent", visit=d.visit_id, to=d.to_id)
        lines.append(f"{sender.slug}: consortium warning sent to {d.to.slug}")
    return lines


def describe(visit: SharedVisit, *, name: bool) -> str:
    """The warning in the active language: the date, the agency's class, what was asked in
    general terms and, only where the library chose to say it, its name."""
    fmt = {
        "date": visit.on.isoformat(),
        "asked": ASKED.get(visit.request_class, ASKED[""]),
        "library": visit.library.name,
    }
    immigration = visit.agency_class == AgencyClass.IMMIGRATION
    if name:
        if immigration:
            text = gettext("An immigration enforcement visit took place at %(library)s on "
                           "%(date)s: %(asked)s.")  # fmt: skip
        else:
            text = gettext("A federal law enforcement visit took place at %(library)s on "
                           "%(date)s: %(asked)s.")  # fmt: skip
    elif immigration:
        text = gettext("An immigration enforcement visit took place at a member library on "
                       "%(date)s: %(asked)s.")  # fmt: skip
    else:
        text = gettext("A federal law enforcement visit took place at a member library on "
                       "%(date)s: %(asked)s.")  # fmt: skip
    return text % fmt


def name_shown(visit: SharedVisit) -> bool:
    """Only if the library chose to say its name, then and still."""
    return visit.name_shared and settings_of(visit.library).shares_name


def warning_message(d: Delivery, to: list[str]) -> EmailMessage:
    """In the active language (see notifications.mail.send_localized)."""
    url = f"{django_settings.SITE_URL}/consortium/"
    body = (
        describe(d.visit, name=name_shown(d.visit))
        + "\n\n"
        + gettext(
            "This is all that is shared: no time, no branch, no officer's name and nothing "
            "about any patron. The visits shared in the last 90 days:"
        )
        + f"\n\n{url}\n\n"
        + gettext(
            "You receive this because your library chose to receive the consortium's "
            "warnings. General information, not legal advice."
        )
    )
    return EmailMessage(
        subject=gettext("Consortium early warning: a visit at a member library on %(date)s")
        % {"date": d.visit.on.isoformat()},
        body=body + "\n",
        from_email=django_settings.DEFAULT_FROM_EMAIL,
        to=to,
        headers={"Message-ID": f"<consortium-{d.pk}-{get_language()}@patronshield>"},
    )


# ------------------------------------------------------------------------------ the page


def may_see_page(user) -> bool:
    return bool(user.library_id) and user.role in APPROVER_ROLES


def recent(*, now: dt.datetime | None = None) -> list[dict]:
    """The last 90 days' shared visits of libraries that still share: the date and the
    general terms, with the library's name only where it chose to say it."""
    now = now or timezone.now()
    since = (now - dt.timedelta(days=PAGE_DAYS)).date()
    visits = (
        SharedVisit.objects.filter(on__gte=since, library__consortium__shares=True)
        .select_related("library", "library__consortium")
        .order_by("-on", "-pk")
    )
    return [
        {
            "on": v.on,
            "text": describe(v, name=v.name_shared and v.library.consortium.shares_name),
        }
        for v in visits
    ]


# ------------------------------------------------------------------------------ retention


def purge_due_receiver(sender, library, now, **kwargs) -> dict:
    """Connected to `desk.signals.purge_due`: a shared visit past the page's 90 days is
    deleted, with its outbox rows (a warning not sent by then is no longer a warning). The
    events on the chain stay: they say what was shared and with whom."""
    since = (now - dt.timedelta(days=PAGE_DAYS)).date()
    old = SharedVisit.objects.filter(library=library, on__lt=since)
    n = old.count()
    old.delete()
    return {"consortium_warnings": n}

"""Escalation: who is told, when, and what happens when nobody answers.

Notifications are rows written in the same transaction as the event that causes them (an
outbox); a background worker (django.tasks) delivers them with retries and backoff. A row
is claimed atomically before it is sent, so two workers never send the same row; its
idempotency key travels with the message (Message-ID, Idempotency-Key) so a receiver can
drop the one duplicate a worker killed between sending and recording could cause.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from patronshield.desk.chain import encounter_event
from patronshield.desk.models import Encounter, Event

from . import messages, transports
from .models import AckLink, Contact, Notification

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 12
ACK_SALT = "patronshield.ack"
ACK_LIFETIME = timedelta(hours=24)


def backoff(attempts: int) -> timedelta:
    """2, 4, 8 … seconds, at most five minutes between tries."""
    return timedelta(seconds=min(300, 2**attempts))


def chain(encounter: Encounter) -> list[Contact]:
    """The roster in calling order, counsel last; under a gag only the director and
    counsel; in a drill only those who opted in."""
    contacts = encounter.library.contacts.filter(active=True)
    if encounter.drill:
        contacts = contacts.filter(drills=True)
    if encounter.gagged:
        contacts = contacts.filter(role__in=[Contact.Role.DIRECTOR, Contact.Role.COUNSEL])
    return sorted(contacts, key=lambda c: (c.role == Contact.Role.COUNSEL, c.position))


_event = encounter_event  # an event of the encounter, on the chain


def gag_withholds(encounter: Encounter, contact: Contact) -> bool:
    """Under a gag only the director and counsel hear anything: a message to anyone else not
    sent yet is withheld (a gag can come to light after the first alert was queued)."""
    return encounter.gagged and contact.role not in (Contact.Role.DIRECTOR, Contact.Role.COUNSEL)


def _queue(
    encounter: Encounter, contacts: list[Contact], wave: int, tag: str = ""
) -> list[Notification]:
    created = []
    for contact in contacts:
        for channel in contact.channels():
            created.append(
                Notification.objects.create(
                    encounter=encounter,
                    contact=contact,
                    channel=channel,
                    wave=wave,
                    key=f"e{encounter.pk}-c{contact.pk}-{channel}-{tag or f'w{wave}'}",
                )
            )
        _event(
            encounter,
            Event.Kind.QUEUED,
            contact=contact.name,
            role=contact.role,
            channels=contact.channels(),
            wave=wave,
        )
    from .tasks import deliver

    ids = [n.pk for n in created]
    # robust: a queue that cannot be reached (Redis down) is logged, never a failed tap at the
    # desk; the rows are written, and the sweep sends them.
    transaction.on_commit(lambda: [deliver.enqueue(pk) for pk in ids], robust=True)
    return created


def _schedule_escalation(encounter: Encounter, wave: int) -> None:
    from .tasks import escalate

    run_after = timezone.now() + timedelta(seconds=encounter.library.reescalation_seconds)
    transaction.on_commit(
        lambda: escalate.using(run_after=run_after).enqueue(encounter.pk, wave), robust=True
    )


def escalation_start(encounter: Encounter) -> list[Notification]:
    """Tell the first people in the chain now; check again after the library's delay.
    Call inside the transaction that creates the encounter."""
    contacts = [c for c in chain(encounter) if c.role != Contact.Role.COUNSEL]
    first = contacts[: encounter.library.first_wave] or chain(encounter)[:1]
    Encounter.objects.filter(pk=encounter.pk).update(escalation_wave=1)
    created = _queue(encounter, first, wave=1)
    _schedule_escalation(encounter, 1)
    return created


def paper_update(encounter: Encounter) -> list[Notification]:
    """The paper turned out not to hold here (the document check's defects reached the
    decision): everyone already alerted hears it now, with the reason (wave 0: an update,
    outside the escalation's steps). Under a gag nothing more is said than the first alert.
    Once the encounter is decided, the decision's update (`facts_update`) says it."""
    if encounter.gagged or encounter.outcome:
        return []
    told = set(encounter.notifications.values_list("contact_id", flat=True))
    contacts = [c for c in chain(encounter) if c.pk in told]
    updates = encounter.notifications.filter(wave=0).count()
    return _queue(encounter, contacts, wave=0, tag=f"u{updates + 1}")


FACTS_TAG = "facts"  # the end of a decision update's key: "facts1", "facts2" …


def facts_fingerprint(encounter: Encounter) -> str:
    """What makes one decision another, for the people alerted: the outcome, the paper
    shown and what is wrong with it. "" while undecided."""
    if not encounter.outcome:
        return ""
    facts = [encounter.outcome, encounter.document, sorted(encounter.document_defects or [])]
    return hashlib.sha256(json.dumps(facts).encode()).hexdigest()[:16]


def facts_told(encounter: Encounter) -> str:
    """The decision the people alerted last heard (or are about to hear): the fingerprint on
    the latest update queued, or on the latest message delivered that carried a decision (an
    alert is written when it is sent, so one sent late already carried the decision)."""
    events = encounter.events.filter(kind__in=[Event.Kind.QUEUED, Event.Kind.SENT])
    for data in events.order_by("-seq").values_list("data", flat=True):
        if data and data.get("facts"):
            return data["facts"]
    return ""


def _tag(key: str) -> str:
    return key.rsplit("-", 1)[-1]


def facts_update(encounter: Encounter) -> list[Notification]:
    """The desk's answers reached a decision, or a changed answer reached another one:
    whoever an alert already reached hears the facts (who is asking, what, the paper, the
    decision, what the check found, what the desk was told to say), on each channel it
    reached them by; wave 0, outside the escalation's steps, which go on unchanged.

    One update per distinct decision (`facts_fingerprint`): deciding the same again says
    nothing. A message still waiting to be sent (the alert, an earlier update) is written
    when it is sent, so it carries the facts itself and nothing is queued beside it.
    Acknowledged: still sent (the person on it needs the facts). Not under a gag (nothing
    about the visit leaves the server: the first alert's words were all there is to say),
    not in a closed or cancelled encounter.
    Call inside the transaction that decides, the encounter locked."""
    if not encounter.outcome or encounter.gagged or encounter.closed_at:
        return []
    fingerprint = facts_fingerprint(encounter)
    if facts_told(encounter) == fingerprint:
        return []
    # Locked: an alert waiting now is not sent meanwhile with the facts as they were.
    rows = list(encounter.notifications.select_for_update(of=("self",)).select_related("contact"))
    allowed = {c.pk: c for c in chain(encounter)}  # a gag, a drill: only those it allows
    # A message still waiting on a channel (an update not sent yet, a retry) carries the
    # decision as it is when it is sent: nothing more is queued beside it.
    waiting = {(n.contact_id, n.channel) for n in rows if n.status == Notification.Status.PENDING}
    reached = sorted(
        {
            (n.contact_id, n.channel)
            for n in rows
            if n.status in (Notification.Status.SENT, Notification.Status.SENDING)
            and n.contact_id in allowed
            and n.channel in allowed[n.contact_id].channels()
            and n.channel != "call"  # a call does not read out the facts: the others carry them
            and _tag(n.key) != CANCEL_TAG
        }
        - waiting
    )
    if not reached:
        return []
    number = len({_tag(n.key) for n in rows if _tag(n.key).startswith(FACTS_TAG)}) + 1
    tag = f"{FACTS_TAG}{number}"
    created = [
        Notification.objects.create(
            encounter=encounter,
            contact=allowed[contact_id],
            channel=channel,
            wave=0,
            key=f"e{encounter.pk}-c{contact_id}-{channel}-{tag}",
        )
        for contact_id, channel in reached
    ]
    for contact_id in sorted({c for c, _ch in reached}):
        contact = allowed[contact_id]
        _event(
            encounter,
            Event.Kind.QUEUED,
            contact=contact.name,
            role=contact.role,
            channels=[ch for c, ch in reached if c == contact_id],
            wave=0,
            update=number,
            outcome=encounter.outcome,
            facts=fingerprint,
        )
    from .tasks import deliver

    ids = [n.pk for n in created]
    transaction.on_commit(lambda: [deliver.enqueue(pk) for pk in ids], robust=True)
    return created


def update_number(n: Notification) -> int:
    """1 for the first decision update of an encounter, 2 … for a changed decision; 0 for
    any other message."""
    tag = _tag(n.key)
    return int(tag[len(FACTS_TAG) :]) if tag.startswith(FACTS_TAG) else 0


CANCEL_TAG = "cancel"  # the end of a "cancelled" message's key


def cancel_notice(encounter: Encounter) -> list[Notification]:
    """The desk cancelled (started by mistake): whoever was already sent an alert hears
    "cancelled", on each channel it went by; an alert not sent yet is not sent at all.
    Call inside the transaction that records the cancellation."""
    encounter.notifications.filter(status=Notification.Status.PENDING).update(
        status=Notification.Status.CANCELLED, next_attempt_at=None
    )
    reached = encounter.notifications.filter(
        status__in=[Notification.Status.SENT, Notification.Status.SENDING]
    ).select_related("contact")
    pairs = sorted({(n.contact, n.channel) for n in reached}, key=lambda p: (p[0].pk, p[1]))
    created = [
        Notification.objects.create(
            encounter=encounter,
            contact=contact,
            channel=channel,
            wave=0,
            key=f"e{encounter.pk}-c{contact.pk}-{channel}-{CANCEL_TAG}",
        )
        for contact, channel in pairs
    ]
    for contact in sorted({c for c, _ch in pairs}, key=lambda c: c.pk):
        _event(
            encounter,
            Event.Kind.QUEUED,
            contact=contact.name,
            role=contact.role,
            channels=[ch for c, ch in pairs if c == contact],
            wave=0,
            cancel=True,
        )
    from .tasks import deliver

    ids = [n.pk for n in created]
    transaction.on_commit(lambda: [deliver.enqueue(pk) for pk in ids], robust=True)
    return created


@transaction.atomic
def escalate(encounter_id: int, wave: int) -> list[Notification]:
    """Nobody acknowledged wave `wave` in time: notify the next person in the chain. A
    closed (or cancelled) encounter calls nobody more."""
    if not Encounter.objects.filter(
        pk=encounter_id, escalation_wave=wave, acknowledged_at__isnull=True, closed_at=None
    ).update(escalation_wave=wave + 1):
        return []  # acknowledged, closed, or this step already ran
    encounter = Encounter.objects.select_related("library", "branch", "area").get(pk=encounter_id)
    told = set(encounter.notifications.values_list("contact_id", flat=True))
    remaining = [c for c in chain(encounter) if c.pk not in told]
    if not remaining:
        _event(
            encounter,
            Event.Kind.ESCALATED,
            wave=wave + 1,
            contact=None,
            note="everyone on the roster has been told; nobody has acknowledged",
        )
        return []
    _event(
        encounter,
        Event.Kind.ESCALATED,
        wave=wave + 1,
        contact=remaining[0].name,
        after_seconds=encounter.library.reescalation_seconds,
    )
    created = _queue(encounter, remaining[:1], wave=wave + 1)
    _schedule_escalation(encounter, wave + 1)
    return created


def ack_token(notification: Notification) -> str:
    """A new one-use "I'm on it" for this message: the link's, or the call's key 1."""
    link = AckLink.objects.create(
        encounter=notification.encounter,
        contact=notification.contact,
        jti=secrets.token_urlsafe(32),
        expires_at=timezone.now() + ACK_LIFETIME,
    )
    return signing.dumps({"j": link.jti}, salt=ACK_SALT, compress=True)


def ack_url(notification: Notification) -> str:
    return f"{settings.SITE_URL}/ack/{ack_token(notification)}/"


def deliver(notification_id: int) -> str:
    """Send one outbox row if it is still waiting; returns its status afterwards."""
    now = timezone.now()
    if not Notification.objects.filter(
        pk=notification_id, status=Notification.Status.PENDING
    ).update(status=Notification.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1):
        return "skipped"
    n = Notification.objects.select_related(
        "contact__user",
        "encounter__library",
        "encounter__branch",
        "encounter__area",
        "encounter__started_by",
        "encounter__device",
    ).get(pk=notification_id)
    encounter, contact = n.encounter, n.contact
    if gag_withholds(encounter, contact):
        # A gag came to light after this was queued: only the director and counsel hear.
        Notification.objects.filter(pk=n.pk).update(status=Notification.Status.WITHHELD)
        _event(
            encounter,
            Event.Kind.FAILED,
            contact=contact.name,
            channel=n.channel,
            error="withheld: nondisclosure",
        )
        return "withheld"
    # What is wrong with the paper is said in the contact's own language (their account's).
    language = contact.user.language if contact.user else "en"
    if n.key.endswith(f"-{CANCEL_TAG}"):
        return _deliver_cancel(n)
    update = update_number(n)  # a decision update (`facts_update`), or the alert
    sid = ""  # a text's id at the provider
    try:
        if n.channel == "call":  # pressing 1 is the call's "I'm on it"
            token = ack_token(n)
            sid = transports.place_call(
                contact.phone,
                messages.call_twiml(
                    encounter, f"{settings.SITE_URL}/twilio/gather/{token}", language
                ),
                status_callback_url(),
            )
            return _sent(n, provider_sid=sid)
        link = ack_url(n)
        if n.channel == "email":
            transports.send_email(
                contact.email,
                messages.subject(encounter, update),
                messages.email_body(encounter, link, language, update),
                n.key,
            )
        elif n.channel == "sms":
            body = messages.sms_body(encounter, link, language, update)
            transports.send_email(contact.sms_email, "", body, n.key)
        elif n.channel == "text":
            body = messages.sms_body(encounter, link, language, update)
            sid = transports.send_text(contact.phone, body, status_callback_url())
        elif n.channel == "webhook":
            transports.send_webhook(
                contact.webhook_url,
                contact.webhook_secret,
                messages.webhook_payload(encounter, link, n.key, language, update),
                n.key,
            )
        else:
            raise transports.TransportError(f"unknown channel {n.channel}", permanent=True)
    except transports.TransportError as e:
        return _failed(n, e)
    return _sent(n, provider_sid=sid)


def _deliver_cancel(n: Notification) -> str:
    """The "cancelled" message (`cancel_notice`), on the channel the alert went by."""
    encounter, contact = n.encounter, n.contact
    sid = ""
    try:
        if n.channel == "email":
            transports.send_email(
                contact.email,
                messages.cancelled_subject(encounter),
                messages.cancelled_body(encounter),
                n.key,
            )
        elif n.channel == "sms":
            transports.send_email(contact.sms_email, "", messages.cancelled_sms(encounter), n.key)
        elif n.channel == "text":
            sid = transports.send_text(
                contact.phone, messages.cancelled_sms(encounter), status_callback_url()
            )
        elif n.channel == "call":
            language = contact.user.language if contact.user else "en"
            sid = transports.place_call(
                contact.phone,
                messages.call_answer_twiml(messages.cancelled_sms(encounter), language),
                status_callback_url(),
            )
        elif n.channel == "webhook":
            transports.send_webhook(
                contact.webhook_url,
                contact.webhook_secret,
                messages.cancelled_payload(encounter, n.key),
                n.key,
            )
        else:
            raise transports.TransportError(f"unknown channel {n.channel}", permanent=True)
    except transports.TransportError as e:
        return _failed(n, e)
    return _sent(n, provider_sid=sid)


def _failed(n: Notification, e: transports.TransportError) -> str:
    """A try that failed: again later with backoff, or given up."""
    encounter, contact = n.encounter, n.contact
    give_up = e.permanent or n.attempts >= MAX_ATTEMPTS
    retry_at = None if give_up else timezone.now() + backoff(n.attempts)
    Notification.objects.filter(pk=n.pk).update(
        status=Notification.Status.FAILED if give_up else Notification.Status.PENDING,
        last_error=str(e)[:300],
        next_attempt_at=retry_at,
    )
    _event(
        encounter,
        Event.Kind.FAILED,
        contact=contact.name,
        channel=n.channel,
        error=str(e)[:200],
        attempt=n.attempts,
        retry_at=retry_at.isoformat() if retry_at else None,
    )
    if retry_at:
        from .tasks import deliver as deliver_task

        try:
            deliver_task.using(run_after=retry_at).enqueue(n.pk)
        except Exception:  # the queue is down: the row waits, and the sweep retries it
            logger.warning("cannot queue the retry of %s", n.key, exc_info=True)
    return "failed" if give_up else "retrying"


def _sent(n: Notification, provider_sid: str = "") -> str:
    encounter, contact = n.encounter, n.contact
    Notification.objects.filter(pk=n.pk).update(
        status=Notification.Status.SENT,
        sent_at=timezone.now(),
        last_error="",
        provider_sid=provider_sid,
    )
    extra = {}
    if n.key.endswith(f"-{CANCEL_TAG}"):
        extra["cancel"] = True
    elif not encounter.gagged and encounter.outcome:
        # The decision this message carried (written as it was sent): `facts_told`.
        extra["facts"] = facts_fingerprint(encounter)
        if update := update_number(n):
            extra["update"] = update
    _event(
        encounter,
        Event.Kind.SENT,
        contact=contact.name,
        channel=n.channel,
        attempt=n.attempts,
        **extra,
    )
    return "sent"


def status_callback_url() -> str:
    """Where Twilio reports what became of a text or a call (`provider_status`)."""
    return f"{settings.SITE_URL}/twilio/status"


# The statuses the outbox records: the first of each channel's reached them, the others not.
PROVIDER_FINAL = {
    "text": ["delivered", "failed", "undelivered"],
    "call": ["completed", "busy", "no-answer", "failed", "canceled"],
}


@transaction.atomic
def provider_status(*, sid: str, status: str, error_code: str = "") -> Notification | None:
    """Twilio's status callback for a text or a call: "delivered" (a text) or "completed" (a
    call answered) is recorded (SENT, confirmed); "failed" or "undelivered", "busy" or
    "no-answer" makes the row failed with the provider's error code (FAILED on the chain;
    the desk's status shows it, and the escalation goes on as for any message nobody
    answered: only an acknowledgement stops it, and an answered call is not one unless 1 was
    pressed). Other statuses ("queued", "sent", "ringing") and a status already recorded
    change nothing (callbacks can come twice). Returns the row changed, or None."""
    if not sid:
        return None
    n = (
        Notification.objects.select_for_update(of=("self",))
        .select_related("encounter", "contact")
        .filter(provider_sid=sid, channel__in=list(PROVIDER_FINAL))
        .first()
    )
    if n is None or status not in PROVIDER_FINAL[n.channel] or n.provider_status == status:
        return None
    n.provider_status = status
    if status == PROVIDER_FINAL[n.channel][0]:
        n.save(update_fields=["provider_status"])
        _event(
            n.encounter,
            Event.Kind.SENT,
            contact=n.contact.name,
            channel=n.channel,
            attempt=n.attempts,
            confirmed=True,
        )
        return n
    code = "".join(c for c in error_code if c.isdigit())[:8]
    n.status = Notification.Status.FAILED
    n.last_error = f"{n.channel}: {status}" + (f", error {code}" if code else "")
    n.next_attempt_at = None
    n.save(update_fields=["provider_status", "status", "last_error", "next_attempt_at"])
    _event(
        n.encounter,
        Event.Kind.FAILED,
        contact=n.contact.name,
        channel=n.channel,
        error=n.last_error,
        attempt=n.attempts,
        retry_at=None,
    )
    return n


def requeue_stale(older_than: timedelta = timedelta(minutes=2), enqueue: bool = True) -> int:
    """Rows left 'sending' by a worker that died: send them again (same key); queued for the
    worker, or (enqueue=False) left waiting for the caller, the sweep, to send."""
    stale = Notification.objects.filter(
        status=Notification.Status.SENDING, claimed_at__lt=timezone.now() - older_than
    )
    ids = list(stale.values_list("pk", flat=True))
    Notification.objects.filter(pk__in=ids, status=Notification.Status.SENDING).update(
        status=Notification.Status.PENDING
    )
    from .tasks import deliver as deliver_task

    for pk in ids if enqueue else []:
        deliver_task.enqueue(pk)
    return len(ids)


SWEEP_GRACE = timedelta(seconds=60)  # how late an escalation step may be before the sweep
LOST_AFTER = timedelta(seconds=20)  # how long a message waits for the worker before the sweep
SWEEP_WINDOW = timedelta(hours=12)  # an encounter older than this is not chased any more


def sweep(now=None) -> dict:
    """What a worker that died (or a queue that lost a task) left undone: messages left
    half-sent, messages whose task never ran (sent here and now, not queued again: the
    worker may be gone), and escalation steps past their time. Every step it takes is the
    same idempotent one the worker would have taken, so running it beside a healthy worker
    changes nothing. It also asks the worker for a heartbeat (health.py).
    `patronshield serve` runs it every 10 s."""
    from . import health

    now = now or timezone.now()
    report = {"resent": requeue_stale(enqueue=False), "redelivered": 0, "escalated": 0}
    lost = Notification.objects.filter(status=Notification.Status.PENDING).filter(
        Q(next_attempt_at__lt=now - LOST_AFTER)
        | Q(next_attempt_at=None, created_at__lt=now - LOST_AFTER)
    )
    for pk in lost.values_list("pk", flat=True):
        report["redelivered"] += deliver(pk) != "skipped"
    try:
        health.ask(now)
    except Exception:  # the queue is down: /healthz will say so; the sweep goes on
        logger.warning("sweep: cannot queue the worker's heartbeat", exc_info=True)
    waiting = Encounter.objects.filter(
        acknowledged_at=None,
        closed_at=None,
        escalation_wave__gte=1,
        started_at__gte=now - SWEEP_WINDOW,
    ).select_related("library")
    for encounter in waiting:
        wave = encounter.escalation_wave
        if encounter.events.filter(kind=Event.Kind.ESCALATED, data__contact=None).exists():
            continue  # everyone on the roster has been told already
        began = (
            encounter.notifications.filter(wave=wave).aggregate(at=Max("created_at"))["at"]
            or encounter.started_at
        )
        due = began + timedelta(seconds=encounter.library.reescalation_seconds) + SWEEP_GRACE
        if due < now:
            escalate(encounter.pk, wave)  # a no-op if the worker got there first
            report["escalated"] += Encounter.objects.filter(
                pk=encounter.pk, escalation_wave__gt=wave
            ).exists()
    return report


class AckError(Exception):
    pass


def ack_lookup(token: str) -> AckLink:
    try:
        data = signing.loads(token, salt=ACK_SALT, max_age=ACK_LIFETIME)
    except signing.SignatureExpired as e:
        raise AckError("expired") from e
    except signing.BadSignature as e:
        raise AckError("invalid") from e
    link = (
        AckLink.objects.select_related("encounter__library", "contact")
        .filter(jti=data.get("j", ""))
        .first()
    )
    if link is None:
        raise AckError("invalid")
    if link.used_at:
        raise AckError("used")
    if link.expires_at < timezone.now():
        raise AckError("expired")
    return link


class AckRefused(Exception):
    """The encounter is closed, cancelled or purged: nobody is on it any more."""

    def __init__(self, reason: str):
        self.reason = reason  # "closed", "cancelled" or "purged"
        super().__init__(reason)


def ack_refused_message(reason: str) -> str:
    """What the person who tapped "I'm on it" is told when it is refused."""
    from django.utils.translation import gettext as _

    return {
        "cancelled": _("This visit was cancelled (started by mistake): nobody needs to go."),
        "purged": _("This record has been purged under the retention schedule."),
    }.get(reason, _("This visit is closed: nobody needs to go."))


@transaction.atomic
def encounter_acknowledge(
    *, encounter: Encounter, name: str, role: str, actor=None, via: str = "link"
) -> Event | None:
    """ "I'm on it", from the alert's link or the director's live panel: the one way an
    acknowledgement is recorded. An ACKNOWLEDGED event on the chain (who and in what role);
    the first one sets `acknowledged_at` at its event's time (`verify-log` compares them),
    which stops the escalation (`escalate` calls nobody more). The same person again is
    harmless: nothing more is written (None). A closed, cancelled or purged encounter is
    refused (`AckRefused`)."""
    encounter = Encounter.objects.select_for_update().get(pk=encounter.pk)
    if encounter.purged_at:
        raise AckRefused("purged")
    if encounter.closed_at:
        cancelled = encounter.events.filter(kind=Event.Kind.CANCELLED).exists()
        raise AckRefused("cancelled" if cancelled else "closed")
    if (
        encounter.acknowledged_at
        and encounter.events.filter(kind=Event.Kind.ACKNOWLEDGED, data__contact=name).exists()
    ):
        return None  # a second tap
    event = _event(
        encounter, Event.Kind.ACKNOWLEDGED, actor=actor, contact=name, role=role, via=via
    )
    Encounter.objects.filter(pk=encounter.pk, acknowledged_at=None).update(
        acknowledged_at=event.at, acknowledged_by=name
    )
    return event


@transaction.atomic
def acknowledge(token: str, via: str = "link") -> AckLink:
    """The alert's "I'm on it" link (or a call's key 1), used once (`encounter_acknowledge`)."""
    link = ack_lookup(token)
    if not AckLink.objects.filter(pk=link.pk, used_at__isnull=True).update(used_at=timezone.now()):
        raise AckError("used")
    encounter_acknowledge(
        encounter=link.encounter, name=link.contact.name, role=link.contact.role, via=via
    )
    return link


def who_acknowledged(encounter: Encounter) -> dict | None:
    """Who is on it: the first acknowledgement's name and role (its event's), or None."""
    if not encounter.acknowledged_at:
        return None
    first = (
        encounter.events.filter(kind=Event.Kind.ACKNOWLEDGED)
        .order_by("seq")
        .values_list("data", flat=True)
        .first()
    ) or {}
    return {
        "name": encounter.acknowledged_by or first.get("contact", ""),
        "role": first.get("role", ""),
        "at": encounter.acknowledged_at,
    }

"""Writes to encounters go through these functions, never through a raw save() in a view."""

import hashlib
import json
import logging
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from patronshield import crypto
from patronshield.accounts.models import APPROVER_ROLES, Role
from patronshield.checker.classify import signals
from patronshield.libraries.policies import adopted_table
from patronshield.notifications.services import (
    cancel_notice,
    escalation_start,
    facts_update,
    paper_update,
)
from patronshield.policy import Scenario, decide, vocab

from .chain import encounter_event
from .models import DocumentCheck, DocumentPage, Encounter, Event, PendingUpload

logger = logging.getLogger(__name__)

# Signals that prove a paper is not judicial (marked `veto` in the checker's data).
VETO_SIGNALS = frozenset(s.id for s in signals() if s.veto)


_event = encounter_event  # an event of the encounter, on the chain


ANSWER_FIELDS = (
    "agency", "request", "document", "emergency", "patron_consent", "requester",
    "crime_at_library",
)  # fmt: skip
DEFECTS_DIRECTOR_ONLY = _(
    "Only the library's director can set aside what the check found wrong with the paper."
)
DOCUMENT_LOCKED = _(
    "Only the director can change what the paper is: it comes with a gag (a nondisclosure order)."
)


def document_locked(encounter: Encounter, user) -> bool:
    """Under a gag only the director changes the document answer: another answer would lift
    the gag. (Anyone who may write can make it an NSL or a FISA order: that is how a visit
    comes under a gag. A drill is nobody's secret.)"""
    return encounter.gagged and not encounter.drill and user.role != Role.DIRECTOR


def scenario_for(encounter: Encounter, language: str = "en") -> Scenario:
    return Scenario(
        state=encounter.library.state,
        agency=encounter.agency or "other",
        request=encounter.request,
        document=encounter.document,
        emergency=bool(encounter.emergency),
        # Who is asking is asked only about patrons; agency is not asked of a non-officer.
        requester=encounter.requester or "officer",
        crime_at_library=bool(encounter.crime_at_library),
        # The desk asks "Is anyone in danger right now?": a threat to someone's life at this
        # moment, so the answer leads with calling 911.
        active_threat=bool(encounter.emergency),
        patron_consent=bool(encounter.patron_consent),
        # What the document check found wrong with the paper: it then authorizes nothing.
        document_defects=tuple(encounter.document_defects or ()),
        language=vocab.language_or_default(language),
    )


@transaction.atomic
def encounter_start(
    *, user, branch=None, language: str = "en", drill: bool = False, started_at=None
) -> Encounter:
    """The first tap at the desk: the encounter exists from this moment on.

    `drill=True` runs the same flow as a training exercise: marked DRILL, alerting only
    those who opted in to drills, seen only by who started it, and kept out of every list,
    count and log of real visits (see `patronshield.training`).

    `started_at` back-dates the encounter (only the demo does): its started event records
    that time, and keeps the moment it was written as its own."""
    branch = branch or user.branch or user.library.branches.order_by("pk").first()
    encounter = Encounter(
        library=user.library, branch=branch, started_by=user, language=language, drill=drill
    )
    encounter.full_clean()
    encounter.save()
    if started_at is not None:
        Encounter.objects.filter(pk=encounter.pk).update(started_at=started_at)
        encounter.started_at = started_at
    data = {"started_at": encounter.started_at.isoformat()}  # `verify-log` compares the two
    if started_at is not None:
        data["backdated"] = True
    if drill:
        data["drill"] = True
    _event(encounter, Event.Kind.STARTED, actor=user, **data)
    escalation_start(encounter)
    return encounter


# "Started by mistake": the desk may cancel this long after the first tap, not later (then
# the record stays open, and a note says what happened).
CANCEL_WINDOW = timedelta(minutes=5)


def may_cancel(encounter: Encounter, now=None) -> bool:
    """Whether the encounter can still be cancelled: open, and within `CANCEL_WINDOW`."""
    now = now or timezone.now()
    return (
        not encounter.closed_at
        and not encounter.purged_at
        and now - encounter.started_at <= CANCEL_WINDOW
    )


@transaction.atomic
def encounter_cancel(*, encounter: Encounter, user, reason: str, confirmed: bool = False, now=None):
    """ "Started by mistake": within 5 minutes of the first tap, whoever may answer the
    encounter cancels it, saying why. The record keeps it: an event on the incident log (who,
    when, the reason) that also closes the encounter; the escalation stops; whoever was
    already sent an alert hears "cancelled" on the same channels (under a gag, in the gag's
    words only); an alert not sent yet is not sent."""
    from .record import _writable, check_text

    _writable(encounter, user)  # this library's, not counsel, not closed or purged
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say in a few words why this was started by mistake."))
    check_text(encounter, reason, confirmed=confirmed)
    encounter = Encounter.objects.select_for_update().get(pk=encounter.pk)
    _writable(encounter, user)  # closed meanwhile by someone else
    if not may_cancel(encounter, now):
        raise ValidationError(
            _(
                "More than 5 minutes have passed: it can no longer be cancelled. Add a note "
                "to the incident record saying it was started by mistake, then close it."
            )
        )
    encounter.closed_at = _event(
        encounter, Event.Kind.CANCELLED, actor=user, reason=reason[:500]
    ).at
    encounter.closed_by = user
    encounter.save(update_fields=["closed_at", "closed_by"])
    cancel_notice(encounter)
    return encounter


# "Tell the desk": a short message from the director's live panel to the desk's screen.
TELL_DESK_MAX = 280


@transaction.atomic
def encounter_tell_desk(*, encounter: Encounter, user, text: str, confirmed: bool = False):
    """The director (or a designee) tells the desk something short ("Ask them to wait in
    the lobby, I am 5 minutes away"): an event on the incident log (who, in what role, the
    text), shown at the top of the desk's page for this encounter. The text is checked for
    what could identify a patron first, as a note is, and kept as a note is: in the event,
    until the retention purge deletes it. Not on a closed, cancelled or purged record."""
    from .record import _writable, check_text

    _writable(encounter, user)  # this library's, not counsel, not closed or purged
    if user.role not in APPROVER_ROLES:
        raise PermissionDenied
    text = " ".join(text.split())  # one line on the desk's screen
    if not text:
        raise ValidationError(_("Write the message to the desk."))
    if len(text) > TELL_DESK_MAX:
        raise ValidationError(
            _("Keep it short: at most %(max)d characters (this one has %(n)d).")
            % {"max": TELL_DESK_MAX, "n": len(text)}
        )
    check_text(encounter, text, confirmed=confirmed)
    encounter = Encounter.objects.select_for_update().get(pk=encounter.pk)
    _writable(encounter, user)  # closed meanwhile by someone else
    return _event(
        encounter,
        Event.Kind.TOLD_DESK,
        actor=user,
        text=text,
        by=user.display_name,
        role=user.role,
    )


def desk_messages(encounter: Encounter) -> list[dict]:
    """The messages told to the desk for `encounter`, newest first (a purged one is gone)."""
    events = encounter.events.filter(kind=Event.Kind.TOLD_DESK, purged_at=None).order_by("-seq")
    return [
        {
            "at": e.at,
            "text": e.data.get("text", ""),
            "by": e.data.get("by", ""),
            "role": e.data.get("role", ""),
        }
        for e in events
        if e.data
    ]


def _clear_unasked(encounter: Encounter) -> dict:
    """Clear the answers to questions the desk no longer asks after a change (returned, for
    the event): who is asking, only about patrons; the agency, an emergency and where it
    happened, only of an officer; a paper a parent or a private party cannot bring."""
    from .steps import applies

    cleared = {}

    def clear(name, value):
        if getattr(encounter, name) != value:
            setattr(encounter, name, value)
            cleared[name] = value

    if not encounter.needs_consent_answer:
        clear("patron_consent", None)
        clear("requester", "")
    if not encounter.officer:
        clear("agency", "")
        clear("emergency", None)
        if encounter.document and encounter.document not in vocab.PRIVATE_DOCUMENTS:
            clear("document", "")
            encounter.document_defects = []  # what was wrong with a paper no longer shown
    if not applies("crime_at_library", encounter):
        clear("crime_at_library", None)
    return cleared


@transaction.atomic
def encounter_answer(*, encounter: Encounter, actor=None, **answers) -> Encounter:
    """Record answers to the desk questions; decide once every question is answered.

    Changing an earlier answer decides again: the record keeps the latest decision.
    """
    encounter = Encounter.objects.select_for_update().get(pk=encounter.pk)
    document = encounter.document
    locked = actor is not None and document_locked(encounter, actor)
    if locked and answers.get("document", document) != document:
        raise PermissionDenied(DOCUMENT_LOCKED)
    for name, value in answers.items():
        if name not in ANSWER_FIELDS:
            raise ValueError(f"not an answer: {name}")
        setattr(encounter, name, value)
    cleared = _clear_unasked(encounter)
    if locked and "document" in cleared:  # "a parent is asking" would lift the gag
        raise PermissionDenied(DOCUMENT_LOCKED)
    _event(encounter, Event.Kind.ANSWERED, actor=actor, **{**answers, **cleared})
    return _decide(encounter, actor)


def _decide(encounter: Encounter, actor) -> Encounter:
    """Decide once every question is answered (the record keeps the latest decision), and
    save the encounter, locked by the caller. A decision the people alerted have not heard
    yet (the first, or a changed one) goes to them with the facts (`facts_update`)."""
    if encounter.next_step() is None:
        decision = decide(scenario_for(encounter, "en"), adopted_table(encounter.library))
        encounter.outcome = decision.outcome
        encounter.authorized = decision.authorized
        encounter.decision = decision.as_dict()
        encounter.decided_at = _event(
            encounter,
            Event.Kind.DECIDED,
            actor=actor,
            outcome=decision.outcome,
            rules=list(decision.rules),
            citations=[c.ref for c in decision.citations],
        ).at
    else:
        encounter.outcome, encounter.authorized, encounter.decision = "", None, {}
        encounter.decided_at = None
    encounter.full_clean()
    encounter.save()
    facts_update(encounter)
    return encounter


# --------------------------------------------------------------------- document checks


def _context_for(encounter: Encounter):
    from patronshield.checker import LibraryContext

    library = encounter.library
    address = (encounter.branch.address if encounter.branch else "") or library.address
    return LibraryContext(
        name=library.name,
        address=address,
        time_zone=library.time_zone,
        state=library.state,
        policy=adopted_table(library),
    )


def evidence_purpose(check) -> str:
    return f"document-check:{check.encounter_id}"


# A check that has not finished this long after it was queued is not coming: its worker
# died or its task was lost. It fails, and its files waiting for it are deleted.
CHECK_GIVE_UP = timedelta(minutes=10)


def upload_digest(files: list[tuple[str, bytes]]) -> str:
    """The fingerprint of an upload: the same as the checker's `sha256` of the document."""
    digest = hashlib.sha256()
    for _name, data in files:
        digest.update(data)
    return digest.hexdigest()


def document_check_queue(
    *, encounter: Encounter, user, files: list[tuple[str, bytes]], enqueue: bool = True
) -> DocumentCheck:
    """A photo or PDF to be read by the background task (`desk.tasks.check_document`): the
    files wait for it only encrypted. The same files again (a second tap) give the check
    already made or under way, not a second one."""
    digest = upload_digest(files)
    with transaction.atomic():
        Encounter.objects.select_for_update().filter(pk=encounter.pk).first()  # one tap at a time
        same = encounter.checks.filter(
            sha256=digest, state__in=[*DocumentCheck.PENDING, DocumentCheck.State.DONE]
        ).first()
        if same:
            return same
        check = DocumentCheck.objects.create(
            encounter=encounter,
            created_by=user,
            method=DocumentCheck.Method.PHOTO,
            state=DocumentCheck.State.QUEUED,
            sha256=digest,
        )
        for position, (name, data) in enumerate(files):
            upload = PendingUpload(document_check=check, position=position, name=name[:200])
            upload.content = crypto.encrypt(data, upload.purpose)
            upload.save()
        if enqueue:
            from .tasks import check_document

            transaction.on_commit(lambda: check_document.enqueue(check.pk))
    return check


def document_check_process(check_id: int, *, now=None) -> str:
    """The background task's work: claim the check (only one worker does), read the files
    with the pages counted as they are read, keep the result; delete the files waiting for
    it in every case. Returns the check's state."""
    from patronshield.checker import check_pages

    claimed = DocumentCheck.objects.filter(pk=check_id, state=DocumentCheck.State.QUEUED).update(
        state=DocumentCheck.State.RUNNING
    )
    if not claimed:
        return DocumentCheck.objects.filter(pk=check_id).values_list("state", flat=True).first()
    try:
        check = DocumentCheck.objects.select_related(
            "encounter__library", "encounter__branch", "created_by"
        ).get(pk=check_id)
        files = [(u.name, crypto.decrypt(u.content, u.purpose)) for u in check.uploads.all()]

        def progress(read: int, total: int):
            DocumentCheck.objects.filter(pk=check_id).update(pages_read=read, pages=total)

        result = check_pages(
            files, context=_context_for(check.encounter), now=now, progress=progress
        )
        _document_check_keep(check, result)
    except Exception:
        logger.exception("document check %s failed", check_id)
        DocumentCheck.objects.filter(pk=check_id).update(state=DocumentCheck.State.FAILED)
        return DocumentCheck.State.FAILED
    finally:
        PendingUpload.objects.filter(document_check_id=check_id).delete()
    return check.state


def document_checks_expire(now=None) -> int:
    """Checks whose task never ended (`CHECK_GIVE_UP`) fail; their files are deleted."""
    now = now or timezone.now()
    stale = DocumentCheck.objects.filter(
        state__in=DocumentCheck.PENDING, created_at__lt=now - CHECK_GIVE_UP
    )
    ids = list(stale.values_list("pk", flat=True))
    if ids:
        DocumentCheck.objects.filter(pk__in=ids).update(state=DocumentCheck.State.FAILED)
        PendingUpload.objects.filter(document_check_id__in=ids).delete()
    return len(ids)


def document_check_run(*, encounter: Encounter, user, files: list[tuple[str, bytes]], now=None):
    """Check the photos or PDF of one document now, in this process (the desk queues it
    instead: `document_check_queue`)."""
    check = document_check_queue(encounter=encounter, user=user, files=files, enqueue=False)
    if check.state == DocumentCheck.State.QUEUED:
        document_check_process(check.pk, now=now)
        check.refresh_from_db()
    return check


@transaction.atomic
def _document_check_keep(check: DocumentCheck, result) -> None:
    """The result kept: the words only encrypted, and the files only encrypted and only if
    the library keeps them."""
    encounter = check.encounter
    check.state = DocumentCheck.State.FAILED if result.error else DocumentCheck.State.DONE
    check.kind = "" if result.error else result.kind
    check.confidence = result.confidence
    check.form = result.form or ""
    check.signed_by = result.signed_by or ""
    check.pages = check.pages_read = result.pages
    check.seconds = round(result.seconds, 3)
    check.error = (result.error or "")[:300]
    check.summary = {
        "signals": [s["signal"] for s in result.signals],
        "checks": {c.check: c.result for c in result.checks},
        "authorizes": result.authorizes,
        "defects": list(result.defects),
        "needs_human_review": result.needs_human_review,
        "reason": result.reason,
        "veto": [s["signal"] for s in result.signals if s["signal"] in VETO_SIGNALS],
    }
    check.evidence = crypto.encrypt(
        json.dumps(
            {
                "signals": result.signals,
                "checks": [c.as_dict() for c in result.checks],
                "text": result.text,
            }
        ).encode(),
        evidence_purpose(check),
    )
    check.save()
    _event(
        encounter,
        Event.Kind.DOCUMENT,
        actor=check.created_by,
        check=check.pk,
        found=check.kind,
        confidence=check.confidence,
        pages=check.pages,
        sha256=check.sha256,
        files=[hashlib.sha256(data).hexdigest() for _name, data in result.clean_files],
        error=check.error,
    )
    keep = encounter.library.store_document_files
    for name, data in result.clean_files:
        digest = hashlib.sha256(data).hexdigest()
        DocumentPage.objects.create(
            document_check=check,
            name=name[:200],
            sha256=digest,
            size=len(data),
            content=crypto.encrypt(data, f"document-page:{digest}") if keep else None,
            key_id=crypto.keyring()[0] if keep else "",
        )


def document_check_evidence(check) -> dict:
    if not check.evidence:
        return {"signals": [], "checks": [], "text": ""}
    return json.loads(crypto.decrypt(check.evidence, evidence_purpose(check)))


def _carry_defects(check, encounter: Encounter) -> bool:
    """What the check found wrong with the paper goes with it into the decision: confirming
    what the paper is never confirms that it holds here (only the director sets it aside,
    `document_defects_override`). True when the paper is newly found not to hold."""
    defects = [d for d in vocab.DOCUMENT_DEFECTS if d in (check.summary or {}).get("defects", [])]
    before = Encounter.objects.filter(pk=encounter.pk).values_list("document_defects", flat=True)
    changed = bool(defects) and list(before.first() or []) != defects
    Encounter.objects.filter(pk=encounter.pk).update(document_defects=defects)
    return changed


def _tell_why(encounter: Encounter, changed: bool) -> None:
    """Those already alerted hear at once why the paper does not hold (not under a gag;
    once decided, the decision's update has said it)."""
    if changed and encounter.document_defects:
        paper_update(encounter)


@transaction.atomic
def document_confirm(*, check, user, kind: str) -> Encounter:
    """Staff confirm what the checker found: that becomes the encounter's document, with
    what the check found wrong with it."""
    check.confirmed_kind = kind
    check.save(update_fields=["confirmed_kind"])
    changed = _carry_defects(check, check.encounter)
    encounter = encounter_answer(encounter=check.encounter, actor=user, document=kind)
    _tell_why(encounter, changed)
    return encounter


@transaction.atomic
def document_defects_override(
    *, encounter: Encounter, user, reason: str, confirmed: bool = False
) -> Encounter:
    """The library's director, and nobody else, sets aside what the document check found
    wrong with the paper (having checked it), saying why: an event on the incident log
    (who, when, which defects, the reason), then the decision again without them."""
    from patronshield.desk.record import _writable, check_text

    _writable(encounter, user)
    if user.role != Role.DIRECTOR:
        raise PermissionDenied(DEFECTS_DIRECTOR_ONLY)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the paper holds after all (what you checked)."))
    check_text(encounter, reason, confirmed=confirmed)
    encounter = Encounter.objects.select_for_update().get(pk=encounter.pk)
    defects = list(encounter.document_defects or [])
    if not defects:
        raise ValidationError(_("Nothing found wrong with the paper is left to set aside."))
    _event(
        encounter,
        Event.Kind.OVERRIDE,
        actor=user,
        defects=defects,
        document=encounter.document,
        reason=reason[:2000],
        by=user.display_name,
        role=user.role,
    )
    encounter.document_defects = []
    return _decide(encounter, user)


@transaction.atomic
def document_checklist(*, encounter: Encounter, user, answers: dict, check=None):
    """The staff checklist decides the kind. It never turns a paper the checker saw as an
    immigration form (a DHS header, an immigration officer's signature) into a judicial
    one: then the answer is `unknown`, the most protective reading, and the director looks.
    Returns (encounter, document check, conflict)."""
    from patronshield.checker import JUDICIAL
    from patronshield.checker.checklist import kind_from_checklist

    kind, rule = kind_from_checklist(answers)
    conflict = bool(check and check.summary.get("veto") and kind in JUDICIAL)
    if conflict:
        kind = "unknown"
    if check is None:
        check = DocumentCheck.objects.create(
            encounter=encounter, created_by=user, method=DocumentCheck.Method.CHECKLIST
        )
    check.checklist = {**answers, "rule": rule, "conflict": conflict}
    check.confirmed_kind = kind
    check.save(update_fields=["checklist", "confirmed_kind"])
    changed = _carry_defects(check, encounter)
    encounter = encounter_answer(encounter=encounter, actor=user, document=kind)
    _tell_why(encounter, changed)
    return encounter, check, conflict

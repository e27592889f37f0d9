"""The only writers of records requests. Each function checks that the user owns the step
(`workflow`), that the request's state allows it, and then writes the request and appends
the step's event to the library's chain in one transaction. Free text is checked for what
could identify a patron first (`desk.pii`); the caller decides (`confirmed=True`).
"""

from __future__ import annotations

import datetime
import hashlib
import re
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from patronshield import crypto
from patronshield.accounts.models import Role
from patronshield.desk import pii
from patronshield.desk.chain import checkpoint_make, event_append
from patronshield.desk.models import Agency, Event
from patronshield.desk.record import PossiblePatronData
from patronshield.notifications.mail import send_localized
from patronshield.policy import vocab

from . import workflow
from .models import (
    GAG_KINDS,
    PRIVATE_KINDS,
    Advice,
    Asked,
    Kind,
    NoticeMethod,
    RecordsRequest,
    Release,
    ReleasedFile,
    ReleasedItem,
    Requester,
    RequestFile,
)

SHA256 = re.compile(r"^[0-9a-f]{64}$")
MAX_CITATIONS = 30


class StepRefused(ValidationError):
    """The request's state does not allow this step now (skipped or repeated)."""


def check_text(library, *texts: str, confirmed: bool = False) -> None:
    """As `desk.record.check_text`, for a request that may have no encounter."""
    if confirmed:
        return
    found = [f for t in texts if t for f in pii.findings(t, library.card_number_pattern)]
    if found:
        raise PossiblePatronData(found)


def _names(files) -> list[str]:
    """File names as words ("maria_gonzalez-2026.pdf" → "maria gonzalez 2026"): a file's
    name can name the patron as well as any text."""
    return [re.sub(r"[_.\-]+", " ", Path(name).stem) for name, _data in files]


def _append(rr: RecordsRequest, user, step: str, **data) -> Event:
    return event_append(
        library=rr.library_id,
        encounter=rr.encounter_id,
        kind=Event.Kind.RECORDS,
        actor=user,
        ref=rr.ref,
        data={"step": step, **data},
    )


def _locked(rr: RecordsRequest) -> RecordsRequest:
    return RecordsRequest.objects.select_for_update().select_related("library").get(pk=rr.pk)


def _step(rr: RecordsRequest, user, step: str) -> RecordsRequest:
    """Lock the request; refuse a user who does not own the step, then a step the state
    does not allow now."""
    rr = _locked(rr)
    if not workflow.may(user, rr, step):
        raise PermissionDenied
    if step not in workflow.open_steps(rr):
        raise StepRefused(
            _("This step is not open now (the request is: %(state)s)."),
            params={"state": rr.get_state_display()},
        )
    return rr


def _text(value: str, limit: int) -> str:
    return (value or "").strip()[:limit]


def _date(value) -> str | None:
    return value.isoformat() if value else None


def _stored_file(library, name: str, data: bytes) -> tuple[str, bytes, str]:
    """A document file as it may be kept: a PDF rewritten with nothing that acts, a photo
    re-encoded without its metadata (EXIF, GPS). Returns the name, the bytes and their
    SHA-256."""
    from patronshield.checker.intake import UnreadableFile, storable

    try:
        name, clean = storable(name, data)
    except UnreadableFile as e:
        raise ValidationError(str(e)) from e
    return name[:200], clean, hashlib.sha256(clean).hexdigest()


def file_content(f: RequestFile) -> bytes | None:
    if not f.content:
        return None
    return crypto.decrypt(f.content, f"records-file:{f.sha256}")


# --------------------------------------------------------------------------- received


@transaction.atomic
def records_receive(
    *,
    user,
    kind: str,
    description: str,
    requester: str = Requester.OFFICER,
    agency: str = "",
    officer: str = "",
    reference: str = "",
    asked: str = Asked.RECORDS,
    received_on: datetime.date | None = None,
    deadline: datetime.date | None = None,
    nondisclosure_order: bool = False,
    nondisclosure_ends: datetime.date | None = None,
    encounter=None,
    files: list[tuple[str, bytes]] = (),
    confirmed: bool = False,
) -> RecordsRequest:
    """Any staff member records a request as it arrives: the document, who sent it, what
    it asks for (without naming the patron where possible), the deadline, any
    nondisclosure order, and the document's files (kept only encrypted)."""
    library = user.library
    if library is None:
        raise PermissionDenied
    if encounter is not None and encounter.library_id != library.pk:
        raise PermissionDenied
    if kind not in Kind.values:
        raise ValidationError(_("Choose what kind of document it is."))
    if asked not in Asked.values:
        raise ValidationError(_("Choose what is asked for."))
    if agency and agency not in Agency.values:
        raise ValidationError(_("Choose the agency from the list."))
    if requester not in Requester.values:
        raise ValidationError(_("Choose who is asking."))
    if requester != Requester.OFFICER:
        if kind not in PRIVATE_KINDS:
            raise ValidationError(
                _(
                    "A parent or a private party brings a court subpoena, a court order, the "
                    "patron's consent or a letter: choose one of those, or law enforcement."
                )
            )
        if asked == Asked.STAFF:
            raise ValidationError(_("A parent or a private party asks for patron records only."))
        agency = ""  # not an agency: the engine hears "other"
    description = _text(description, 2000)
    if not description:
        raise ValidationError(_("Describe what is asked for, without naming the patron."))
    reference = _text(reference, 200)
    check_text(library, description, reference, *_names(files), confirmed=confirmed)
    gagged = kind in GAG_KINDS or nondisclosure_order or bool(encounter and encounter.gagged)
    if nondisclosure_ends and not gagged:
        raise ValidationError(_("A date when nondisclosure ends needs a nondisclosure order."))
    rr = RecordsRequest(
        library=library,
        encounter=encounter,
        kind=kind,
        requester=requester,
        agency=agency,
        officer=_text(officer, 200),
        reference=reference,
        asked=asked,
        description=description,
        received_on=received_on or timezone.localdate(timezone=ZoneInfo(library.time_zone)),
        deadline=deadline,
        nondisclosure_order=bool(nondisclosure_order) and kind not in GAG_KINDS,
        nondisclosure_ends=nondisclosure_ends,
        received_by=user,
    )
    rr.full_clean()
    rr.save()
    keep = library.store_document_files
    stored = []
    for name, data in files:
        name, clean, digest = _stored_file(library, name, data)
        RequestFile.objects.create(
            request=rr,
            name=name,
            sha256=digest,
            size=len(clean),
            content=crypto.encrypt(clean, f"records-file:{digest}") if keep else None,
            key_id=crypto.keyring()[0] if keep else "",
        )
        stored.append({"sha256": digest, "size": len(clean), "kept": keep})
    _append(
        rr,
        user,
        "received",
        kind=rr.kind,
        requester=rr.requester,
        agency=rr.agency,
        officer=rr.officer,
        reference=rr.reference,
        asked=rr.asked,
        description=rr.description,
        received_on=_date(rr.received_on),
        deadline=_date(rr.deadline),
        nondisclosure=rr.gagged,
        nondisclosure_ends=_date(rr.nondisclosure_ends),
        files=stored,
        role=user.role,
        created_at=rr.created_at.isoformat(),  # `verify-log` compares the two
    )
    return rr


# ---------------------------------------------------------------------- counsel review


@transaction.atomic
def records_advise(
    *,
    rr: RecordsRequest,
    user,
    advice: str,
    notes: str = "",
    counsel_name: str = "",
    confirmed: bool = False,
) -> RecordsRequest:
    """Counsel's advice: comply, move to quash, negotiate or refuse. Written by counsel,
    or by the director recording counsel's advice under counsel's name."""
    rr = _step(rr, user, "advice")
    if advice not in Advice.values:
        raise ValidationError(_("Choose counsel's advice."))
    notes = _text(notes, 4000)
    check_text(rr.library, notes, confirmed=confirmed)
    if user.role == Role.COUNSEL:
        counsel_name = user.display_name
    else:
        counsel_name = _text(counsel_name, 200) or rr.library.counsel_name
        if not counsel_name:
            raise ValidationError(_("Name the counsel whose advice this is."))
    rr.advice, rr.advice_notes, rr.counsel_name = advice, notes, counsel_name
    rr.advised_by = user
    rr.state = workflow.STEPS["advice"].target
    rr.advised_at = _append(
        rr,
        user,
        "advice",
        advice=advice,
        notes=notes,
        counsel=counsel_name,
        recorded_by_role=user.role,
    ).at
    rr.save()
    return rr


# ------------------------------------------------------------------- director decision


def _citation_text(c) -> str:
    if c.verify:
        return f"{c.ref} ({gettext('to be confirmed by counsel')})"
    return c.ref


def proposal(rr: RecordsRequest, language: str = "en") -> dict:
    """What the policy engine says for this library's state, this document and what is
    asked: the director's starting point for the legal basis and the citations."""
    from patronshield.libraries.policies import adopted_table
    from patronshield.policy import Scenario, decide

    decision = decide(
        Scenario(
            state=rr.library.state,
            requester=rr.requester,
            agency=rr.agency or "other",
            request=rr.asked,
            document=rr.policy_document,
            patron_consent=rr.kind == Kind.CONSENT,
            language=vocab.language_or_default(language),
        ),
        adopted_table(rr.library),
    )
    return {
        "outcome": decision.outcome,
        "explanation": decision.explanation,
        "citations": [_citation_text(c) for c in decision.citations],
        "warnings": list(decision.warnings),
        "rules": list(decision.rules),
        "versions": decision.versions,
    }


def _added(text: str, rr: RecordsRequest) -> str:
    """What the director wrote beyond the engine's proposal (in any language): only that
    is checked for patron data (the statutes' names look like people's to the checker)."""
    for language in ("en", "es"):
        for sentence in re.split(r"(?<=[.!?])\s+", proposal(rr, language)["explanation"]):
            if sentence:
                text = text.replace(sentence, " ")
    return text


@transaction.atomic
def records_decide(
    *,
    rr: RecordsRequest,
    user,
    release: str,
    legal_basis: str,
    citations: list[str],
    confirmed: bool = False,
) -> RecordsRequest:
    """The director's (or a designee's) decision: release all, part or nothing, on what
    legal basis, citing which policy and statutes (proposed by the engine, editable)."""
    rr = _step(rr, user, "decision")
    from patronshield.libraries.policies import approver_check

    approver_check(rr.library, user)  # the director alone, if the policy says so
    if release not in Release.values:
        raise ValidationError(_("Choose what is released: all, part or nothing."))
    legal_basis = _text(legal_basis, 4000)
    if not legal_basis:
        raise ValidationError(_("Give the legal basis of the decision."))
    citations = [_text(c, 300) for c in citations if c and c.strip()][:MAX_CITATIONS]
    if not citations:
        raise ValidationError(_("Cite at least the policy or the statute the decision rests on."))
    engine = proposal(rr)
    check_text(rr.library, _added(legal_basis, rr), confirmed=confirmed)
    rr.release, rr.legal_basis, rr.citations = release, legal_basis, citations
    rr.decided_by = user
    rr.state = workflow.STEPS["decision"].target
    rr.decided_at = _append(
        rr,
        user,
        "decision",
        release=release,
        legal_basis=legal_basis,
        citations=citations,
        by=user.display_name,
        role=user.role,
        engine={k: engine[k] for k in ("outcome", "rules", "versions")},
    ).at
    rr.save()
    return rr


# -------------------------------------------------------------------------- release log


@transaction.atomic
def records_release(
    *,
    rr: RecordsRequest,
    user,
    what: str,
    recipient: str,
    under: str = "",
    released_on: datetime.date | None = None,
    files: list[tuple[str, bytes]] = (),
    hashes: list[str] = (),
    confirmed: bool = False,
) -> ReleasedItem:
    """One item handed over: what, to whom, under which document, and the SHA-256 of each
    file released (computed from the uploaded files, which are not kept, or given)."""
    rr = _step(rr, user, "release")
    what = _text(what, 2000)
    recipient = _text(recipient, 200)
    if not what or not recipient:
        raise ValidationError(_("Say what was released and to whom."))
    check_text(rr.library, what, *_names(files), confirmed=confirmed)
    under = _text(under, 200) or " ".join(filter(None, [str(rr.get_kind_display()), rr.reference]))
    given = []
    for h in hashes:
        h = h.strip().lower()
        if not h:
            continue
        if not SHA256.match(h):
            raise ValidationError(
                _("“%(hash)s” is not a SHA-256 (64 hexadecimal characters)."),
                params={"hash": h[:80]},
            )
        given.append({"name": "", "sha256": h, "size": None})
    uploaded = [
        {"name": Path(name).name[:200], "sha256": hashlib.sha256(data).hexdigest(),
         "size": len(data)}
        for name, data in files
    ]  # fmt: skip
    item = ReleasedItem.objects.create(
        request=rr,
        what=what,
        recipient=recipient,
        under=under,
        released_on=released_on or rr.today(),
        created_by=user,
    )
    for f in uploaded + given:
        ReleasedFile.objects.create(item=item, **f)
    _append(
        rr,
        user,
        "release",
        item=item.pk,
        what=what,
        recipient=recipient,
        under=under,
        released_on=_date(item.released_on),
        files=uploaded + given,
    )
    return item


@transaction.atomic
def records_release_close(*, rr: RecordsRequest, user) -> RecordsRequest:
    """The release log is complete (empty when nothing was released)."""
    rr = _step(rr, user, "release_closed")
    items = list(rr.released_items.prefetch_related("files"))
    if rr.release != Release.NONE and not items:
        raise StepRefused(_("Log what was released first."))
    rr.state = workflow.STEPS["release_closed"].target
    rr.released_at = _append(
        rr,
        user,
        "release_closed",
        items=len(items),
        sha256=sorted({f.sha256 for i in items for f in i.files.all()}),
    ).at
    rr.save()
    return rr


# ------------------------------------------------------------------------ patron notice


def _close(rr: RecordsRequest, user, event: Event) -> None:
    """Closed at the moment of the event that says so (`verify-log` compares the two)."""
    rr.closed_at, rr.closed_by = event.at, user
    rr.state = workflow.State.CLOSED
    rr.save()


@transaction.atomic
def records_notice(
    *,
    rr: RecordsRequest,
    user,
    notified_on: datetime.date,
    method: str,
    note: str = "",
    confirmed: bool = False,
) -> RecordsRequest:
    """The patron was told (when and how); refused while a nondisclosure order is in
    force. Closes the request and signs a checkpoint of the chain."""
    rr = _step(rr, user, "notice")
    if method not in NoticeMethod.values:
        raise ValidationError(_("Choose how the patron was notified."))
    if not notified_on or notified_on > rr.today():
        raise ValidationError(_("Give the date the patron was notified (not in the future)."))
    note = _text(note, 2000)
    if method == NoticeMethod.NOT_POSSIBLE and not note:
        raise ValidationError(_("Say why the patron could not be notified."))
    check_text(rr.library, note, confirmed=confirmed)
    rr.notice_on, rr.notice_method, rr.notice_note = notified_on, method, note
    event = _append(rr, user, "notice", notified_on=_date(notified_on), method=method, note=note)
    _close(rr, user, event)
    checkpoint_make(library=rr.library_id, reason=f"records request {rr.pk} closed")
    return rr


@transaction.atomic
def records_close_under_gag(*, rr: RecordsRequest, user) -> RecordsRequest:
    """Close without notice: the nondisclosure requirement has no end date (a National
    Security Letter or FISA order, or a court's order that names none)."""
    rr = _step(rr, user, "closed_under_gag")
    _close(rr, user, _append(rr, user, "closed_under_gag", kind=rr.kind))
    checkpoint_make(library=rr.library_id, reason=f"records request {rr.pk} closed")
    return rr


# ------------------------------------------------------------------- hold and access


@transaction.atomic
def records_hold(*, rr: RecordsRequest, user, on: bool, reason: str = "") -> RecordsRequest:
    """A legal hold keeps the request past its retention date, until lifted."""
    rr = _locked(rr)
    if not workflow.can_see(user, rr) or user.role not in workflow.HOLD_ROLES:
        raise PermissionDenied
    if rr.purged_at:
        raise ValidationError(_("This request has been purged under the retention schedule."))
    reason = _text(reason, 300)
    if on and not reason:
        raise ValidationError(_("Say why the request is held (e.g. the case it is for)."))
    rr.legal_hold = bool(on)
    rr.save(update_fields=["legal_hold"])
    _append(rr, user, "hold", on=bool(on), reason=reason)
    return rr


@transaction.atomic
def records_grant(*, rr: RecordsRequest, user, designee, on: bool = True) -> RecordsRequest:
    """The director lets counsel see (and advise on) a request, or a designee see (and act
    on) a request under nondisclosure."""
    rr = _locked(rr)
    if user.library_id != rr.library_id or user.role != Role.DIRECTOR:
        raise PermissionDenied
    if designee.library_id != rr.library_id or designee.role not in (Role.DESIGNEE, Role.COUNSEL):
        raise ValidationError(_("Choose a designee or counsel of this library."))
    if designee.role == Role.DESIGNEE and not rr.gagged:
        raise ValidationError(_("Only a request under nondisclosure needs access granted."))
    (rr.granted.add if on else rr.granted.remove)(designee)
    _append(rr, user, "grant", designee=designee.pk, name=designee.display_name, on=bool(on),
            role=designee.role)  # fmt: skip
    return rr


# ---------------------------------------------------------------------------- reminder


def reminder_recipients(library) -> list[str]:
    """The director only: the director's accounts and the roster's director."""
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


def reminder_message(rr: RecordsRequest, to: list[str]) -> EmailMessage:
    """Says no more than needed: the message may be read on a phone, over a shoulder.
    In the active language."""
    url = f"{settings.SITE_URL}/records/{rr.pk}/"
    fmt = {"pk": rr.pk, "library": rr.library.name, "ended": f"{rr.nondisclosure_ends:%Y-%m-%d}"}
    body = (
        gettext(
            "The nondisclosure order on records request #%(pk)s at %(library)s ended on "
            "%(ended)s.\n\n"
            "Unless counsel says it still applies, the patron may now be told about the "
            "request. Record the notice (date and how) here:\n\n"
        )
        % fmt
    )
    return EmailMessage(
        subject=gettext("Nondisclosure ended: records request #%(pk)s, %(library)s") % fmt,
        body=f"{body}{url}\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        headers={"Message-ID": f"<records-{rr.pk}-reminder-{get_language()}@patronshield>"},
    )


def records_reminders_send(*, now=None) -> list[str]:
    """On or after the day a nondisclosure order ends (the library's day), mail the
    director once. Called by `patronshield daily`; a failed send is tried again on the
    next run. A row is claimed before sending, so two runs never both send."""
    now = now or timezone.now()
    lines = []
    due = (
        RecordsRequest.objects.filter(
            nondisclosure_ends__isnull=False, reminder_sent_at=None, purged_at=None
        )
        .exclude(state=workflow.State.CLOSED)
        .select_related("library")
        .order_by("pk")
    )
    for rr in due:
        today = timezone.localdate(now, timezone=rr.library_zone)
        if not rr.gagged or today < rr.nondisclosure_ends:
            continue
        to = reminder_recipients(rr.library)
        if not to:
            lines.append(
                f"{rr.library.slug}: records request {rr.pk}: nondisclosure ended, but no "
                "director has an e-mail address to be reminded at"
            )
            continue
        claimed = RecordsRequest.objects.filter(pk=rr.pk, reminder_sent_at=None).update(
            reminder_sent_at=now
        )
        if not claimed:
            continue
        try:
            send_localized(to, lambda group, rr=rr: reminder_message(rr, group))
        except Exception as e:  # refused connections, timeouts, smtplib errors
            RecordsRequest.objects.filter(pk=rr.pk).update(reminder_sent_at=None)
            lines.append(f"{rr.library.slug}: reminder for records request {rr.pk} failed: {e}")
            continue
        _append(rr, None, "reminder", to=to, nondisclosure_ends=_date(rr.nondisclosure_ends))
        lines.append(f"{rr.library.slug}: reminded the director, records request {rr.pk}")
    return lines

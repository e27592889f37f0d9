"""The incident record after the first screens: who the officers were, what was viewed,
copied or taken, the receipt, notes, the director's decisions, the officers leaving, the
record closed, legal holds. Each write is an event on the library's chain; free text is
checked for what could identify a patron first (`pii`), and the caller decides.
"""

from __future__ import annotations

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from patronshield import crypto
from patronshield.accounts.models import APPROVER_ROLES, Role

from . import pii
from .chain import checkpoint_make, encounter_event
from .models import Attachment, Encounter, Event

WHY = {
    "email": _("looks like an e-mail address"),
    "phone": _("looks like a phone number"),
    "card": _("looks like a library card number"),
    "name": _("looks like a person's name"),
}
ITEM_ACTIONS = {
    "viewed": _("Viewed"),
    "copied": _("Copied"),
    "taken": _("Taken"),
}


class PossiblePatronData(ValidationError):
    """Free text that may identify a patron; save again with `confirmed=True` to keep it."""

    def __init__(self, found: list[pii.Finding]):
        self.found = found
        super().__init__(
            [_("“%(text)s” %(why)s.") % {"text": f.text, "why": WHY[f.kind]} for f in found]
        )


def check_text(encounter: Encounter, *texts: str, confirmed: bool = False) -> None:
    if confirmed:
        return
    pattern = encounter.library.card_number_pattern
    found = [f for t in texts if t for f in pii.findings(t, pattern)]
    if found:
        raise PossiblePatronData(found)


def _writable(encounter: Encounter, user, *, closing: bool = False) -> None:
    if user.library_id != encounter.library_id or user.role == Role.COUNSEL:
        raise PermissionDenied
    if encounter.purged_at:
        raise ValidationError(_("This record has been purged under the retention schedule."))
    if encounter.closed_at and not closing:
        raise ValidationError(_("This record is closed: nothing more can be added."))


_append = encounter_event  # an event of the encounter, on the chain


@transaction.atomic
def officer_add(
    *,
    encounter: Encounter,
    user,
    name: str = "",
    agency: str = "",
    badge: str = "",
    contact: str = "",
    vehicle: str = "",
    id_checked: bool = False,
) -> Event:
    """An officer as identified at the desk: name, agency, badge, contact, vehicle."""
    _writable(encounter, user)
    fields = {"name": name, "agency": agency, "badge": badge, "contact": contact}
    fields["vehicle"] = vehicle
    fields = {k: v.strip()[:200] for k, v in fields.items()}
    if not any(fields.values()):
        raise ValidationError(_("Write down at least a name, an agency or a badge number."))
    return _append(encounter, Event.Kind.OFFICER, user, id_checked=id_checked, **fields)


@transaction.atomic
def item_record(
    *,
    encounter: Encounter,
    user,
    action: str,
    description: str,
    from_collection: bool = False,
    barcode: str = "",
    confirmed: bool = False,
) -> Event:
    """Something the officers viewed, copied or took. An item taken from the collection is
    listed for marking missing in the catalogue (by its item barcode, never a patron's)."""
    _writable(encounter, user)
    if action not in ITEM_ACTIONS:
        raise ValidationError(_("Choose viewed, copied or taken."))
    description = description.strip()[:500]
    if not description:
        raise ValidationError(_("Describe what it was."))
    check_text(encounter, description, confirmed=confirmed)
    return _append(
        encounter,
        Event.Kind.ITEM,
        user,
        action=action,
        description=description,
        from_collection=bool(from_collection),
        barcode=barcode.strip()[:40],
    )


@transaction.atomic
def item_marked_missing(*, encounter: Encounter, user, item: Event) -> Event:
    _writable(encounter, user)
    if item.encounter_id != encounter.pk or item.kind != Event.Kind.ITEM:
        raise ValidationError(_("Not an item of this record."))
    return _append(encounter, Event.Kind.ITEM, user, marked_missing=item.seq)


def seized_items(encounter: Encounter) -> list[dict]:
    """Items taken from the collection, with whether each is marked missing yet."""
    events = list(encounter.events.filter(kind=Event.Kind.ITEM).order_by("seq"))
    marked = {e.data.get("marked_missing") for e in events if e.data}
    return [
        {"event": e, "missing": e.seq in marked, **e.data}
        for e in events
        if e.data and e.data.get("action") == "taken" and e.data.get("from_collection")
    ]


@transaction.atomic
def receipt_add(*, encounter: Encounter, user, name: str, data: bytes) -> Attachment:
    """A photo of the officer's receipt (Fed. R. Crim. P. 41(f)): re-encoded without
    metadata and kept only encrypted, or only its hash if the library keeps no images."""
    from patronshield.checker.intake import UnreadableFile, storable

    _writable(encounter, user)
    try:
        name, clean = storable(name, data)
    except UnreadableFile as e:
        raise ValidationError(str(e)) from e
    digest = hashlib.sha256(clean).hexdigest()
    keep = encounter.library.store_document_files
    attachment = Attachment.objects.create(
        encounter=encounter,
        kind=Attachment.Kind.RECEIPT,
        created_by=user,
        name=name[:200],
        sha256=digest,
        size=len(clean),
        content=crypto.encrypt(clean, f"attachment:{digest}") if keep else None,
        key_id=crypto.keyring()[0] if keep else "",
    )
    _append(
        encounter,
        Event.Kind.RECEIPT,
        user,
        attachment=attachment.pk,
        sha256=digest,
        kept=keep,
    )
    return attachment


def attachment_content(attachment: Attachment) -> bytes | None:
    if not attachment.content:
        return None
    return crypto.decrypt(attachment.content, f"attachment:{attachment.sha256}")


@transaction.atomic
def note_add(*, encounter: Encounter, user, text: str, confirmed: bool = False) -> Event:
    _writable(encounter, user)
    text = text.strip()[:4000]
    if not text:
        raise ValidationError(_("The note is empty."))
    check_text(encounter, text, confirmed=confirmed)
    return _append(encounter, Event.Kind.NOTE, user, text=text)


@transaction.atomic
def approval_record(
    *, encounter: Encounter, user, approved: bool, note: str = "", confirmed: bool = False
) -> Event:
    """The director's (or a designee's) decision on what was asked: only they approve."""
    _writable(encounter, user)
    if user.role not in APPROVER_ROLES:
        raise PermissionDenied
    from patronshield.libraries.policies import approver_check

    approver_check(encounter.library, user)  # the director alone, if the policy says so
    check_text(encounter, note, confirmed=confirmed)
    return _append(
        encounter,
        Event.Kind.APPROVAL,
        user,
        approved=bool(approved),
        request=encounter.request,
        document=encounter.document,
        outcome=encounter.outcome,
        role=user.role,
        by=user.display_name,
        note=note.strip()[:2000],
    )


@transaction.atomic
def officers_left(*, encounter: Encounter, user) -> Event:
    _writable(encounter, user)
    return _append(encounter, Event.Kind.LEFT, user)


def encounter_close(*, encounter: Encounter, user) -> Encounter:
    """Close the record: nothing more is added, and the chain's head is signed and mailed
    to the director and counsel (a checkpoint after every closed encounter but a drill)."""
    with transaction.atomic():
        encounter = Encounter.objects.select_for_update().get(pk=encounter.pk)
        _writable(encounter, user, closing=True)
        if user.role == Role.DESK and encounter.started_by_id != user.pk:
            raise PermissionDenied
        if encounter.closed_at:
            return encounter
        encounter.closed_at = _append(encounter, Event.Kind.CLOSED, user).at
        encounter.closed_by = user
        encounter.save(update_fields=["closed_at", "closed_by"])
        if not encounter.drill:  # a drill mails nobody; the daily checkpoint covers it
            checkpoint_make(library=encounter.library_id, reason=f"encounter {encounter.pk} closed")
    from . import signals

    signals.encounter_closed.send(sender=Encounter, encounter=encounter, user=user)
    return encounter


@transaction.atomic
def legal_hold_set(*, encounter: Encounter, user, on: bool, reason: str = "") -> Encounter:
    """A legal hold keeps the whole record past its retention date, until lifted."""
    if user.library_id != encounter.library_id or user.role not in (
        *APPROVER_ROLES,
        Role.ADMIN,
    ):
        raise PermissionDenied
    if on and not reason.strip():
        raise ValidationError(_("Say why the record is held (e.g. the case or the request)."))
    Encounter.objects.filter(pk=encounter.pk).update(legal_hold=on)
    encounter.legal_hold = on
    _append(encounter, Event.Kind.HOLD, user, on=on, reason=reason.strip()[:300])
    return encounter


@transaction.atomic
def counsel_invite(*, encounter: Encounter, user, email: str) -> Event:
    """The director or a designee gives counsel read-only access to this encounter."""
    from patronshield.accounts.models import User

    if user.library_id != encounter.library_id or user.role not in APPROVER_ROLES:
        raise PermissionDenied
    counsel = User.objects.filter(
        library_id=encounter.library_id, role=Role.COUNSEL, is_active=True,
        email=email.strip().lower(),
    ).first()  # fmt: skip
    if counsel is None:
        raise ValidationError(
            _("No counsel account with that e-mail at this library. The administrator adds one.")
        )
    encounter.counsel.add(counsel)
    return _append(encounter, Event.Kind.INVITED, user, counsel=counsel.display_name)

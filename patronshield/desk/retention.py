"""The retention schedule: content past its date is deleted, hashes stay.

Per library (the administrator edits the days in the library's profile): encounter records
(counted from closing, or from the start if never closed), photos of documents, records
requests. An encounter on legal hold is never purged. Purging an encounter deletes its
document pages and evidence, its attachments and the content of its events (the trigger
lets only that through), and keeps each event's hashes, so `verify-log` still holds; the
purge itself is an event on the chain, saying what was deleted, and when each encounter
started as its started event recorded it (the report counts a purged visit by its start).
"""

from __future__ import annotations

import time
from datetime import timedelta

from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from .chain import event_append, purging
from .models import Attachment, DocumentCheck, DocumentPage, Encounter, Event

# A drill is scored when it ends (the score is kept by training); its content is then
# purged a day later, whatever the library's schedule, and never held.
DRILL_RETENTION = timedelta(days=1)


# Encounters purged per transaction, adjusted as it runs so that each transaction (and the
# write lock SQLite holds for it) lasts about TARGET seconds: a purge of a million events
# never keeps the desk from writing for more than a moment.
BATCH = 500
MIN_BATCH, MAX_BATCH = 50, 4000
TARGET = 0.25


def _purge_encounters(library, pks: list[int], now) -> dict:
    """Purge these encounters, if still due (checked again in this transaction): their
    document pages and evidence, attachments and the content of their events. Returns the
    report part that names them, as the purge event records it."""
    part = {"encounters": [], "refs": [], "events": 0, "document_files": 0, "attachments": 0}
    rows = list(_due(library, now).filter(pk__in=pks).values_list("pk", "drill"))
    real = [pk for pk, drill in rows if not drill]
    drills = [pk for pk, drill in rows if drill]
    ids = real + drills
    if not ids:
        return part
    started = {}  # each encounter's first started event's content, before it is deleted
    for pk, data in (
        Event.objects.filter(encounter_id__in=ids, kind=Event.Kind.STARTED)
        .order_by("-seq")
        .values_list("encounter_id", "data")
    ):
        started[pk] = data
    pages = DocumentPage.objects.filter(document_check__encounter_id__in=ids)
    # Drills are listed apart, so that no count of real encounters includes them.
    part["document_files"] = (
        pages.filter(document_check__encounter_id__in=real).exclude(content=None).count()
    )
    part["attachments"] = Attachment.objects.filter(encounter_id__in=real).count()
    pages.update(content=None, key_id="", name="")
    DocumentCheck.objects.filter(encounter_id__in=ids).update(
        evidence=None, checklist={}, summary={}, error=""
    )
    Attachment.objects.filter(encounter_id__in=ids).delete()
    with purging():
        # Events with a ref belong to another record (a records request), which purges
        # them on its own schedule and legal hold.
        for group, key in ((real, "events"), (drills, "drill_events")):
            if group:
                if group is drills:
                    part["drills"] = drills
                part[key] = _purge_events(group, now)
    Encounter.objects.filter(pk__in=ids).update(
        purged_at=now, decision={}, acknowledged_by="", area=None
    )
    part["encounters"] = real
    for pk in real:
        data = started.get(pk)
        if data and "started_at" in data:
            part.setdefault("started", {})[str(pk)] = data["started_at"]
    return part


def _purge_events(encounters: list[int], now) -> int:
    """Delete the content of these encounters' own events (not those with a ref).

    Found by encounter, then updated by id: asked for `ref = ''` in the same query, SQLite
    walks the ref index, where nearly every event has '', so each batch read the whole log."""
    pks = [
        pk
        for pk, ref in Event.objects.filter(encounter_id__in=encounters, purged_at=None)
        .values_list("pk", "ref")
        .iterator()
        if not ref
    ]
    n = 0
    for i in range(0, len(pks), 900):
        n += Event.objects.filter(pk__in=pks[i : i + 900], purged_at=None).update(
            data=None, purged_at=now
        )
    return n


def _due(library, now):
    cutoff = now - timedelta(days=library.retain_encounters_days)
    return (
        Encounter.objects.filter(library=library, purged_at=None)
        .annotate(since=Coalesce(F("closed_at"), F("started_at")))
        .filter(
            Q(drill=False, legal_hold=False, since__lt=cutoff)
            | Q(drill=True, since__lt=now - DRILL_RETENTION)
        )
        .order_by("pk")
    )


def _add(report: dict, part: dict) -> None:
    for k, v in part.items():
        if isinstance(v, list):
            report[k] = report.get(k, []) + v
        elif isinstance(v, dict):
            report[k] = {**report.get(k, {}), **v}
        else:
            report[k] = report.get(k, 0) + v


def purge_library(library, now=None) -> dict:
    """Purge what is past its date in one library; returns the report (also on the chain).

    In short transactions: each commits the content it deletes together with the purge
    event that says so (`verify-log` requires one for every deleted content), so that
    a purge stopped halfway leaves a log that verifies. A library with fewer due
    encounters than one batch gets one transaction and one purge event, as it always did."""
    now = now or timezone.now()
    report = {"encounters": [], "refs": [], "events": 0, "document_files": 0, "attachments": 0}
    pending = list(_due(library, now).values_list("pk", flat=True))
    size = BATCH
    while len(pending) > size:
        batch, pending = pending[:size], pending[size:]
        began = time.monotonic()
        with transaction.atomic():
            part = _purge_encounters(library, batch, now)
            if part["encounters"] or part.get("drills"):
                event_append(library=library, kind=Event.Kind.PURGED, data=part)
        _add(report, part)
        took = time.monotonic() - began
        if took > TARGET * 2:
            size = max(MIN_BATCH, size // 2)
        elif took < TARGET / 2:
            size = min(MAX_BATCH, size * 2)
    with transaction.atomic():
        part = _purge_encounters(library, pending, now)
        # Photos of documents have their own, usually shorter, schedule.
        photos = DocumentPage.objects.filter(
            document_check__encounter__library=library,
            document_check__encounter__legal_hold=False,
            document_check__created_at__lt=now - timedelta(days=library.retain_documents_days),
        ).exclude(content=None)
        part["document_files"] += photos.update(content=None, key_id="")
        old = Attachment.objects.filter(
            encounter__library=library,
            encounter__legal_hold=False,
            created_at__lt=now - timedelta(days=library.retain_documents_days),
        )
        part["attachments"] += old.count()
        old.delete()
        from . import signals  # other record types (records requests) purge themselves

        for _receiver, extra in signals.purge_due.send(sender=None, library=library, now=now):
            _add(part, extra or {})
        if any(v for v in part.values()):
            event_append(library=library, kind=Event.Kind.PURGED, data=part)
    _add(report, part)
    return report

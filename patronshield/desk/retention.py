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


def _purge_encounter(encounter: Encounter, now) -> dict:
    pages = DocumentPage.objects.filter(document_check__encounter=encounter)
    counts = {
        "document_files": pages.exclude(content=None).count(),
        "attachments": encounter.attachments.count(),
    }
    pages.update(content=None, key_id="", name="")
    DocumentCheck.objects.filter(encounter=encounter).update(
        evidence=None, checklist={}, summary={}, error=""
    )
    encounter.attachments.all().delete()
    with purging():
        # Events with a ref belong to another record (a records request), which purges
        # them on its own schedule and legal hold.
        counts["events"] = Event.objects.filter(encounter=encounter, ref="", purged_at=None).update(
            data=None, purged_at=now
        )
    Encounter.objects.filter(pk=encounter.pk).update(
        purged_at=now, decision={}, acknowledged_by="", area=None
    )
    return counts


def purge_library(library, now=None) -> dict:
    """Purge what is past its date in one library; returns the report (also on the chain)."""
    now = now or timezone.now()
    report = {"encounters": [], "refs": [], "events": 0, "document_files": 0, "attachments": 0}
    cutoff = now - timedelta(days=library.retain_encounters_days)
    due = (
        Encounter.objects.filter(library=library, purged_at=None)
        .annotate(since=Coalesce(F("closed_at"), F("started_at")))
        .filter(
            Q(drill=False, legal_hold=False, since__lt=cutoff)
            | Q(drill=True, since__lt=now - DRILL_RETENTION)
        )
        .order_by("pk")
    )
    with transaction.atomic():
        for encounter in due:
            started = encounter.events.filter(kind=Event.Kind.STARTED).first()
            counts = _purge_encounter(encounter, now)
            # Drills are listed apart, so that no count of real encounters includes them.
            if encounter.drill:
                report.setdefault("drills", []).append(encounter.pk)
                report["drill_events"] = report.get("drill_events", 0) + counts["events"]
                continue
            report["encounters"].append(encounter.pk)
            if started and started.data and "started_at" in started.data:
                report.setdefault("started", {})[str(encounter.pk)] = started.data["started_at"]
            for k, v in counts.items():
                report[k] += v
        # Photos of documents have their own, usually shorter, schedule.
        photos = DocumentPage.objects.filter(
            document_check__encounter__library=library,
            document_check__encounter__legal_hold=False,
            document_check__created_at__lt=now - timedelta(days=library.retain_documents_days),
        ).exclude(content=None)
        report["document_files"] += photos.update(content=None, key_id="")
        old = Attachment.objects.filter(
            encounter__library=library,
            encounter__legal_hold=False,
            created_at__lt=now - timedelta(days=library.retain_documents_days),
        )
        report["attachments"] += old.count()
        old.delete()
        from . import signals  # other record types (records requests) purge themselves

        for _receiver, extra in signals.purge_due.send(sender=None, library=library, now=now):
            for k, v in (extra or {}).items():
                if isinstance(v, list):
                    report[k] = report.get(k, []) + v
                else:
                    report[k] = report.get(k, 0) + v
        if any(v for v in report.values()):
            event_append(library=library, kind=Event.Kind.PURGED, data=report)
    return report

"""Records requests on the retention schedule: a request closed more than the library's
`retain_requests_days` ago is purged by the daily job (`desk.retention.purge_library` sends
`desk.signals.purge_due`), unless it or its encounter is on legal hold.

Purging deletes the document files' content and names and every descriptive free text (what
was asked, the officer, the case number, counsel's notes, the legal basis, what was released
and to whom, the notice's note), and the content of the request's events on the chain (the
trigger lets only that through). It keeps the workflow's skeleton (kind, agency, dates,
state, advice, decision, who did each step) and every hash, so the chain still verifies.
"""

from __future__ import annotations

from datetime import timedelta

from patronshield.desk.chain import event_append, purging
from patronshield.desk.models import Event

from .models import RecordsRequest, ReleasedFile, ReleasedItem, RequestFile


def _purge(rr: RecordsRequest, now) -> dict:
    files = RequestFile.objects.filter(request=rr)
    counts = {"records_files": files.exclude(content=None).count()}
    files.update(content=None, key_id="", name="")
    ReleasedItem.objects.filter(request=rr).update(what="", recipient="", under="")
    ReleasedFile.objects.filter(item__request=rr).update(name="")
    with purging():
        counts["events"] = Event.objects.filter(
            library_id=rr.library_id, ref=rr.ref, purged_at=None
        ).update(data=None, purged_at=now)
    RecordsRequest.objects.filter(pk=rr.pk).update(
        purged_at=now,
        description="",
        officer="",
        reference="",
        advice_notes="",
        legal_basis="",
        citations=[],
        notice_note="",
    )
    event_append(
        library=rr.library_id,
        encounter=rr.encounter_id,
        kind=Event.Kind.RECORDS,
        ref=rr.ref,
        data={"step": "purged", **counts},
    )
    return counts


def purge_library(library, now) -> dict:
    cutoff = now - timedelta(days=library.retain_requests_days)
    due = (
        RecordsRequest.objects.filter(
            library=library, purged_at=None, legal_hold=False, closed_at__lt=cutoff
        )
        .exclude(encounter__legal_hold=True)
        .order_by("pk")
    )
    report = {"records_requests": 0, "records_files": 0, "events": 0, "refs": []}
    for rr in due:
        for k, v in _purge(rr, now).items():
            report[k] += v
        report["records_requests"] += 1
        report["refs"].append(rr.ref)  # the purge event names what it deleted
    return report


def purge_due_receiver(sender, library, now, **kwargs) -> dict:
    """Connected to `desk.signals.purge_due`; runs inside the purge's transaction."""
    return purge_library(library, now)

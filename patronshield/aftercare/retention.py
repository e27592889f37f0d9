"""After-action reviews on the retention schedule: when the daily purge deletes an
encounter's content (`desk.retention`, which sends `desk.signals.purge_due`), its review's
free text, its tasks, its unpublished statements and every check-in go with it. A published
statement stays: it was written for the public and names nobody."""

from __future__ import annotations

from .models import CheckIn, Review, Statement, Task


def purge_library(library, now) -> dict:
    due = Review.objects.filter(library=library, purged_at=None, encounter__purged_at__isnull=False)
    ids = list(due.values_list("pk", flat=True))
    if not ids:
        return {}
    checkins, _ = CheckIn.objects.filter(review_id__in=ids).delete()
    Task.objects.filter(review_id__in=ids).delete()
    Statement.objects.filter(review_id__in=ids, published=False).delete()
    Review.objects.filter(pk__in=ids).update(
        purged_at=now, went_well="", went_badly="", policy_step="", to_change="",
        impact_seen="", impact_rumours="", impact_groups="",
    )  # fmt: skip
    return {"after_action_reviews": len(ids), "check_ins": checkins}


def purge_due_receiver(sender, library, now, **kwargs) -> dict:
    """Connected to `desk.signals.purge_due`; runs inside the purge's transaction."""
    return purge_library(library, now)

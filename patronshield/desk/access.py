"""The access log: every view of an encounter's or a records request's content, by whom,
for the director."""

from datetime import timedelta

from django.utils import timezone

from .models import Access

QUIET = timedelta(minutes=5)  # the same person on the same page: one line per five minutes


def access_record(*, request, what: str, encounter=None, records_request=None) -> None:
    """Log that `request.user` opened `what` of an encounter or of a records request."""
    if encounter is not None and encounter.drill:
        return  # a drill is not a record: nobody's reading of it is logged
    user = request.user
    subject = encounter or records_request
    where = {"encounter": encounter, "ref": records_request.ref if records_request else ""}
    recent = Access.objects.filter(**where, user=user, what=what, at__gte=timezone.now() - QUIET)
    if not recent.exists():
        Access.objects.create(library_id=subject.library_id, user=user, what=what, **where)

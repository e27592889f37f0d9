"""The access log: every view of an encounter's content, by whom, for the director."""

from datetime import timedelta

from django.utils import timezone

from .models import Access

QUIET = timedelta(minutes=5)  # the same person on the same page: one line per five minutes


def access_record(*, request, encounter, what: str) -> None:
    if encounter.drill:
        return  # a drill is not a record: nobody's reading of it is logged
    user = request.user
    recent = Access.objects.filter(
        encounter=encounter, user=user, what=what, at__gte=timezone.now() - QUIET
    )
    if not recent.exists():
        Access.objects.create(
            library_id=encounter.library_id, encounter=encounter, user=user, what=what
        )

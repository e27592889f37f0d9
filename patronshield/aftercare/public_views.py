"""The library's published statements to the community: public, no cookie, no record."""

from django.shortcuts import render
from django.utils.translation import get_language

from patronshield.public.views import public_library, public_view

from .models import Statement


@public_view
def statements(request, library=None):
    lib = public_library(library)
    published = (
        Statement.objects.filter(review__library=lib, published=True)
        .exclude(text="")
        .order_by("-approved_at", "review_id", "language")
    )
    groups: dict[int, list] = {}
    for s in published:
        groups.setdefault(s.review_id, []).append(s)
    here = get_language()
    for group in groups.values():  # the reader's language first
        group.sort(key=lambda s: s.language != here)
    return render(
        request,
        "aftercare/statements_public.html",
        {"library": lib, "groups": list(groups.values()), "nav": "statements"},
    )

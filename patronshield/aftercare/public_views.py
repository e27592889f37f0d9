"""The library's published statements to the community: public, no cookie, no record."""

from django.shortcuts import render
from django.utils.translation import get_language

from patronshield.public.views import public_library, public_view

from .models import Statement


def _reader_rank(request):
    """How far down the reader's preferences (Accept-Language, then the page's language) a
    statement's language comes: a reader of Arabic sees the Arabic text first, although the
    page around it is in English."""
    from django.utils.translation.trans_real import parse_accept_lang_header

    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    prefs = [code.lower() for code, _q in parse_accept_lang_header(header) if code != "*"]
    prefs.append(get_language().lower())

    def rank(language: str) -> int:
        code = language.lower()
        return next(
            (i for i, p in enumerate(prefs) if p in (code, code.split("-")[0])),
            len(prefs),
        )

    return rank


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
    rank = _reader_rank(request)
    page = get_language()
    shown = []
    for group in groups.values():  # the reader's languages first
        group.sort(key=lambda s: rank(s.language))
        # The heading ("the week of …") in the page's language when there is one.
        dated = sorted((s for s in group if s.period), key=lambda s: s.language != page)
        shown.append((dated[0] if dated else None, group))
    return render(
        request,
        "aftercare/statements_public.html",
        {"library": lib, "groups": shown, "nav": "statements"},
    )

"""The library's published statements to the community: public, no cookie, no record."""

from zoneinfo import ZoneInfo

from django.shortcuts import render

from patronshield.public import content
from patronshield.public.views import in_language, negotiated, page_context, public_library

from .models import Statement


def _reader_rank(request, page: str):
    """How far down the reader's preferences (the page's language, then Accept-Language) a
    statement's language comes: a reader of Arabic sees the Arabic text first."""
    from django.utils.translation.trans_real import parse_accept_lang_header

    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    prefs = [page.lower()]
    prefs += [code.lower() for code, _q in parse_accept_lang_header(header) if code != "*"]

    def rank(language: str) -> int:
        code = language.lower()
        return next(
            (i for i, p in enumerate(prefs) if p in (code, code.split("-")[0])),
            len(prefs),
        )

    return rank


def _statements(request, code, library=None):
    lib = public_library(library)
    published = (
        Statement.objects.filter(review__library=lib, published=True)
        .exclude(text="")
        .order_by("-approved_at", "review_id", "language")
    )
    groups: dict[int, list] = {}
    for s in published:
        groups.setdefault(s.review_id, []).append(s)
    rank = _reader_rank(request, code)
    page = code
    shown = []
    for group in groups.values():  # the reader's languages first
        group.sort(key=lambda s: rank(s.language))
        # The heading ("the week of …") in the page's language when there is one.
        dated = sorted((s for s in group if s.period), key=lambda s: s.language != page)
        approved = group[0].approved_at
        when = None
        if not dated and approved:
            when = content.month_year(code, approved.astimezone(ZoneInfo(lib.time_zone)))
        shown.append((dated[0] if dated else None, when, group))
    context = page_context(request, lib, code, "statements")
    context["groups"] = shown
    return render(request, "aftercare/statements_public.html", context)


statements = negotiated(_statements)
statements_in = in_language("statements")(_statements)

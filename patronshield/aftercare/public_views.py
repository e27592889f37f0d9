"""The library's published statements to the community: public, no cookie, no record."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.syndication.views import Feed
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

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


class StatementsFeed(Feed):
    """The published statements as an Atom feed, newest first, every language: for the press
    and for tools that watch the library. Each entry's text is the statement as published."""

    feed_type = Atom1Feed
    limit = 50

    def get_object(self, request, library=None):
        return public_library(library)

    def title(self, lib):
        return f"{lib.name}: statements"

    def subtitle(self, lib):
        return f"Statements {lib.name} has published about law enforcement visits."

    def link(self, lib):
        return self._page(lib)

    def _page(self, lib, code="en"):
        """The statements page, at the root for the deployment's library, else the member's."""
        if settings.PATRONSHIELD_PUBLIC_LIBRARY in ("", lib.slug):
            return reverse("statements:list_in", kwargs={"code": code})
        return reverse("statements:list_in", kwargs={"library": lib.slug, "code": code})

    def items(self, lib):
        return (
            Statement.objects.filter(review__library=lib, published=True)
            .exclude(text="")
            .exclude(approved_at=None)
            .order_by("-approved_at", "review_id", "language")[: self.limit]
        )

    def item_title(self, s):
        return f"{s.language_name}: {s.period or f'{s.approved_at:%B %Y}'}"

    def item_description(self, s):
        return s.text

    def item_link(self, s):
        return f"{self._page(s.review.library, s.language)}#statement-{s.pk}"

    def item_guid(self, s):
        return f"statement-{s.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, s):
        return s.approved_at

    def item_updateddate(self, s):
        return s.approved_at


statements_feed = login_not_required(StatementsFeed())

"""Public pages: no login, no cookie, nothing from another origin, nothing logged.

Every view serves the deployment's library, or under /l/<slug>/ a consortium member."""

import datetime as dt
import zoneinfo
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from patronshield.libraries.models import Library

from . import calendar, content, pdfs, transparency
from .models import Event, Resource, ReviewStatus, TranslationReview

FIRST_CALLS = [Resource.Kind.LEGAL_AID, Resource.Kind.HOTLINE]
SERVICE_WORKER = (Path(__file__).parent / "static" / "public" / "sw.js").read_text()


def public_library(slug: str | None) -> Library:
    """The library named in the URL, else the one set for this deployment, else the only one."""
    if slug or (slug := settings.PATRONSHIELD_PUBLIC_LIBRARY):
        return get_object_or_404(Library, slug=slug)
    libraries = list(Library.objects.all()[:2])
    if len(libraries) != 1:
        raise Http404("Set PATRONSHIELD_PUBLIC_LIBRARY to the library these pages are for.")
    return libraries[0]


def public_view(view):
    return login_not_required(require_safe(view))


def review_of(code: str) -> dict:
    """The review that covers this language's current text, if any."""
    version = content.load(code)["meta"]["version"]
    review = TranslationReview.objects.filter(language=code, version=version).first()
    if review is None:
        return {"status": ReviewStatus.MACHINE, "reviewed_on": None, "version": version}
    return {"status": review.status, "reviewed_on": review.reviewed_on, "version": version}


def rights_context(library: Library, code: str) -> dict:
    if code not in content.CODES:
        raise Http404
    review = review_of(code)
    values = content.library_values(library) | {
        "version": review["version"],
        "date": review["reviewed_on"].isoformat() if review["reviewed_on"] else "",
    }
    return {
        "library": library,
        "code": code,
        "dir": content.direction(code),
        "t": content.localized(code, values),
        "en": content.localized("en", values),
        "review": review,
        "has_state_law": "law" in values,
        "contacts": sorted(
            library.public_resources.filter(kind__in=FIRST_CALLS),
            key=lambda r: (FIRST_CALLS.index(r.kind), r.position, r.name),
        ),
    }


@public_view
def rights_index(request, library=None):
    lib = public_library(library)
    languages = [
        {
            "code": c,
            "name": content.NAMES[c],
            "english": content.load(c)["meta"]["english_name"],
            "dir": content.direction(c),
        }
        for c in content.CODES
    ]
    return render(
        request,
        "public/rights_index.html",
        {"library": lib, "languages": languages, "nav": "rights"},
    )


@public_view
def rights_page(request, code, library=None):
    context = rights_context(public_library(library), code)
    context["nav"] = "rights"
    context["languages"] = [(c, content.NAMES[c]) for c in content.CODES if c != code]
    return render(request, "public/rights.html", context)


@public_view
def rights_pdf(request, code, kind, library=None):
    if kind not in pdfs.KINDS:
        raise Http404
    context = rights_context(public_library(library), code)
    size = "A4" if request.GET.get("size") == "a4" else "letter"
    page_url = settings.SITE_URL + request.path.rsplit("/", 1)[0] + "/"
    data = pdfs.render(kind, context, page_url=page_url, size=size)
    response = HttpResponse(data, content_type="application/pdf")
    filename = f"{context['library'].slug}-rights-{code}-{kind}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@public_view
def resources(request, library=None):
    lib = public_library(library)
    groups = {label: [] for _kind, label in Resource.Kind.choices}  # first calls first
    for resource in lib.public_resources.all():
        groups[resource.get_kind_display()].append(resource)
    groups = {label: rows for label, rows in groups.items() if rows}
    return render(
        request, "public/resources.html", {"library": lib, "groups": groups, "nav": "resources"}
    )


@public_view
def events(request, library=None):
    lib = public_library(library)
    upcoming = lib.public_events.filter(ends_at__gte=timezone.now())
    return render(
        request, "public/events.html", {"library": lib, "events": upcoming, "nav": "events"}
    )


@public_view
def events_ics(request, library=None):
    lib = public_library(library)
    since = timezone.now() - dt.timedelta(days=30)
    url = settings.SITE_URL + request.path.removesuffix("events.ics") + "events/"
    body = calendar.ics(lib, Event.objects.filter(library=lib, ends_at__gte=since), url)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{lib.slug}-events.ics"'
    return response


@public_view
def service_worker(request, library=None):
    public_library(library)
    response = HttpResponse(SERVICE_WORKER, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


def _quarter_tables(q) -> list[dict]:
    from . import charts

    tables = []
    for name, (title, _labels) in transparency.TABLES.items():
        cells = q.tables[name]
        svg = charts.bar_chart(
            cells,
            chart_id=f"chart-{q.slug}-{name}",
            title=f"{title}, {q.slug}",
            desc=charts.describe(cells),
        )
        tables.append({"name": name, "title": title, "cells": cells, "svg": svg})
    return tables


@public_view
def transparency_report(request, library=None, year=None, quarter=None):
    """The latest ended quarter in detail (or the one asked for), and the list of all."""
    lib = public_library(library)
    report = transparency.build(lib)
    shown = report.quarters[0] if report.quarters else None
    if year is not None:
        slug = f"{year}-Q{quarter}"
        shown = next((q for q in report.quarters if q.slug == slug), None)
        if shown is None:
            raise Http404
    context = {
        "library": lib,
        "report": report,
        "shown": shown,
        "tables": _quarter_tables(shown) if shown else [],
        "nav": "transparency",
        "rule": transparency.NATIONAL_SECURITY_RULE,
    }
    return render(request, "public/transparency.html", context)


@public_view
def transparency_csv(request, library=None):
    """The same numbers as the page, as published: each count's band in words, its low
    and high, and the day the period's figures were published (they do not change)."""
    import csv
    import io

    lib = public_library(library)
    report = transparency.build(lib)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["period", "table", "category", "label", "count", "low", "high", "published"])
    zone = zoneinfo.ZoneInfo(lib.time_zone)
    for q in report.quarters:
        day = q.published_at.astimezone(zone).date()
        writer.writerow([q.slug, "total", "total", "", q.total_shown, q.total_low, q.total_high,
                         day])  # fmt: skip
        for name, cells in q.tables.items():
            for c in cells:
                writer.writerow([q.slug, name, c.key, c.label, c.shown, c.low, c.high, day])
    for h in report.halves:
        day = h.published_at.astimezone(zone).date()
        for key, label, shown in (("nsl", _("National Security Letters"), h.nsl),
                                  ("fisa", _("FISA orders"), h.fisa)):  # fmt: skip
            writer.writerow([h.slug, "national_security", key, label, shown, *shown.split("–"),
                             day])  # fmt: skip
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{lib.slug}-transparency.csv"'
    return response

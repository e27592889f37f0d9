"""Public pages: no login, no cookie, nothing from another origin, nothing logged.

Every view serves the deployment's library, or under /l/<slug>/ a consortium member."""

import dataclasses
import datetime as dt
import zoneinfo
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from patronshield.libraries.models import Library

from . import calendar, content, machine, pdfs, rendered, transparency
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


# Every public page by its name, and the name of its URL with a language code.
ROUTES = {
    "rights": "public:rights",
    "resources": "public:resources_in",
    "events": "public:events_in",
    "transparency": "public:transparency_in",
    "statements": "statements:list_in",
}


def page_url(request, page: str, code: str, **kwargs) -> str:
    """The URL of a public page in a language, under /l/<slug>/ when the current page is."""
    match = request.resolver_match
    if match and (slug := match.kwargs.get("library")):
        kwargs["library"] = slug
    name = ROUTES[page]
    if page == "transparency" and "year" in kwargs:
        name = "public:transparency_quarter_in"
    return reverse(name, kwargs={"code": code, **kwargs})


def page_context(request, library: Library, code: str, page: str, **url_kwargs) -> dict:
    """What every public page shows around its content, in the reader's language: the
    navigation to the other pages in the same language, the same page in every other
    language, and the labels' review status (machine-drafted translations say so)."""
    labels = content.localized_labels(code, {"library": library.name})
    return {
        "library": library,
        "code": code,
        "dir": content.direction(code),
        "nav": page,
        "L": labels,
        "nav_links": [(p, page_url(request, p, code), labels["nav"][p]) for p in ROUTES],
        "other_languages": [
            (c, content.NAMES[c], page_url(request, page, c, **url_kwargs))
            for c in content.CODES
            if c != code
        ],
        "english_url": page_url(request, page, "en", **url_kwargs),
        "label_status": labels["meta"]["status"],
    }


def in_language(page: str):
    """A view of a page in a language: a code we do not have goes to the closest one we
    have ("zh" to "zh-Hans"), or to the list of languages, never to a bare "Not Found"."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, code, library=None, **kwargs):
            if code not in content.CODES:
                if found := content.closest(code):
                    url_kwargs = {k: v for k, v in kwargs.items() if k in ("year", "quarter")}
                    if "kind" in kwargs:  # a PDF of the rights text
                        url = page_url(request, "rights", found) + f"{kwargs['kind']}.pdf"
                        return redirect(url)
                    return redirect(page_url(request, page, found, **url_kwargs))
                return choose_language(request, page, code, library)
            response = view(request, code=code, library=library, **kwargs)
            response["Content-Language"] = code
            return rendered.public_response(request, response)

        return public_view(wrapper)

    return decorate


def negotiated(view):
    """The page without a language code: in the browser's language when we have it."""

    @wraps(view)
    def wrapper(request, library=None, **kwargs):
        code = content.negotiate(request.META.get("HTTP_ACCEPT_LANGUAGE", ""))
        response = view(request, code=code, library=library, **kwargs)
        response["Content-Language"] = code
        patch_vary_headers(response, ["Accept-Language"])
        return rendered.public_response(request, response)

    return public_view(wrapper)


def choose_language(request, page: str, asked: str, library=None):
    lib = public_library(library)
    code = content.negotiate(request.META.get("HTTP_ACCEPT_LANGUAGE", ""))
    context = page_context(request, lib, code, page)
    context["L"]["choose"]["unknown"] = content.fill(
        content.labels(code)["choose"]["unknown"], {"asked": asked[:40]}
    )
    context["languages"] = [
        {
            "code": c,
            "name": content.NAMES[c],
            "english": content.load(c)["meta"]["english_name"],
            "dir": content.direction(c),
            "url": page_url(request, page, c),
        }
        for c in content.CODES
    ]
    return render(request, "public/choose.html", context, status=404)


def render_page(request, template: str, context: dict) -> rendered.Rendered:
    """A public page's HTML, the same whatever the visitor's cookies or language settings."""
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(template, context, request)
    return rendered.Rendered(html.encode(), "text/html; charset=utf-8")


@negotiated
def rights_index(request, code, library=None):
    def render():
        lib = public_library(library)
        context = page_context(request, lib, code, "rights")
        context["languages"] = [
            {
                "code": c,
                "name": content.NAMES[c],
                "english": content.load(c)["meta"]["english_name"],
                "dir": content.direction(c),
                "url": page_url(request, "rights", c),
            }
            for c in content.CODES
        ]
        return render_page(request, "public/rights_index.html", context)

    key = rendered.key_for("rights_index", request, code)
    return rendered.respond(request, key, render, by_path=False)  # the browser's language


@in_language("rights")
def rights_page(request, code, library=None):
    def render():
        lib = public_library(library)
        context = page_context(request, lib, code, "rights") | rights_context(lib, code)
        return render_page(request, "public/rights.html", context)

    return rendered.respond(request, rendered.key_for("rights", request), render)


@in_language("rights")
def rights_pdf(request, code, kind, library=None):
    if kind not in pdfs.KINDS:
        raise Http404
    size = "A4" if request.GET.get("size") == "a4" else "letter"

    def render():
        context = rights_context(public_library(library), code)
        page_url = settings.SITE_URL + request.path.rsplit("/", 1)[0] + "/"
        data = pdfs.render(kind, context, page_url=page_url, size=size)
        filename = f"{context['library'].slug}-rights-{code}-{kind}.pdf"
        disposition = {"Content-Disposition": f'inline; filename="{filename}"'}
        return rendered.Rendered(data, "application/pdf", disposition)

    return rendered.respond(request, rendered.key_for("rights_pdf", request, size), render)


def _resources(request, code, library=None):
    lib = public_library(library)
    context = page_context(request, lib, code, "resources")
    kinds = context["L"]["resources"]["kinds"]
    groups = {kind: [] for kind in Resource.Kind.values}  # first calls first
    for resource in lib.public_resources.all():
        groups[resource.kind].append(resource)
    context["groups"] = [(kinds[kind], rows) for kind, rows in groups.items() if rows]
    return render(request, "public/resources.html", context)


def _events(request, code, library=None):
    lib = public_library(library)
    context = page_context(request, lib, code, "events")
    zone = zoneinfo.ZoneInfo(lib.time_zone)
    kinds = context["L"]["events"]["kinds"]
    upcoming = []
    for event in lib.public_events.filter(ends_at__gte=timezone.now()):
        starts, ends = event.starts_at.astimezone(zone), event.ends_at.astimezone(zone)
        event.kind_label = kinds[event.kind]
        times = f"{starts:%H:%M}–{ends:%H:%M}"
        if ends.date() != starts.date():
            times = f"{starts:%H:%M}–{content.long_date(code, ends)} {ends:%H:%M}"
        day = format_html(
            '<time datetime="{}">{}</time>',
            starts.isoformat(),
            content.long_date(code, starts, weekday=True),
        )
        pattern = escape(content.labels(code)["dates"]["day_time"])
        event.when = mark_safe(  # noqa: S308 (the pattern escaped, the parts built escaped)
            pattern.replace("{date}", day).replace(
                "{time}", format_html('<bdi dir="ltr">{}</bdi>', times)
            )
        )
        upcoming.append(event)
    context["events"] = upcoming
    return render(request, "public/events.html", context)


resources = negotiated(_resources)
resources_in = in_language("resources")(_resources)
events = negotiated(_events)
events_in = in_language("events")(_events)


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


def _quarter_tables(q, code: str, labels: dict) -> list[dict]:
    """The quarter's four tables and their charts, every label and band in the language."""
    from . import charts

    tables = []
    for name in transparency.TABLES:
        title = labels["tables"][name]
        cells = [
            dataclasses.replace(
                c, label=str(labels[name][c.key]), shown=content.band(code, c.low, c.high)
            )
            for c in q.tables[name]
        ]
        svg = charts.bar_chart(
            cells,
            chart_id=f"chart-{q.slug}-{name}",
            title=f"{title}, {q.slug}",
            desc=charts.describe(cells),
            code=code,
        )
        tables.append({"name": name, "title": title, "cells": cells, "svg": svg})
    return tables


def _transparency(request, code, library=None, year=None, quarter=None):
    """The latest ended quarter in detail (or the one asked for), and the list of all."""
    lib = public_library(library)
    report = transparency.build(lib)
    shown = report.quarters[0] if report.quarters else None
    if year is not None:
        slug = f"{year}-Q{quarter}"
        shown = next((q for q in report.quarters if q.slug == slug), None)
        if shown is None:
            raise Http404
    url_kwargs = {"year": year, "quarter": quarter} if year is not None else {}
    context = page_context(request, lib, code, "transparency", **url_kwargs)
    labels = content.labels(code)["transparency"]
    zone = zoneinfo.ZoneInfo(lib.time_zone)
    quarters = [
        {
            "q": q,
            "name": content.month_range(code, q.start, q.last_day),
            "total": content.band(code, q.total_low, q.total_high),
            "url": page_url(request, "transparency", code, year=q.year, quarter=q.q),
        }
        for q in report.quarters
    ]
    L = context["L"]["transparency"]
    if report.canary:
        day = content.long_date(code, report.canary.astimezone(zone))
        L["canary"] = content.fill(labels["canary"], {"date": day})
    if shown:
        day = content.long_date(code, shown.published_at.astimezone(zone))
        L["published"] = content.fill(labels["published"], {"date": day})
    citation = transparency.NATIONAL_SECURITY_RULE["citation"]
    L["bands"] = content.fill(labels["bands"], {"citation": citation})
    halves = [
        {
            "name": content.fill(
                labels["first_half" if h.half == 1 else "second_half"], {"year": str(h.year)}
            ),
            "nsl": h.nsl,
            "fisa": h.fisa,
        }
        for h in report.halves
    ]
    context |= {
        "report": report,
        "shown": shown,
        "shown_q": next((q for q in quarters if q["q"] == shown), None),
        "quarters": quarters,
        "halves": halves,
        "tables": _quarter_tables(shown, code, labels) if shown else [],
    }
    return render(request, "public/transparency.html", context)


transparency_report = negotiated(_transparency)
transparency_in = in_language("transparency")(_transparency)


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


@public_view
def transparency_json(request, library=None):
    """The published figures for machines (docs/transparency-json.md)."""
    return machine.json_response(machine.transparency_document(public_library(library)))


@public_view
def canary_json(request, library=None):
    """The warrant canary, signed, saying its state outright."""
    return machine.json_response(machine.canary_document(public_library(library)))


@public_view
def public_key(request, library=None):
    return machine.key_response(public_library(library))

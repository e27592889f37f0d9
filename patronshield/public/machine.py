"""The transparency report and the warrant canary for machines: `/transparency.json` (the
same published figures as the page and the CSV, schema in docs/transparency-json.md) and
`/canary.json`, signed with the library's Ed25519 key, whose public half is at
`/.well-known/patronshield-key.txt`. `patronshield verify-canary URL` checks one from
anywhere.

The canary says its state outright ("active", "lapsed", "off"): a watcher never has to read
a missing page as a signal. Its freshness proof is the newest *daily* checkpoint's hash, made
on a fixed schedule whatever happens: a checkpoint made when a visit closed would say when
something happened, and the chain's length how much."""

import datetime as dt
import zoneinfo

from django.http import HttpResponse, JsonResponse
from django.utils import timezone, translation

from patronshield.desk import chain
from patronshield.desk.models import Checkpoint
from patronshield.ledger import timestamp

from . import content, transparency

TRANSPARENCY_FORMAT = "patronshield-transparency/1"
CANARY_FORMAT = "patronshield-canary/1"
CANARY_STATES = ("active", "lapsed", "off")


def _band(low: int, high: int) -> dict:
    return {"low": low, "high": high, "text": transparency.band_text(low, high)}


def transparency_document(library, now: dt.datetime | None = None) -> dict:
    """The report as published (`transparency.build`), newest period first, in English."""
    now = now or timezone.now()
    with translation.override("en"):
        report = transparency.build(library, now)
        zone = zoneinfo.ZoneInfo(library.time_zone)
        quarters = [
            {
                "period": q.slug,
                "start": q.start.astimezone(zone).date().isoformat(),
                "end": q.last_day.isoformat(),
                "published_at": timestamp(q.published_at),
                "total": _band(q.total_low, q.total_high),
                "tables": {
                    name: [
                        {"category": c.key, "label": str(c.label), **_band(c.low, c.high)}
                        for c in cells
                    ]
                    for name, cells in q.tables.items()
                },
            }
            for q in report.quarters
        ]
        halves = [
            {
                "period": h.slug,
                "published_at": timestamp(h.published_at),
                **{
                    kind: dict(zip(("low", "high"), map(int, shown.split("–")), strict=True))
                    for kind, shown in (("nsl", h.nsl), ("fisa", h.fisa))
                },
            }
            for h in report.halves
        ]
        rule = transparency.NATIONAL_SECURITY_RULE
        return {
            "format": TRANSPARENCY_FORMAT,
            "library": {"name": library.name, "slug": library.slug},
            "generated_at": timestamp(now),
            "suppression": {
                "rule": "Every count is published as a band. Bands are 5 wide while a "
                "quarter's total is under 20, then twice as wide each time the total doubles; "
                "a count under 5 is 'fewer than 5'. A period's bands are frozen when first "
                "published and never change.",
                "smallest_band": transparency.THRESHOLD,
            },
            "quarters": quarters,
            "national_security": {
                "reported": report.bands_on,
                "band": rule["band"],
                "citation": rule["citation"],
                "halves": halves,
            },
            "canary": "canary.json",
        }


def canary_state(library, now: dt.datetime) -> tuple[str, dt.datetime | None]:
    settings = transparency.settings_of(library)
    if not settings.canary:
        return "off", None
    if transparency.canary_as_of(library, now, settings):
        return "active", settings.canary_affirmed_at
    return "lapsed", settings.canary_affirmed_at


def canary_document(library, now: dt.datetime | None = None) -> dict:
    now = now or timezone.now()
    state, affirmed = canary_state(library, now)
    statement = None
    if state == "active":
        zone = zoneinfo.ZoneInfo(library.time_zone)
        day = content.long_date("en", affirmed.astimezone(zone))
        canary = content.labels("en")["transparency"]["canary"]
        statement = str(content.fill(canary, {"date": day}))
    daily = (
        Checkpoint.objects.filter(library=library, reason="daily")
        .order_by("-seq")
        .values("at", "head")
        .first()
    )
    document = {
        "format": CANARY_FORMAT,
        "library": {"name": library.name, "slug": library.slug},
        "state": state,
        "statement": statement,
        "affirmed_at": timestamp(affirmed) if affirmed else None,
        "expires_at": (
            timestamp(affirmed + dt.timedelta(days=transparency.CANARY_DAYS)) if affirmed else None
        ),
        "issued_at": timestamp(now),
        "freshness": ({"checkpoint_at": daily["at"], "head": daily["head"]} if daily else None),
    }
    return chain.sign_public(library.pk, document)


def json_response(document: dict) -> JsonResponse:
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Access-Control-Allow-Origin"] = "*"  # for watchers' own pages
    response["Cache-Control"] = "no-cache"
    return response


def key_response(library) -> HttpResponse:
    text = (
        f"# {library.name}: Patron Shield's Ed25519 public key (hex). It signs canary.json\n"
        f"# and the incident log's checkpoints.\n{chain.public_key(library.pk)}\n"
    )
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response

"""The public transparency report and the warrant canary.

What is counted: every encounter that is not a drill, by the quarter it started in (in the
library's time zone), by agency type, by what was asked (the engine's request classes), by
the kind of document shown (grouped) and by outcome. Only quarters that have ended are
published: a count that grows day by day would tell who reads it twice what happened in
between.

Bands (the rule; tests/security/test_report.py solves the published numbers to prove it):
1. Every count of a quarter, its total included, is shown as a band, never as a number:
   "fewer than 5" (0 to 4, so 0 too), "5–9", "10–14", "15–19". A quarter with 20 visits
   or more has wider bands, the same width for all its counts: 10 from 20 to 39 visits,
   20 from 40 to 79, 40 from 80 to 159, and so on. The width follows from the total's band,
   which is published, so it tells nothing more.
2. Why 0 is not shown as 0, and why the width grows: each table adds up to the same total.
   With an exact 0, a table with two categories "fewer than 5" says the quarter had at
   least 2 visits, so a lone "fewer than 5" in another table is 2 to 4. With bands of 5
   beyond 20 visits, five categories of 4 (20) beside one of "20–24" say the total is 20
   and every one of the five is exactly 4. With the bands above, every table's least sum
   (the bands' lows) is at most the total's low and its greatest sum at least the total's
   high (a table has five categories, and a total under 4 widths cannot fill them all),
   so every value of every band, the total's included, fits some set of visits: nothing
   published, taken together, narrows any of them.
3. Quarters do not overlap and nothing adds them up; the report begins with the quarter
   the library's first staff member joined (or of its first visit, if earlier), so the
   first quarter shown does not say that someone came in it.
4. Encounters with a National Security Letter or a FISA order are counted nowhere above,
   not even in the totals; only, when the library turns it on, half-yearly in the bands the
   law allows (50 U.S.C. § 1874(a)(2): bands of 500 starting with 0–499).
5. A period's figures are frozen when first published and never change afterwards: a visit
   of an ended quarter that closes later, an approval recorded later, the retention purge,
   none of them moves a published band, so a reader who compares a copy saved then with the
   page now (where "5–9" became "fewer than 5", the count was exactly 5) learns nothing.
   The first to publish freezes: `patronshield daily` (hourly under `patronshield serve`)
   or the first request for the page or the CSV, whichever comes first; the page, its
   charts and the CSV all show the frozen bands (`PublishedPeriod`, which holds no count).
   A visit still open then is counted as it stands. A period once published stays listed,
   so the report's first quarter never moves later (which would tell that the quarters
   dropped had no visit).

What the purge deletes: `desk.retention` deletes the content of an encounter's events,
including the director's approval the outcome is read from. Before that (when the
encounter closes, and in the daily job before the purge) the encounter's report categories
are written to `ReportEntry`; the report reads those for purged encounters.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import zoneinfo
from collections import Counter

from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from patronshield.notifications.mail import send_localized
from patronshield.policy import vocab

THRESHOLD = 5
CANARY_DAYS = 30
CANARY_REMIND_DAYS = 5  # the director's reminder, this many days before the canary lapses

# The rules the report applies, with where they come from (data, not code paths).
NATIONAL_SECURITY_RULE = {
    "band": 500,
    "period_months": 6,
    "citation": "50 U.S.C. § 1874(a)(2)",
    "summary": "A person under a nondisclosure requirement may report, semiannually, the "
    "number of National Security Letters received and the number of FISA orders received, "
    "each in bands of 500 starting with 0–499.",
    "needs_counsel_review": True,  # when a half-year may first be published: § 1874(b)
}

AGENCY_GROUPS = {
    "immigration": _("Immigration (ICE, CBP, HSI)"),
    "federal": _("Other federal agencies (FBI, U.S. Marshals and others)"),
    "state": _("State police"),
    "local": _("Local police and sheriffs"),
    "other": _("Other, or not known"),
}
AGENCY_GROUP_OF = {a: "immigration" for a in vocab.IMMIGRATION_AGENCIES} | {
    "fbi": "federal",
    "us_marshals": "federal",
    "other_federal": "federal",
    "state_police": "state",
    "local_police": "local",
    "sheriff": "local",
}
REQUEST_GROUPS = {
    "public": _("To be in, question people in or arrest someone in the public areas"),
    "nonpublic": _("To enter staff-only areas or take equipment"),
    "patron_info": _("Information about patrons (records, whereabouts, camera footage)"),
    "staff_info": _("Staff records"),
    "unknown": _("Not recorded"),
}
DOCUMENT_GROUPS = {
    "judicial_warrant": _("A warrant signed by a judge"),
    "court_process": _("A court subpoena or court order"),
    "immigration_papers": _("Immigration papers (ICE warrant, detainer, agency subpoena)"),
    "none": _("No legal papers (spoken request, letter or nothing)"),
    "unknown": _("Could not tell, or not recorded"),
}
DOCUMENT_GROUP_OF = {
    "judicial_search_warrant": "judicial_warrant",
    "judicial_arrest_warrant": "judicial_warrant",
    "judicial_subpoena": "court_process",
    "grand_jury_subpoena": "court_process",
    "court_order": "court_process",
    "administrative_warrant": "immigration_papers",
    "administrative_subpoena": "immigration_papers",
    "detainer": "immigration_papers",
    "none": "none",
    "verbal": "none",
    "other": "none",
    # Never shown in these tables: counted only in the bands, when the library allows.
    "national_security_letter": "nsl",
    "fisa_order": "fisa",
}
OUTCOME_GROUPS = {
    "public": _("Permitted in the public areas"),
    "complied": _("Complied after the director's approval"),
    "declined": _("Declined"),
    "referred": _("Referred to counsel"),
    "pending": _("No decision recorded"),
}
TABLES = {
    "agency": (_("By agency"), AGENCY_GROUPS),
    "request": (_("By what was asked"), REQUEST_GROUPS),
    "document": (_("By document shown"), DOCUMENT_GROUPS),
    "outcome": (_("By outcome"), OUTCOME_GROUPS),
}
GAG_GROUPS = ("nsl", "fisa")
FEWER = _("fewer than %(n)s")
BAND = _("%(low)s–%(high)s")
# A table's categories, less one: how many widths the total must stay under (rule 2).
SPAN = min(len(groups) for _title, groups in TABLES.values()) - 1


# ------------------------------------------------------------------ classification
def outcome_group(outcome: str, approvals: list[bool]) -> str:
    """The report's outcome from the engine's decision and the director's approvals (the
    last one counts): complied, declined, referred to counsel, permitted in public areas."""
    if outcome == "permit":
        return "public"
    if approvals:
        return "complied" if approvals[-1] else "declined"
    return {"decline": "declined", "refer": "referred"}.get(outcome, "pending")


def categories(encounter, approvals: list[bool]) -> dict:
    return {
        "agency": AGENCY_GROUP_OF.get(encounter.agency, "other"),
        "request": vocab.REQUEST_CLASSES.get(encounter.request, "unknown"),
        "document": DOCUMENT_GROUP_OF.get(encounter.document, "unknown"),
        "outcome": outcome_group(encounter.outcome, approvals),
    }


def _approvals(library, ids=None) -> dict[int, list[bool]]:
    """The director's approvals of each encounter of the library, in order (one query; the
    purged ones have no content left)."""
    from patronshield.desk.models import Event

    found: dict[int, list[bool]] = {}
    rows = (
        Event.objects.filter(library=library, kind=Event.Kind.APPROVAL)
        .filter(**({"encounter_id__in": ids} if ids is not None else {}))
        .filter(data__isnull=False)
        .order_by("seq")
        .values_list("encounter_id", "data")
    )
    for encounter_id, data in rows:
        found.setdefault(encounter_id, []).append(bool(data.get("approved")))
    return found


@dataclasses.dataclass(frozen=True)
class Row:
    """One counted encounter: when it started, whether under a gag, its categories."""

    started_at: dt.datetime
    gagged: bool
    agency: str
    request: str
    document: str
    outcome: str


def rows(library) -> list[Row]:
    """Every non-drill encounter of the library as the report counts it: live for those
    not purged, from the frozen entry for those purged."""
    from patronshield.desk.models import Encounter

    from .models import ReportEntry

    encounters = list(
        Encounter.objects.filter(library=library, drill=False).only(
            "pk", "started_at", "agency", "request", "document", "outcome", "purged_at"
        )
    )
    approvals = _approvals(library)
    frozen = {
        r.pk: r
        for r in ReportEntry.objects.filter(library=library, encounter__purged_at__isnull=False)
    }
    out = []
    for e in encounters:
        if e.purged_at and (f := frozen.get(e.pk)):
            cats = {"agency": f.agency, "request": f.request}
            cats |= {"document": f.document, "outcome": f.outcome}
        else:  # purged before the report existed: what the encounter still says
            cats = categories(e, approvals.get(e.pk, []))
        out.append(Row(e.started_at, cats["document"] in GAG_GROUPS, **cats))
    return out


@transaction.atomic
def entries_freeze(library, encounters=None) -> int:
    """Write (or rewrite) the report entry of each encounter not yet purged whose entry
    is not final: those of `encounters`, or all of the library's."""
    from patronshield.desk.models import Encounter

    from .models import ReportEntry

    qs = Encounter.objects.filter(library=library, purged_at=None)
    if encounters is not None:  # a few, when they close
        qs = qs.filter(pk__in=[getattr(e, "pk", e) for e in encounters])
    done = set(
        ReportEntry.objects.filter(library=library, final=True).values_list(
            "encounter_id", flat=True
        )
    )
    todo = [e for e in qs if e.pk not in done]
    ids = [e.pk for e in todo] if encounters is not None else None
    approvals = _approvals(library, ids) if todo else {}
    for e in todo:
        ReportEntry.objects.update_or_create(
            encounter=e,
            defaults={
                "library": library,
                "started_at": e.started_at,
                "drill": e.drill,
                "gagged": e.document in vocab.GAG_DOCUMENTS,
                "final": e.closed_at is not None,
                **categories(e, approvals.get(e.pk, [])),
            },
        )
    return len(todo)


def freeze_on_close(sender, encounter, **kwargs):
    """Connected to `desk.signals.encounter_closed`: the record can no longer change."""
    entries_freeze(encounter.library, [encounter])


# ------------------------------------------------------------------ periods
def quarter_of(when: dt.datetime, zone) -> tuple[int, int]:
    local = when.astimezone(zone)
    return local.year, (local.month - 1) // 3 + 1


def quarter_bounds(year: int, q: int, zone) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime(year, 3 * q - 2, 1, tzinfo=zone)
    end = dt.datetime(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1, tzinfo=zone)
    return start, end


def half_of(when: dt.datetime, zone) -> tuple[int, int]:
    local = when.astimezone(zone)
    return local.year, 1 if local.month <= 6 else 2


def half_end(year: int, half: int, zone) -> dt.datetime:
    return dt.datetime(year + (half == 2), 7 if half == 1 else 1, 1, tzinfo=zone)


# ------------------------------------------------------------------ bands
@dataclasses.dataclass
class Cell:
    key: str
    label: str
    count: int  # never published; today's, which may have left the band frozen (rule 5)
    low: int = 0  # the band published: low to high
    high: int = 0
    shown: str = ""  # what is published: "fewer than 5", "5–9", ...


def band_width(total: int) -> int:
    """The width of every band of a quarter with `total` visits (rule 2): 5 under 20, then
    doubling, each width covering from 2 to 4 of itself, so the total's band holds one."""
    width = THRESHOLD
    while total >= SPAN * width:
        width *= 2
    return width


def banded(n: int, width: int) -> tuple[int, int, str]:
    low = n // width * width
    return low, low + width - 1, band_text(low, low + width - 1)


def band_text(low: int, high: int) -> str:
    """A band in words, in the active language: "fewer than 5", "5–9"."""
    if low == 0:
        return str(FEWER % {"n": high + 1})
    return str(BAND % {"low": low, "high": high})


def suppress(tables: dict[str, list[Cell]], total: int) -> tuple[int, int, str]:
    """Band every count of one quarter's tables, in place (rule 1); returns the total's band."""
    width = band_width(total)
    for cells in tables.values():
        for c in cells:
            c.low, c.high, c.shown = banded(c.count, width)
    return banded(total, width)


def band(n: int, width: int = NATIONAL_SECURITY_RULE["band"]) -> str:
    low = n // width * width
    return f"{low}–{low + width - 1}"


# ------------------------------------------------------------------ the report
@dataclasses.dataclass
class Quarter:
    year: int
    q: int
    start: dt.datetime
    end: dt.datetime
    total: int  # never published; today's, like Cell.count
    total_low: int
    total_high: int
    total_shown: str
    tables: dict[str, list[Cell]]
    published_at: dt.datetime | None = None  # when its figures were frozen (rule 5)

    @property
    def slug(self) -> str:
        return f"{self.year}-Q{self.q}"

    @property
    def last_day(self) -> dt.date:
        return (self.end - dt.timedelta(days=1)).date()


@dataclasses.dataclass
class Half:
    year: int
    half: int
    nsl: str
    fisa: str
    published_at: dt.datetime | None = None

    @property
    def slug(self) -> str:
        return f"{self.year}-H{self.half}"


@dataclasses.dataclass
class Report:
    library: object
    quarters: list[Quarter]
    halves: list[Half]
    canary: dt.datetime | None
    bands_on: bool


def settings_of(library):
    from .models import TransparencySettings

    found = TransparencySettings.objects.filter(library=library).first()
    return found or TransparencySettings(library=library)


def quarter_report(year: int, q: int, zone, counted: list[Row]) -> Quarter:
    start, end = quarter_bounds(year, q, zone)
    tables = {}
    for name, (_title, labels) in TABLES.items():
        counts = Counter(getattr(r, name) for r in counted)
        tables[name] = [Cell(k, str(label), counts[k]) for k, label in labels.items()]
    total = len(counted)
    return Quarter(year, q, start, end, total, *suppress(tables, total), tables)


def first_joined(library) -> dt.datetime | None:
    """When the library's first staff member joined: where the report begins (rule 3)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Min

    users = get_user_model().objects.filter(library=library)
    return users.aggregate(first=Min("date_joined"))["first"]


def build(library, now: dt.datetime | None = None, all_rows: list[Row] | None = None) -> Report:
    """The report as published at `now`: ended quarters only, newest first, each period's
    figures as frozen when first published (rule 5), freezing those published now. Given
    `all_rows`, the figures those rows make, and nothing frozen or read from the frozen."""
    now = now or timezone.now()
    zone = zoneinfo.ZoneInfo(library.time_zone)
    publish = all_rows is None
    frozen = published(library) if publish else {}
    all_rows = rows(library) if publish else all_rows
    current = quarter_of(now, zone)
    by_quarter: dict[tuple[int, int], list[Row]] = {}
    for r in all_rows:
        key = quarter_of(r.started_at, zone)
        # A gagged visit does not even open a quarter: the first quarter shown must not
        # tell that something happened in it.
        if key < current and not r.gagged:
            by_quarter.setdefault(key, []).append(r)
    quarters = []
    starts = list(by_quarter)
    starts += [(int(slug[:4]), int(slug[6])) for slug in frozen if slug[5] == "Q"]  # rule 5
    if joined := first_joined(library):
        starts.append(quarter_of(joined, zone))
    if starts:
        year, q = min(starts)
        while (year, q) < current:
            quarters.append(quarter_report(year, q, zone, by_quarter.get((year, q), [])))
            year, q = (year + 1, 1) if q == 4 else (year, q + 1)
    quarters.reverse()
    settings = settings_of(library)
    halves = []
    if settings.national_security_bands and quarters:
        gag = Counter()
        for r in all_rows:
            if r.gagged:
                gag[(half_of(r.started_at, zone), r.document)] += 1
        first = half_of(quarters[-1].start, zone)
        year, h = first
        while half_end(year, h, zone) <= now:
            halves.append(
                Half(year, h, band(gag[((year, h), "nsl")]), band(gag[((year, h), "fisa")]))
            )
            year, h = (year + 1, 1) if h == 2 else (year, 2)
        halves.reverse()
    if publish:
        as_published(library, quarters, halves, now, frozen)
    canary = canary_as_of(library, now, settings)
    return Report(library, quarters, halves, canary, settings.national_security_bands)


def published(library) -> dict:
    """The library's frozen periods, by slug."""
    from .models import PublishedPeriod

    return {p.period: p for p in PublishedPeriod.objects.filter(library=library)}


def as_published(library, quarters: list[Quarter], halves: list[Half], now, frozen) -> None:
    """Freeze the bands of each period not frozen yet, then show every period as frozen, in
    place (rule 5). The insert skips a period frozen meanwhile by a concurrent request, and
    what is shown is read back after it: every request shows the first publication."""
    from .models import PublishedPeriod

    bands = {q.slug: {"total": [q.total_low, q.total_high]} for q in quarters}
    for q in quarters:
        for name, cells in q.tables.items():
            bands[q.slug][name] = {c.key: [c.low, c.high] for c in cells}
    bands |= {h.slug: {"nsl": h.nsl, "fisa": h.fisa} for h in halves}
    new = [
        PublishedPeriod(library=library, period=slug, bands=b, published_at=now)
        for slug, b in bands.items()
        if slug not in frozen
    ]
    if new:
        PublishedPeriod.objects.bulk_create(new, ignore_conflicts=True)
        frozen = published(library)
    for q in quarters:
        p = frozen[q.slug]
        q.total_low, q.total_high = p.bands["total"]
        q.total_shown = band_text(q.total_low, q.total_high)
        for name, cells in q.tables.items():
            for c in cells:
                c.low, c.high = p.bands[name][c.key]
                c.shown = band_text(c.low, c.high)
        q.published_at = p.published_at
    for h in halves:
        p = frozen[h.slug]
        h.nsl, h.fisa, h.published_at = p.bands["nsl"], p.bands["fisa"], p.published_at


# ------------------------------------------------------------------ the canary
def canary_as_of(library, now: dt.datetime, settings=None) -> dt.datetime | None:
    """The date the canary speaks for, while it is on and re-affirmed within 30 days."""
    settings = settings or settings_of(library)
    at = settings.canary_affirmed_at
    if settings.canary and at and at <= now < at + dt.timedelta(days=CANARY_DAYS):
        return at
    return None


def canary_blockers(library) -> list[str]:
    """Why the library may not say it has received no NSL or FISA order, if it may not."""
    from patronshield.desk.models import Encounter
    from patronshield.records.models import GAG_KINDS, RecordsRequest

    reasons = []
    gagged = Encounter.objects.filter(
        library=library, drill=False, document__in=vocab.GAG_DOCUMENTS
    )
    if gagged.exists():
        reasons.append(
            _("The library's record holds a visit with a National Security Letter or FISA order.")
        )
    requests = RecordsRequest.objects.filter(library=library, kind__in=GAG_KINDS)
    if requests.exists():
        reasons.append(
            _("The library's records requests hold a National Security Letter or FISA order.")
        )
    return reasons


def _director(library, user) -> None:
    from patronshield.accounts.models import Role

    if user.library_id != library.pk or user.role != Role.DIRECTOR:
        raise PermissionDenied


def _event(library, user, **data):
    from patronshield.desk.chain import event_append
    from patronshield.desk.models import Event

    return event_append(
        library=library, kind=Event.Kind.TRANSPARENCY, actor=user, ref="transparency", data=data
    )


@transaction.atomic
def transparency_settings_update(*, library, user, national_security_bands: bool, canary: bool):
    """The director's choices; each change is an event on the library's chain."""
    _director(library, user)
    settings = settings_of(library)
    wanted = {"national_security_bands": bool(national_security_bands), "canary": bool(canary)}
    changed = {k: v for k, v in wanted.items() if getattr(settings, k) != v}
    for name, value in changed.items():
        setattr(settings, name, value)
    settings.save()
    if changed:
        _event(library, user, action="settings", by=user.display_name, **changed)
    return settings


@transaction.atomic
def canary_affirm(*, library, user, now: dt.datetime | None = None):
    """The director says again that the library has received no National Security Letter
    or FISA order; refused while the library's own record holds one."""
    _director(library, user)
    settings = settings_of(library)
    if not settings.canary:
        raise ValidationError(_("Turn the warrant canary on first."))
    if reasons := canary_blockers(library):
        raise ValidationError(reasons)
    settings.canary_affirmed_at = now or timezone.now()
    settings.canary_affirmed_by = user
    settings.save()
    _event(library, user, action="canary_affirmed", by=user.display_name)
    return settings


def canary_reminders_send(*, now: dt.datetime | None = None) -> list[str]:
    """A few days before a canary lapses, mail the director, once per affirmation. The row
    is claimed before sending, so two runs never both send; a failed send is tried again."""
    from patronshield.records.services import reminder_recipients

    from .models import TransparencySettings

    now = now or timezone.now()
    lines = []
    due = TransparencySettings.objects.filter(
        canary=True,
        canary_affirmed_at__gt=now - dt.timedelta(days=CANARY_DAYS),
        canary_affirmed_at__lte=now - dt.timedelta(days=CANARY_DAYS - CANARY_REMIND_DAYS),
    ).select_related("library")
    for s in due:
        if s.canary_reminded_for == s.canary_affirmed_at:
            continue
        to = reminder_recipients(s.library)
        if not to:
            lines.append(f"{s.library.slug}: the warrant canary lapses soon, but no director "
                         "has an e-mail address to be reminded at")  # fmt: skip
            continue
        claimed = (
            TransparencySettings.objects.filter(pk=s.pk, canary_affirmed_at=s.canary_affirmed_at)
            .exclude(canary_reminded_for=s.canary_affirmed_at)
            .update(canary_reminded_for=s.canary_affirmed_at)
        )
        if not claimed:
            continue
        try:
            send_localized(to, lambda group, s=s: canary_message(s, group))
        except Exception as e:  # refused connections, timeouts, smtplib errors
            TransparencySettings.objects.filter(pk=s.pk).update(canary_reminded_for=None)
            lines.append(f"{s.library.slug}: warrant canary reminder failed: {e}")
            continue
        lines.append(f"{s.library.slug}: reminded the director to re-affirm the warrant canary")
    return lines


def canary_message(s, to: list[str]) -> EmailMessage:
    """In the active language (see notifications.mail.send_localized)."""
    zone = zoneinfo.ZoneInfo(s.library.time_zone)
    lapses = (s.canary_affirmed_at + dt.timedelta(days=CANARY_DAYS)).astimezone(zone)
    url = f"{django_settings.SITE_URL}/transparency/settings/"
    fmt = {"library": s.library.name, "date": f"{lapses:%Y-%m-%d}", "time": f"{lapses:%H:%M}"}
    body = (
        gettext(
            "The warrant canary on the transparency report of %(library)s disappears on "
            "%(date)s at %(time)s unless you re-affirm it.\n\n"
            "Re-affirm it only if it is still true that the library has received no National "
            "Security Letter and no FISA order:\n\n"
        )
        % fmt
        + f"{url}\n\n"
        + gettext(
            "If it is no longer true, do nothing and call counsel. General information, not "
            "legal advice."
        )
    )
    return EmailMessage(
        subject=gettext("Warrant canary: re-affirm by %(date)s, %(library)s") % fmt,
        body=body + "\n",
        from_email=django_settings.DEFAULT_FROM_EMAIL,
        to=to,
        headers={
            "Message-ID": f"<canary-{s.pk}-{s.canary_affirmed_at:%Y%m%d%H%M%S}"
            f"-{get_language()}@patronshield>"
        },
    )


def daily(*, now: dt.datetime | None = None) -> list[str]:
    """From `patronshield daily`, before the purge: freeze the report entries of every
    library's encounters and publish (freeze) the periods that have ended (rule 5), then
    the canary reminders."""
    from patronshield.libraries.models import Library

    lines = []
    for library in Library.objects.order_by("pk"):
        if n := entries_freeze(library):
            lines.append(f"{library.slug}: {n} transparency report entries written")
        before = len(published(library))
        build(library, now=now)
        if n := len(published(library)) - before:
            lines.append(f"{library.slug}: {n} transparency report periods published")
    return lines + canary_reminders_send(now=now)

"""The public transparency report: counts by quarter against seeded data, every count shown
as a band (that no combination of them narrows: tests/security/test_report.py), National
Security Letters and FISA orders only in bands and nowhere else, drills never, purged
encounters still right; the SVG charts; the warrant canary's expiry, refusal and reminder."""

import csv
import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
import zoneinfo

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from patronshield.desk import record
from patronshield.desk.models import Encounter, Event
from patronshield.policy import vocab
from patronshield.public import transparency
from patronshield.public.models import ReportEntry, TransparencySettings
from patronshield.public.transparency import AGENCY_GROUPS, TABLES, Row
from tests.conftest import reauthenticate

DETROIT = zoneinfo.ZoneInfo("America/Detroit")
NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=DETROIT)  # in 2026-Q4: Q3 has ended
Q3 = dt.datetime(2026, 8, 10, 14, 0, tzinfo=DETROIT)
SVG = "{http://www.w3.org/2000/svg}"


def visit(lib, agency="ice", request="question_people_public_area", document="none",
          outcome="permit", at=Q3, drill=False, **extra):  # fmt: skip
    e = Encounter.objects.create(library=lib, agency=agency, request=request,
                                 document=document, outcome=outcome, drill=drill, emergency=False,
                                 **extra)  # fmt: skip
    Encounter.objects.filter(pk=e.pk).update(started_at=at)
    e.refresh_from_db()
    return e


def visits(lib, n, **kw):
    return [visit(lib, **kw) for _i in range(n)]


def published(report):
    """Every number the report shows, as the public sees it."""
    return [
        (q.slug, q.total_shown, {n: [(c.key, c.shown) for c in t] for n, t in q.tables.items()})
        for q in report.quarters
    ]


def live(lib, now=NOW):
    """What the records make of the report today, nothing frozen (published figures never
    change: tests/security/test_report_snapshots.py)."""
    return transparency.build(lib, now=now, all_rows=transparency.rows(lib))


def cell(quarter, table, key):
    return next(c for c in quarter.tables[table] if c.key == key)


# ------------------------------------------------------------------ counts
def test_it_counts_each_quarter_by_agency_request_document_and_outcome(db, library, people):
    lib, _b = library
    visits(lib, 6, agency="ice")
    visits(lib, 5, agency="local_police", request="patron_records", document="verbal",
           outcome="decline")  # fmt: skip
    april = dt.datetime(2026, 4, 2, 9, tzinfo=DETROIT)
    visits(lib, 7, agency="fbi", request="seize_equipment", document="judicial_search_warrant",
           outcome="comply_after_approval", at=april)  # fmt: skip
    report = transparency.build(lib, now=NOW)
    assert [q.slug for q in report.quarters] == ["2026-Q3", "2026-Q2"]  # not Q4: not ended
    q3, q2 = report.quarters
    assert q3.total == 11 and q3.total_shown == "10–14"  # published: bands only
    assert cell(q3, "agency", "immigration").shown == "5–9"
    assert cell(q3, "agency", "immigration").count == 6
    assert cell(q3, "agency", "local").count == 5
    assert cell(q3, "agency", "federal").count == 0
    assert cell(q3, "request", "public").count == 6
    assert cell(q3, "request", "patron_info").count == 5
    assert cell(q3, "document", "none").count == 11
    assert cell(q3, "outcome", "public").count == 6
    assert cell(q3, "outcome", "declined").count == 5
    assert cell(q2, "outcome", "pending").count == 7  # no approval yet
    assert cell(q2, "document", "judicial_warrant").count == 7


def test_outcome_comes_from_the_directors_approval(db, library, people):
    lib, _b = library
    approved = visits(lib, 5, request="enter_nonpublic_area", outcome="comply_after_approval")
    refused = visits(lib, 5, request="enter_nonpublic_area", outcome="comply_after_approval")
    referred = visits(lib, 5, request="patron_records", outcome="refer")
    for group, yes in ((approved, True), (refused, False)):
        for e in group:
            record.approval_record(encounter=e, user=people["director"], approved=not yes)
            record.approval_record(encounter=e, user=people["director"], approved=yes)  # last
    q3 = transparency.build(lib, now=NOW).quarters[0]
    assert cell(q3, "outcome", "complied").count == 5
    assert cell(q3, "outcome", "declined").count == 5
    assert cell(q3, "outcome", "referred").count == 5
    assert cell(q3, "request", "nonpublic").count == 10
    assert len(referred) == 5


def test_quarters_are_in_the_librarys_time_zone(db, library):
    lib, _b = library
    # 23:30 on 30 September in Detroit is already 1 October in UTC.
    late = dt.datetime(2026, 9, 30, 23, 30, tzinfo=DETROIT)
    visits(lib, 5, at=late)
    report = live(lib)
    assert report.quarters[0].slug == "2026-Q3" and report.quarters[0].total == 5
    lib.time_zone = "UTC"
    lib.save()
    report = live(lib)
    assert [q.slug for q in report.quarters] == []  # now in Q4 (UTC), which has not ended


def test_against_the_seeded_demo(db):
    """The demo's encounters (through the services), counted again here by hand."""
    from patronshield.libraries.demo import seed_demo, seed_encounters

    lib = seed_demo()
    now = timezone.now()
    seeded = seed_encounters(lib, 90, seed=3, now=now)
    report = transparency.build(lib, now=now)
    assert len(report.quarters) >= 5
    zone = zoneinfo.ZoneInfo(lib.time_zone)
    shown_any = False
    for q in report.quarters:
        mine = [
            e for e in Encounter.objects.filter(pk__in=[s.pk for s in seeded])
            if q.start <= e.started_at < q.end and not e.gagged
        ]  # fmt: skip
        assert q.total == len(mine)
        agencies = [transparency.AGENCY_GROUP_OF.get(e.agency, "other") for e in mine]
        width = transparency.band_width(q.total)
        for c in q.tables["agency"]:
            assert c.count == agencies.count(c.key)
            assert (c.low, c.high, c.shown) == transparency.banded(c.count, width)
            shown_any |= c.low >= 5
        assert q.start.tzinfo == zone
    assert shown_any  # the demo shows ranges, not only "fewer than 5"


# ------------------------------------------------------------------ suppression
def test_every_count_shows_as_a_band_and_0_as_fewer_than_5(db, library):
    lib, _b = library
    visits(lib, 9, agency="ice")
    visits(lib, 2, agency="sheriff", request="enter_nonpublic_area")
    q3 = transparency.build(lib, now=NOW).quarters[0]
    assert q3.total_shown == "10–14"
    assert cell(q3, "agency", "immigration").shown == "5–9"
    assert cell(q3, "agency", "local").shown == "fewer than 5"
    assert cell(q3, "agency", "federal").shown == "fewer than 5"  # 0: not told apart from 1-4
    assert cell(q3, "document", "none").shown == "10–14"
    assert (cell(q3, "agency", "local").low, cell(q3, "agency", "local").high) == (0, 4)


def test_a_quarter_of_20_visits_or_more_has_wider_bands(db, library):
    lib, _b = library
    visits(lib, 23, agency="ice")
    visits(lib, 4, agency="sheriff")
    q3 = transparency.build(lib, now=NOW).quarters[0]
    assert q3.total_shown == "20–29"
    assert cell(q3, "agency", "immigration").shown == "20–29"
    assert cell(q3, "agency", "local").shown == "fewer than 10"
    assert [transparency.band_width(n) for n in (0, 19, 20, 39, 40, 79, 80, 159, 160)] == [
        5,
        5,
        10,
        10,
        20,
        20,
        40,
        40,
        80,
    ]


rows_strategy = st.lists(
    st.tuples(
        st.sampled_from(list(AGENCY_GROUPS)),
        st.sampled_from(list(transparency.REQUEST_GROUPS)),
        st.sampled_from(list(transparency.DOCUMENT_GROUPS)),
        st.sampled_from(list(transparency.OUTCOME_GROUPS)),
    ),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(rows_strategy)
def test_no_published_count_is_a_number(data):
    """Every figure is a band holding the count, all of a quarter's the same width; the
    solver in tests/security/test_report.py shows that together they narrow nothing."""
    rows = [Row(Q3, False, a, r, d, o) for a, r, d, o in data]
    q = transparency.quarter_report(2026, 3, DETROIT, rows)
    width = q.total_high - q.total_low + 1
    assert q.total_low <= q.total <= q.total_high and width >= 5
    assert not re.fullmatch(r"\d+", q.total_shown)
    for table in q.tables.values():
        assert sum(c.count for c in table) == q.total
        for c in table:
            assert c.low <= c.count <= c.high and c.high - c.low + 1 == width
            assert c.low % width == 0 and not re.fullmatch(r"\d+", c.shown)
            assert c.shown == (f"fewer than {width}" if c.low == 0 else f"{c.low}–{c.high}")


# ------------------------------------------------------------------ NSL and FISA
def test_nsl_and_fisa_are_counted_nowhere_but_in_bands(db, library, client, settings):
    lib, _b = library
    settings.PATRONSHIELD_PUBLIC_LIBRARY = "ecorse"
    visits(lib, 6, agency="fbi", request="patron_records", document="judicial_subpoena",
           outcome="refer")  # fmt: skip
    before = published(live(lib))
    visit(lib, agency="fbi", request="patron_records", document="national_security_letter",
          outcome="refer")  # fmt: skip
    visit(lib, agency="fbi", request="patron_records", document="fisa_order", outcome="refer")
    after = live(lib)
    assert published(after) == before  # not in agency, request, document, outcome, totals
    assert after.halves == [] and not after.bands_on  # off by default
    html = client.get("/transparency/").content.decode()
    assert "National Security Letters and FISA orders</h2>" not in html
    assert "national_security" not in client.get("/transparency.csv").content.decode()

    TransparencySettings.objects.create(library=lib, national_security_bands=True)
    report = live(lib)
    assert published(report) == before
    # The half-year the visits fell in (July–December) has not ended on NOW: not reported.
    assert report.halves == []
    later = transparency.build(lib, now=dt.datetime(2027, 1, 5, tzinfo=DETROIT))
    assert [(h.slug, h.nsl, h.fisa) for h in later.halves] == [("2026-H2", "0–499", "0–499")]
    assert transparency.band(0) == "0–499" and transparency.band(499) == "0–499"
    assert transparency.band(500) == "500–999" and transparency.band(1234) == "1000–1499"


def test_a_gagged_visit_before_any_other_does_not_open_a_quarter(db, library):
    lib, _b = library
    visit(lib, document="fisa_order", agency="fbi", at=dt.datetime(2025, 2, 1, tzinfo=DETROIT))
    assert transparency.build(lib, now=NOW).quarters == []
    visits(lib, 5)
    assert [q.slug for q in transparency.build(lib, now=NOW).quarters] == ["2026-Q3"]


def test_a_quarter_of_only_gagged_visits_reveals_nothing(db, library):
    lib, _b = library
    visits(lib, 5, at=dt.datetime(2026, 4, 3, tzinfo=DETROIT))
    visit(lib, document="national_security_letter", agency="fbi", request="patron_records")
    report = transparency.build(lib, now=NOW)
    q3 = report.quarters[0]
    assert q3.slug == "2026-Q3" and q3.total_shown == "fewer than 5"
    assert all(c.shown == "fewer than 5" for cells in q3.tables.values() for c in cells)


# ------------------------------------------------------------------ drills, purge
def test_drills_never_count(db, library):
    lib, _b = library
    visits(lib, 5)
    before = published(live(lib))
    visits(lib, 3, drill=True, agency="cbp")
    visits(lib, 2, drill=True, document="national_security_letter")
    assert published(live(lib)) == before


def test_purged_encounters_keep_their_outcome(db, library, people):
    from patronshield.desk.management.commands.daily import daily

    lib, _b = library
    group = visits(lib, 5, request="enter_nonpublic_area", outcome="comply_after_approval")
    for e in group:
        record.approval_record(encounter=e, user=people["director"], approved=True)
    record.encounter_close(encounter=group[0], user=people["director"])  # frozen on close
    assert ReportEntry.objects.get(encounter=group[0]).final
    before = published(live(lib))
    assert cell(live(lib).quarters[0], "outcome", "complied").count == 5
    lib.retain_encounters_days = 1
    lib.save()
    Encounter.objects.filter(library=lib).update(started_at=Q3)
    daily(now=timezone.now() + dt.timedelta(days=2))  # freezes the rest, then purges
    assert Encounter.objects.filter(library=lib, purged_at=None).count() == 0
    approvals = Event.objects.filter(kind="approval", library=lib)
    assert not approvals.filter(data__isnull=False).exists()
    assert published(live(lib)) == before


def test_without_a_frozen_entry_a_purged_visit_counts_as_undecided(db, library, people):
    lib, _b = library
    group = visits(lib, 5, outcome="comply_after_approval")
    for e in group:
        record.approval_record(encounter=e, user=people["director"], approved=True)
    from patronshield.desk import retention

    lib.retain_encounters_days = 1
    lib.save()
    retention.purge_library(lib, now=timezone.now() + dt.timedelta(days=2))  # no daily job
    assert not ReportEntry.objects.exists()
    q3 = transparency.build(lib, now=NOW).quarters[0]
    # Without events it still has its agency, request, document and the engine's outcome.
    assert cell(q3, "agency", "immigration").count == 5
    assert cell(q3, "outcome", "complied").count == 0  # the approval was not frozen


# ------------------------------------------------------------------ the page and CSV
@pytest.fixture
def public(library, settings):
    settings.PATRONSHIELD_PUBLIC_LIBRARY = "ecorse"
    return library[0]


def test_the_page_draws_accessible_svg_charts_with_the_same_numbers(client, public):
    visits(public, 7, at=dt.datetime(2025, 8, 1, tzinfo=DETROIT))
    visits(public, 2, agency="sheriff", at=dt.datetime(2025, 8, 1, tzinfo=DETROIT))
    response = client.get("/transparency/2025-Q3/")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers and not response.cookies
    html = response.content.decode()
    svgs = re.findall(r"<svg.*?</svg>", html, re.S)
    assert len(svgs) == 4  # one quarter with visits, four tables
    for svg in svgs:
        root = ET.fromstring(svg)  # noqa: S314 - our own page; well-formed XML
        assert root.get("role") == "img"
        title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
        assert title is not None and title.text and desc is not None and desc.text
        assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    first = ET.fromstring(svgs[0])  # noqa: S314
    texts = ["".join(t.itertext()) for t in first.iter(f"{SVG}text")]
    assert "fewer than 5" in texts and "5–9" in texts
    assert "Local police and sheriffs: fewer than 5" in first.find(f"{SVG}desc").text
    assert '<th scope="row">Local police and sheriffs</th><td>fewer than 5</td>' in html
    assert re.search(r"Visits with a request: <strong>5–9</strong>", html)
    assert 'src="http' not in html and 'href="http' not in html  # nothing from elsewhere


def test_each_quarter_has_its_page_and_the_list_links_them(client, public):
    visits(public, 5, at=dt.datetime(2025, 8, 1, tzinfo=DETROIT))
    visits(public, 6, agency="cbp", at=dt.datetime(2025, 11, 1, tzinfo=DETROIT))
    html = client.get("/transparency/").content.decode()
    latest = transparency.build(public).quarters[0].slug
    assert f'id="q-{latest}"' in html  # the latest ended quarter in detail
    assert 'href="/transparency/en/2025-Q3/"' in html  # in the page's language
    page = client.get("/transparency/2025-Q3/")
    assert page.status_code == 200 and "Visits with a request: <strong>5–9</strong>" in (
        page.content.decode()
    )
    assert client.get("/l/ecorse/transparency/2025-Q4/").status_code == 200
    assert client.get("/transparency/2031-Q1/").status_code == 404
    assert client.get("/transparency/2025-Q7/").status_code == 404
    assert len(html.encode()) < 60_000  # like the other public pages


def test_the_csv_has_the_same_suppressed_numbers(client, public):
    visits(public, 7, at=dt.datetime(2025, 8, 1, tzinfo=DETROIT))
    visits(public, 3, agency="sheriff", at=dt.datetime(2025, 8, 1, tzinfo=DETROIT))
    response = client.get("/transparency.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert not response.cookies
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    q = [r for r in rows if r["period"] == "2025-Q3"]
    counts = {(r["table"], r["category"]): r["count"] for r in q}
    assert counts[("total", "total")] == "10–14"
    assert counts[("agency", "local")] == "fewer than 5"
    assert counts[("agency", "immigration")] == "5–9"
    lows = {(r["table"], r["category"]): (r["low"], r["high"]) for r in q}
    assert lows[("agency", "immigration")] == ("5", "9")
    assert not any(re.fullmatch(r"[1-4]", r["count"]) for r in rows)
    assert {r["table"] for r in rows} == {"total", *TABLES}
    assert client.get("/l/ecorse/transparency.csv").status_code == 200
    assert client.post("/transparency.csv").status_code == 405


def test_the_page_in_spanish_and_in_the_browser_s_language(client, public):
    visits(public, 5, at=dt.datetime(2025, 8, 1, tzinfo=DETROIT))
    es = client.get("/transparency/2025-Q3/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<html lang="es"' in es
    assert "Informe de transparencia" in es and "Inmigración (ICE, CBP, HSI)" in es
    assert "julio–septiembre 2025" in es and "Visitas con una petición: <strong>5–9</strong>" in es
    data = client.get("/transparency.csv", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "agency,local,Policía local y alguaciles (sheriff)," in data
    ar = client.get("/transparency/2025-Q3/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<html lang="ar" dir="rtl"' in ar and "تقرير الشفافية" in ar
    assert "يوليو–سبتمبر 2025" in ar and "Transparency report" not in ar


@pytest.mark.parametrize("code", ["ar", "zh-Hans", "ru", "so"])
def test_the_report_in_the_reader_s_language(client, public, code):
    """Every label, category, band, month and chart of a quarter in the language; in
    Arabic the chart is drawn from the right and "5–9" still reads 5 to 9."""
    from django.utils.html import escape

    from patronshield.public import content

    visits(public, 7, at=dt.datetime(2025, 8, 1, tzinfo=DETROIT))
    visits(public, 2, agency="sheriff", at=dt.datetime(2025, 8, 1, tzinfo=DETROIT))
    TransparencySettings.objects.create(library=public, national_security_bands=True)
    html = client.get(f"/transparency/{code}/2025-Q3/").content.decode()
    labels = content.labels(code)["transparency"]
    for name, (_title, groups) in TABLES.items():
        assert escape(labels["tables"][name]) in html
        for key in groups:
            assert f'<th scope="row">{escape(labels[name][key])}</th>' in html, (name, key)
    fewer = content.band(code, 0, 4)
    local = escape(labels["agency"]["local"])
    assert f'<th scope="row">{local}</th><td>{fewer}</td>' in html
    assert f"<strong>{content.band(code, 5, 9)}</strong>" in html
    assert content.month_range(code, dt.date(2025, 7, 1), dt.date(2025, 9, 30)) in html
    assert labels["national_security"] in html and labels["half_year"] in html
    for english in ("By agency", "Visits with a request", "Local police and sheriffs", "fewer"):
        assert english not in html
    svg = ET.fromstring(re.findall(r"<svg.*?</svg>", html, re.S)[0])  # noqa: S314
    texts = ["".join(t.itertext()) for t in svg.iter(f"{SVG}text")]
    assert fewer in texts
    assert svg.get("direction") == content.direction(code)
    first = next(svg.iter(f"{SVG}text"))
    assert first.get("x") == ("320" if code == "ar" else "0")  # labels start on the right
    assert len(html.encode()) < 60_000


def test_an_empty_report_says_so(client, public):
    html = client.get("/transparency/").content.decode()
    assert "No quarter has been published yet." in html
    assert client.get("/l/ecorse/transparency/").status_code == 200
    assert client.get("/transparency/2026-Q1/").status_code == 404
    assert client.get("/l/nowhere/transparency/").status_code == 404


# ------------------------------------------------------------------ the canary
def test_the_canary_lapses_30_days_after_it_was_affirmed(db, library, people):
    lib, _b = library
    director = people["director"]
    transparency.transparency_settings_update(
        library=lib, user=director, national_security_bands=False, canary=True
    )
    t0 = dt.datetime(2026, 11, 1, 9, 0, tzinfo=DETROIT)
    transparency.canary_affirm(library=lib, user=director, now=t0)
    assert transparency.canary_as_of(lib, t0) == t0
    assert transparency.canary_as_of(lib, t0 + dt.timedelta(days=29, hours=23)) == t0
    assert transparency.canary_as_of(lib, t0 + dt.timedelta(days=30)) is None
    assert transparency.canary_as_of(lib, t0 - dt.timedelta(minutes=1)) is None
    event = Event.objects.filter(library=lib, kind="transparency").last()
    assert event.actor == director and event.data["action"] == "canary_affirmed"
    transparency.canary_affirm(library=lib, user=director, now=t0 + dt.timedelta(days=29))
    assert transparency.canary_as_of(lib, t0 + dt.timedelta(days=40)) is not None
    transparency.transparency_settings_update(
        library=lib, user=director, national_security_bands=False, canary=False
    )
    assert transparency.canary_as_of(lib, t0 + dt.timedelta(days=29)) is None  # turned off


def test_the_public_page_shows_the_canary_only_while_it_holds(client, public, people):
    s = TransparencySettings.objects.create(library=public, canary=True)
    url = "/transparency/"
    assert "has received no National Security Letter" not in client.get(url).content.decode()
    s.canary_affirmed_at = timezone.now() - dt.timedelta(days=2)
    s.save()
    html = client.get(url).content.decode()
    day = timezone.localtime(s.canary_affirmed_at, zoneinfo.ZoneInfo(public.time_zone))
    assert f"As of <bdi>{day.day} {day:%B %Y}</bdi>, this library has received no National" in html
    s.canary_affirmed_at = timezone.now() - dt.timedelta(days=30, minutes=1)
    s.save()
    assert "has received no National Security" not in client.get(url).content.decode()


@pytest.mark.parametrize("where", ["encounter", "records_request"])
def test_it_refuses_to_affirm_while_the_record_holds_an_nsl(db, library, people, where):
    from django.core.exceptions import ValidationError

    lib, _b = library
    director = people["director"]
    TransparencySettings.objects.create(library=lib, canary=True)
    visit(lib, document="national_security_letter", drill=True)  # a drill does not block
    transparency.canary_affirm(library=lib, user=director)
    if where == "encounter":
        visit(lib, document="fisa_order", agency="fbi", request="patron_records")
    else:
        from patronshield.records import services

        services.records_receive(user=director, kind="national_security_letter", description="x")
    with pytest.raises(ValidationError, match="National Security Letter or FISA order"):
        transparency.canary_affirm(library=lib, user=director)


def test_only_the_director_affirms(db, library, people):
    from django.core.exceptions import PermissionDenied

    lib, _b = library
    TransparencySettings.objects.create(library=lib, canary=True)
    for role in ("designee", "admin", "desk"):
        with pytest.raises(PermissionDenied):
            transparency.canary_affirm(library=lib, user=people[role])


def test_the_director_is_reminded_once_before_the_canary_lapses(db, library, people, smtp):
    lib, _b = library
    t0 = dt.datetime(2026, 11, 1, 9, 0, tzinfo=DETROIT)
    TransparencySettings.objects.create(library=lib, canary=True)
    transparency.canary_affirm(library=lib, user=people["director"], now=t0)
    assert transparency.canary_reminders_send(now=t0 + dt.timedelta(days=24)) == []
    lines = transparency.canary_reminders_send(now=t0 + dt.timedelta(days=26))
    assert lines == ["ecorse: reminded the director to re-affirm the warrant canary"]
    assert transparency.canary_reminders_send(now=t0 + dt.timedelta(days=27)) == []  # once
    assert transparency.canary_reminders_send(now=t0 + dt.timedelta(days=31)) == []  # lapsed
    assert len(smtp.messages) == 1
    to, message = smtp.messages[0]
    assert to == ["director@a.example.org"]
    assert "Subject: Warrant canary: re-affirm by 2026-12-01" in message
    assert "/transparency/settings/" in message
    # A new affirmation gets its own reminder.
    t1 = t0 + dt.timedelta(days=28)
    transparency.canary_affirm(library=lib, user=people["director"], now=t1)
    assert transparency.canary_reminders_send(now=t1 + dt.timedelta(days=26))
    assert len(smtp.messages) == 2


def test_the_daily_command_sends_the_reminder(db, library, people, smtp):
    from patronshield.desk.management.commands.daily import daily

    lib, _b = library
    TransparencySettings.objects.create(library=lib, canary=True)
    transparency.canary_affirm(
        library=lib, user=people["director"], now=timezone.now() - dt.timedelta(days=27)
    )
    assert "ecorse: reminded the director to re-affirm the warrant canary" in daily()
    assert "reminded the director to re-affirm" not in " ".join(daily())
    assert len(smtp.messages) == 1


def test_a_failed_reminder_is_tried_again(db, library, people, settings):
    lib, _b = library
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 1},
        }
    }
    t0 = timezone.now() - dt.timedelta(days=27)
    TransparencySettings.objects.create(library=lib, canary=True)
    transparency.canary_affirm(library=lib, user=people["director"], now=t0)
    assert "failed" in transparency.canary_reminders_send()[0]
    assert TransparencySettings.objects.get(library=lib).canary_reminded_for is None


# ------------------------------------------------------------------ the director's page
def test_the_director_changes_settings_after_proving_the_second_factor(client, library, people):
    lib, _b = library
    director = people["director"]
    client.force_login(director)
    page = client.get("/transparency/settings/")
    assert page.status_code == 200
    assert "Publish a warrant canary" in page.content.decode()
    r = client.post("/transparency/settings/", {"canary": "on"})
    assert r.status_code == 302 and "reauthenticate" in r["Location"]
    assert not TransparencySettings.objects.filter(library=lib, canary=True).exists()
    reauthenticate(client, director)
    r = client.post("/transparency/settings/", {"canary": "on", "national_security_bands": "on"})
    assert r.status_code == 302 and r["Location"] == "/transparency/settings/"
    s = TransparencySettings.objects.get(library=lib)
    assert s.canary and s.national_security_bands
    event = Event.objects.filter(library=lib, kind="transparency").last()
    assert event.data == {"action": "settings", "by": director.display_name,
                          "canary": True, "national_security_bands": True}  # fmt: skip
    r = client.post("/transparency/settings/canary/")
    assert r.status_code == 302
    assert TransparencySettings.objects.get(library=lib).canary_affirmed_by == director
    html = client.get("/transparency/settings/").content.decode()
    assert "On the public page, as of" in html


def test_the_page_says_why_it_refuses(client, library, people):
    lib, _b = library
    director = people["director"]
    TransparencySettings.objects.create(library=lib, canary=True)
    visit(lib, document="national_security_letter", agency="fbi", request="patron_records")
    client.force_login(director)
    reauthenticate(client, director)
    html = client.get("/transparency/settings/").content.decode()
    assert "You cannot affirm the canary" in html and "not legal advice" in html
    assert "Re-affirm: none received" not in html
    r = client.post("/transparency/settings/canary/")
    assert r.status_code == 409
    assert "holds a visit with a National Security Letter or FISA order" in r.content.decode()
    assert TransparencySettings.objects.get(library=lib).canary_affirmed_at is None


def test_gag_documents_are_the_engines():
    assert {"nsl", "fisa"} == {transparency.DOCUMENT_GROUP_OF[d] for d in vocab.GAG_DOCUMENTS}
    assert set(transparency.DOCUMENT_GROUP_OF) | {"unknown"} == set(vocab.DOCUMENTS)
    assert set(transparency.AGENCY_GROUP_OF) | {"other"} == set(vocab.AGENCIES)
    assert set(vocab.REQUEST_CLASSES.values()) <= set(transparency.REQUEST_GROUPS)


def test_affirming_asks_for_the_second_factor_again(client, library, people):
    lib, _b = library
    TransparencySettings.objects.create(library=lib, canary=True)
    client.force_login(people["director"])
    r = client.post("/transparency/settings/canary/")
    assert r.status_code == 302 and "reauthenticate" in r["Location"]
    assert TransparencySettings.objects.get(library=lib).canary_affirmed_at is None
    assert client.get("/transparency/settings/canary/").status_code == 405

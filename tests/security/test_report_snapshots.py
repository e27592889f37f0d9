"""Rule 5 of the transparency report: a quarter's figures, once published, never change.

The attacker saves the page, the charts and the CSV of an ended quarter, and saves them
again later. Before, the report was counted again at every request, so a visit of that
quarter approved (or closed, or purged) after publication could move a band: "fewer than 5"
becoming "5–9" told that the count had been exactly 4 and was now exactly 5, and in which
category. Now every copy of a published quarter is the same."""

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from patronshield.desk import record, retention
from patronshield.desk.models import Encounter
from patronshield.public import transparency
from patronshield.public.models import TransparencySettings
from tests.security.test_report import page_figures, published_csv, visit

DETROIT = zoneinfo.ZoneInfo("America/Detroit")
Q3 = dt.datetime(2025, 8, 1, 10, tzinfo=DETROIT)  # an ended quarter
URL = "/transparency/2025-Q3/"


@pytest.fixture
def public(library, settings):
    settings.PATRONSHIELD_PUBLIC_LIBRARY = "ecorse"
    return library[0]


def five_asking_approval(lib) -> list[Encounter]:
    visit(lib, Q3, 5, request="enter_nonpublic_area", outcome="comply_after_approval")
    return list(Encounter.objects.filter(library=lib).order_by("pk"))


def copy(client) -> tuple:
    """Every figure a reader can save: the page's total and tables, its charts, the CSV."""
    return page_figures(client.get(URL).content.decode()), client.get("/transparency.csv").content


@pytest.mark.parametrize("later", ["approved_and_closed", "purged"])
def test_it_refuses_to_tell_a_late_closing_apart_by_comparing_copies(client, public, people,
                                                                     later):  # fmt: skip
    director = people["director"]
    group = five_asking_approval(public)
    if later == "approved_and_closed":  # four approved; the fifth waits for the director
        for e in group[:4]:
            record.approval_record(encounter=e, user=director, approved=True)
    else:  # all five approved, none closed: no report entry frozen before the purge
        for e in group:
            record.approval_record(encounter=e, user=director, approved=True)
    before = copy(client)
    complied = before[0][1]["outcome"][1]

    if later == "approved_and_closed":
        record.approval_record(encounter=group[4], user=director, approved=True)
        for e in group:
            record.encounter_close(encounter=e, user=director)
    else:
        public.retain_encounters_days = 1
        public.save()
        retention.purge_library(public, now=timezone.now() + dt.timedelta(days=2))
        assert Encounter.objects.filter(library=public, purged_at=None).count() == 0
    # Counted again, the records now say otherwise ("5–9" against "fewer than 5")...
    live = transparency.build(public, all_rows=transparency.rows(public))
    moved = {"approved_and_closed": "5–9", "purged": "fewer than 5"}[later]
    assert complied != moved
    assert next(c for c in live.quarters[-1].tables["outcome"] if c.key == "complied").shown == (
        moved
    )
    # ...but the published page, charts and CSV are what they were, byte for byte.
    assert copy(client) == before


def test_it_shows_two_first_readers_the_same_figures(client, public, people, monkeypatch):
    """Two requests publish the quarter at once and the record changes in between: the one
    that counted before the change shows what the other froze, not its own count."""
    director = people["director"]
    group = five_asking_approval(public)
    for e in group[:4]:
        record.approval_record(encounter=e, user=director, approved=True)
    pages = {}
    count = transparency.quarter_report

    def racing(year, q, *args):
        counted = count(year, q, *args)
        if (year, q) == (2025, 3) and "second" not in pages:
            pages["second"] = None  # the second request starts here, after the first counted
            record.approval_record(encounter=group[4], user=director, approved=True)
            pages["second"] = copy(client)  # and publishes first
        return counted

    monkeypatch.setattr(transparency, "quarter_report", racing)
    pages["first"] = copy(client)
    assert pages["first"] == pages["second"]
    assert pages["first"][0][1]["outcome"][1] == "5–9"  # what the second one counted
    from patronshield.public.models import PublishedPeriod

    assert PublishedPeriod.objects.filter(library=public, period="2025-Q3").count() == 1


def test_it_keeps_no_exact_count_in_the_frozen_figures(client, public):
    """What is frozen is the figures the CSV publishes, bands only: 6 visits by ICE and 2
    by the sheriff (8 in all) are nowhere in it."""
    from patronshield.public.models import PublishedPeriod

    visit(public, Q3, 6)
    visit(public, Q3, 2, agency="sheriff")
    visit(public, Q3, 3, agency="fbi", document="national_security_letter")
    TransparencySettings.objects.create(library=public, national_security_bands=True)
    data = published_csv(client)
    frozen = {p.period: p.bands for p in PublishedPeriod.objects.filter(library=public)}
    assert set(frozen) == set(data)  # every period published, quarters and half-years
    numbers = []
    for period, bands in frozen.items():
        if "-H" in period:
            assert bands == {"nsl": data[period][("national_security", "nsl")],
                             "fisa": data[period][("national_security", "fisa")]}  # fmt: skip
            assert bands["nsl"] == "0–499"  # not 3
            continue
        cells_of = {("total", "total"): bands.pop("total")}
        for table, cells in bands.items():
            cells_of |= {(table, key): band for key, band in cells.items()}
        for (table, key), (low, high) in cells_of.items():
            assert transparency.band_text(low, high) == data[period][(table, key)]
            assert high - low + 1 >= 5 and low % (high - low + 1) == 0
            numbers += [low, high]
    assert not {6, 2, 8, 3} & set(numbers)
    assert {f.name for f in PublishedPeriod._meta.fields} == {
        "id", "library", "period", "bands", "published_at"
    }  # fmt: skip


def test_it_keeps_listing_a_published_quarter_when_the_report_would_begin_later(client,
                                                                              public):  # fmt: skip
    """The report begins with the quarter the first staff member joined. Were that account
    deleted, the quarters before the first visit would drop off the list, telling that they
    had no visit at all; a published quarter stays."""
    from patronshield.accounts.models import User

    joined = dt.datetime(2025, 2, 1, tzinfo=DETROIT)
    first = User.objects.create_user("first@a.example.org", library=public, date_joined=joined)
    visit(public, Q3, 2)
    before = published_csv(client)
    assert "2025-Q1" in before
    first.delete()
    assert published_csv(client) == before


def test_the_daily_job_publishes_an_ended_quarter_and_the_page_says_when(client, public):
    from patronshield.desk.management.commands.daily import daily
    from patronshield.public.models import PublishedPeriod

    visit(public, Q3, 6)
    at = dt.datetime(2025, 10, 1, 0, 30, tzinfo=DETROIT)
    assert "ecorse: 1 transparency report periods published" in daily(now=at)
    assert PublishedPeriod.objects.get(library=public, period="2025-Q3").published_at == at
    assert "periods published" not in " ".join(daily(now=at + dt.timedelta(hours=1)))  # once
    html = client.get(URL).content.decode()
    assert "These figures are as published on <bdi>1 October 2025</bdi>; they do not" in html
    assert published_csv(client)["2025-Q3"][("total", "total")] == "5–9"
    assert ",2025-10-01\r\n" in client.get("/transparency.csv").content.decode()

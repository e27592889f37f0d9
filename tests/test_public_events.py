"""The events feed is iCalendar that a calendar program reads (parsed with icalendar)."""

import datetime as dt

import icalendar
import pytest

from patronshield.public.demo import seed_public_demo
from patronshield.public.models import Event


@pytest.fixture
def demo(library):
    lib, _branch = library
    seed_public_demo(lib)
    return lib


def test_the_feed_parses_and_has_every_upcoming_event(client, demo):
    Event.objects.create(
        library=demo,
        kind=Event.Kind.DISCUSSION,
        title="Café, comunidad; derechos, and a very long title that will need folding over",
        description="Line one\nLine two, with a comma; and a semicolon \\ backslash",
        starts_at=dt.datetime(2030, 5, 1, 18, tzinfo=dt.UTC),
        ends_at=dt.datetime(2030, 5, 1, 20, tzinfo=dt.UTC),
        languages="Español",
    )
    response = client.get("/events.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "Set-Cookie" not in response.headers
    body = response.content
    assert body.endswith(b"\r\n") and b"\n" not in body.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    calendar = icalendar.Calendar.from_ical(body)
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert len(events) == 4
    long = events["Café, comunidad; derechos, and a very long title that will need folding over"]
    assert long.decoded("DTSTART") == dt.datetime(2030, 5, 1, 18, tzinfo=dt.UTC)
    assert str(long["DESCRIPTION"]).startswith(
        "Line one\nLine two, with a comma; and a semicolon \\ backslash"
    )
    assert "Español" in str(long["DESCRIPTION"])
    assert "LOCATION" not in long  # neither the event nor this library has an address
    clinic = events["Free immigration legal clinic (sample)"]
    assert str(clinic["CATEGORIES"].cats[0]) == "Legal clinic"
    assert str(clinic["LOCATION"]) == "Community room"
    assert all(str(e["UID"]).endswith(".ecorse@patronshield") for e in events.values())


def test_folding_never_splits_a_character(client, demo):
    Event.objects.create(
        library=demo,
        kind=Event.Kind.WORKSHOP,
        title="é" * 80,
        starts_at=dt.datetime(2030, 5, 1, 18, tzinfo=dt.UTC),
        ends_at=dt.datetime(2030, 5, 1, 20, tzinfo=dt.UTC),
    )
    body = client.get("/events.ics").content
    assert all(len(part) <= 75 for part in body.split(b"\r\n"))
    assert "SUMMARY:" + "é" * 80 in body.decode().replace("\r\n ", "")


def test_an_event_ends_after_it_starts(demo):
    from django.core.exceptions import ValidationError

    start = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    event = Event(library=demo, kind="workshop", title="x", starts_at=start, ends_at=start)
    with pytest.raises(ValidationError):
        event.full_clean()


def test_a_consortium_member_has_its_own_feed(client, demo):
    from patronshield.libraries.models import Library

    river = Library.objects.create(slug="river", name="River City Library", state="IL")
    Event.objects.create(
        library=river,
        kind=Event.Kind.CLINIC,
        title="River City clinic",
        starts_at=dt.datetime(2030, 6, 1, 15, tzinfo=dt.UTC),
        ends_at=dt.datetime(2030, 6, 1, 17, tzinfo=dt.UTC),
    )
    calendar = icalendar.Calendar.from_ical(client.get("/l/river/events.ics").content)
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "River City clinic"
    assert str(event["URL"]).endswith("/l/river/events/")
    assert str(calendar["X-WR-CALNAME"]) == "River City Library"

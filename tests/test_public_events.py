"""The events feed is iCalendar that a calendar program reads (parsed with icalendar)."""

import datetime as dt

import icalendar
import pytest

from patronshield.public.calendar import fold
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
    assert str(long["LOCATION"]) == demo.address or long["LOCATION"] is not None
    clinic = events["Free immigration legal clinic (sample)"]
    assert str(clinic["CATEGORIES"].cats[0]) == "Legal clinic"
    assert all(str(e["UID"]).endswith(".ecorse@patronshield") for e in events.values())


def test_folding_never_splits_a_character():
    line = "SUMMARY:" + "é" * 80
    folded = fold(line).encode()
    assert all(len(part) <= 75 for part in folded.split(b"\r\n"))
    assert folded.decode().replace("\r\n ", "") == line


def test_an_event_ends_after_it_starts(demo):
    from django.core.exceptions import ValidationError

    start = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    event = Event(library=demo, kind="workshop", title="x", starts_at=start, ends_at=start)
    with pytest.raises(ValidationError):
        event.full_clean()

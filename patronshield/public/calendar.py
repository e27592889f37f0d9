"""The events feed as iCalendar (RFC 5545), written by the icalendar library: it escapes the
text, folds the lines and ends them with CRLF. Times in UTC."""

import datetime as dt

import icalendar


def ics(library, events, url: str) -> bytes:
    feed = icalendar.Calendar()
    feed.add("prodid", "-//Patron Shield//Public events//EN")
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("method", "PUBLISH")
    feed.add("x-wr-calname", library.name)
    for event in events:
        description = event.description
        if event.partner:
            description += f"\n\n{event.partner}"
        if event.languages:
            description += f"\n{event.languages}"
        item = icalendar.Event()
        item.add("uid", f"event-{event.pk}.{library.slug}@patronshield")
        item.add("dtstamp", event.updated_at.astimezone(dt.UTC))
        item.add("dtstart", event.starts_at.astimezone(dt.UTC))
        item.add("dtend", event.ends_at.astimezone(dt.UTC))
        item.add("summary", event.title)
        item.add("description", description.strip())
        item.add("categories", [str(event.get_kind_display())])
        item.add("url", url)
        if location := event.location or library.address:
            item.add("location", location)
        feed.add_component(item)
    return feed.to_ical()

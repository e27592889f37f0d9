"""The events feed as iCalendar (RFC 5545), written by hand: UTC times, escaped text,
lines folded at 75 octets, CRLF line ends."""

import datetime as dt


def escape_text(value: str) -> str:
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Split a content line into chunks of at most 75 octets, never inside a character."""
    out, chunk, size = [], "", 0
    for char in line:
        width = len(char.encode())
        if size + width > 75:
            out.append(chunk)
            chunk, size = " ", 1
        chunk += char
        size += width
    out.append(chunk)
    return "\r\n".join(out)


def utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def ics(library, events, url: str) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Patron Shield//Public events//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(library.name)}",
    ]
    for event in events:
        description = event.description
        if event.partner:
            description += f"\n\n{event.partner}"
        if event.languages:
            description += f"\n{event.languages}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:event-{event.pk}.{library.slug}@patronshield",
            f"DTSTAMP:{utc(event.updated_at)}",
            f"DTSTART:{utc(event.starts_at)}",
            f"DTEND:{utc(event.ends_at)}",
            f"SUMMARY:{escape_text(event.title)}",
            f"DESCRIPTION:{escape_text(description.strip())}",
            f"CATEGORIES:{escape_text(event.get_kind_display())}",
            f"URL:{url}",
        ]
        if location := event.location or library.address:
            lines.append(f"LOCATION:{escape_text(location)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)

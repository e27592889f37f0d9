"""Sample resources and events for the demo library. Every one is marked as a sample:
555-01xx phone numbers and example.org addresses, no real organisation's details."""

import datetime as dt
import zoneinfo

from django.utils import timezone

from .models import Event, Resource

RESOURCES = [
    (
        Resource.Kind.LEGAL_AID,
        "Downriver Immigrant Legal Aid (sample)",
        "Free advice and representation in immigration cases.",
        "313-555-0161",
        "https://legal-aid.example.org",
        "English, Spanish, Arabic",
        "Mon–Fri 9:00–17:00",
        True,
    ),
    (
        Resource.Kind.LEGAL_AID,
        "Wayne County Tenant and Family Law Clinic (sample)",
        "Civil legal help: housing, family, benefits.",
        "313-555-0162",
        "https://family-law.example.org",
        "English, Spanish",
        "Tue and Thu 13:00–19:00",
        True,
    ),
    (
        Resource.Kind.HOTLINE,
        "Rapid Response Hotline (sample)",
        "Report immigration enforcement activity; volunteers can come and observe.",
        "313-555-0163",
        "",
        "English, Spanish, Arabic, French",
        "24 hours",
        True,
    ),
    (
        Resource.Kind.HOTLINE,
        "Detention Family Helpline (sample)",
        "Find a family member who was detained.",
        "313-555-0164",
        "",
        "English, Spanish, Haitian Creole",
        "Mon–Sat 8:00–20:00",
        True,
    ),
    (
        Resource.Kind.COUNSELLING,
        "Community Counselling Center (sample)",
        "Counselling after a frightening experience, for adults and children.",
        "313-555-0165",
        "https://counselling.example.org",
        "English, Spanish, Arabic",
        "Mon–Fri 10:00–18:00",
        False,
    ),
    (
        Resource.Kind.SUPPORT,
        "Families Together support group (sample)",
        "A weekly group for families affected by detention or deportation.",
        "313-555-0166",
        "",
        "English, Spanish",
        "Wednesdays 18:00",
        True,
    ),
    (
        Resource.Kind.CONSULATE,
        "Consulate (sample entry: look up your country's consulate)",
        "Consulates help their citizens who are detained.",
        "313-555-0167",
        "https://consulate.example.org",
        "Spanish, English",
        "Mon–Fri 9:00–14:00",
        True,
    ),
]
EVENTS = [
    (
        Event.Kind.WORKSHOP,
        "Know your rights workshop (sample)",
        7,
        18,
        2,
        "What to say and not say if officers stop you; what a judge's warrant looks like.",
        "Community room",
        "English, Spanish, Arabic",
        "Downriver Immigrant Legal Aid (sample)",
    ),
    (
        Event.Kind.CLINIC,
        "Free immigration legal clinic (sample)",
        14,
        10,
        3,
        "Short, confidential consultations with a lawyer. Bring your papers.",
        "Community room",
        "English, Spanish",
        "Downriver Immigrant Legal Aid (sample)",
    ),
    (
        Event.Kind.DISCUSSION,
        "Community conversation: our library, our neighbours (sample)",
        21,
        18,
        2,
        "An open discussion about immigration enforcement and how the library protects "
        "your privacy.",
        "Main floor",
        "English, Spanish, Arabic",
        "",
    ),
]


def seed_public_demo(library) -> None:
    """The demo rows, once: nothing is added if the library already has any."""
    if not library.public_resources.exists():
        for position, (
            kind,
            name,
            description,
            phone,
            website,
            languages,
            hours,
            free,
        ) in enumerate(RESOURCES):
            Resource.objects.create(
                library=library,
                kind=kind,
                name=name,
                description=description,
                phone=phone,
                website=website,
                languages=languages,
                hours=hours,
                free=free,
                sample=True,
                position=position,
            )
    if not library.public_events.exists():
        today = timezone.localdate()
        tz = zoneinfo.ZoneInfo(library.time_zone)
        for kind, title, days, hour, hours, description, location, languages, partner in EVENTS:
            start = dt.datetime.combine(today + dt.timedelta(days=days), dt.time(hour), tz)
            Event.objects.create(
                library=library,
                kind=kind,
                title=title,
                description=description,
                starts_at=start,
                ends_at=start + dt.timedelta(hours=hours),
                location=location,
                languages=languages,
                partner=partner,
                sample=True,
            )

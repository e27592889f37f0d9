"""The demo library: the Ecorse Public Library (Michigan), its areas and its people.

Every address is @example.org and every phone number is in the 555-01xx range reserved
for fiction, so the demo can never reach a real person.
"""

from django.db import transaction

from patronshield.accounts.models import Role, User

from .models import Area, Branch, Library

LIBRARY = {
    "slug": "ecorse",
    "name": "Ecorse Public Library",
    "state": "MI",
    "time_zone": "America/Detroit",
    "languages": ["en", "es", "ar"],
    "address": "4184 W. Jefferson Ave., Ecorse, MI 48229",
    "counsel_name": "Library counsel (demo)",
    "counsel_phone": "313-555-0150",
    "counsel_email": "counsel@example.org",
}
PUBLIC_AREAS = [
    "Lobby",
    "Main floor and stacks",
    "Public computers",
    "Children's area",
    "Community room (during a public program)",
]
NONPUBLIC_AREAS = [
    "Staff workroom",
    "Director's office",
    "Server room",
    "Community room (when closed)",
    "Service desk (staff side)",
]
# (email, first, last, role, designee order, phone, password)
PEOPLE = [
    (
        "director@example.org",
        "Denise",
        "Carter",
        Role.DIRECTOR,
        None,
        "313-555-0101",
        "ecorse-director-demo",
    ),
    (
        "designee1@example.org",
        "Marcus",
        "Lee",
        Role.DESIGNEE,
        1,
        "313-555-0102",
        "ecorse-designee-demo",
    ),
    (
        "designee2@example.org",
        "Ana",
        "Flores",
        Role.DESIGNEE,
        2,
        "313-555-0103",
        "ecorse-designee-demo",
    ),
    ("desk@example.org", "Jordan", "Smith", Role.DESK, None, "313-555-0104", "ecorse-desk-demo"),
    ("admin@example.org", "Sam", "Patel", Role.ADMIN, None, "313-555-0105", "ecorse-admin-demo"),
]


def demo_logins() -> list[tuple[str, str, str]]:
    return [(email, password, role.label) for email, _f, _l, role, _o, _p, password in PEOPLE]


@transaction.atomic
def seed_demo() -> Library:
    """Create the demo library if it is not there; idempotent."""
    library, _created = Library.objects.get_or_create(
        slug=LIBRARY["slug"], defaults={k: v for k, v in LIBRARY.items() if k != "slug"}
    )
    branch, _ = Branch.objects.get_or_create(
        library=library, name="Main library", defaults={"address": LIBRARY["address"]}
    )
    for public, names in ((True, PUBLIC_AREAS), (False, NONPUBLIC_AREAS)):
        for position, name in enumerate(names):
            Area.objects.get_or_create(
                library=library, name=name, defaults={"public": public, "position": position}
            )
    from patronshield.public.demo import seed_public_demo

    seed_public_demo(library)  # sample resources and events for the public pages
    for email, first, last, role, order, phone, password in PEOPLE:
        if User.objects.filter(email=email).exists():
            continue
        User.objects.create_user(
            email,
            password,
            first_name=first,
            last_name=last,
            role=role,
            designee_order=order,
            phone=phone,
            library=library,
            branch=branch,
            is_staff=role == Role.ADMIN,
            is_superuser=role == Role.ADMIN,
        )
    from patronshield.notifications.models import Contact

    if not library.contacts.exists():
        people = {u.email: u for u in library.staff.all()}
        roster = [
            (1, Contact.Role.DIRECTOR, "director@example.org"),
            (2, Contact.Role.DESIGNEE, "designee1@example.org"),
            (3, Contact.Role.DESIGNEE, "designee2@example.org"),
        ]
        for position, role, email in roster:
            user = people[email]
            Contact.objects.create(
                library=library,
                user=user,
                role=role,
                position=position,
                name=user.display_name,
                phone=user.phone,
                email=email,
            )
        Contact.objects.create(
            library=library,
            role=Contact.Role.COUNSEL,
            position=9,
            name=LIBRARY["counsel_name"],
            phone=LIBRARY["counsel_phone"],
            email=LIBRARY["counsel_email"],
        )
    return library

"""The demo library: the Ecorse Public Library (Michigan), its areas and its people.

Every address is @example.org and every phone number is in the 555-01xx range reserved
for fiction, so the demo can never reach a real person.
"""

from django.conf import settings
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
# A volunteer at the desk: trains like staff (see patronshield.training).
VOLUNTEER = ("volunteer@example.org", "Riley", "Nguyen", "313-555-0106", "ecorse-volunteer-demo")


# The demo's authenticator key, printed by seed-demo: the director, designees and
# administrator must use a second factor (settings.MFA_REQUIRED_ROLES), and a reviewer
# trying the demo should not have to enrol an app for each of them. Public, like the
# passwords above; never used outside the demo library's example.org accounts.
DEMO_TOTP_SECRET = "PATRONSHIELDDEMOKEY234567ABCDEFG"  # noqa: S105 (public on purpose)


def demo_code(at: float | None = None) -> str:
    """The code an authenticator app holding DEMO_TOTP_SECRET shows now."""
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(at or time.time()) // 30))


def demo_logins() -> list[tuple[str, str, str]]:
    logins = [(email, password, role.label) for email, _f, _l, role, _o, _p, password in PEOPLE]
    return [*logins, (VOLUNTEER[0], VOLUNTEER[4], "Volunteer")]


@transaction.atomic
def seed_demo() -> Library:
    """Create the demo library if it is not there; idempotent."""
    library, _created = Library.objects.get_or_create(
        slug=LIBRARY["slug"], defaults={k: v for k, v in LIBRARY.items() if k != "slug"}
    )
    branch, _ = Branch.objects.get_or_create(
        library=library,
        name="Main library",
        defaults={"address": LIBRARY["address"], "phone": "313-555-0123"},
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
        user = User.objects.create_user(
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
        if role in settings.MFA_REQUIRED_ROLES:
            from allauth.mfa.totp.internal.auth import TOTP

            TOTP.activate(user, DEMO_TOTP_SECRET)
    email, first, last, phone, password = VOLUNTEER
    if not User.objects.filter(email=email).exists():
        User.objects.create_user(
            email, password, first_name=first, last_name=last, role=Role.DESK, phone=phone,
            library=library, branch=branch, volunteer=True,
        )  # fmt: skip
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
    from patronshield.training.demo import seed_training
    from patronshield.training.schedule import policy_changed

    if not library.policy_versions.exists():
        version = seed_policy(library)
        # What the adoption's signal does on commit, done now so the training progress
        # below counts for this version (the signal then finds the round set already).
        policy_changed(library=library, version=str(version.number))
    seed_training(library)  # a little training progress: who is current, who is not
    return library


VALUES = (
    "The Ecorse Public Library is open to everyone. What people read, ask and look up here "
    "is their own business: we protect it, and we treat every visitor with the same respect."
)


def seed_policy(library):
    """Version 1 of the library's policy (the model policy with its own areas), adopted by
    the board two weeks ago, so the desk applies an adopted version from the start."""
    from datetime import timedelta

    from django.utils import timezone

    from . import policies

    director = library.staff.get(email="director@example.org")
    draft = policies.draft_get_or_create(library=library, user=director)
    draft = policies.draft_save(
        version=draft, user=director, choices={**draft.choices, "values": VALUES}
    )
    return policies.version_adopt(
        version=draft, user=director, board_date=timezone.localdate() - timedelta(days=14)
    )


# ------------------------------------------------------------------ demo encounters
# (agency, request, document, weight): visits of the kinds libraries report, mostly
# without papers; documents from the policy engine's vocabulary.
SCENARIOS = [
    ("ice", "question_people_public_area", "none", 10),
    ("ice", "enter_nonpublic_area", "administrative_warrant", 8),
    ("ice", "patron_whereabouts", "verbal", 8),
    ("ice", "arrest_public_area", "administrative_warrant", 5),
    ("ice", "patron_records", "detainer", 2),
    ("cbp", "presence_public_area", "none", 4),
    ("hsi", "patron_records", "administrative_subpoena", 4),
    ("fbi", "patron_records", "national_security_letter", 1),
    ("fbi", "seize_equipment", "judicial_search_warrant", 4),
    ("fbi", "patron_records", "grand_jury_subpoena", 3),
    ("fbi", "patron_records", "fisa_order", 1),
    ("us_marshals", "arrest_public_area", "judicial_arrest_warrant", 3),
    ("local_police", "surveillance_footage", "verbal", 8),
    ("local_police", "surveillance_footage", "judicial_search_warrant", 4),
    ("local_police", "patron_whereabouts", "none", 6),
    ("state_police", "patron_records", "court_order", 3),
    ("sheriff", "enter_nonpublic_area", "judicial_search_warrant", 3),
    ("sheriff", "staff_records", "judicial_subpoena", 2),
    ("other", "patron_records", "other", 3),
    ("other_federal", "patron_records", "unknown", 2),
]
OFFICER_AGENCIES = {
    "ice": ("Deportation Officer", "ICE ERO Detroit"),
    "cbp": ("Officer", "CBP Office of Field Operations, Detroit"),
    "hsi": ("Special Agent", "HSI Detroit"),
    "fbi": ("Special Agent", "FBI Detroit Field Office"),
    "us_marshals": ("Deputy Marshal", "U.S. Marshals Service, E.D. Mich."),
    "other_federal": ("Agent", "U.S. Postal Inspection Service"),
    "state_police": ("Trooper", "Michigan State Police"),
    "local_police": ("Officer", "Ecorse Police Department"),
    "sheriff": ("Deputy", "Wayne County Sheriff's Office"),
    "other": ("Investigator", "a private investigations firm"),
}
SURNAMES = "Reyes Novak Okafor Lindqvist Brennan Haddad Kowalski Tran Whitfield Castillo \
Moreau Abara Sato Duarte Kim Osei Petrov Walsh Nguyen Farah".split()
VEHICLES = ["", "", "black SUV", "unmarked grey sedan", "marked patrol car", "white van"]
NOTES = [
    "Officers stayed in the lobby and waited for the director.",
    "Staff asked for a copy of the document; the officer kept it.",
    "The officers asked who was in charge and were given the director's number.",
    "Two officers walked through the stacks and left without asking for anything else.",
    "Staff did not confirm whether anyone was or had been in the library.",
    "The director spoke with the officers by phone and asked them to contact counsel.",
    "The officer left a business card at the desk.",
    "Patrons near the desk were upset; staff offered them the community room.",
    "Counsel was called and asked for a copy of the paper by e-mail.",
    "Staff walked the officers to the workroom door but did not open it.",
    "The search took about forty minutes; officers photographed the server room.",
    "Staff debriefed after closing; the employee assistance line was offered.",
]
DECISIONS = {
    True: [
        "The warrant names the library and what may be taken.",
        "Access limited to what the warrant describes; staff stay with the officers.",
    ],
    False: [
        "The paper is not signed by a judge.",
        "Not until counsel has reviewed the subpoena.",
        "No records are released without a court order.",
    ],
}
ITEMS = [
    ("taken", "Public computer 4 (tower)", False),
    ("copied", "Lobby camera footage, 2 hours, to the officers' drive", False),
    ("viewed", "The staff workroom and the server room", False),
    ("taken", "Two DVDs from the documentary shelf", True),
    ("taken", "A book from the adult nonfiction collection", True),
    ("copied", "The public computer sign-in sheet for one day", False),
]


def _receipt_photo(rng) -> bytes:
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 640), (245, 243, 236))
    draw = ImageDraw.Draw(image)
    draw.text((30, 30), "RECEIPT FOR PROPERTY", fill=(20, 20, 20))
    for row in range(6):
        y = 90 + row * 40
        draw.line((30, y, 30 + rng.randint(200, 420), y), fill=(60, 60, 60), width=2)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def _seed_one(library, people, rng, started, now):
    from datetime import timedelta

    from patronshield.desk import record, services
    from patronshield.desk.models import Encounter
    from patronshield.notifications import services as alerts
    from patronshield.policy import vocab

    agency, request, document, _w = rng.choices(SCENARIOS, [s[3] for s in SCENARIOS])[0]
    desk = rng.choice([people["desk"]] * 4 + [people["designee1"]])
    director = people["director"]
    approver = rng.choice([director, director, people["designee1"], people["designee2"]])
    encounter = services.encounter_start(
        user=desk, language=rng.choice(["en"] * 4 + ["es"]), started_at=started
    )
    answers = {"agency": agency, "request": request, "document": document}
    answers["emergency"] = agency == "local_police" and rng.random() < 0.15
    if vocab.REQUEST_CLASSES[request] == "patron_info":
        answers["requester"] = "officer"
        answers["patron_consent"] = rng.random() < 0.05
    for name, value in answers.items():
        encounter = services.encounter_answer(encounter=encounter, actor=desk, **{name: value})
    if encounter.next_step() == "crime_at_library":  # a library in a state that asks it
        encounter = services.encounter_answer(
            encounter=encounter, actor=desk, crime_at_library=False
        )
    # The alerts go out and someone answers; now and then nobody does, and it escalates.
    for n in encounter.notifications.all():
        alerts.deliver(n.pk)
    if rng.random() < 0.15:
        for n in alerts.escalate(encounter.pk, 1):
            alerts.deliver(n.pk)
    if rng.random() < 0.92:
        n = encounter.notifications.filter(status="sent").order_by("pk").first()
        if n:
            alerts.acknowledge(alerts.ack_url(n).rstrip("/").rsplit("/", 1)[-1])
    title, office = OFFICER_AGENCIES[agency]
    for _i in range(rng.choice([1, 1, 2, 2, 3])):
        record.officer_add(
            encounter=encounter,
            user=desk,
            name=f"{title} {rng.choice('ABCDEJKLMRST')}. {rng.choice(SURNAMES)}",
            agency=office,
            badge=str(rng.randint(1000, 99999)) if rng.random() < 0.85 else "",
            contact=f"313-555-01{rng.randint(60, 99)}" if rng.random() < 0.4 else "",
            vehicle=rng.choice(VEHICLES),
            id_checked=rng.random() < 0.8,
        )
    if document == "judicial_search_warrant":
        for action, description, collection in rng.sample(ITEMS, rng.randint(1, 3)):
            item = record.item_record(
                encounter=encounter,
                user=desk,
                action=action,
                description=description,
                from_collection=collection,
                barcode=f"3123400{rng.randint(0, 9_999_999):07d}" if collection else "",
            )
            if collection and rng.random() < 0.7:
                record.item_marked_missing(encounter=encounter, user=desk, item=item)
        if rng.random() < 0.7:
            record.receipt_add(
                encounter=encounter, user=desk, name="receipt.jpg", data=_receipt_photo(rng)
            )
    for text in rng.sample(NOTES, rng.choice([0, 1, 1, 2])):
        record.note_add(encounter=encounter, user=desk, text=text)
    encounter.refresh_from_db()
    if encounter.outcome in ("comply_after_approval", "refer") and rng.random() < 0.6:
        approved = encounter.outcome == "comply_after_approval" and rng.random() < 0.7
        record.approval_record(
            encounter=encounter,
            user=approver,
            approved=approved,
            note=rng.choice(DECISIONS[approved]),
        )
    age = now - started
    if age > timedelta(hours=2) or rng.random() < 0.3:
        record.officers_left(encounter=encounter, user=desk)
    closed = age > timedelta(days=2) and rng.random() < 0.85
    if closed:
        record.encounter_close(encounter=encounter, user=rng.choice([desk, director]))
    if document in ("judicial_subpoena", "grand_jury_subpoena", "national_security_letter") and (
        rng.random() < 0.5
    ):
        record.legal_hold_set(
            encounter=encounter, user=director, on=True, reason="Counsel is answering the demand"
        )
    # The events keep the moment they were written (the log cannot be back-dated); the
    # encounter's own times are spread over the months, as a demo needs: its start as its
    # started event records it, the rest between that and the events (`verify-log`).
    minutes = timedelta(minutes=rng.randint(1, 4))
    updates = {}
    if encounter.decided_at:
        updates["decided_at"] = started + minutes
    if encounter.acknowledged_at:
        updates["acknowledged_at"] = started + minutes / 2
    if closed:
        updates["closed_at"] = started + timedelta(minutes=rng.randint(30, 180))
    if updates:
        Encounter.objects.filter(pk=encounter.pk).update(**updates)
    return encounter


def seed_encounters(library, n: int, *, seed: int = 0, now=None) -> list:
    """Fill the demo library with `n` realistic encounters through the services (officers,
    items, receipts, notes with no patron data, decisions, some closed, some on legal
    hold), their start times spread over the last 18 months. Alerts are delivered to
    nowhere and never queued for the real worker."""
    import random
    from datetime import timedelta

    from django.test import override_settings
    from django.utils import timezone

    from .models import Library

    library = library if isinstance(library, Library) else Library.objects.get(slug=library)
    by_email = {u.email: u for u in library.staff.all()}
    people = {
        "director": by_email["director@example.org"],
        "designee1": by_email["designee1@example.org"],
        "designee2": by_email["designee2@example.org"],
        "desk": by_email["desk@example.org"],
    }
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    now = now or timezone.now()
    zone = timezone.get_default_timezone()
    starts = []
    for _i in range(n):
        day = timezone.localtime(now - timedelta(days=rng.uniform(0, 548)), zone)
        start = day.replace(hour=rng.randint(10, 19), minute=rng.randint(0, 59))
        starts.append(min(start, now - timedelta(minutes=rng.randint(5, 90))))
    starts.sort()
    if n >= 3:  # one visit today, still open, for the desk's "Today" list
        starts[-1] = now - timedelta(minutes=rng.randint(5, 40))
    quiet = {
        "TASKS": {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}},
        "MAILERS": {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}},
    }
    with override_settings(**quiet):
        return [_seed_one(library, people, rng, started, now) for started in starts]

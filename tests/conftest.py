"""Personas, after healthchecks' alice/bob/charlie: the Ecorse desk worker, designee,
director and administrator, and a director of another library who must see nothing."""

import socket

import pytest

from patronshield.accounts.models import Role, User
from patronshield.libraries.models import Area, Branch, Library

PASSWORD = "correct horse battery staple"


def make_library(slug, name, state="MI"):
    library = Library.objects.create(
        slug=slug,
        name=name,
        state=state,
        languages=["en", "es"],
        counsel_name="Counsel",
        counsel_phone="313-555-0199",
    )
    branch = Branch.objects.create(library=library, name="Main library")
    Area.objects.create(library=library, name="Staff workroom", public=False)
    Area.objects.create(library=library, name="Main floor", public=True)
    return library, branch


def make_user(email, role, library, branch, **extra):
    """A staff member; those whose role requires a second factor get an authenticator app
    (its secret in `user.totp_secret`, for `totp_code`)."""
    user = User.objects.create_user(
        email,
        PASSWORD,
        role=role,
        library=library,
        branch=branch,
        first_name=email.split("@")[0].title(),
        phone="313-555-0100",
        **extra,
    )
    if user.needs_second_factor:
        from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

        user.totp_secret = generate_totp_secret()
        TOTP.activate(user, user.totp_secret)
    return user


def totp_code(user, offset=0) -> str:
    """The code the person's authenticator app shows now (or `offset` periods away)."""
    import time

    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
    from allauth.mfa.utils import decrypt

    secret = getattr(user, "totp_secret", None) or decrypt(
        Authenticator.objects.get(user=user, type="totp").data["secret"]
    )
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))


@pytest.fixture
def library(db):
    return make_library("ecorse", "Ecorse Public Library")


@pytest.fixture
def people(library):
    lib, branch = library
    people = {
        "desk": make_user("desk@a.example.org", Role.DESK, lib, branch),
        "designee": make_user(
            "designee@a.example.org", Role.DESIGNEE, lib, branch, designee_order=1
        ),
        "director": make_user("director@a.example.org", Role.DIRECTOR, lib, branch),
        "admin": make_user("admin@a.example.org", Role.ADMIN, lib, branch),
    }
    make_roster(lib, people)
    return people


def make_roster(lib, people):
    """The escalation chain: director, designee, a second designee, then counsel."""
    from patronshield.notifications.models import Contact

    rows = [
        (1, "director", people["director"], "director@a.example.org"),
        (2, "designee", people["designee"], "designee@a.example.org"),
        (3, "designee", None, "designee2@a.example.org"),
        (9, "counsel", None, "counsel@a.example.org"),
    ]
    return [
        Contact.objects.create(
            library=lib,
            role=role,
            position=pos,
            user=user,
            email=email,
            name=user.display_name if user else email.split("@")[0].title(),
            phone="313-555-0100",
        )
        for pos, role, user, email in rows
    ]


@pytest.fixture
def operator(db):
    """A consortium operator: no library and no library role, so none of a library's pages."""
    return make_user("op@consortium.example.org", "", None, None, is_staff=True, is_operator=True)


@pytest.fixture
def outsider(db):
    lib, branch = make_library("other", "Other Town Library", state="OH")
    return make_user("director@b.example.org", Role.DIRECTOR, lib, branch)


@pytest.fixture(scope="session", autouse=True)
def _collected_static(django_db_blocker):
    """Static files collected once, before any live server starts, as in production."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("collectstatic", "--noinput", verbosity=0)


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Plain static files (no collectstatic manifest) and a fast password hasher."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache

    cache.clear()  # used one-time codes are remembered there: a fresh memory per test
    from django.utils import translation

    translation.activate("en")  # a test that rendered Spanish leaves nothing behind


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
        return "250 OK"


@pytest.fixture
def smtp(settings):
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    inbox.port = port
    inbox.controller = controller
    yield inbox
    controller.stop()


def reauthenticate(client, user):
    """Prove the second factor again, as a sensitive page asks."""
    from django.urls import reverse

    for offset in (0, 1, -1):  # a code works once: the next one if this one was used
        r = client.post(reverse("mfa_reauthenticate"), {"code": totp_code(user, offset)})
        if r.status_code == 302:
            return
    raise AssertionError("reauthentication failed")

"""A library's administrator manages only their library in the admin."""

import pytest
from django.urls import reverse

from patronshield.desk import services
from patronshield.notifications.models import Contact


@pytest.fixture
def admin_a(people):
    user = people["admin"]
    user.is_staff = True
    user.save()
    return user


def test_the_administrator_sees_only_their_library(client, admin_a, outsider):
    other = outsider.library
    Contact.objects.create(library=other, role="director", position=1, name="Other Director")
    services.encounter_start(user=outsider)
    client.force_login(admin_a)
    from tests.conftest import reauthenticate

    reauthenticate(client, admin_a)
    pages = {
        "libraries": reverse("admin:libraries_library_changelist"),
        "staff": reverse("admin:accounts_user_changelist"),
        "roster": reverse("admin:notifications_contact_changelist"),
        "encounters": reverse("admin:desk_encounter_changelist"),
    }
    for name, url in pages.items():
        r = client.get(url)
        assert r.status_code == 200, name
        assert "Other Town" not in r.text and "b.example.org" not in r.text, name
        assert "Other Director" not in r.text, name
    assert "Ecorse Public Library" in client.get(pages["libraries"]).text
    r = client.get(reverse("admin:libraries_library_change", args=[other.pk]))
    assert r.status_code in (302, 404)
    assert client.get(reverse("admin:libraries_library_add")).status_code == 403


def test_the_administrator_edits_retention_and_cannot_make_superusers(client, admin_a):
    client.force_login(admin_a)
    r = client.get(reverse("admin:libraries_library_change", args=[admin_a.library_id]))
    assert "retain_encounters_days" in r.text and "card_number_pattern" in r.text
    r = client.get(reverse("admin:accounts_user_change", args=[admin_a.pk]))
    assert "is_superuser" not in r.text


def test_desk_staff_and_directors_have_no_admin(client, people):
    for role in ("desk", "director"):
        client.force_login(people[role])
        r = client.get(reverse("admin:index"))
        assert r.status_code in (302, 403), role


def test_a_consortium_operator_creates_libraries_and_sees_no_encounter(client, people, outsider):
    from patronshield.accounts.models import User
    from tests.conftest import reauthenticate

    services.encounter_start(user=people["desk"])
    op = User.objects.create_user("op@consortium.example.org", "x" * 12, role="",
                                  is_operator=True, is_staff=True)  # fmt: skip
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    op.totp_secret = generate_totp_secret()
    TOTP.activate(op, op.totp_secret)
    client.force_login(op)
    reauthenticate(client, op)
    r = client.get(reverse("admin:libraries_library_changelist"))
    assert "Ecorse Public Library" in r.text and "Other Town Library" in r.text
    assert client.get(reverse("admin:libraries_library_add")).status_code == 200
    for name in ("desk_encounter_changelist", "notifications_contact_changelist",
                 "notifications_device_changelist"):  # fmt: skip
        assert client.get(reverse(f"admin:{name}")).status_code == 403, name
    assert client.get(reverse("desk:home")).status_code == 403  # no library, no desk
    assert "Encounters" not in client.get(reverse("admin:index")).text

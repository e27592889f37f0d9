"""Issue 14, point 1: nobody raises anyone's power in the admin, their own included.

Each test replays the attack as the attacker would: a POST to the Django admin, signed in
as a library's administrator (`people["admin"]`, staff of library A) or as a consortium
operator, and checks what the attacker would notice afterwards."""

import io
import re
import sys

import pytest
from django.core.management import call_command
from django.urls import reverse

from patronshield.accounts.models import Role, User
from patronshield.libraries.models import Library
from patronshield.notifications.models import Contact
from tests.conftest import PASSWORD, make_user


@pytest.fixture
def admin_a(people):
    user = people["admin"]
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def operator(db, monkeypatch):
    """A consortium operator, made as the README says: on the command line."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    call_command("user", "add", "op@consortium.example.org", "--operator", stdout=io.StringIO())
    op = User.objects.get(email="op@consortium.example.org")
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    op.totp_secret = generate_totp_secret()
    TOTP.activate(op, op.totp_secret)
    return op


def change_form(user, **changes):
    """What the admin's change page for `user` posts back, with `changes`."""
    data = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "phone": user.phone,
        "language": user.language,
        "library": user.library_id or "",
        "branch": user.branch_id or "",
        "role": user.role,
        "designee_order": user.designee_order or "",
        "is_active": "on",
    }
    if user.is_staff:
        data["is_staff"] = "on"
    data.update(changes)
    return data


def post_change(client, user, **changes):
    url = reverse("admin:accounts_user_change", args=[user.pk])
    return client.post(url, change_form(user, **changes))


def test_it_refuses_an_administrator_making_themself_consortium_operator(client, admin_a, outsider):
    client.force_login(admin_a)
    post_change(client, admin_a, role="operator")
    admin_a.refresh_from_db()
    assert admin_a.role == Role.ADMIN and not admin_a.is_operator
    staff = client.get(reverse("admin:accounts_user_changelist")).text
    assert "director@b.example.org" not in staff  # still only their own library
    r = client.get(reverse("admin:libraries_library_change", args=[outsider.library_id]))
    assert r.status_code in (302, 404)


@pytest.mark.parametrize("role", ["director", "designee"])
def test_it_refuses_an_administrator_changing_their_own_role(client, admin_a, role):
    client.force_login(admin_a)
    post_change(client, admin_a, role=role)
    admin_a.refresh_from_db()
    assert admin_a.role == Role.ADMIN


@pytest.mark.parametrize("role", ["director", "admin", "operator"])
def test_it_refuses_an_administrator_promoting_a_colleague_above_designee(
    client, admin_a, people, role
):
    desk = people["desk"]
    client.force_login(admin_a)
    r = post_change(client, desk, role=role)
    assert r.status_code == 200 and "errornote" in r.text  # the form says no
    desk.refresh_from_db()
    assert desk.role == Role.DESK


def test_it_refuses_an_administrator_demoting_the_director(client, admin_a, people):
    director = people["director"]
    client.force_login(admin_a)
    post_change(client, director, role="desk")
    director.refresh_from_db()
    assert director.role == Role.DIRECTOR


def test_it_refuses_an_administrator_giving_admin_or_superuser_access(client, admin_a, people):
    desk = people["desk"]
    client.force_login(admin_a)
    post_change(client, desk, is_staff="on", is_superuser="on")
    desk.refresh_from_db()
    assert not desk.is_staff and not desk.is_superuser
    client.force_login(desk)
    assert client.get(reverse("admin:index")).status_code == 302  # sent to sign in


def test_an_administrator_still_sets_the_roles_that_are_theirs_to_give(client, admin_a, people):
    desk = people["desk"]
    client.force_login(admin_a)
    form = client.get(reverse("admin:accounts_user_change", args=[desk.pk])).text
    assert 'value="designee"' in form and 'value="director"' not in form
    assert 'name="is_staff"' not in form and 'name="is_superuser"' not in form
    r = post_change(client, desk, role="designee", designee_order="2", volunteer="on")
    assert r.status_code == 302
    desk.refresh_from_db()
    assert desk.role == Role.DESIGNEE and desk.volunteer
    r = post_change(client, desk, email="desk.new@a.example.org", role="counsel")
    desk.refresh_from_db()
    assert desk.email == "desk.new@a.example.org" and desk.role == Role.COUNSEL


def test_it_refuses_an_administrator_taking_over_a_superuser(client, admin_a, library):
    lib, branch = library
    root = make_user("root@a.example.org", Role.ADMIN, lib, branch, is_staff=True,
                     is_superuser=True)  # fmt: skip
    client.force_login(admin_a)
    assert "root@a.example.org" not in client.get(reverse("admin:accounts_user_changelist")).text
    r = client.post(
        reverse("admin:auth_user_password_change", args=[root.pk]),
        {"password1": "the attacker's passphrase", "password2": "the attacker's passphrase"},
    )
    assert r.status_code in (302, 404) and not r.get("Location", "").endswith("/change/")
    post_change(client, root, email="mine@attacker.example.org")
    root.refresh_from_db()
    assert root.check_password(PASSWORD) and root.email == "root@a.example.org"


def test_it_refuses_an_administrator_editing_an_operator(client, admin_a, operator):
    operator.library = admin_a.library  # even one that names the administrator's library
    operator.save()
    client.force_login(admin_a)
    post_change(client, operator, email="mine@attacker.example.org", is_active="")
    operator.refresh_from_db()
    assert operator.email == "op@consortium.example.org" and operator.is_active


def test_it_refuses_an_operator_making_themself_superuser(client, operator):
    client.force_login(operator)
    post_change(client, operator, is_superuser="on", is_staff="on")
    operator.refresh_from_db()
    assert not operator.is_superuser
    assert client.get(reverse("admin:desk_encounter_changelist")).status_code == 403


def test_it_refuses_an_operator_changing_an_existing_account(client, operator, people, admin_a):
    client.force_login(operator)
    for person in (people["director"], admin_a):
        r = client.post(
            reverse("admin:auth_user_password_change", args=[person.pk]),
            {"password1": "the operator's passphrase", "password2": "the operator's passphrase"},
        )
        assert r.status_code in (403, 404)
        post_change(client, person, is_staff="on", is_superuser="on", role="admin")
        person.refresh_from_db()
        assert person.check_password(PASSWORD) and not person.is_superuser


def test_it_refuses_an_operator_deleting_an_authenticator(client, operator, people):
    from allauth.mfa.models import Authenticator

    totp = Authenticator.objects.get(user=people["director"], type="totp")
    client.force_login(operator)
    r = client.post(reverse("admin:mfa_authenticator_delete", args=[totp.pk]), {"post": "yes"})
    assert r.status_code == 403
    assert Authenticator.objects.filter(pk=totp.pk).exists()


def add_user(client, email, library, role):
    return client.post(
        reverse("admin:accounts_user_add"),
        {"email": email, "password1": "a long new passphrase", "password2":
         "a long new passphrase", "library": library.pk, "role": role, "usable_password": "true"},
    )  # fmt: skip


def test_an_operator_creates_a_library_and_its_first_administrator(client, operator, people):
    client.force_login(operator)
    r = client.post(
        reverse("admin:libraries_library_add"),
        {"name": "Wyandotte Library", "slug": "wyandotte", "state": "MI",
         "time_zone": "America/Detroit", "languages": ["en"],
         "retain_encounters_days": 365, "retain_documents_days": 30,
         "retain_requests_days": 365, "card_number_pattern": r"\b2\d{13}\b",
         "branches-TOTAL_FORMS": 0, "branches-INITIAL_FORMS": 0,
         "areas-TOTAL_FORMS": 0, "areas-INITIAL_FORMS": 0},
    )  # fmt: skip
    assert r.status_code == 302, r.text[:3000]
    new = Library.objects.get(slug="wyandotte")
    r = add_user(client, "boss@wyandotte.example.org", new, "admin")
    assert r.status_code == 302, re.findall(r"errorlist.{0,300}", r.text)
    boss = User.objects.get(email="boss@wyandotte.example.org")
    assert boss.role == Role.ADMIN and boss.library == new and boss.is_staff
    assert not boss.is_superuser and not boss.is_operator


@pytest.mark.parametrize("role", ["admin", "director", "desk"])
def test_it_refuses_an_operator_adding_staff_beyond_the_first_administrator(
    client, operator, admin_a, role
):
    client.force_login(operator)
    add_user(client, "extra@a.example.org", admin_a.library, role)
    assert not User.objects.filter(email="extra@a.example.org").exists()


def test_it_refuses_a_superuser_making_another_superuser_in_the_admin(client, people, library):
    lib, branch = library
    root = make_user("root@a.example.org", Role.ADMIN, lib, branch, is_staff=True,
                     is_superuser=True)  # fmt: skip
    client.force_login(root)
    desk = people["desk"]
    post_change(client, desk, is_superuser="on", is_staff="on")
    desk.refresh_from_db()
    assert not desk.is_superuser  # a superuser exists only by the command line


def user_choices(page: str) -> set[str]:
    """The values offered by the form's "user" drop-down."""
    select = re.search(r'<select name="user".*?</select>', page, re.S).group(0)
    return set(re.findall(r'<option value="(\d+)"', select))


def test_it_refuses_an_administrator_linking_another_librarys_person_on_the_roster(
    client, admin_a, outsider
):
    client.force_login(admin_a)
    offered = user_choices(client.get(reverse("admin:notifications_contact_add")).text)
    assert str(admin_a.pk) in offered and str(outsider.pk) not in offered
    r = client.post(
        reverse("admin:notifications_contact_add"),
        {"position": 5, "role": "designee", "name": "Borrowed", "email": "x@a.example.org",
         "user": outsider.pk, "webhook_secret": "s" * 32, "active": "on"},
    )  # fmt: skip
    assert r.status_code == 200 and "errornote" in r.text
    assert not Contact.objects.filter(user=outsider).exists()


def test_an_operator_still_needs_a_second_factor(client, db, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    call_command("user", "add", "op2@consortium.example.org", "--operator", stdout=io.StringIO())
    client.force_login(User.objects.get(email="op2@consortium.example.org"))
    r = client.get(reverse("admin:index"))
    assert r.status_code == 302 and "required=1" in r["Location"]


def test_it_takes_away_the_operator_role_an_administrator_gave_themself(people):
    """Upgrading: role "operator" becomes the flag only where the command line made it (no
    library); one with a library was raised in the admin and keeps desk staff only."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("patronshield.accounts.migrations.0005_operator_flag")
    raised = people["admin"]
    User.objects.filter(pk=raised.pk).update(role="operator", is_staff=True)
    op = User.objects.create_user("op@consortium.example.org", PASSWORD, is_staff=True)
    User.objects.filter(pk=op.pk).update(role="operator")
    migration.operators_apart(apps, None)
    raised.refresh_from_db()
    op.refresh_from_db()
    assert raised.role == Role.DESK and not raised.is_staff and not raised.is_operator
    assert op.is_operator and op.role == "" and op.is_staff

"""The second factor (django-allauth): required for directors, designees, counsel and
administrators, offered to desk staff; codes work once; recovery codes; sensitive pages ask
again; the admin signs in the same way."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from patronshield.accounts.models import Role
from tests.conftest import PASSWORD, make_user, totp_code


def password_step(client, email):
    return client.post(reverse("login"), {"login": email, "password": PASSWORD})


def code_step(client, code):
    return client.post(reverse("mfa_authenticate"), {"code": code})


def test_a_director_signs_in_with_password_then_code(client, people):
    r = password_step(client, "director@a.example.org")
    assert r.status_code == 302 and r.url == reverse("mfa_authenticate")
    assert client.get(reverse("desk:home")).status_code == 302  # not signed in yet
    r = code_step(client, "000000")
    assert r.status_code == 200 and client.get(reverse("desk:home")).status_code == 302
    r = code_step(client, totp_code(people["director"]))
    assert r.status_code == 302
    assert client.get(reverse("desk:home")).status_code == 200


def test_a_code_works_only_once(client, people):
    code = totp_code(people["director"])
    password_step(client, "director@a.example.org")
    assert code_step(client, code).status_code == 302
    client.post(reverse("logout"))
    password_step(client, "director@a.example.org")
    r = code_step(client, code)  # the same code again, within its 30 seconds
    assert r.status_code == 200 and client.get(reverse("desk:home")).status_code == 302


def test_recovery_codes_work_once_each(client, people):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    codes = RecoveryCodes.activate(people["director"]).get_unused_codes()
    assert len(codes) >= 10
    password_step(client, "director@a.example.org")
    assert code_step(client, codes[0]).status_code == 302
    client.post(reverse("logout"))
    password_step(client, "director@a.example.org")
    assert code_step(client, codes[0]).status_code == 200  # used
    assert code_step(client, codes[1]).status_code == 302


@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.DESIGNEE, Role.COUNSEL, Role.ADMIN])
def test_roles_that_need_a_second_factor_must_set_one_up_first(client, library, role):
    lib, branch = library
    user = make_user(f"new-{role}@a.example.org", role, lib, branch)
    Authenticator.objects.filter(user=user).delete()
    assert password_step(client, user.email).status_code == 302  # no code yet: signed in
    r = client.get(reverse("desk:home"))
    assert r.status_code == 302 and r.url.startswith(reverse("mfa_activate_totp"))
    r = client.get(r.url)  # setting up a factor asks for the password once more
    assert r.status_code == 302 and "reauthenticate" in r.url
    assert client.post(r.url, {"password": PASSWORD}).status_code == 302
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200 and "svg" in page.text  # the QR code to scan
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    secret = re.search(r"\b([A-Z2-7]{32})\b", page.text).group(1)
    import time

    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    r = client.post(reverse("mfa_activate_totp"), {"code": code})
    assert r.status_code == 302
    assert client.get(reverse("desk:home")).status_code == 200


def test_desk_staff_may_but_need_not_use_a_second_factor(client, people):
    client.force_login(people["desk"])
    assert client.get(reverse("desk:home")).status_code == 200
    page = client.get(reverse("mfa_index"))
    assert page.status_code == 200 and reverse("mfa_activate_totp") in page.text


def test_a_sensitive_page_asks_for_the_code_again(client, people):
    client.force_login(people["director"])  # signed in, but not just now
    r = client.get(reverse("desk:access_log"))
    assert r.status_code == 302 and "reauthenticate" in r.url
    r = client.post(r.url, {"code": totp_code(people["director"])})
    assert r.status_code == 302
    assert client.get(reverse("desk:access_log")).status_code == 200


def test_the_admin_signs_in_through_the_same_page(client):
    r = client.get("/admin/login/?next=/admin/")
    assert r.status_code == 302 and r.url.startswith(reverse("login"))


def test_nobody_signs_up(client, library):
    r = client.get("/accounts/signup/")
    assert r.status_code == 200 and "closed" in r.text.lower()

"""Issue 14, point 6: nobody changes their own account's e-mail address (allauth's e-mail
page is off); the library's administrator changes addresses in the admin."""

from allauth.account.models import EmailAddress
from django.urls import reverse

from tests.conftest import PASSWORD

CLAIMED = "counsel@a.example.org"  # on the roster, without an account yet


def test_it_refuses_a_signed_in_user_claiming_another_address(client, people):
    desk = people["desk"]
    client.force_login(desk)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})  # as allauth asks
    url = reverse("account_email")
    added = client.post(url, {"action_add": "", "email": CLAIMED})
    made_primary = client.post(url, {"action_primary": "", "email": CLAIMED})
    desk.refresh_from_db()
    assert desk.email == "desk@a.example.org"
    assert added.status_code == made_primary.status_code == client.get(url).status_code == 404
    assert not EmailAddress.objects.filter(email=CLAIMED).exists()


def test_the_email_page_is_gone_for_every_role(client, people):
    for user in people.values():
        client.force_login(user)
        assert client.get(reverse("account_email")).status_code == 404


def test_the_administrator_still_changes_an_address(client, people):
    admin, desk = people["admin"], people["desk"]
    admin.is_staff = True
    admin.save()
    EmailAddress.objects.create(user=desk, email=desk.email, primary=True, verified=True)
    client.force_login(admin)
    r = client.post(
        reverse("admin:accounts_user_change", args=[desk.pk]),
        {"email": "ana.desk@a.example.org", "role": "desk", "language": "en",
         "branch": desk.branch_id, "is_active": "on"},
    )  # fmt: skip
    assert r.status_code == 302
    desk.refresh_from_db()
    assert desk.email == "ana.desk@a.example.org"
    # The old address no longer reaches the account (a password reset looks there too).
    assert not EmailAddress.objects.filter(email="desk@a.example.org").exists()

"""`patronshield user add|deactivate`: the password only ever on stdin."""

import io
import sys

import pytest
from django.core.management import CommandError, call_command

from patronshield.accounts.models import User


def add(monkeypatch, *args, password="a long enough passphrase"):
    monkeypatch.setattr(sys, "stdin", io.StringIO(password + "\n"))
    out = io.StringIO()
    call_command("user", "add", *args, stdout=out)
    return out.getvalue()


def test_add_reads_the_password_from_stdin(monkeypatch, library):
    out = add(monkeypatch, "New.Person@a.example.org", "--role", "designee", "--name", "Ana Ruiz")
    user = User.objects.get(email="new.person@a.example.org")
    assert user.role == "designee" and user.library.slug == "ecorse" and user.last_name == "Ruiz"
    assert user.check_password("a long enough passphrase")
    assert "Designee at Ecorse Public Library" in out


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (["x@a.example.org", "--role", "desk"], "short", "password"),
        (["x@a.example.org", "--role", "desk"], "", "standard input"),
        (
            ["x@a.example.org", "--role", "desk", "--library", "nope"],
            "a long passphrase",
            "no library",
        ),
        (["desk@a.example.org", "--role", "desk"], "a long passphrase", "already"),
    ],
)
def test_bad_input_says_what_is_wrong(monkeypatch, people, args, password, message):
    with pytest.raises(CommandError, match=message):
        add(monkeypatch, *args, password=password)


def test_several_libraries_need_one_named(monkeypatch, library, outsider):
    with pytest.raises(CommandError, match="--library"):
        add(monkeypatch, "x@a.example.org", "--role", "desk")
    add(monkeypatch, "x@b.example.org", "--role", "counsel", "--library", "other")
    assert User.objects.get(email="x@b.example.org").library.slug == "other"


def test_add_operator_makes_a_consortium_operator_without_a_library_or_role(monkeypatch, library):
    out = add(monkeypatch, "op@consortium.example.org", "--operator")
    op = User.objects.get(email="op@consortium.example.org")
    assert op.is_operator and op.is_staff and op.library is None and op.role == ""
    assert "Consortium operator at every library" in out
    with pytest.raises(CommandError):
        add(monkeypatch, "x@a.example.org", "--operator", "--role", "admin")
    with pytest.raises(CommandError):
        add(monkeypatch, "x@a.example.org", "--role", "operator")  # no longer a role


def test_deactivate_ends_the_account(client, people):
    client.force_login(people["desk"])
    call_command("user", "deactivate", "desk@a.example.org", stdout=io.StringIO())
    assert client.get("/").status_code == 302

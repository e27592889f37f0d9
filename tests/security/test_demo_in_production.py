"""Issue 14, point 10: the demo never reaches production. Its passwords and its
authenticator key are public, so `seed-demo` refuses a production set-up (DEBUG=0,
PATRONSHIELD_HTTPS=1) unless told --force-demo."""

import io

import pytest
from django.core.management import CommandError, call_command

from patronshield.accounts.models import User
from patronshield.libraries.models import Library


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.HTTPS = True


def test_it_refuses_to_seed_the_demo_on_a_production_server(db, production):
    with pytest.raises(CommandError, match="--force-demo"):
        call_command("seed_demo", stdout=io.StringIO())
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo", "--if-empty", stdout=io.StringIO())
    assert not Library.objects.exists() and not User.objects.exists()


def test_force_demo_seeds_it_anyway(db, production):
    out = io.StringIO()
    call_command("seed_demo", "--force-demo", "--quiet-logins", stdout=out)
    assert Library.objects.filter(slug="ecorse").exists() and "Demo library ready" in out.getvalue()


@pytest.mark.parametrize(("debug", "https"), [(True, True), (False, False), (True, False)])
def test_development_set_ups_still_seed_it(db, settings, debug, https):
    settings.DEBUG, settings.HTTPS = debug, https
    call_command("seed_demo", "--if-empty", "--quiet-logins", stdout=io.StringIO())
    assert Library.objects.filter(slug="ecorse").exists()

"""Who may use the director's transparency page, enforced: every `transparency:` route,
requested with GET and POST by each role of library A, by counsel, by a director of
library B and anonymously. Deny by default: a route missing from TRANSPARENCY_MATRIX
fails. The public report itself (`public:transparency`, `public:transparency_csv`) needs
no login and is covered with the other public pages."""

import pytest
from django.urls import reverse

from patronshield.accounts.models import Role
from patronshield.public.models import TransparencySettings
from tests.conftest import make_user
from tests.test_permission_matrix import matrix_problems
from tests.test_records_permissions import route_names

MARKER = "MARKER-T-3307"
DIRECTOR = "director"
PERSONAS = ["desk", "designee", DIRECTOR, "admin", "counsel", "operator", "outsider", None]

# The director of library B uses the same page for library B (and sees nothing of A's).
DIRECTORS = {DIRECTOR, "outsider"}
# (route, {method: personas allowed}); a method left out is not served.
TRANSPARENCY_MATRIX = [
    ("transparency:settings", {"GET": DIRECTORS, "POST": DIRECTORS}),
    ("transparency:affirm", {"POST": DIRECTORS}),
]


def test_every_transparency_route_is_in_the_matrix():
    covered = {name for name, _methods in TRANSPARENCY_MATRIX}
    missing = [n for n in route_names() if n.startswith("transparency:") and n not in covered]
    assert not missing, f"say who may use these: {missing}"


@pytest.fixture
def world(people, library, outsider, operator):
    lib, branch = library
    lib.name = f"Ecorse Public Library {MARKER}"
    lib.save()
    TransparencySettings.objects.create(library=lib, canary=True)
    counsel = make_user("counsel@a.example.org", Role.COUNSEL, lib, branch)
    return {**people, "counsel": counsel, "outsider": outsider, "operator": operator}


@pytest.mark.parametrize(("name", "methods"), TRANSPARENCY_MATRIX, ids=lambda v: str(v))
def test_each_role_gets_only_what_the_matrix_allows(client, world, name, methods):
    url = reverse(name)
    problems = matrix_problems(client, url, methods, world, PERSONAS, MARKER)
    assert not problems, f"{url}: " + "; ".join(problems)


def test_nothing_changes_for_those_denied(client, world):
    from patronshield.public.models import TransparencySettings

    for persona in ("desk", "designee", "admin", "counsel", "outsider"):
        client.force_login(world[persona])
        client.post(reverse("transparency:settings"), {"national_security_bands": "on"})
        client.post(reverse("transparency:affirm"))
    s = TransparencySettings.objects.get(library=world[DIRECTOR].library)
    assert not s.national_security_bands and s.canary_affirmed_at is None

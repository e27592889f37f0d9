"""Who may use each policy page, enforced: every policy route, requested with GET and POST by
each role of library A, by a director of library B and anonymously. Deny by default: a
policy route missing from POLICY_MATRIX fails. Same shape as the records matrix."""

import pytest
from django.urls import reverse
from django.utils import timezone

from patronshield.accounts.models import Role
from patronshield.libraries import policies
from tests.conftest import make_user
from tests.test_permission_matrix import matrix_problems
from tests.test_records_permissions import route_names

MARKER = "MARKER-P-7731"
DESK, DESIGNEE, DIRECTOR, ADMIN, COUNSEL = "desk", "designee", "director", "admin", "counsel"
STAFF = {DESK, DESIGNEE, DIRECTOR, ADMIN, COUNSEL}
EDITORS = {DIRECTOR, ADMIN}
# The pages without an id show the user's own library: a director of library B sees B's.
OWN_STAFF, OWN_EDITORS = STAFF | {"outsider"}, EDITORS | {"outsider"}
PERSONAS = [DESK, DESIGNEE, DIRECTOR, ADMIN, COUNSEL, "operator", "outsider", None]

# (route, kwargs builder, {method: personas allowed}); a method left out is not served.
POLICY_MATRIX = [
    ("policy:show", lambda o: {}, {"GET": OWN_STAFF}),
    ("policy:draft", lambda o: {}, {"GET": OWN_EDITORS, "POST": OWN_EDITORS}),
    ("policy:version", lambda o: {"number": o["adopted"]}, {"GET": STAFF}),
    ("policy:version", lambda o: {"number": o["draft"]}, {"GET": EDITORS}),
    ("policy:pdf", lambda o: {"number": o["adopted"]}, {"GET": STAFF}),
    ("policy:pdf", lambda o: {"number": o["draft"]}, {"GET": EDITORS}),
    ("policy:adopt", lambda o: {"number": o["draft"]}, {"GET": EDITORS, "POST": EDITORS}),
    ("policy:card", lambda o: {"branch": o["branch"], "language": "en"}, {"GET": STAFF}),
]


def test_every_policy_route_is_in_the_matrix():
    covered = {name for name, _kwargs, _methods in POLICY_MATRIX}
    missing = [n for n in route_names() if n.startswith("policy:") and n not in covered]
    assert not missing, f"say who may use these: {missing}"


@pytest.fixture
def world(people, library, outsider, operator):
    lib, branch = library
    counsel = make_user("counsel@a.example.org", Role.COUNSEL, lib, branch)
    admin = people["admin"]
    v1 = policies.draft_get_or_create(library=lib, user=admin)
    v1 = policies.draft_save(
        version=v1, user=admin, choices={**v1.choices, "values": f"Adopted {MARKER}"}
    )
    policies.version_adopt(version=v1, user=admin, board_date=timezone.localdate())
    draft = policies.draft_get_or_create(library=lib, user=admin)
    return {
        "adopted": v1.number,
        "draft": draft.number,
        "branch": branch.pk,
        "users": {**people, COUNSEL: counsel, "outsider": outsider, "operator": operator},
    }


@pytest.mark.parametrize(
    ("name", "kwargs", "methods"),
    POLICY_MATRIX,
    ids=[f"{n}-{i}" for i, (n, _k, _m) in enumerate(POLICY_MATRIX)],
)
def test_each_role_gets_only_what_the_matrix_allows(client, world, name, kwargs, methods):
    url = reverse(name, kwargs=kwargs(world))
    problems = matrix_problems(
        client, url, methods, world["users"], PERSONAS, MARKER, watchers=("outsider", "operator")
    )
    assert not problems, f"{url}: " + "; ".join(problems)


def test_another_librarys_branch_card_is_not_found(client, world, outsider):
    client.force_login(outsider)
    url = reverse("policy:card", kwargs={"branch": world["branch"], "language": "en"})
    assert client.get(url).status_code == 404

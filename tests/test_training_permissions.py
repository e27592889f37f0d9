"""Who may use each training page, enforced: every training route, requested with GET and
POST by each role of library A, by a director of library B and anonymously. Deny by
default: a training route missing from TRAINING_MATRIX fails. Everyone who works the desk
trains (counsel do not); only the director and administrators see the team; a drill's
attempt is its trainee's, and its results are also the director's and administrators'.
Another library's attempt answers 404. Same shape as tests/test_records_permissions.py."""

import pytest
from django.urls import reverse

from patronshield.accounts.models import Role
from patronshield.training import services
from tests.conftest import make_user
from tests.test_permission_matrix import matrix_problems
from tests.test_records_permissions import route_names

MARKER = "MARKER-T-3307"
DESK, DESIGNEE, DIRECTOR, ADMIN, COUNSEL = "desk", "designee", "director", "admin", "counsel"
TRAINEES = {DESK, DESIGNEE, DIRECTOR, ADMIN, "outsider"}  # the outsider, in their own library
PERSONAS = [DESK, DESIGNEE, DIRECTOR, ADMIN, COUNSEL, "operator", "outsider", None]

TRAINING_MATRIX = [
    ("training:home", lambda o: {}, {"GET": TRAINEES}),
    ("training:team", lambda o: {}, {"GET": {DIRECTOR, ADMIN, "outsider"}}),
    ("training:module", lambda o: {"slug": "areas"}, {"GET": TRAINEES, "POST": TRAINEES}),
    ("training:drill", lambda o: {"scenario": "fbi-nsl"}, {"GET": TRAINEES, "POST": TRAINEES}),
    ("training:drill_finish", lambda o: {"pk": o["open"]}, {"GET": {DESK}, "POST": {DESK}}),
    ("training:drill_result", lambda o: {"pk": o["done"]}, {"GET": {DESK, DIRECTOR, ADMIN}}),
]


def test_every_training_route_is_in_the_matrix():
    covered = {name for name, _kwargs, _methods in TRAINING_MATRIX}
    missing = [n for n in route_names() if n.startswith("training:") and n not in covered]
    assert not missing, f"say who may use these: {missing}"


@pytest.fixture
def world(people, library, outsider, operator):
    lib, branch = library
    desk = people["desk"]
    desk.first_name = MARKER  # shown to whoever may read the desk worker's results
    desk.save()
    counsel = make_user("counsel@a.example.org", Role.COUNSEL, lib, branch)
    done = services.drill_start(user=desk, scenario_id="ice-detainer")
    services.drill_finish(attempt=done, user=desk)
    open_ = services.drill_start(user=desk, scenario_id="fbi-nsl")
    return {"open": open_.pk, "done": done.pk,
            "users": {**people, COUNSEL: counsel, "outsider": outsider,
                      "operator": operator}}  # fmt: skip


@pytest.mark.parametrize(
    ("name", "kwargs", "methods"),
    TRAINING_MATRIX,
    ids=[n for n, _k, _m in TRAINING_MATRIX],
)
def test_each_role_gets_only_what_the_matrix_allows(client, world, name, kwargs, methods):
    url = reverse(name, kwargs=kwargs(world))
    problems = matrix_problems(
        client, url, methods, world["users"], PERSONAS, MARKER, watchers=("outsider", "operator")
    )
    assert not problems, f"{url}: " + "; ".join(problems)


def test_a_drill_encounter_is_reached_only_by_its_trainee(client, world):
    from patronshield.training.models import Attempt

    encounter = Attempt.objects.get(pk=world["open"]).encounter_id
    for persona in (DESIGNEE, DIRECTOR, ADMIN, COUNSEL, "outsider"):
        client.force_login(world["users"][persona])
        for route in ("desk:result", "desk:record", "desk:export"):
            r = client.get(reverse(route, args=[encounter]))
            assert r.status_code in (403, 404), (persona, route, r.status_code)
    client.force_login(world["users"][DESK])
    assert client.get(reverse("desk:step", args=[encounter, "agency"])).status_code == 200

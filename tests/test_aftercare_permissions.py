"""Who may use each after-the-visit page, enforced: every aftercare route, requested with GET
and POST by each role of library A, a consortium operator, a director of library B and
anonymously. Deny by default: an aftercare route missing from AFTERCARE_MATRIX fails.

A check-in answers its owner only: the director, the administrator, counsel and the
operator get 404 as anyone else would. A review under a nondisclosure order: the director
only. The same shape as tests/test_records_permissions.py.
"""

import pytest
from django.urls import reverse

from patronshield.accounts.models import Role
from patronshield.aftercare import services
from patronshield.aftercare.models import Review
from patronshield.desk import record
from patronshield.desk import services as desk
from tests.conftest import make_user
from tests.test_permission_matrix import matrix_problems
from tests.test_records_permissions import route_names

MARKER = "MARKER-C-8812"
DESK, DESIGNEE, DIRECTOR, ADMIN, COUNSEL, OPERATOR = (
    "desk", "designee", "director", "admin", "counsel", "operator"
)  # fmt: skip
SIGNED_IN = {DESK, DESIGNEE, DIRECTOR, ADMIN, COUNSEL, "outsider"}
APPROVERS = {DESIGNEE, DIRECTOR}
PERSONAS = [DESK, DESIGNEE, DIRECTOR, ADMIN, COUNSEL, OPERATOR, "outsider", None]

# (route, kwargs builder, {method: personas allowed}); a method left out is not served.
AFTERCARE_MATRIX = [
    ("aftercare:home", lambda o: {}, {"GET": SIGNED_IN}),
    ("aftercare:review", lambda o: {"pk": o["review"]}, {"GET": APPROVERS}),
    ("aftercare:review", lambda o: {"pk": o["gag"]}, {"GET": {DIRECTOR}}),
    ("aftercare:debrief", lambda o: {"pk": o["review"]}, {"GET": APPROVERS, "POST": APPROVERS}),
    ("aftercare:debrief", lambda o: {"pk": o["gag"]}, {"GET": {DIRECTOR}, "POST": {DIRECTOR}}),
    ("aftercare:task_add", lambda o: {"pk": o["review"]}, {"GET": APPROVERS, "POST": APPROVERS}),
    ("aftercare:present", lambda o: {"pk": o["review"]}, {"GET": APPROVERS, "POST": APPROVERS}),
    ("aftercare:community", lambda o: {"pk": o["review"]},
     {"GET": APPROVERS, "POST": APPROVERS}),
    ("aftercare:statement", lambda o: {"pk": o["review"]},
     {"GET": APPROVERS, "POST": APPROVERS}),
    ("aftercare:programme", lambda o: {"pk": o["review"], "kind": "clinic"},
     {"GET": APPROVERS, "POST": APPROVERS}),
    ("aftercare:task_done", lambda o: {"tid": o["task"]}, {"POST": {DESK} | APPROVERS}),
    ("aftercare:checkin", lambda o: {"cid": o["desk_checkin"]}, {"GET": {DESK}, "POST": {DESK}}),
    ("aftercare:checkin", lambda o: {"cid": o["director_checkin"]},
     {"GET": {DIRECTOR}, "POST": {DIRECTOR}}),
]  # fmt: skip


def test_every_aftercare_route_is_in_the_matrix():
    covered = {name for name, _kwargs, _methods in AFTERCARE_MATRIX}
    missing = [n for n in route_names() if n.startswith("aftercare:") and n not in covered]
    assert not missing, f"say who may use these: {missing}"


def closed(people, **answers):
    e = desk.encounter_start(user=people["desk"])
    e = desk.encounter_answer(
        encounter=e, actor=people["desk"], agency="fbi", request="patron_records",
        emergency=False, patron_consent=False, **answers,
    )  # fmt: skip
    record.encounter_close(encounter=e, user=people["director"])
    return Review.objects.get(encounter=e)


@pytest.fixture
def world(people, library, outsider):
    lib, branch = library
    counsel = make_user("counsel@a.example.org", Role.COUNSEL, lib, branch)
    operator = make_user("op@a.example.org", "", None, None, is_staff=True, is_operator=True)
    review = closed(people, document="judicial_subpoena")
    gag = closed(people, document="national_security_letter")
    for r in (review, gag):
        services.debrief_save(review=r, user=people["director"], went_well=MARKER)
    task = services.task_add(
        review=review, user=people["director"], title=MARKER, owner=people["desk"],
        due=services.library_today(lib),
    )  # fmt: skip
    mine = review.checkins.get(user=people["desk"])
    services.checkin_answer(checkin=mine, user=people["desk"], how=MARKER, referrals=["eap"])
    users = {**people, COUNSEL: counsel, OPERATOR: operator, "outsider": outsider}
    return {
        "review": review.pk,
        "gag": gag.pk,
        "task": task.pk,
        "desk_checkin": mine.pk,
        "director_checkin": review.checkins.get(user=people["director"]).pk,
        "users": users,
    }


@pytest.mark.parametrize(
    ("name", "kwargs", "methods"),
    AFTERCARE_MATRIX,
    ids=[f"{n}-{i}" for i, (n, _k, _m) in enumerate(AFTERCARE_MATRIX)],
)
def test_each_role_gets_only_what_the_matrix_allows(client, world, name, kwargs, methods):
    url = reverse(name, kwargs=kwargs(world))
    watchers = ("outsider", OPERATOR, COUNSEL, ADMIN)
    if name == "aftercare:checkin":
        watchers = tuple(p for p in PERSONAS if p and p not in methods["GET"])
    problems = matrix_problems(
        client, url, methods, world["users"], PERSONAS, MARKER, watchers=watchers
    )
    assert not problems, f"{url}: " + "; ".join(problems)

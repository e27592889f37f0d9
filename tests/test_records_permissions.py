"""Who may use each records page, enforced: every records route, requested with GET and POST
by each role of library A, by a director of library B and anonymously. Deny by default: a
records route missing from RECORDS_MATRIX fails. Another library's request answers 404.

"Allowed" is any answer but 403, 404 or a trip to the sign-in page (an empty form answers
400: allowed, and told what is missing); "denied" is 403 or 404, with nothing of library A's
request in the answer. The same shape as the desk's permission matrix, so the two can be
read (and merged) together.
"""

import pytest
from django.urls import get_resolver, reverse

from patronshield.accounts.models import Role
from patronshield.records import services
from tests.conftest import make_user
from tests.test_permission_matrix import matrix_problems

MARKER = "MARKER-R-5519"
DESK, DESIGNEE, DIRECTOR, ADMIN, COUNSEL = "desk", "designee", "director", "admin", "counsel"
SIGNED_IN = {DESK, DESIGNEE, DIRECTOR, ADMIN, COUNSEL, "outsider"}
SEES = {DESK, DESIGNEE, DIRECTOR, ADMIN, COUNSEL}  # a request the desk worker recorded
APPROVERS = {DESIGNEE, DIRECTOR}
PERSONAS = [DESK, DESIGNEE, DIRECTOR, ADMIN, COUNSEL, "operator", "outsider", None]

# (route, kwargs builder, {method: personas allowed}); a method left out is not served.
RECORDS_MATRIX = [
    ("records:list", lambda o: {}, {"GET": SIGNED_IN}),
    ("records:new", lambda o: {}, {"GET": SIGNED_IN, "POST": SIGNED_IN}),
    ("records:detail", lambda o: {"pk": o["open"]}, {"GET": SEES}),
    ("records:detail", lambda o: {"pk": o["gag"]}, {"GET": {DIRECTOR, COUNSEL}}),
    ("records:file", lambda o: {"pk": o["open"], "fid": o["file"]}, {"GET": SEES}),
    ("records:hold", lambda o: {"pk": o["open"]}, {"POST": {DESIGNEE, DIRECTOR, ADMIN, COUNSEL}}),
    ("records:grant", lambda o: {"pk": o["gag"]}, {"POST": {DIRECTOR}}),
    ("records:step", lambda o: {"pk": o["open"], "step": "advice"}, {"POST": {DIRECTOR, COUNSEL}}),
    ("records:step", lambda o: {"pk": o["advised"], "step": "decision"}, {"POST": APPROVERS}),
    ("records:step", lambda o: {"pk": o["advised"], "step": "release"}, {"POST": APPROVERS}),
    ("records:step", lambda o: {"pk": o["advised"], "step": "release_closed"},
     {"POST": APPROVERS}),
    ("records:step", lambda o: {"pk": o["advised"], "step": "notice"}, {"POST": APPROVERS}),
    ("records:step", lambda o: {"pk": o["gag"], "step": "closed_under_gag"},
     {"POST": {DIRECTOR}}),
]  # fmt: skip


def route_names(patterns=None, namespace=""):
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if hasattr(p, "url_patterns"):
            ns = f"{namespace}:{p.namespace}".strip(":") if p.namespace else namespace
            yield from route_names(p.url_patterns, ns)
        elif p.name:
            yield f"{namespace}:{p.name}".strip(":")


def test_every_records_route_is_in_the_matrix():
    covered = {name for name, _kwargs, _methods in RECORDS_MATRIX}
    missing = [n for n in route_names() if n.startswith("records:") and n not in covered]
    assert not missing, f"say who may use these: {missing}"


@pytest.fixture
def world(people, library, outsider, operator):
    from .test_records import PDF

    lib, branch = library
    counsel = make_user("counsel@a.example.org", Role.COUNSEL, lib, branch)
    desk = people["desk"]
    text = f"Borrowing records of one account {MARKER}"
    rr = services.records_receive(
        user=desk, kind="judicial_subpoena", description=text, files=[("s.pdf", PDF)]
    )
    advised = services.records_receive(user=desk, kind="court_order", description=text)
    gag = services.records_receive(
        user=people["director"], kind="national_security_letter", description=text
    )
    for r in (rr, advised, gag):  # counsel see what the director invites them to
        services.records_grant(rr=r, user=people["director"], designee=counsel)
    services.records_advise(rr=advised, user=counsel, advice="comply")
    users = {**people, COUNSEL: counsel, "outsider": outsider, "operator": operator}
    return {
        "open": rr.pk,
        "file": rr.files.get().pk,
        "advised": advised.pk,
        "gag": gag.pk,
        "users": users,
    }


@pytest.mark.parametrize(
    ("name", "kwargs", "methods"),
    RECORDS_MATRIX,
    ids=[f"{n}-{i}" for i, (n, _k, _m) in enumerate(RECORDS_MATRIX)],
)
def test_each_role_gets_only_what_the_matrix_allows(client, world, name, kwargs, methods):
    url = reverse(name, kwargs=kwargs(world))
    problems = matrix_problems(
        client, url, methods, world["users"], PERSONAS, MARKER, watchers=("outsider", "operator")
    )
    assert not problems, f"{url}: " + "; ".join(problems)

"""The permission matrix, enforced: every URL of the app, requested with each method by each
role of library A, by counsel not invited, by a consortium operator (no library: nothing
here), by a director of library B and anonymously.

Deny by default: a route missing from MATRIX fails the test, so a new page cannot ship
without saying who may use it. "Allowed" means any answer but 403, 404 or a trip to the
sign-in page (a form sent empty answers 400: allowed, and told what is missing); "denied"
means 403 or 404 and nothing of library A in the answer. The written matrix is in
docs/permissions.md.
"""

import pytest
from django.urls import get_resolver, reverse

from patronshield.accounts.models import Role
from patronshield.desk import record, services
from tests.conftest import make_user

MARKER = "MARKER-A-7731"
DESK, DESIGNEE, DIRECTOR, ADMIN, COUNSEL = "desk", "designee", "director", "admin", "counsel"
STAFF = {DESK, DESIGNEE, DIRECTOR, ADMIN}
READERS = STAFF | {COUNSEL}
APPROVERS = {DESIGNEE, DIRECTOR}
PERSONAS = [DESK, DESIGNEE, DIRECTOR, ADMIN, COUNSEL, "counsel_not_invited", "operator", "outsider",
            None]  # fmt: skip

# route name -> (kwargs builder, {method: roles allowed}); a method left out is not served.
MATRIX = {
    "desk:home": (lambda o: {}, {"GET": READERS | {"counsel_not_invited", "outsider"}}),
    "desk:start": (lambda o: {}, {"POST": STAFF | {"outsider"}}),
    "desk:access_log": (lambda o: {}, {"GET": {DIRECTOR, "outsider"}}),
    "desk:result": (lambda o: {"pk": o["e"]}, {"GET": READERS}),
    "desk:status": (lambda o: {"pk": o["e"]}, {"GET": READERS}),
    # "Started by mistake": whoever may answer (issue 17).
    "desk:cancel": (lambda o: {"pk": o["e"]}, {"GET": STAFF, "POST": STAFF}),
    "desk:upload": (lambda o: {"pk": o["e"]}, {"POST": STAFF}),
    "desk:check": (lambda o: {"pk": o["e"], "cid": o["check"]}, {"GET": READERS}),
    "desk:confirm": (lambda o: {"pk": o["e"], "cid": o["check"]}, {"POST": STAFF}),
    "desk:check_progress": (lambda o: {"pk": o["e"], "cid": o["check"]}, {"GET": READERS}),
    "desk:checklist": (lambda o: {"pk": o["e"]}, {"GET": READERS, "POST": STAFF}),
    "desk:record": (lambda o: {"pk": o["e"]}, {"GET": READERS}),
    "desk:record_left": (lambda o: {"pk": o["e"]}, {"POST": STAFF}),
    "desk:record_close": (lambda o: {"pk": o["e"]}, {"GET": STAFF, "POST": STAFF}),
    "desk:record_missing": (lambda o: {"pk": o["e"], "seq": o["item"]}, {"POST": STAFF}),
    "desk:record_action": (lambda o: {"pk": o["e"], "name": "note"}, {"GET": STAFF, "POST": STAFF}),
    "desk:export": (
        lambda o: {"pk": o["e"]},
        {m: {DESIGNEE, DIRECTOR, ADMIN, COUNSEL} for m in ("GET", "POST")},
    ),
    "desk:step": (lambda o: {"pk": o["e"], "step": "agency"}, {"GET": READERS, "POST": STAFF}),
    # The director's live panel (issue 17): the director and designees act, counsel read the
    # ones they are invited to (a library of their own for B's director: nothing of A's).
    "desk:panel": (lambda o: {}, {"GET": APPROVERS | {COUNSEL, "counsel_not_invited", "outsider"}}),
    "desk:ack": (lambda o: {"pk": o["e"]}, {"POST": APPROVERS}),
    "desk:tell": (lambda o: {"pk": o["e"]}, {"GET": APPROVERS, "POST": APPROVERS}),
    # The consortium's early warning (issue 20): the page for the director and designees (of
    # a library that receives warnings; another's page says it does not), the choices for the
    # director alone (each their own library's; B's director changes only B's).
    "consortium:page": (lambda o: {}, {"GET": APPROVERS | {"outsider"}}),
    "consortium:settings": (
        lambda o: {},
        {"GET": {DIRECTOR, "outsider"}, "POST": {DIRECTOR, "outsider"}},
    ),  # fmt: skip
    # Every state's law: any signed-in staff member of a library (their own state first).
    "law": (lambda o: {}, {"GET": READERS | {"counsel_not_invited", "outsider"}}),
}
# The same pages with other arguments, where who may use them differs.
VARIANTS = [
    ("desk:record_action", {"name": "decision"}, {"GET": APPROVERS, "POST": APPROVERS}),
    ("desk:record_action", {"name": "hold"},
     {"GET": APPROVERS | {ADMIN}, "POST": APPROVERS | {ADMIN}}),
    ("desk:record_action", {"name": "invite"}, {"GET": APPROVERS, "POST": APPROVERS}),
    # Setting aside what the document check found wrong: the director alone (issue 16).
    ("desk:record_action", {"name": "override"}, {"GET": {DIRECTOR}, "POST": {DIRECTOR}}),
]  # fmt: skip
# Served to anyone: sign-in (the library's provider too: tests/test_oidc.py), the second
# factor, the language switch, links and the device API (each checks its own token), the admin
# (which sends non-staff to sign in), and the public side (Know-Your-Rights, resources, events:
# no cookie, no record; tests/test_public_views.py).
PUBLIC_PREFIXES = ("notifications:", "account_", "mfa_", "login", "logout", "set_language",
                   "socialaccount_", "openid_connect_",
                   "admin:", "public:", "statements:")  # fmt: skip
# Routes whose own matrix test lives beside them (same shape):
# tests/test_{records,transparency,training,policy,aftercare}_permissions.py
COVERED_ELSEWHERE = ("records:", "transparency:", "training:", "policy:", "aftercare:")


def route_names(patterns=None, namespace=""):
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if hasattr(p, "url_patterns"):
            ns = f"{namespace}:{p.namespace}".strip(":") if p.namespace else namespace
            yield from route_names(p.url_patterns, ns)
        elif p.name:
            yield f"{namespace}:{p.name}".strip(":")


def test_every_route_is_in_the_matrix():
    missing = [
        name
        for name in route_names()
        if name not in MATRIX and not name.startswith(PUBLIC_PREFIXES + COVERED_ELSEWHERE)
    ]
    assert not missing, f"say who may use these: {missing}"


@pytest.fixture
def world(people, library, outsider, operator):
    lib, branch = library
    desk = people["desk"]
    counsel = make_user("counsel@a.example.org", Role.COUNSEL, lib, branch)
    other_counsel = make_user("counsel2@a.example.org", Role.COUNSEL, lib, branch)
    e = services.encounter_start(user=desk)
    services.encounter_answer(
        encounter=e, actor=desk, agency="ice", request="enter_nonpublic_area",
        document="administrative_warrant", emergency=False,
    )  # fmt: skip
    _, check, _ = services.document_checklist(
        encounter=e,
        user=desk,
        answers={"court": "no", "title": "ice_warrant", "signer": "immigration_officer"},
    )
    record.note_add(encounter=e, user=desk, text=f"Waited in the lobby {MARKER}")
    item = record.item_record(
        encounter=e, user=desk, action="taken", description=f"DVD {MARKER}",
        from_collection=True,
    )  # fmt: skip
    record.counsel_invite(encounter=e, user=people["director"], email=counsel.email)
    users = {**people, COUNSEL: counsel, "counsel_not_invited": other_counsel}
    users["outsider"] = outsider
    users["operator"] = operator
    return {"e": e.pk, "check": check.pk, "item": item.seq, "users": users}


def allowed(response) -> bool:
    if response.status_code in (403, 404):
        return False
    return not (response.status_code == 302 and response["Location"].startswith("/login/"))


def matrix_problems(client, url, methods, users, personas=PERSONAS, marker=MARKER,
                    watchers=("outsider", "counsel_not_invited", "operator"),
                    ) -> list[str]:  # fmt: skip
    """Request `url` with GET and POST as each persona (None: anonymous); what differs from
    `methods` ({method: personas allowed}), and any answer to a watcher showing `marker`."""
    problems = []
    for persona in personas:
        client.logout()
        if persona:
            client.force_login(users[persona])
        for method in ("GET", "POST"):
            r = client.get(url) if method == "GET" else client.post(url, {})
            if method not in methods:
                if r.status_code not in (302, 403, 404, 405) or (
                    r.status_code == 302 and not r["Location"].startswith("/login/")
                ):
                    problems.append(f"{persona} {method}: {r.status_code}, expected not served")
                continue
            if persona is None:
                if not (r.status_code == 302 and r["Location"].startswith("/login/")):
                    problems.append(f"anonymous {method}: {r.status_code}, not sent to sign in")
                continue
            if allowed(r) != (persona in methods[method]):
                problems.append(f"{persona} {method}: {r.status_code}")
            if persona in watchers and marker.encode() in r.content:
                problems.append(f"{persona} {method}: sees library A's record")
    return problems


def cases():
    for name, (kwargs, methods) in MATRIX.items():
        yield name, kwargs, {}, methods
    for name, extra, methods in VARIANTS:
        yield name, MATRIX[name][0], extra, methods


@pytest.mark.parametrize(
    ("name", "kwargs", "extra", "methods"),
    list(cases()),
    ids=[f"{c[0]}{'-' + '-'.join(c[2].values()) if c[2] else ''}" for c in cases()],
)
def test_each_role_gets_only_what_the_matrix_allows(client, world, name, kwargs, extra, methods):
    url = reverse(name, kwargs={**kwargs(world), **extra})
    problems = matrix_problems(client, url, methods, world["users"])
    assert not problems, f"{url}: " + "; ".join(problems)


# ------------------------------------------------------------------ a visit under a gag
# Once the document is an NSL or a FISA order, the visit opens only to the director, the
# person who started it and counsel invited to it (still within what their role may do);
# everyone else gets 404, desk staff at the branch and volunteers included. Only the
# director changes the document answer.
STARTER, VOLUNTEER = "starter", "volunteer"
G_READERS = {STARTER, DIRECTOR, COUNSEL}
G_WRITERS = {STARTER, DIRECTOR}
GAG_PERSONAS = [STARTER, VOLUNTEER, *PERSONAS]
GAG_WATCHERS = (DESK, VOLUNTEER, DESIGNEE, ADMIN, "counsel_not_invited", "outsider", "operator")
GAG_MATRIX = [
    ("desk:result", {}, {"GET": G_READERS}),
    ("desk:status", {}, {"GET": G_READERS}),
    ("desk:cancel", {}, {"GET": G_WRITERS, "POST": G_WRITERS}),
    ("desk:upload", {}, {"POST": G_WRITERS}),
    ("desk:check", {"cid": "check"}, {"GET": G_READERS}),
    ("desk:confirm", {"cid": "check"}, {"POST": {DIRECTOR}}),
    ("desk:check_progress", {"cid": "check"}, {"GET": G_READERS}),
    ("desk:checklist", {}, {"GET": G_READERS, "POST": {DIRECTOR}}),
    ("desk:record", {}, {"GET": G_READERS}),
    ("desk:record_left", {}, {"POST": G_WRITERS}),
    ("desk:record_missing", {"seq": "item"}, {"POST": G_WRITERS}),
    ("desk:record_action", {"name": "note"}, {"GET": G_WRITERS, "POST": G_WRITERS}),
    ("desk:record_action", {"name": "decision"}, {"GET": {DIRECTOR}, "POST": {DIRECTOR}}),
    ("desk:record_action", {"name": "hold"}, {"GET": {DIRECTOR}, "POST": {DIRECTOR}}),
    ("desk:record_action", {"name": "invite"}, {"GET": {DIRECTOR}, "POST": {DIRECTOR}}),
    ("desk:record_action", {"name": "override"}, {"GET": {DIRECTOR}, "POST": {DIRECTOR}}),
    ("desk:export", {}, {"GET": {DIRECTOR, COUNSEL}, "POST": {DIRECTOR, COUNSEL}}),
    ("desk:step", {"step": "agency"}, {"GET": G_READERS, "POST": G_WRITERS}),
    ("desk:step", {"step": "document"}, {"GET": G_READERS, "POST": {DIRECTOR}}),
    ("desk:record_close", {}, {"GET": G_WRITERS, "POST": G_WRITERS}),
    ("desk:ack", {}, {"POST": {DIRECTOR}}),
    ("desk:tell", {}, {"GET": {DIRECTOR}, "POST": {DIRECTOR}}),
]


def test_every_encounter_route_is_in_the_gag_matrix():
    world = {"e": 1, "check": 1, "item": 1}
    encounter_routes = {name for name, (kwargs, _m) in MATRIX.items() if "pk" in kwargs(world)}
    assert encounter_routes == {name for name, _extra, _methods in GAG_MATRIX}


@pytest.fixture
def gag_world(people, library, outsider, operator):
    lib, branch = library
    starter = make_user("starter@a.example.org", Role.DESK, lib, branch)
    counsel = make_user("counsel@a.example.org", Role.COUNSEL, lib, branch)
    e = services.encounter_start(user=starter)
    services.encounter_answer(
        encounter=e, actor=starter, agency="fbi", request="patron_records",
        document="national_security_letter", emergency=False, patron_consent=False,
    )  # fmt: skip
    # The checker agrees: confirming it (the director may) keeps the gag in force.
    check = e.checks.create(created_by=starter, method="photo", kind="national_security_letter")
    record.note_add(encounter=e, user=starter, text=f"The agent's letter {MARKER}")
    item = record.item_record(
        encounter=e, user=starter, action="taken", description=f"Logs {MARKER}",
        from_collection=True,
    )  # fmt: skip
    record.counsel_invite(encounter=e, user=people["director"], email=counsel.email)
    users = {
        **people,
        STARTER: starter,
        VOLUNTEER: make_user("vol@a.example.org", Role.DESK, lib, branch, volunteer=True),
        COUNSEL: counsel,
        "counsel_not_invited": make_user("counsel2@a.example.org", Role.COUNSEL, lib, branch),
        "outsider": outsider,
        "operator": operator,
    }
    return {"e": e.pk, "check": check.pk, "item": item.seq, "users": users}


@pytest.mark.parametrize(
    ("name", "extra", "methods"),
    GAG_MATRIX,
    ids=[f"{n}-{'-'.join(x.values()) or 'gag'}" for n, x, _m in GAG_MATRIX],
)
def test_a_gagged_visit_answers_only_whom_the_gag_allows(client, gag_world, name, extra, methods):
    kwargs = {"pk": gag_world["e"], **{k: gag_world.get(v, v) for k, v in extra.items()}}
    url = reverse(name, kwargs=kwargs)
    problems = matrix_problems(
        client, url, methods, gag_world["users"], personas=GAG_PERSONAS, watchers=GAG_WATCHERS
    )
    assert not problems, f"{url}: " + "; ".join(problems)
    assert services.Encounter.objects.get(pk=gag_world["e"]).gagged  # nobody lifted it

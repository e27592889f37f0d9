"""Point 1 of issue 17: every result screen says one thing. Over every outcome, with and
without a gag (an NSL, a FISA order), in a real visit and in a drill (nobody opted in, or the
director did), with and without someone in danger, in English and Spanish: the banner, the
call list and the script agree with the decision and with whom the alerts actually reach."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from patronshield.desk import services
from patronshield.notifications.models import Contact

COMPLY = "comply_after_approval"
# agency, request, document; the outcome without and with someone in danger (Michigan).
VISITS = [
    ("local_police", "question_people_public_area", "none", "permit", "permit"),
    ("local_police", "enter_nonpublic_area", "judicial_search_warrant", COMPLY, "permit"),
    ("ice", "enter_nonpublic_area", "administrative_warrant", "decline", "permit"),
    ("fbi", "patron_records", "judicial_subpoena", "refer", "refer"),
    ("fbi", "patron_records", "national_security_letter", "refer", "refer"),
    ("fbi", "patron_records", "fisa_order", "refer", "refer"),
    ("fbi", "question_people_public_area", "national_security_letter", "permit", "permit"),
]
GAG = {"national_security_letter", "fisa_order"}
DRILLS = ["real visit", "drill, nobody opted in", "drill, the director opted in"]
VERDICTS = {
    "permit": "Do not interfere",
    "comply_after_approval": "Ask them to wait for the director",
    "refer": "Hand nothing over: the director and counsel respond",
    "decline": "Politely decline",
}
BEING_ALERTED = (
    "The director and designees are being alerted. Call them too: the numbers are below.",
    "The director and counsel are being alerted. Call them too: the numbers are below.",
)


def test_the_table_covers_every_outcome():
    outcomes = {o for *_visit, calm, danger in VISITS for o in (calm, danger)}
    assert outcomes == set(VERDICTS)


def _between(html, start, end):
    return html.split(start, 1)[1].split(end, 1)[0]


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("danger", [False, True], ids=["calm", "danger"])
@pytest.mark.parametrize("drill", DRILLS)
@pytest.mark.parametrize("visit", VISITS, ids=lambda v: f"{v[2]}-{v[1]}")
def test_banner_call_list_and_script_say_one_thing(client, people, visit, drill, danger, language):
    agency, request, document, calm_outcome, danger_outcome = visit
    desk = people["desk"]
    if drill == "drill, the director opted in":
        Contact.objects.filter(role="director").update(drills=True)
    client.force_login(desk)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    e = services.encounter_start(user=desk, language=language, drill=drill != "real visit")
    answers = {"agency": agency, "request": request, "document": document, "emergency": danger}
    if request == "patron_records":
        answers.update(requester="officer", patron_consent=False)
    e = services.encounter_answer(encounter=e, actor=desk, **answers)
    r = client.get(reverse("desk:result", args=[e.pk]))
    assert r.status_code == 200, r.get("Location")
    html = r.content.decode()
    decision = r.context["decision"]
    outcome = danger_outcome if danger else calm_outcome
    assert decision["outcome"] == outcome

    main = html.split("<main", 1)[1]
    top = main.split('<div class="banner', 1)[0]  # what comes before the verdict
    banner = _between(main, '<div class="banner', "</div>")
    call = _between(main, 'id="call-h"', "</section>")
    script = _between(main, 'class="script"', "</blockquote>")
    names = set(re.findall(r"<span>[^:<]+: ([^<]+)</span>", call))
    contacts = {c.role: c.name for c in Contact.objects.all()}
    designees = set(Contact.objects.filter(role="designee").values_list("name", flat=True))

    with translation.override(language):
        assert gettext(VERDICTS[outcome]) in banner
        # The script is the decision's, in the worker's language.
        assert escape(decision["staff_script"]) in script
        being_alerted = [gettext(s) for s in BEING_ALERTED]
        nobody = gettext("Nobody is alerted: nobody on the roster opted in to drills.")
        gag_line = gettext("this document comes with a gag. Tell only the director and counsel.")
        call_911 = gettext("Call 911 now")

    # Under a gag: the banner and the call list name the director and counsel only.
    if document in GAG:
        assert gag_line in main
        assert being_alerted[0] not in banner
        assert not names & designees
        assert names <= {contacts["director"], contacts["counsel"]}
    else:
        assert gag_line not in main

    # A drill claims no alert that does not go out, and lists only who takes part.
    if drill == "drill, nobody opted in":
        assert not e.notifications.exists()
        assert nobody in banner and "tel:" not in call and not names
        assert not any(s in main for s in being_alerted)
    elif drill == "drill, the director opted in":
        assert not any(s in main for s in being_alerted)
        assert names == {contacts["director"]}
        assert set(e.notifications.values_list("contact__role", flat=True)) == {"director"}
    else:
        expected = being_alerted[1] if document in GAG else being_alerted[0]
        assert expected in banner
        assert contacts["director"] in names

    # Someone in danger: "Call 911" before anything else, a tel: button in a real visit
    # (never in a drill); the script starts the same way.
    if danger:
        assert call_911 in top
        assert "911" in script
        if drill == "real visit":
            assert 'href="tel:911"' in top
            assert main.index('href="tel:') == main.index('href="tel:911"')
        else:
            assert "tel:911" not in main
    else:
        assert call_911 not in top and "tel:911" not in main

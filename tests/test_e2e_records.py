"""End to end: a records request walked through in Chromium on a 360-pixel-wide screen,
by the desk, counsel and the director, with axe-core's WCAG 2.2 AA check on every page.
Screenshots land in var/screenshots/records-*.png to be looked at."""

from datetime import timedelta

import pytest
from django.utils import timezone

from patronshield.accounts.models import Role
from patronshield.desk import chain
from patronshield.records.models import RecordsRequest, State

from .conftest import make_user
from .test_e2e_desk import (
    PHONE,
    axe_violations,
    browser,  # noqa: F401 - the fixture
    no_horizontal_scroll,
    shot,
    sign_in,
)
from .test_records import PDF

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def counsel(library, people):
    lib, branch = library
    return make_user("counsel@a.example.org", Role.COUNSEL, lib, branch)


@pytest.fixture
def pages(browser, live_server, people, counsel):  # noqa: F811
    """A signed-in phone per person (each its own browser context, as each person has
    their own phone)."""
    contexts = []

    def page_for(email):
        context = browser.new_context(viewport=PHONE, device_scale_factor=1, bypass_csp=True)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.base = live_server.url
        sign_in(page, email)
        return page

    yield page_for
    for context in contexts:
        context.close()


def check(page, name):
    shot(page, f"records-{name}")
    assert no_horizontal_scroll(page), name
    assert axe_violations(page) == [], name


def submit(page, name):
    with page.expect_navigation():
        page.get_by_role("button", name=name).click()


def test_a_subpoena_from_the_desk_to_the_patrons_notice(pages, tmp_path):
    (tmp_path / "subpoena.pdf").write_bytes(PDF)
    (tmp_path / "export.csv").write_bytes(b"rows")
    today = timezone.localdate().isoformat()

    page = pages("desk@a.example.org")
    page.goto(page.base + "/records/new/")
    check(page, "01-new")
    page.get_by_label("Court subpoena").check()
    page.get_by_label("From which agency?").select_option("fbi")
    page.get_by_label("Officer or official").fill("Special Agent Diaz, badge 4411")
    page.get_by_label("Case or document number").fill("Case 2:26-cr-00417")
    page.get_by_label("Describe what is asked for").fill("All records of Maria Gonzalez")
    page.get_by_label("Deadline to respond").fill("2026-12-15")
    page.set_input_files("#id_files", str(tmp_path / "subpoena.pdf"))
    submit(page, "Record the request")
    check(page, "02-new-patron-warning")
    assert page.get_by_text("It may identify a patron.").is_visible()
    page.get_by_label("Describe what is asked for").fill(
        "Borrowing records of one account, January to June 2026"
    )
    page.set_input_files("#id_files", str(tmp_path / "subpoena.pdf"))
    submit(page, "Record the request")
    rr = RecordsRequest.objects.get()
    page.wait_for_url(f"**/records/{rr.pk}/")
    check(page, "03-received-desk")
    assert page.get_by_text("Waiting for:").is_visible()

    # The director invites counsel, who see only the requests they are invited to.
    page = pages("director@a.example.org")
    page.goto(f"{page.base}/records/{rr.pk}/")
    page.get_by_label("Counsel or designee").select_option(label="Counsel (Legal counsel)")
    with page.expect_navigation():
        page.get_by_role("button", name="Let this person see it").click()
    check(page, "03b-counsel-invited")

    page = pages("counsel@a.example.org")
    page.goto(f"{page.base}/records/{rr.pk}/")
    check(page, "04-advice")
    page.get_by_label("Negotiate (narrow it)").check()
    page.get_by_label("Counsel's notes").fill("Ask to narrow it to 30 days.")
    submit(page, "Record counsel's advice")

    page = pages("director@a.example.org")
    page.goto(f"{page.base}/records/{rr.pk}/")
    check(page, "05-decision")
    assert "MCL 397.603" in page.get_by_label("Policy and statutes cited").input_value()
    page.get_by_label("Release part of it").check()
    submit(page, "Record the decision")
    check(page, "06-release")
    what = page.get_by_role("textbox", name="What was released")
    what.fill("Borrowing history, 30 days, one account")
    page.set_input_files("#id_files", str(tmp_path / "export.csv"))
    submit(page, "Add to the release log")
    check(page, "07-release-logged")
    submit(page, "Close the release log")
    check(page, "08-notice")
    page.get_by_label("The patron was notified on").fill(today)
    page.get_by_label("Letter").check()
    submit(page, "Record the notice and close")
    check(page, "09-closed")
    rr.refresh_from_db()
    assert rr.state == State.CLOSED and rr.released_items.count() == 1

    page.goto(page.base + "/records/")
    check(page, "10-list")
    assert chain.verify_library(rr.library_id).ok


def test_a_national_security_letter_on_the_directors_phone(pages, people, counsel):
    from patronshield.records import services

    rr = services.records_receive(
        user=people["director"],
        kind="national_security_letter",
        agency="fbi",
        description="Subscriber information for one library computer session.",
    )
    page = pages("director@a.example.org")
    page.goto(f"{page.base}/records/{rr.pk}/")
    check(page, "11-nsl-director")
    assert page.get_by_text("Confidential:").is_visible()
    page.goto(page.base + "/")
    check(page, "12-desk-home-director")
    with page.expect_navigation():
        page.get_by_role("link", name="Records requests").click()
    assert page.get_by_text("Confidential", exact=True).is_visible()


@pytest.mark.parametrize("which", ["list", "new", "decision"])
def test_the_records_pages_meet_wcag_2_2_aa_in_spanish(browser, live_server, people, which):  # noqa: F811
    from patronshield.records import services

    from .test_records import advise

    rr = services.records_receive(
        user=people["desk"],
        kind="court_order",
        agency="ice",
        description="Registros de préstamo de una cuenta, de enero a junio.",
        nondisclosure_order=True,
        nondisclosure_ends=timezone.localdate() + timedelta(days=90),
    )
    advise(rr, people["director"], counsel_name="Counsel")
    context = browser.new_context(
        viewport=PHONE, bypass_csp=True, extra_http_headers={"Accept-Language": "es"}
    )
    page = context.new_page()
    page.base = live_server.url
    sign_in(page, "director@a.example.org")
    path = {"list": "/records/", "new": "/records/new/", "decision": f"/records/{rr.pk}/"}
    page.goto(page.base + path[which])
    assert page.locator("html").get_attribute("lang") == "es"
    shot(page, f"records-es-{which}")
    assert no_horizontal_scroll(page)
    assert axe_violations(page) == []
    context.close()


def test_a_request_recorded_and_advised_with_javascript_off(browser, live_server, people):  # noqa: F811
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.base = live_server.url
    sign_in(page, "director@a.example.org")
    page.goto(page.base + "/records/new/")
    page.get_by_label("Agency subpoena (no court named)").check()
    page.get_by_label("Describe what is asked for").fill("Camera footage of the lobby, one day")
    page.get_by_label("Security camera footage").check()
    submit(page, "Record the request")
    page.get_by_label("Refuse").check()
    submit(page, "Record counsel's advice")
    rr = RecordsRequest.objects.get()
    assert rr.state == State.ADVISED and rr.counsel_name == "Counsel"
    shot(page, "records-14-nojs-decision")
    assert (
        "8 U.S.C. § 1225(d)(4)(A)" in page.get_by_label("Policy and statutes cited").input_value()
    )
    context.close()

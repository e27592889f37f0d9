"""End to end: a desk worker takes a module and runs one drill through the real desk pages
on a phone-sized screen, in Chromium, with axe-core's WCAG 2.2 AA checks on each page; the
director sees who is current. Screenshots land in var/screenshots/training-*.png."""

import pytest

from patronshield.desk.models import Access, Encounter
from patronshield.notifications.models import Notification
from patronshield.training.models import Attempt
from tests.test_e2e_desk import PHONE, axe_violations, browser, no_horizontal_scroll, shot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
__all__ = ["browser"]  # the fixture, shared


@pytest.fixture
def phone(browser, live_server, people):
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base = live_server.url
    yield page
    context.close()


def check(page, name):
    assert no_horizontal_scroll(page), name
    assert axe_violations(page) == [], name
    shot(page, f"training-{name}")


def test_a_drill_through_the_real_desk_pages_on_a_phone(phone):
    page = phone
    sign_in(page)
    page.get_by_role("link", name="My training").click()
    page.wait_for_url("**/training/")
    check(page, "01-my-training")

    page.get_by_role("link", name="2. Telling the papers apart").click()
    check(page, "02-module-documents")
    page.get_by_role("link", name="Back to my training").click()

    page.get_by_role("link", name="ICE with an I-205 asks for the staff room").click()
    check(page, "03-drill-start")
    page.get_by_role("button", name="Start the drill").click()
    for name, answer in [
        ("request", "To go into a staff-only area"),
        ("agency", "ICE (Immigration and Customs Enforcement)"),
        ("document", "ICE warrant (DHS Form I-200 or I-205), signed by an immigration officer"),
        ("emergency", "No"),
    ]:
        page.wait_for_url(f"**/{name}/")
        assert page.locator(".drill-banner .drill-tag").inner_text() == "DRILL"
        check(page, f"04-desk-{name}")
        page.get_by_role("button", name=answer, exact=True).click()
    page.wait_for_url("**/desk/*/")
    assert page.locator(".drill-banner").is_visible()
    check(page, "05-desk-result")
    page.get_by_role("link", name="Finish the drill and see your score").click()
    check(page, "06-drill-finish")
    page.get_by_text("Stay polite: an immigration judge is not a court judge").click()
    page.get_by_role("button", name="Finish and see my score").click()
    page.wait_for_url("**/training/drills/*/")
    check(page, "07-drill-result")
    assert "6 of 6 right" in page.locator(".score").inner_text()

    encounter = Encounter.objects.get()
    assert encounter.drill and encounter.closed_at
    assert Attempt.objects.get().correct == 6
    assert not Access.objects.exists()  # nobody's reading of a drill is logged
    assert not Notification.objects.exists()  # nobody on the roster opted in to drills


def test_the_director_sees_who_is_current_in_spanish(phone):
    page = phone
    sign_in(page, "director@a.example.org")
    page.goto(page.base + "/training/")
    with page.expect_navigation():
        page.get_by_role("button", name="Español").click()
    check(page, "08-my-training-es")
    page.get_by_role("link", name="Quién está al día, por sucursal").click()
    check(page, "09-team-es")
    page.goto(page.base + "/training/module/areas/")
    check(page, "10-module-areas-es")

"""End to end: the incident record in Debian's Chromium on a 360-pixel-wide phone, with the
keyboard where it matters, and axe-core's WCAG 2.2 AA rules in English and Spanish.
Screenshots are written to var/screenshots/ to be looked at."""

import pytest

from patronshield.desk import record, services
from patronshield.desk.models import Encounter

from .test_e2e_desk import PHONE, axe_violations, browser, no_horizontal_scroll, shot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
__all__ = ["browser"]  # the module-scoped Chromium fixture, shared


def searched(people):
    e = services.encounter_start(user=people["desk"])
    return services.encounter_answer(
        encounter=e,
        actor=people["desk"],
        agency="fbi",
        request="seize_equipment",
        document="judicial_search_warrant",
        emergency=False,
    )


@pytest.fixture
def page(browser, live_server, people):
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base = live_server.url
    yield page
    context.close()


def test_record_an_officer_a_note_with_a_warning_and_close(page, people):
    encounter = searched(people)
    sign_in(page)
    page.goto(f"{page.base}/desk/{encounter.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Open the incident record").click()
    shot(page, "20-record")
    assert no_horizontal_scroll(page)

    # An officer, by keyboard alone once the form is open.
    with page.expect_navigation():
        page.get_by_role("link", name="Add an officer").click()
    page.get_by_label("Name").focus()
    page.keyboard.type("Special Agent K. Brown")
    page.keyboard.press("Tab")
    page.keyboard.type("FBI Detroit")
    page.keyboard.press("Tab")
    page.keyboard.type("FD-2231")
    page.get_by_label("I saw their ID").check()
    shot(page, "21-record-officer")
    assert no_horizontal_scroll(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Add", exact=True).click()
    assert page.get_by_text("Officer: Special Agent K. Brown, FBI Detroit").is_visible()

    # A note that may name a patron: warned, kept, saved anyway.
    with page.expect_navigation():
        page.get_by_role("link", name="Add a note").click()
    typed = "They asked whether Maria Lopez used the computers."
    page.get_by_label("Note").fill(typed)
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()
    shot(page, "22-record-note-warning")
    assert no_horizontal_scroll(page)
    warning = page.locator(".pii")
    assert "“Maria Lopez” looks like a person's name." in warning.inner_text()
    assert page.get_by_label("Note").input_value() == typed
    assert not encounter.events.filter(kind="note").exists()
    with page.expect_navigation():
        page.get_by_role("button", name="Save anyway").click()
    assert page.get_by_text(f"Note: {typed}").is_visible()

    with page.expect_navigation():
        page.get_by_role("button", name="The officers have left").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Close the record").click()
    shot(page, "23-record-close-confirm")
    with page.expect_navigation():
        page.get_by_role("button", name="Yes, close the record").click()
    shot(page, "24-record-closed")
    assert no_horizontal_scroll(page)
    assert page.get_by_text("Nothing more can be added.").is_visible()
    assert page.get_by_role("link", name="Add a note").count() == 0
    encounter.refresh_from_db()
    assert encounter.closed_at and encounter.closed_by == people["desk"]


def test_the_receipt_is_photographed_from_the_phone(page, people, tmp_path):
    from .test_incident_log import gps_photo

    encounter = searched(people)
    (tmp_path / "receipt.jpg").write_bytes(gps_photo())
    sign_in(page)
    page.goto(f"{page.base}/desk/{encounter.pk}/record/receipt/")
    shot(page, "25-record-receipt")
    field = page.get_by_label("Photo or PDF of the receipt")
    assert field.get_attribute("capture") == "environment"
    field.set_input_files(str(tmp_path / "receipt.jpg"))
    with page.expect_navigation():
        page.get_by_role("button", name="Save the receipt").click()
    assert page.get_by_text("Officer's receipt photographed (kept encrypted)").is_visible()
    assert encounter.attachments.count() == 1


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_record_pages_meet_wcag_2_2_aa(browser, live_server, people, language):
    encounter = searched(people)
    desk = people["desk"]
    record.officer_add(encounter=encounter, user=desk, name="Agent R. Smith", agency="FBI")
    record.item_record(
        encounter=encounter,
        user=desk,
        action="taken",
        description="Two DVDs",
        from_collection=True,
        barcode="31234000123456",
    )
    record.note_add(encounter=encounter, user=desk, text="They waited in the lobby.")
    context = browser.new_context(
        viewport=PHONE, bypass_csp=True, extra_http_headers={"Accept-Language": language}
    )
    page = context.new_page()
    page.base = live_server.url
    sign_in(page, "director@a.example.org")
    base = f"{page.base}/desk/{encounter.pk}/record/"
    page.goto(base)
    shot(page, f"26-record-director-{language}")
    assert page.locator("html").get_attribute("lang") == language
    assert axe_violations(page) == [], "record"
    for name in ["officer", "item", "receipt", "note", "decision", "hold", "close"]:
        page.goto(base + f"{name}/")
        shot(page, f"28-record-{name}-{language}")
        assert no_horizontal_scroll(page), name
        assert axe_violations(page) == [], name
    # The warning, and a form with an error.
    page.goto(base + "note/")
    page.locator("#id_text").fill("Call her at 313-555-0142.")
    with page.expect_navigation():
        page.locator(".record-form button.primary").click()
    shot(page, f"27-record-warning-{language}")
    assert axe_violations(page) == [], "warning"
    page.goto(base + "item/")
    with page.expect_navigation():
        page.locator(".record-form button.primary").click()
    assert axe_violations(page) == [], "errors"
    record.encounter_close(encounter=Encounter.objects.get(pk=encounter.pk), user=desk)
    page.goto(base)
    assert axe_violations(page) == [], "closed"
    context.close()


def test_the_record_works_with_javascript_off(browser, live_server, people):
    encounter = searched(people)
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.base = live_server.url
    sign_in(page)
    page.goto(f"{page.base}/desk/{encounter.pk}/record/")
    page.get_by_role("link", name="Something was viewed, copied or taken").click()
    page.get_by_label("Taken").check()
    page.get_by_label("What was it?").fill("Two DVDs")
    page.get_by_label("It is from the library's collection").check()
    page.get_by_label("Item barcode").fill("31234000123456")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_role("button", name="Marked missing in the catalogue").click()
    shot(page, "29-record-nojs")
    assert page.get_by_text("Marked missing in the catalogue: Two DVDs").is_visible()
    assert encounter.events.filter(kind="item").count() == 2
    context.close()

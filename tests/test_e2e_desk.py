"""End to end: Debian's Chromium, driven by Playwright, through the whole desk flow on a
phone-sized screen, by mouse and by keyboard alone, with JavaScript off. Screenshots are
written to var/screenshots/ to be looked at."""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from patronshield.desk.models import Encounter

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(settings.VAR_DIR) / "screenshots"
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: run script/bootstrap --test")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs a loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, people):
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base = live_server.url
    yield page
    context.close()


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def sign_in(page, email="desk@a.example.org", check=None):
    """E-mail and password, then, for the roles that need one, the authenticator's code.
    `check(page, name)` runs on each page on the way (e.g. the WCAG check)."""
    from patronshield.accounts.models import User
    from tests.conftest import totp_code

    page.goto(
        page.base + "/login/", timeout=60_000
    )  # the test server's first page is slow on a busy machine
    if check:
        check(page, "login")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill("correct horse battery staple")
    with page.expect_navigation():
        page.locator("form.stack button[type=submit]").click()
    if "/2fa/authenticate/" in page.url:
        if check:
            check(page, "second factor")
        user = User.objects.get(email=email)
        for offset in (0, 1, -1):  # a code works once: a second sign-in in the same 30 s
            page.locator("#id_code").fill(totp_code(user, offset))  # takes the next one
            with page.expect_navigation():
                page.locator("main form button[type=submit]").first.click()
            if "/2fa/authenticate/" not in page.url:
                break


def no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_desk_flow_on_a_phone(page):
    sign_in(page)
    shot(page, "01-desk-home")
    assert no_horizontal_scroll(page)
    page.get_by_role("button", name="Law enforcement is here").click()
    assert Encounter.objects.count() == 1

    for name, answer in [
        ("request", "To go into a staff-only area"),
        ("agency", "ICE (Immigration and Customs Enforcement)"),
        ("document", "ICE warrant (DHS Form I-200 or I-205), signed by an immigration officer"),
        ("emergency", "No"),
    ]:
        shot(page, f"02-step-{name}")
        assert no_horizontal_scroll(page), name
        page.get_by_role("button", name=answer, exact=True).click()

    page.wait_for_url("**/desk/*/")
    shot(page, "03-result-decline")
    assert no_horizontal_scroll(page)
    assert page.get_by_text("Politely decline", exact=True).is_visible()
    assert "can't let you into staff-only areas" in page.locator(".script").inner_text()
    assert page.locator("a[href^='tel:']").count() >= 2
    encounter = Encounter.objects.get()
    assert encounter.outcome == "decline" and encounter.agency == "ice"


def test_keyboard_only_in_spanish(page):
    sign_in(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Español").click()
    assert page.locator("html").get_attribute("lang") == "es"

    def tab_to(*texts):
        for _ in range(40):
            page.keyboard.press("Tab")
            if any(t in page.evaluate("document.activeElement.innerText || ''") for t in texts):
                return
        raise AssertionError(f"could not reach {texts!r} with Tab")

    def press_enter():
        with page.expect_navigation():
            page.keyboard.press("Enter")

    tab_to("Llegaron")  # the big button, in Spanish
    press_enter()
    tab_to("Registros de usuarios")
    press_enter()
    tab_to("Un agente", "An officer")  # who is asking: asked about patron records
    press_enter()
    for text in ["FBI", "Orden de registro", "No"]:
        tab_to(text)
        press_enter()
    # Patron records: one more question, about written consent.
    shot(page, "04-step-consent-es")
    tab_to("No")
    press_enter()
    shot(page, "05-result-comply-es")
    assert page.locator("html").get_attribute("lang") == "es"
    assert Encounter.objects.get().outcome == "comply_after_approval"
    text = page.locator("main").inner_text()
    assert "Diga esto" in text or "Diga" in text


def test_works_with_javascript_off(browser, live_server, people):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.base = live_server.url
    sign_in(page, "director@a.example.org")
    page.get_by_role("button", name="Law enforcement is here").click()
    for answer in [
        "Patron records (accounts, borrowing, computer use)",
        "An officer",
        "FBI",
        "National Security Letter (FBI)",
        "No",
        "No",
    ]:
        with page.expect_navigation():
            page.get_by_role("button", name=answer, exact=True).click()
    page.wait_for_url("**/desk/*/")
    shot(page, "06-result-nsl-nojs")
    assert page.get_by_text("Confidential:").is_visible()
    context.close()


AXE = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(page):
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
    )
    return [
        (v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
    ]


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_desk_screen_meets_wcag_2_2_aa(browser, live_server, people, language):
    """axe-core's WCAG 2.2 A and AA rules on every screen of the flow, in both languages."""
    context = browser.new_context(
        viewport=PHONE, bypass_csp=True, extra_http_headers={"Accept-Language": language}
    )
    page = context.new_page()
    page.base = live_server.url

    def check(page, name):
        assert axe_violations(page) == [], name

    sign_in(page, "director@a.example.org", check=check)
    assert axe_violations(page) == [], "home"
    page.locator("button.start").click()
    for step in ["request", "requester", "agency", "document", "emergency", "consent"]:
        page.wait_for_url(f"**/{step}/")
        assert axe_violations(page) == [], step
        buttons = page.locator("button[name=answer]")
        index = {"request": 4, "document": 1}.get(step, 0)  # patron records; search warrant
        if step in ("emergency", "consent"):
            index = 1  # No
        with page.expect_navigation():
            buttons.nth(index).click()
    assert "/desk/" in page.url
    assert axe_violations(page) == [], "result"
    context.close()


def test_upload_a_photo_at_the_desk(page, tmp_path):
    """The phone's camera gives a JPEG: the checker reads it, staff confirm, the flow goes
    on, and the decision comes from the policy."""
    import subprocess

    import weasyprint

    from .test_checker_classify import I205
    from .test_checker_pipeline import html_page

    (tmp_path / "i205.pdf").write_bytes(weasyprint.HTML(string=html_page(I205)).write_pdf())
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "150",
            "-jpeg",
            "-singlefile",
            tmp_path / "i205.pdf",
            tmp_path / "photo",
        ],
        check=True,
    )
    sign_in(page)
    page.get_by_role("button", name="Law enforcement is here").click()
    page.get_by_role("button", name="To go into a staff-only area").click()
    page.get_by_role("button", name="ICE (Immigration and Customs Enforcement)").click()
    page.wait_for_url("**/document/")
    shot(page, "07-document-step")
    page.set_input_files("#id_pages", str(tmp_path / "photo.jpg"))
    with page.expect_navigation():
        page.get_by_role("button", name="Check this paper").click()
    page.wait_for_url("**/progress/")
    run_the_worker()
    page.wait_for_url("**/check/*/", timeout=15_000)
    shot(page, "08-check-result-ice-warrant")
    assert no_horizontal_scroll(page)
    assert page.get_by_text("Staff-only areas: no").is_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Yes, the paper is:").click()
    page.get_by_role("button", name="No", exact=True).click()
    page.wait_for_url("**/desk/*/")
    assert page.get_by_text("Politely decline", exact=True).is_visible()
    assert Encounter.objects.get().document == "administrative_warrant"


def test_checklist_screen(page):
    sign_in(page)
    page.get_by_role("button", name="Law enforcement is here").click()
    encounter = Encounter.objects.get()
    page.goto(f"{page.base}/desk/{encounter.pk}/checklist/")
    shot(page, "09-checklist")
    assert no_horizontal_scroll(page)
    page.get_by_label("Yes: it names a court").check()
    page.get_by_label("Search warrant, or search and seizure warrant").check()
    page.get_by_label("A judge or magistrate").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    encounter.refresh_from_db()
    assert encounter.document == "judicial_search_warrant"


@pytest.mark.parametrize("language", ["en", "es"])
def test_document_screens_meet_wcag_2_2_aa(browser, live_server, people, language, tmp_path):
    import weasyprint

    from .test_checker_classify import AO93
    from .test_checker_pipeline import html_page

    (tmp_path / "ao93.pdf").write_bytes(weasyprint.HTML(string=html_page(AO93)).write_pdf())
    (tmp_path / "bad.jpg").write_bytes(b"PK\x03\x04 not a photo")
    context = browser.new_context(
        viewport=PHONE, bypass_csp=True, extra_http_headers={"Accept-Language": language}
    )
    page = context.new_page()
    page.base = live_server.url
    sign_in(page, "director@a.example.org")
    with page.expect_navigation():
        page.locator("button.start").click()
    encounter = Encounter.objects.get()
    page.goto(f"{page.base}/desk/{encounter.pk}/document/")
    assert axe_violations(page) == [], "document step"
    page.set_input_files("#id_pages", str(tmp_path / "ao93.pdf"))
    with page.expect_navigation():
        page.locator(".upload button[type=submit]").click()
    assert axe_violations(page) == [], "progress"
    run_the_worker()
    page.wait_for_url("**/check/*/", timeout=15_000)
    shot(page, f"10-check-result-warrant-{language}")
    assert axe_violations(page) == [], "check result"
    page.goto(f"{page.base}/desk/{encounter.pk}/checklist/")
    assert axe_violations(page) == [], "checklist"
    page.goto(f"{page.base}/desk/{encounter.pk}/document/")
    page.set_input_files("#id_pages", str(tmp_path / "bad.jpg"))
    with page.expect_navigation():
        page.locator(".upload button[type=submit]").click()
    run_the_worker()
    page.reload()
    assert page.get_by_text("ZIP archive").is_visible()
    shot(page, f"17-check-failed-{language}")
    assert axe_violations(page) == [], "error"
    context.close()


def test_the_desk_sees_who_was_alerted_live(page, people):
    """htmx refreshes the status every few seconds: delivered, then acknowledged."""
    from patronshield.notifications import services
    from patronshield.notifications.models import AckLink

    sign_in(page)
    page.get_by_role("button", name="Law enforcement is here").click()
    for answer in [
        "To go into a staff-only area",
        "ICE (Immigration and Customs Enforcement)",
        "Nothing: no document",
        "No",
    ]:
        page.get_by_role("button", name=answer, exact=True).click()
    page.wait_for_url("**/desk/*/")
    status = page.locator("#status")
    assert "alert queued" in status.inner_text()
    encounter = Encounter.objects.get()
    for n in encounter.notifications.all():
        services.deliver(n.pk)
    from playwright.sync_api import expect

    expect(status).to_contain_text("delivered", timeout=10_000)
    link = AckLink.objects.first()
    services.acknowledge(
        services.signing.dumps({"j": link.jti}, salt=services.ACK_SALT, compress=True)
    )
    # Who is on it: at the top of the page now (issue 17, point 4).
    coming = page.locator("#coming")
    expect(coming).to_contain_text("is on it", timeout=10_000)
    shot(page, "11-result-live-status")
    assert f"{link.contact.name} (director) is on it" in coming.inner_text()


def test_the_acknowledgement_page_on_a_phone(browser, live_server, people):
    from patronshield.desk import services as desk_services
    from patronshield.notifications import services
    from patronshield.notifications.models import AckLink

    encounter = desk_services.encounter_start(user=people["desk"])
    n = encounter.notifications.first()
    url = services.ack_url(n).replace("http://127.0.0.1:8000", live_server.url)
    assert AckLink.objects.count() == 1
    context = browser.new_context(viewport=PHONE, bypass_csp=True)
    page = context.new_page()
    page.goto(url)
    shot(page, "12-ack")
    assert axe_violations(page) == []
    with page.expect_navigation():
        page.get_by_role("button", name="I'm on it").click()
    shot(page, "13-ack-done")
    assert page.get_by_text("the desk can see you are on it").is_visible()
    assert axe_violations(page) == []
    encounter.refresh_from_db()
    assert encounter.acknowledged_by == n.contact.name
    context.close()


def run_the_worker():
    """The project's database task backend's own worker, once through the queue."""
    from django.core.management import call_command

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def test_upload_progress_result_with_the_real_worker(page, tmp_path):
    """A scanned PDF: the desk sees the checker waiting, then (htmx) the result, once the
    database worker has read it; a second tap made no second check."""
    import weasyprint
    from playwright.sync_api import expect

    from patronshield.desk.models import DocumentCheck

    from .test_checker_classify import I205
    from .test_checker_pipeline import html_page

    (tmp_path / "i205.pdf").write_bytes(weasyprint.HTML(string=html_page(I205)).write_pdf())
    sign_in(page)
    page.get_by_role("button", name="Law enforcement is here").click()
    page.get_by_role("button", name="To go into a staff-only area").click()
    page.get_by_role("button", name="ICE (Immigration and Customs Enforcement)").click()
    page.wait_for_url("**/document/")
    assert page.get_by_role("button", name="I can't tell").is_visible()
    assert page.get_by_role("button", name="I can't tell").bounding_box()["y"] < PHONE["height"]
    page.set_input_files("#id_pages", str(tmp_path / "i205.pdf"))
    with page.expect_navigation():
        page.get_by_role("button", name="Check this paper").click()
    page.wait_for_url("**/progress/")
    expect(page.locator("#reading")).to_contain_text("Waiting for the checker")
    shot(page, "14-check-progress")
    assert no_horizontal_scroll(page)
    page.go_back()
    page.set_input_files("#id_pages", str(tmp_path / "i205.pdf"))
    with page.expect_navigation():
        page.get_by_role("button", name="Check this paper").click()  # the second tap
    assert DocumentCheck.objects.count() == 1
    run_the_worker()
    page.wait_for_url("**/check/*/", timeout=15_000)  # htmx went to the answer
    shot(page, "15-check-result-after-progress")
    assert page.get_by_text("Staff-only areas: no").is_visible()
    assert DocumentCheck.objects.get().state == "done"


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_document_question_on_a_phone(browser, live_server, people, language):
    """On a 360-pixel phone, "I can't tell" and the kinds come first; the photo box after."""
    context = browser.new_context(
        viewport=PHONE, bypass_csp=True, extra_http_headers={"Accept-Language": language}
    )
    page = context.new_page()
    page.base = live_server.url
    sign_in(page, "director@a.example.org")
    with page.expect_navigation():
        page.locator("button.start").click()
    encounter = Encounter.objects.get()
    page.goto(f"{page.base}/desk/{encounter.pk}/document/")
    page.screenshot(path=SHOTS / f"16-document-first-screen-{language}.png")
    shot(page, f"16-document-step-{language}")
    first, kind = (
        page.locator("button[name=answer]").nth(0),
        page.locator("button[name=answer]").nth(1),
    )
    assert first.get_attribute("value") == "unknown"
    assert kind.get_attribute("value") == "judicial_search_warrant"
    assert kind.bounding_box()["y"] + kind.bounding_box()["height"] <= PHONE["height"]
    photo = page.locator("#id_pages").bounding_box()["y"]
    last = page.locator("button[name=answer]").last.bounding_box()["y"]
    assert last < photo
    assert axe_violations(page) == []
    context.close()


def test_in_spanish_on_a_phone_the_header_is_one_row_and_both_scripts_show(page):
    """Issue 17, point 5: at 360 px in Spanish the header stays one row ("Cerrar sesión" and
    the languages beside the library's name), so "Diga esto" in Spanish is on the first
    screen, and the English line to read or show to the officer starts under it."""
    sign_in(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Español").click()
    with page.expect_navigation():
        page.locator("form button.start").click()
    for value in ["enter_nonpublic_area", "ice", "administrative_warrant", "no"]:
        with page.expect_navigation():
            page.locator(f"button.choice[value='{value}']").click()
    page.wait_for_url("**/desk/*/")
    page.screenshot(path=SHOTS / "17-result-es-first-screen.png")  # the first screen only
    shot(page, "17-result-es")
    assert no_horizontal_scroll(page)
    header = page.locator("header.top").bounding_box()
    rows = {round(page.locator(s).first.bounding_box()["y"]) for s in
            ["header .brand", "header .langs button", "header .logout button"]}  # fmt: skip
    assert header["height"] < 70 and len(rows) <= 2, (header, rows)  # one row of buttons
    assert page.get_by_role("button", name="Cerrar sesión").is_visible()
    assert page.get_by_role("button", name="English").is_visible()  # its name read out
    spanish, english = page.locator("blockquote.script").all()
    assert spanish.get_attribute("lang") == "es" and english.get_attribute("lang") == "en"
    assert "no puedo dejarle entrar" in spanish.inner_text()
    assert "can't let you into staff-only areas" in english.inner_text()
    first_screen = PHONE["height"]
    assert spanish.bounding_box()["y"] + spanish.bounding_box()["height"] <= first_screen
    # The English line's heading shows on the first screen: the line itself is right under it.
    assert page.locator(".script-for").bounding_box()["y"] + 20 < first_screen
    print("header", header, "es", spanish.bounding_box(), "en", english.bounding_box())


def test_started_by_mistake_on_a_phone(page):
    """Issue 17, point 7: "Started by mistake?" on a question, a reason, and the record."""
    sign_in(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Law enforcement is here").click()
    page.get_by_text("Started by mistake?").click()
    shot(page, "18-cancel-open")
    assert no_horizontal_scroll(page)
    page.get_by_label("Why? (a few words)").fill("Tapped the big button by accident")
    with page.expect_navigation():
        page.get_by_role("button", name="Cancel the alert").click()
    shot(page, "18-cancel-done")
    assert "/record/" in page.url
    text = page.locator("main").inner_text()
    assert "Cancelled, started by mistake: Tapped the big button by accident" in text
    encounter = Encounter.objects.get()
    assert encounter.closed_at is not None

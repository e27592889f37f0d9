"""End to end, the transparency report in Debian's Chromium: on a phone and a desktop,
WCAG 2.2 AA by axe-core (charts included), no horizontal scroll, nothing from another
origin, no cookie; the director's settings page. Screenshots in var/screenshots/."""

import pytest

from .test_e2e_desk import PHONE, axe_violations, browser, no_horizontal_scroll, shot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
__all__ = ["browser"]
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def demo(db, settings):
    from patronshield.libraries.demo import seed_demo, seed_encounters
    from patronshield.public.models import TransparencySettings

    settings.PATRONSHIELD_PUBLIC_LIBRARY = "ecorse"
    library = seed_demo()
    seed_encounters(library, 120, seed=5)
    TransparencySettings.objects.create(library=library, national_security_bands=True)
    return library


@pytest.mark.parametrize(("name", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
@pytest.mark.parametrize("language", ["en", "es"])
def test_the_report_on_a_phone_and_a_desktop(browser, live_server, demo, name, viewport, language):
    context = browser.new_context(
        viewport=viewport, bypass_csp=True, extra_http_headers={"Accept-Language": language}
    )
    requests = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    page.goto(live_server.url + "/transparency/")
    assert page.locator("html").get_attribute("lang") == language
    charts = page.locator("svg[role=img]")
    assert charts.count() >= 4
    box = charts.first.bounding_box()
    assert box["width"] > 250 and box["height"] > 100  # drawn, not collapsed
    shot(page, f"public-transparency-{name}-{language}")
    assert no_horizontal_scroll(page)
    assert axe_violations(page) == []
    assert all(url.startswith(live_server.url) for url in requests), requests
    assert context.cookies() == []
    context.close()


def test_the_directors_page(browser, live_server, demo):
    from patronshield.accounts.models import Role
    from tests.conftest import make_user, totp_code

    director = make_user("director@a.example.org", Role.DIRECTOR, demo, demo.branches.first())
    context = browser.new_context(viewport=PHONE, bypass_csp=True)
    page = context.new_page()
    page.base = live_server.url
    sign_in(page, "director@a.example.org")
    page.goto(live_server.url + "/transparency/settings/")
    shot(page, "transparency-settings")
    assert axe_violations(page) == []
    assert no_horizontal_scroll(page)
    # Turning the canary on asks for the second factor again, then saves.
    page.get_by_label("Publish a warrant canary").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    assert "reauthenticate" in page.url
    page.locator("#id_code").fill(totp_code(director, offset=1))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/transparency/settings/")
    assert page.get_by_label("Publish a warrant canary").is_checked()
    # The demo's record holds an NSL and a FISA order: the page says it cannot affirm.
    assert page.get_by_text("You cannot affirm the canary").is_visible()
    shot(page, "transparency-settings-refused")
    assert axe_violations(page) == []
    context.close()

"""End to end, public side: Debian's Chromium on a 360-pixel phone. Right-to-left pages
(screenshots in var/screenshots/ to look at), WCAG 2.2 AA by axe-core, no request to
another origin and no cookie, keyboard only, no JavaScript, and the offline reload."""

import pytest

from patronshield.public.content import CODES
from patronshield.public.demo import seed_public_demo

from .test_e2e_desk import PHONE, axe_violations, browser, no_horizontal_scroll, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
__all__ = ["browser"]  # the Chromium fixture, shared with the desk's end-to-end tests


@pytest.fixture
def demo(library):
    lib, _branch = library
    seed_public_demo(lib)
    return lib


@pytest.fixture
def context(browser, live_server, demo):
    context = browser.new_context(viewport=PHONE, device_scale_factor=1)
    context.base = live_server.url
    yield context
    context.close()


@pytest.mark.parametrize("code", ["ar", "fa", "ur"])
def test_right_to_left_pages_on_a_phone(context, code):
    page = context.new_page()
    page.goto(f"{context.base}/rights/{code}/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    shot(page, f"public-rights-{code}")
    assert no_horizontal_scroll(page)
    # Lines start on the right: the first line of the first point ends near the right edge.
    right = page.evaluate(
        """() => { const r = document.createRange();
        r.selectNodeContents(document.querySelector("main ul.points li"));
        return r.getClientRects()[0].right; }"""
    )
    assert right > PHONE["width"] - 80
    # Form and phone numbers read left to right inside the right-to-left text.
    assert page.locator("bdi[dir=ltr]", has_text="I-200").first.is_visible()
    tel = page.locator("a.tel").first
    assert tel.inner_text() == "313-555-0161"


def test_every_public_page_meets_wcag_2_2_aa(browser, live_server, demo):
    """axe-core's WCAG 2.2 A and AA rules on the index, all 19 languages, resources, events."""
    context = browser.new_context(viewport=PHONE, bypass_csp=True)
    page = context.new_page()
    for path in ["/rights/"] + [f"/rights/{code}/" for code in CODES]:
        page.goto(live_server.url + path)
        assert axe_violations(page) == [], path
    for path in ["/resources/", "/events/"]:
        page.goto(live_server.url + path)
        shot(page, "public" + path.replace("/", "-").rstrip("-"))
        assert no_horizontal_scroll(page), path
        assert axe_violations(page) == [], path
    context.close()


def test_nothing_leaves_the_origin_and_no_cookie_is_set(context):
    requests = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    for path in ["/rights/", "/rights/es/", "/rights/ko/", "/resources/", "/events/"]:
        page.goto(context.base + path)
        page.wait_for_load_state("networkidle")
    assert requests
    assert all(url.startswith(context.base) for url in requests), requests
    assert context.cookies() == []


def test_keyboard_only_from_the_index_to_a_language(context):
    page = context.new_page()
    page.goto(context.base + "/rights/")
    shot(page, "public-rights-index")
    assert no_horizontal_scroll(page)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('lang')") == "so":
            break
    else:
        raise AssertionError("could not reach Soomaali with Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/rights/so/")
    assert page.locator("h1").inner_text() == "Ogow xuquuqdaada"
    shot(page, "public-rights-so-keyboard")


def test_works_without_javascript(browser, live_server, demo):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/rights/hi/")
    assert page.locator("h1").inner_text() == "अपने अधिकार जानें"
    shot(page, "public-rights-hi-nojs")
    assert no_horizontal_scroll(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="पोस्टर (PDF)").click(modifiers=["Alt"])
    assert download.value.suggested_filename.endswith(".pdf")
    context.close()


def test_the_rights_page_and_its_pdf_open_again_offline(context):
    page = context.new_page()
    page.goto(context.base + "/rights/es/")
    ready = page.evaluate(
        """async () => {
        await navigator.serviceWorker.ready;
        for (let i = 0; i < 150; i++) {
            const cache = await caches.open("patronshield-rights-v1");
            if (navigator.serviceWorker.controller && await cache.match(location.pathname))
                return true;
            await new Promise(done => setTimeout(done, 100));
        }
        return false;
        }"""
    )
    assert ready, "the service worker did not take the page"
    status = page.evaluate("fetch('/rights/es/card.pdf').then(r => r.status)")
    assert status == 200
    context.set_offline(True)
    page.reload()
    assert page.locator("h1").inner_text() == "Conozca sus derechos"
    shot(page, "public-rights-es-offline")
    offline_pdf = page.evaluate(
        "fetch('/rights/es/card.pdf').then(r => [r.status, r.headers.get('content-type')])"
    )
    assert offline_pdf == [200, "application/pdf"]
    context.set_offline(False)


@pytest.fixture
def report(demo):
    """A published quarter, the national-security bands and the canary, for the report."""
    import datetime as dt

    from django.utils import timezone

    from patronshield.public.models import TransparencySettings

    from .test_transparency import DETROIT, visits

    visits(demo, 7, at=dt.datetime(2025, 8, 1, tzinfo=DETROIT))
    visits(demo, 2, agency="sheriff", document="administrative_warrant",
           at=dt.datetime(2025, 8, 1, tzinfo=DETROIT))  # fmt: skip
    TransparencySettings.objects.create(
        library=demo,
        national_security_bands=True,
        canary=True,
        canary_affirmed_at=timezone.now() - dt.timedelta(days=1),
    )
    return demo


WALK = ["resources", "events", "transparency", "statements"]


def test_an_arabic_reader_walks_every_public_page_on_a_phone(browser, live_server, report):
    """From the rights page in Arabic, by the navigation alone: every page in Arabic, right
    to left, no sideways scrolling at 360 px, no WCAG 2.2 AA violation; the language
    switcher leads to the same page in another language."""
    from patronshield.public import content

    context = browser.new_context(viewport=PHONE, device_scale_factor=1, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/rights/ar/")
    labels = content.labels("ar")
    for name in WALK:
        with page.expect_navigation():
            page.locator("header nav").get_by_role("link", name=labels["nav"][name]).click()
        assert page.url.endswith(f"/{name}/ar/"), page.url
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert page.locator("html").get_attribute("lang") == "ar"
        assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
        assert page.locator("nav [aria-current=page]").inner_text() == labels["nav"][name]
        assert labels["review"]["machine"] in page.locator("main").inner_text()
        shot(page, f"public-{name}-ar")
        assert no_horizontal_scroll(page), name
        assert axe_violations(page) == [], name
    # The report: Arabic labels, its chart drawn from the right, inside the screen.
    page.goto(f"{live_server.url}/transparency/ar/")
    chart = page.locator("svg.chart").first.bounding_box()
    assert chart["x"] >= 0 and chart["x"] + chart["width"] <= PHONE["width"]
    label = page.locator("svg.chart text").first.bounding_box()
    assert label["x"] + label["width"] > chart["x"] + chart["width"] - 12  # starts at the right
    assert "أقل من 5" in page.locator("table.numbers").first.inner_text()
    # The switcher: the same page, in Farsi.
    with page.expect_navigation():
        page.locator(".switch").get_by_role("link", name="فارسی").click()
    assert page.url.endswith("/transparency/fa/")
    assert page.locator("h1").inner_text() == content.labels("fa")["transparency"]["title"]
    context.close()


def test_the_public_pages_in_arabic_without_javascript(browser, live_server, report):
    from patronshield.public import content

    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    for name in WALK:
        page.goto(f"{live_server.url}/{name}/ar/")
        title = content.labels("ar")[name]["heading" if name == "statements" else "title"]
        assert page.locator("h1").inner_text() == title
        assert no_horizontal_scroll(page), name
    shot(page, "public-statements-ar-nojs")
    context.close()


def test_an_unknown_language_code_lands_on_the_closest_or_the_list(context):
    page = context.new_page()
    page.goto(context.base + "/rights/zh/")
    assert page.url.endswith("/rights/zh-Hans/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    response = page.goto(context.base + "/events/tlh/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Choose your language"
    shot(page, "public-events-unknown-language")
    assert no_horizontal_scroll(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Soomaali").click()
    assert page.url.endswith("/events/so/")


def test_every_page_in_every_language_fits_a_phone(browser, live_server, report):
    """No sideways scrolling at 360 px for any page in any of the 19 languages (long words
    in the navigation, Amharic, Punjabi, Chinese charts), and axe finds nothing in one
    language of each script."""
    context = browser.new_context(viewport=PHONE, bypass_csp=True)
    page = context.new_page()
    for code in CODES:
        for name in WALK:
            page.goto(f"{live_server.url}/{name}/{code}/")
            assert no_horizontal_scroll(page), (name, code)
            if code in ("zh-Hans", "ko", "ru", "hi", "pa", "am", "ur", "vi"):
                assert axe_violations(page) == [], (name, code)
    page.goto(f"{live_server.url}/transparency/zh-Hans/")
    shot(page, "public-transparency-zh-Hans")
    page.goto(f"{live_server.url}/events/am/")
    shot(page, "public-events-am")
    page.goto(f"{live_server.url}/transparency/ru/")
    shot(page, "public-transparency-ru")
    page.goto(f"{live_server.url}/resources/es/")
    shot(page, "public-resources-es")
    context.close()

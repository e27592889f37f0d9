"""End to end in Chromium, on a phone-sized screen: the director closes an encounter, the
after-action review is there, the director fills the debrief, the desk worker answers their
private check-in, and the director then sees only that it was offered and that help was
requested. The pages meet WCAG 2.2 AA (axe-core) in English and Spanish. Screenshots in
var/screenshots/aftercare-*.png."""

import pytest

from patronshield.aftercare.models import CheckIn, Review
from patronshield.desk import record
from patronshield.desk import services as desk
from tests.test_e2e_desk import PHONE, axe_violations, browser, no_horizontal_scroll, shot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
__all__ = ["browser"]  # the module-scoped Chromium fixture

SECRET = "Still shaking when I got home"


def encounter(people):
    e = desk.encounter_start(user=people["desk"])
    e = desk.encounter_answer(
        encounter=e, actor=people["desk"], agency="ice", request="enter_nonpublic_area",
        document="administrative_warrant", emergency=False,
    )  # fmt: skip
    record.note_add(encounter=e, user=people["desk"], text="Two officers waited in the lobby.")
    return e


def new_page(browser, live_server, language="en-US"):
    context = browser.new_context(viewport=PHONE, locale=language, bypass_csp=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base = live_server.url
    return context, page


def sign_out(page):
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()


def test_close_review_check_in_and_what_the_director_sees(browser, live_server, people):
    e = encounter(people)
    context, page = new_page(browser, live_server)
    sign_in(page, "director@a.example.org")
    page.goto(f"{page.base}/desk/{e.pk}/record/close/")
    with page.expect_navigation():
        page.get_by_role("button", name="Yes, close the record").click()
    review = Review.objects.get(encounter=e)
    with page.expect_navigation():
        page.get_by_role("link", name="The after-action review").click()
    shot(page, "aftercare-01-review-opened")
    assert no_horizontal_scroll(page)
    assert page.get_by_text("Not completed yet.").is_visible()

    with page.expect_navigation():
        page.get_by_role("link", name="Fill in the debrief").click()
    page.get_by_label("What went well?").fill("The desk called the director within a minute.")
    page.get_by_label("What did not go well?").fill("The officers reached the workroom door.")
    page.locator("label.radio", has_text="Partly").click()
    page.get_by_label("If partly or not: which step?").fill("Keep officers in public areas")
    page.get_by_label("What should change?").fill("Practise the script each quarter.")
    page.locator("label.radio", has_text="The training should be reviewed").click()
    shot(page, "aftercare-02-debrief")
    with page.expect_navigation():
        page.get_by_role("button", name="Save and complete the review").click()
    review.refresh_from_db()
    assert review.completed_at and review.policy_followed == "partly"
    assert page.get_by_text("This review asks for a second look").is_visible()
    shot(page, "aftercare-03-review-completed")
    sign_out(page)

    # The desk worker's check-in.
    sign_in(page, "desk@a.example.org")
    with page.expect_navigation():
        page.get_by_role("link", name="After the visit").click()
    shot(page, "aftercare-04-after-home-desk")
    with page.expect_navigation():
        page.locator(".cards a").first.click()
    assert "/after/checkin/" in page.url
    page.locator("label.radio", has_text="Not good").click()
    page.get_by_label("Anything you want to say (only you will read it)").fill(SECRET)
    page.locator("label.radio", has_text="Employee assistance programme").click()
    shot(page, "aftercare-05-checkin")
    assert no_horizontal_scroll(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Send").click()
    assert page.get_by_text("Thank you. Only you can read what you wrote.").is_visible()
    mine = CheckIn.objects.get(review=review, user=people["desk"])
    assert mine.help_requested
    checkin_url = page.url
    sign_out(page)

    # The director: offered, help requested; not a word of it.
    sign_in(page, "director@a.example.org")
    page.goto(f"{page.base}/after/{review.pk}/")
    staff = page.locator("section[aria-labelledby=staff-h]").inner_text()
    shot(page, "aftercare-06-director-sees-only")
    assert "Desk" in staff and "offered" in staff and "help requested" in staff
    assert SECRET not in page.content() and "Not good" not in page.content()
    response = page.goto(checkin_url)
    assert response.status == 404 and SECRET not in page.content()
    context.close()


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_after_pages_meet_wcag_2_2_aa_and_read_on_a_phone(
    browser, live_server, people, language
):
    e = encounter(people)
    record.encounter_close(encounter=e, user=people["director"])
    review = Review.objects.get(encounter=e)
    mine = CheckIn.objects.get(review=review, user=people["director"])
    context = browser.new_context(
        viewport=PHONE, bypass_csp=True, extra_http_headers={"Accept-Language": language}
    )
    page = context.new_page()
    page.base = live_server.url
    sign_in(page, "director@a.example.org")
    pages = {
        "home": "/after/",
        "review": f"/after/{review.pk}/",
        "debrief": f"/after/{review.pk}/debrief/",
        "task": f"/after/{review.pk}/tasks/",
        "present": f"/after/{review.pk}/present/",
        "community": f"/after/{review.pk}/community/",
        "statement": f"/after/{review.pk}/statement/",
        "programme": f"/after/{review.pk}/programme/rights/",
        "checkin": f"/after/checkin/{mine.pk}/",
    }
    for name, path in pages.items():
        page.goto(page.base + path)
        assert page.locator("html").get_attribute("lang") == language
        shot(page, f"aftercare-{language}-{name}")
        assert no_horizontal_scroll(page), name
        assert axe_violations(page) == [], name
    # Published, then on the public page: no cookie there.
    page.goto(page.base + f"/after/{review.pk}/statement/")
    with page.expect_navigation():
        page.get_by_role(
            "button", name="Approve and publish" if language == "en" else "Aprobar y publicar"
        ).click()
    context.close()
    public = browser.new_context(
        viewport=PHONE, bypass_csp=True, extra_http_headers={"Accept-Language": language}
    )
    p = public.new_page()
    p.goto(live_server.url + "/statements/")
    shot(p, f"aftercare-{language}-public-statements")
    assert no_horizontal_scroll(p)
    assert axe_violations(p) == []
    assert public.cookies() == []
    public.close()

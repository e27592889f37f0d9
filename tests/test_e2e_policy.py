"""End to end in Chromium: the director edits the policy's draft as a plain form, reads it,
marks it adopted (the second factor again), and the desk worker reads the adopted policy, in
English and Spanish, on a phone, WCAG 2.2 AA. Screenshots in var/screenshots/."""

import pytest

from patronshield.libraries.models import PolicyVersion
from tests.conftest import totp_code
from tests.test_e2e_desk import PHONE, axe_violations, browser, shot, sign_in  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_director_drafts_and_adopts_the_policy(browser, live_server, people, language):  # noqa: F811
    context = browser.new_context(
        viewport=PHONE, bypass_csp=True,
        extra_http_headers={"Accept-Language": language},
    )  # fmt: skip
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base = live_server.url

    def check(name):
        shot(page, f"policy-{name}-{language}")
        assert axe_violations(page) == [], name
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name

    sign_in(page, "director@a.example.org")
    page.goto(page.base + "/policy/draft/")
    check("draft")
    page.locator("#id_nonpublic_areas").fill("Staff workroom\nServer room")
    page.locator("#id_approver_1").check()  # the director only
    page.locator("#id_values").fill("Everyone is welcome here.")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    check("draft-document")
    assert "Everyone is welcome here." in page.content()
    draft = PolicyVersion.objects.get()
    assert draft.choices["approver"] == "director" and draft.status == "draft"

    page.goto(page.base + f"/policy/{draft.number}/adopt/")
    assert "reauthenticate" in page.url
    page.locator("#id_code").fill(totp_code(people["director"], offset=1))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    check("adopt")
    page.locator("#id_board_date").fill("2026-11-20")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert PolicyVersion.objects.get().status == "adopted"
    assert page.url.endswith("/policy/")
    check("adopted")

    context.clear_cookies()
    sign_in(page, "desk@a.example.org")
    check("desk-home")
    page.goto(page.base + "/policy/")
    check("desk-reads")
    context.close()

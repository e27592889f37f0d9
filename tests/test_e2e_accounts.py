"""Sign-in with a second factor, its set-up, and the access log, in Chromium on a phone,
checked with axe-core (WCAG 2.2 AA) in English and Spanish."""

import re

import pytest
from allauth.mfa.models import Authenticator

from patronshield.accounts.models import Role
from tests.conftest import PASSWORD, make_user, totp_code
from tests.test_e2e_desk import PHONE, axe_violations, browser, shot, sign_in  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["en", "es"])
def test_second_factor_screens_on_a_phone(browser, live_server, people, library, language):  # noqa: F811
    context = browser.new_context(
        viewport=PHONE, bypass_csp=True, extra_http_headers={"Accept-Language": language}
    )
    page = context.new_page()
    page.base = live_server.url

    def check(page, name):
        shot(page, f"accounts-{name.replace(' ', '-')}-{language}")
        assert axe_violations(page) == [], name

    sign_in(page, "director@a.example.org", check=check)
    page.goto(page.base + "/desk/access/")  # asks for the code again
    assert "reauthenticate" in page.url
    check(page, "reauthenticate")
    page.locator("#id_code").fill(totp_code(people["director"], offset=1))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    assert page.url.endswith("/desk/access/")
    check(page, "access-log")

    # A new designee sets up the authenticator app before anything else.
    lib, branch = library
    new = make_user(f"new-{language}@a.example.org", Role.DESIGNEE, lib, branch,
                    designee_order=5)  # fmt: skip
    Authenticator.objects.filter(user=new).delete()
    context.clear_cookies()
    page.goto(page.base + "/login/")
    page.locator("#id_login").fill(new.email)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("form.stack button[type=submit]").click()
    page.goto(page.base + "/")
    if "reauthenticate" in page.url:  # set-up asks for the password once more
        page.locator("#id_password").fill(PASSWORD)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").first.click()
    assert "/2fa/totp/activate/" in page.url
    check(page, "activate")
    secret = re.search(r"\b([A-Z2-7]{32})\b", page.content()).group(1)
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    page.locator("#id_code").fill(format_hotp_value(hotp_value(secret, int(time.time()) // 30)))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    page.goto(page.base + "/")
    assert page.locator("button.start").is_visible()
    context.close()

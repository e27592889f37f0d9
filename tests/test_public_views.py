"""The public pages: no login, every language, no cookie, nothing from another origin,
under 60 KB, the review status shown, the right library."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from patronshield.libraries.models import Library
from patronshield.public import content
from patronshield.public.demo import seed_public_demo
from patronshield.public.models import Event, Resource, ReviewStatus, TranslationReview

STATIC = Path(settings.BASE_DIR) / "patronshield" / "public" / "static"
PAGES = ["/rights/", "/resources/", "/events/"] + [f"/rights/{c}/" for c in content.CODES]


@pytest.fixture
def demo(library):
    lib, _branch = library
    seed_public_demo(lib)
    return lib


@pytest.mark.parametrize("code", content.CODES)
def test_it_serves_every_language_with_its_direction(client, demo, code):
    response = client.get(f"/rights/{code}/")
    assert response.status_code == 200
    html = response.content.decode()
    direction = "rtl" if code in ("ar", "fa", "ur") else "ltr"
    assert f'<html lang="{code}" dir="{direction}">' in html
    text = content.load(code)
    for key in ("title", "not_advice", "machine_notice"):
        assert str(content.ltr(text["page"][key])) in html
    assert str(content.ltr(text["warrants"]["ice_heading"])) in html
    for kind in ("poster", "card", "sign"):
        assert f'href="/rights/{code}/{kind}.pdf"' in html
    assert f'href="/rights/{code}/poster.pdf?size=a4"' in html
    assert "Downriver Immigrant Legal Aid (sample)" in html  # who to call, from the directory


def test_the_index_lists_every_language_in_its_own_name(client, demo):
    html = client.get("/rights/").content.decode()
    for code, name in content.NAMES.items():
        assert f'href="/rights/{code}/" lang="{code}"' in html
        assert name in html


def test_state_law_comes_from_the_library_state(client, demo):
    html = client.get("/rights/en/").content.decode()
    assert "In <bdi>Michigan</bdi>, the <bdi>Library Privacy Act</bdi>" in html
    assert "397.601" in html


def test_an_unknown_language_lists_the_languages(client, demo):
    response = client.get("/rights/xx/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1" in html and "Choose your language" in html and "“<bdi>xx</bdi>”" in html
    for code in content.CODES:
        assert f'href="/rights/{code}/"' in html
    assert client.get("/rights/en/flyer.pdf").status_code == 404


def test_public_pages_need_no_login_and_only_read(client, demo):
    assert client.get("/rights/es/").status_code == 200
    assert client.post("/rights/es/").status_code == 405
    assert client.get("/").status_code == 302  # the staff side still needs a login


def public_urls():
    return PAGES + ["/events.ics", "/rights/sw.js", "/l/ecorse/rights/ar/"]


def test_no_public_page_sets_a_cookie(client, demo):
    for url in public_urls():
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="es")
        assert response.status_code == 200, url
        assert "Set-Cookie" not in response.headers, url
        assert not response.cookies, url
    response = client.get("/rights/en/card.pdf")
    assert "Set-Cookie" not in response.headers and not response.cookies


def test_nothing_is_loaded_from_another_origin(client, demo):
    Resource.objects.filter(website="").update(website="https://other.example.org/")
    for url in PAGES:
        response = client.get(url)
        html = response.content.decode()
        loaded = re.findall(r'<(?:script|img|iframe|link)[^>]+(?:src|href)="([^"]+)"', html)
        assert loaded, url
        assert all(u.startswith("/") and not u.startswith("//") for u in loaded), (url, loaded)
        for link in re.findall(r'<a [^>]*href="(https?://[^"]+)"[^>]*>', html):
            assert link  # links may leave, but never with a referrer:
        for tag in re.findall(r'<a [^>]*href="https?://[^"]+"[^>]*>', html):
            assert 'rel="noreferrer noopener"' in tag
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp


def page_weight(client, url):
    html = client.get(url).content
    total = len(html)
    for asset in re.findall(rb'(?:src|href)="/static/([^"]+)"', html):
        path = STATIC / asset.decode()
        if not path.exists():
            path = Path(settings.BASE_DIR) / "patronshield" / "static" / asset.decode()
        total += path.stat().st_size
    return total


def test_every_public_page_weighs_under_60_kb(client, demo):
    for url in PAGES:
        assert page_weight(client, url) < 60_000, url


def test_it_shows_the_review_status_of_the_current_text(client, demo):
    html = client.get("/rights/es/").content.decode()
    assert "Borrador automático, sin revisar" in html
    assert "Versión <bdi" in html and "todavía sin revisar" in html
    TranslationReview.objects.create(
        language="es",
        status=ReviewStatus.COUNSEL,
        version=content.VERSION,
        reviewed_on=dt.date(2026, 11, 30),
        reviewed_by="Counsel",
    )
    html = client.get("/rights/es/").content.decode()
    assert "Revisado por un abogado" in html
    assert "2026-11-30" in html
    assert content.load("es")["page"]["machine_notice"] not in html


def test_a_review_of_an_older_text_does_not_count(client, demo):
    TranslationReview.objects.create(
        language="fr", status=ReviewStatus.COUNSEL, version="2020.1", reviewed_on=dt.date.today()
    )
    html = client.get("/rights/fr/").content.decode()
    assert "Brouillon automatique, pas encore relu" in html


def test_a_review_needs_its_date(db):
    from django.core.exceptions import ValidationError

    review = TranslationReview(language="ko", status=ReviewStatus.COMMUNITY, version="1")
    with pytest.raises(ValidationError):
        review.full_clean()


def test_it_serves_the_only_library_or_the_one_set(client, demo, settings):
    Library.objects.create(slug="river", name="River City Library", state="IL")
    assert client.get("/rights/").status_code == 404  # two libraries, none named
    settings.PATRONSHIELD_PUBLIC_LIBRARY = "river"
    html = client.get("/rights/en/").content.decode()
    assert "River City Library" in html
    assert "Illinois" in html and "75 ILCS 70" in html


def test_consortium_members_have_their_own_pages(client, demo):
    Library.objects.create(slug="river", name="River City Library", state="IL")
    html = client.get("/l/river/rights/es/").content.decode()
    assert "River City Library" in html
    assert 'href="/l/river/rights/es/poster.pdf"' in html
    assert 'href="/l/river/resources/es/"' in html  # the other pages, in the same language
    assert 'href="/l/river/statements/es/"' in html and 'href="/l/river/rights/fr/"' in html
    assert 'data-sw="/l/river/rights/sw.js" data-scope="/l/river/rights/"' in html
    assert "Downriver" not in html  # Ecorse's contacts are not River City's
    assert client.get("/l/nowhere/rights/").status_code == 404
    html = client.get("/l/river/statements/ar/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html and "River City Library" in html
    assert 'href="/l/river/transparency/ar/"' in html


def test_resources_show_what_a_caller_needs(client, demo):
    html = client.get("/resources/").content.decode()
    for kind in ("Legal aid", "Hotlines", "Counselling", "Support groups", "Consulates"):
        assert kind in html
    assert 'href="tel:313-555-0163"' in html
    assert "English, Spanish, Arabic, French" in html and "24 hours" in html
    assert "May charge a fee" in html and "Sample entry" in html
    html = client.get("/resources/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Ayuda legal" in html and "Ejemplo" in html


def test_events_list_what_is_coming(client, demo):
    Event.objects.create(
        library=demo,
        kind=Event.Kind.WORKSHOP,
        title="Last year's workshop",
        starts_at=timezone.now() - dt.timedelta(days=400),
        ends_at=timezone.now() - dt.timedelta(days=400, hours=-2),
    )
    html = client.get("/events/").content.decode()
    assert "Know your rights workshop (sample)" in html
    assert "Free immigration legal clinic (sample)" in html
    assert "Last year" not in html
    assert 'href="/events.ics"' in html


def test_the_service_worker_is_served_for_the_rights_scope(client, demo):
    response = client.get("/rights/sw.js")
    assert response["Content-Type"].startswith("text/javascript")
    assert "caches.open" in response.content.decode()
    html = client.get("/rights/am/").content.decode()
    # No nonce: the page is stored and served to everyone, a per-response nonce would be
    # stale; a script from this origin needs none ('self').
    assert re.search(r'<script src="/static/public/offline.js" data-sw=', html)
    assert "nonce" not in html
    assert " on" + "click=" not in html and "<script>" not in html  # no inline script


@pytest.fixture
def admin_client(client, library):
    """An administrator signed in to the Django admin (with a second factor where the
    sign-in requires one)."""
    from django.apps import apps

    from patronshield.accounts.models import Role, User

    lib, branch = library
    user = User.objects.create_user(
        "site-admin@a.example.org",
        "correct horse battery staple",
        role=Role.ADMIN,
        library=lib,
        branch=branch,
        is_staff=True,
        is_superuser=True,
    )
    if apps.is_installed("allauth.mfa"):
        from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

        TOTP.activate(user, generate_totp_secret())
    client.force_login(user)
    return client


def test_the_admin_manages_reviews_resources_and_events(admin_client, demo):
    for model in ("translationreview", "resource", "event"):
        assert admin_client.get(f"/admin/public/{model}/").status_code == 200
        assert admin_client.get(f"/admin/public/{model}/add/").status_code == 200
    response = admin_client.post(
        "/admin/public/translationreview/add/",
        {
            "language": "ar",
            "status": "community-reviewed",
            "version": content.VERSION,
            "reviewed_on": "2026-12-01",
            "reviewed_by": "Arabic-speaking volunteers",
            "notes": "",
        },
    )
    assert response.status_code == 302
    assert TranslationReview.objects.get(language="ar").status == "community-reviewed"


# ------------------------------------------------------------------ every page, every language
LANGUAGE_PAGES = ["resources", "events", "transparency", "statements"]


def shown_labels(code: str, page: str, demo) -> list[str]:
    """The labels a page always shows, as the page escapes them (derived from the data)."""
    labels = content.localized_labels(code, {"library": demo.name})
    always = [*labels["nav"].values(), *labels["foot"].values()]
    always += [labels["review"]["machine"], labels["review"]["notice"]] if code != "en" else []
    section = labels[page]
    if page == "resources":
        always += [section["title"], section["lead"], section["emergency"]]
        kinds = demo.public_resources.values_list("kind", flat=True)
        always += [section["kinds"][k] for k in kinds]
        always += [labels["contacts"][k] for k in ("cost", "free", "languages", "hours", "sample")]
    elif page == "events":
        always += [section[k] for k in ("title", "lead", "calendar", "kind", "when", "where")]
        always += [section["kinds"][k] for k in demo.public_events.values_list("kind", flat=True)]
    elif page == "transparency":
        always += [section[k] for k in ("title", "lead", "csv", "no_quarter", "how_heading")]
        always += section["how"]
    else:
        always += [section["heading"], section["lead"], section["none"]]
    return [str(label) for label in always]


@pytest.mark.parametrize("page", LANGUAGE_PAGES)
@pytest.mark.parametrize("code", content.CODES)
def test_every_public_page_speaks_every_language(client, demo, code, page):
    response = client.get(f"/{page}/{code}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{code}" dir="{content.direction(code)}">' in html
    for label in shown_labels(code, page, demo):
        assert label in html, label
    # No English label left where the language has its own: no element reads as the English.
    if code != "en":
        mine = set(shown_labels(code, page, demo))
        for label in shown_labels("en", page, demo):
            if label not in mine:
                assert f">{label}<" not in html and f"> {label}<" not in html, label
    # The navigation goes to the other pages in the same language, the switcher to this
    # page in every other language.
    for other in ["rights", *LANGUAGE_PAGES]:
        assert f'href="/{other}/{code}/"' in html, other
    for c in content.CODES:
        if c != code:
            assert f'<a href="/{page}/{c}/" lang="{c}" hreflang="{c}"' in html, c
    assert f'aria-current="page">{content.localized_labels(code, {})["nav"][page]}<' in html
    # Machine-drafted labels say so, with the English version of the same page at hand.
    if code != "en":
        assert f'<a href="/{page}/en/" lang="en" hreflang="en">' in html
    else:
        assert "review-machine-drafted" not in html


@pytest.mark.parametrize("code", content.CODES)
def test_the_rights_pages_lead_to_the_other_pages_in_their_language(client, demo, code):
    html = client.get(f"/rights/{code}/").content.decode()
    labels = content.localized_labels(code, {})["nav"]
    for page in LANGUAGE_PAGES:
        assert f'href="/{page}/{code}/">{labels[page]}</a>' in html
    for c in content.CODES:
        if c != code:
            assert f'<a href="/rights/{c}/" lang="{c}" hreflang="{c}"' in html


def test_a_page_without_a_code_is_in_the_browser_s_language(client, demo):
    response = client.get("/events/", HTTP_ACCEPT_LANGUAGE="de-DE,fa;q=0.8,en;q=0.5")
    assert '<html lang="fa" dir="rtl">' in response.content.decode()
    assert "Accept-Language" in response.headers["Vary"]
    assert response["Content-Language"] == "fa"
    assert client.get("/events/ko/")["Content-Language"] == "ko"
    assert '<html lang="en"' in client.get("/events/").content.decode()
    html = client.get("/rights/", HTTP_ACCEPT_LANGUAGE="zh-TW").content.decode()
    assert '<html lang="zh-Hant"' in html and "選擇您的語言" in html


@pytest.mark.parametrize(
    ("asked", "goes_to"),
    [
        ("/rights/zh/", "/rights/zh-Hans/"),
        ("/rights/zh-tw/", "/rights/zh-Hant/"),
        ("/rights/ES/", "/rights/es/"),
        ("/rights/zh/card.pdf", "/rights/zh-Hans/card.pdf"),
        ("/resources/pt-BR/", "/resources/pt/"),
        ("/events/arabic/", "/events/ar/"),
        ("/transparency/fil/", "/transparency/tl/"),
        ("/transparency/zh-HK/2025-Q3/", "/transparency/zh-Hant/2025-Q3/"),
        ("/statements/en-GB/", "/statements/en/"),
        ("/l/ecorse/events/zh-CN/", "/l/ecorse/events/zh-Hans/"),
    ],
)
def test_a_language_code_we_do_not_have_goes_to_the_closest(client, demo, asked, goes_to):
    response = client.get(asked)
    assert response.status_code == 302
    assert response["Location"] == goes_to


@pytest.mark.parametrize("page", ["rights", *LANGUAGE_PAGES])
def test_a_language_we_do_not_have_lists_ours_never_a_bare_not_found(client, demo, page):
    response = client.get(f"/{page}/tlh/", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="es"' in html and "Elija su idioma" in html and "<bdi>tlh</bdi>" in html
    for code, name in content.NAMES.items():
        assert f'<a href="/{page}/{code}/" lang="{code}"' in html and name in html
    assert "Not Found" not in html
    html = client.get(f"/{page}/%3Cb%3Ex/").content.decode()  # what was asked, escaped
    assert "&lt;b&gt;x" in html and "<b>x" not in html


def test_a_reviewed_translation_of_the_labels_says_so(client, demo, monkeypatch):
    monkeypatch.setitem(content.labels("fr")["meta"], "status", "community-reviewed")
    html = client.get("/events/fr/").content.decode()
    assert content.labels("fr")["review"]["community"] in html
    assert content.labels("fr")["review"]["notice"] not in html


def test_public_pages_carry_no_inline_script_or_style(client, demo):
    for code in content.CODES:
        for url in [f"/rights/{code}/", *(f"/{page}/{code}/" for page in LANGUAGE_PAGES)]:
            html = client.get(url).content.decode()
            assert "<style" not in html and " style=" not in html, url
            assert not re.search(r"<script(?![^>]*\bsrc=)", html), url
            assert not re.search(r"\son[a-z]+=", html), url


def test_events_say_their_day_in_the_reader_s_language(client, demo):
    import zoneinfo

    event = demo.public_events.order_by("starts_at").first()
    start = event.starts_at.astimezone(zoneinfo.ZoneInfo(demo.time_zone))
    for code in ("fr", "ru", "ar", "zh-Hans", "am"):
        html = client.get(f"/events/{code}/").content.decode()
        assert content.long_date(code, start, weekday=True) in html, code
        assert f'<bdi dir="ltr">{start:%H:%M}–' in html


def test_every_language_page_weighs_under_60_kb(client, demo):
    for code in ("ar", "am", "zh-Hant", "pa"):
        for page in LANGUAGE_PAGES:
            assert page_weight(client, f"/{page}/{code}/") < 60_000, (page, code)

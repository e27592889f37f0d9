"""The rights pages and PDFs rendered once per content version: public cache headers, 304s,
no cookie read, no nonce, invalidation when the library, its contacts or a review changes,
one render for many concurrent first requests (the lock), and bad input."""

import os
import re
import threading
import time

import pytest
from django.core.cache import caches

from patronshield.public import rendered, views
from patronshield.public.demo import seed_public_demo
from patronshield.public.models import Resource, ReviewStatus, TranslationReview


@pytest.fixture
def demo(library):
    lib, _branch = library
    seed_public_demo(lib)
    return lib


@pytest.fixture
def renders(monkeypatch):
    """How many times each kind of thing was rendered."""
    counts = {"page": 0, "pdf": 0}
    page, pdf = views.render_page, views.pdfs.render

    def count_page(*args, **kwargs):
        counts["page"] += 1
        return page(*args, **kwargs)

    def count_pdf(*args, **kwargs):
        counts["pdf"] += 1
        return pdf(*args, **kwargs)

    monkeypatch.setattr(views, "render_page", count_page)
    monkeypatch.setattr(views.pdfs, "render", count_pdf)
    return counts


def cache_control(response) -> dict:
    return dict((d.split("=") + [True])[:2] for d in re.split(r",\s*", response["Cache-Control"]))


@pytest.mark.parametrize("url", ["/rights/es/", "/rights/ar/", "/rights/", "/rights/es/sign.pdf"])
def test_it_is_public_for_five_minutes_with_an_etag(client, demo, url):
    response = client.get(url)
    assert response.status_code == 200
    directives = cache_control(response)
    assert directives["public"] is True
    assert directives["max-age"] == "300"
    assert int(directives["stale-while-revalidate"]) > 0
    assert "private" not in directives and "no-store" not in directives
    assert response["ETag"].startswith('"') and response["Last-Modified"]
    assert "Cookie" not in response.get("Vary", "")
    assert "Set-Cookie" not in response.headers


def test_other_public_pages_are_public_too(client, demo):
    for url in ("/resources/es/", "/events/es/", "/transparency/es/"):
        response = client.get(url)
        assert cache_control(response)["public"] is True, url
        assert "Cookie" not in response.get("Vary", ""), url
        assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304, url


def test_an_unchanged_page_answers_304(client, demo):
    first = client.get("/rights/es/")
    again = client.get("/rights/es/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"]
    assert cache_control(again)["public"] is True
    since = client.get("/rights/es/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    assert client.get("/rights/es/", HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_the_cached_page_carries_no_nonce_and_no_inline_script(client, demo):
    for _ in range(2):  # rendered, then from the store
        response = client.get("/rights/es/")
        html = response.content.decode()
        assert "nonce" not in html and "nonce" not in response["Content-Security-Policy"]
        assert not re.search(r"<script(?![^>]*\bsrc=)", html)
        assert "<style" not in html and " style=" not in html


def test_a_signed_in_visitor_gets_the_same_public_page(client, demo, people):
    anonymous = client.get("/rights/es/")
    client.force_login(people["director"])
    signed_in = client.get("/rights/es/")
    assert signed_in.status_code == 200  # not sent to a second-factor page, not no-store
    assert signed_in.content == anonymous.content
    assert signed_in["ETag"] == anonymous["ETag"]
    assert cache_control(signed_in)["public"] is True
    assert "Cookie" not in signed_in.get("Vary", "")
    # a staff page still is private and never stored
    desk = client.get("/")
    assert "no-store" in desk["Cache-Control"]


def test_each_page_is_rendered_once_until_something_changes(client, demo, renders):
    for _ in range(3):
        client.get("/rights/es/")
        client.get("/rights/es/card.pdf")
    rendered._memory.clear()  # another process: the shared store, not this one's memory
    client.get("/rights/es/")
    client.get("/rights/es/card.pdf")
    assert renders == {"page": 1, "pdf": 1}
    client.get("/rights/fr/")
    client.get("/rights/es/card.pdf?size=a4")
    assert renders == {"page": 2, "pdf": 2}


def test_a_change_of_name_contacts_or_review_shows_at_once(client, demo):
    def page():
        response = client.get("/rights/es/")
        return response["ETag"], response.content.decode()

    etag, html = page()
    demo.name = "Ecorse Public Library (Downtown)"
    demo.save()
    etag2, html2 = page()
    assert etag2 != etag and "Ecorse Public Library (Downtown)" in html2

    Resource.objects.create(
        library=demo, kind=Resource.Kind.HOTLINE, name="Rapid Response Line", phone="313-555-0177"
    )
    etag3, html3 = page()
    assert etag3 != etag2 and "Rapid Response Line" in html3

    review = TranslationReview.objects.create(
        language="es",
        status=ReviewStatus.COUNSEL,
        version=views.content.load("es")["meta"]["version"],
        reviewed_on="2026-11-02",
    )
    etag4, html4 = page()
    assert etag4 != etag3 and "2026-11-02" in html4
    review.delete()
    assert page()[0] != etag4


def test_a_change_shows_in_the_pdfs_too(client, demo):
    first = client.get("/rights/ko/sign.pdf")
    assert client.get("/rights/ko/sign.pdf").content == first.content
    demo.name = "Ecorse Public Library (Downtown)"
    demo.save()
    second = client.get("/rights/ko/sign.pdf")
    assert second.content != first.content and second["ETag"] != first["ETag"]


def test_a_new_deployment_renders_again(client, demo, monkeypatch, renders):
    client.get("/rights/es/")
    monkeypatch.setattr(rendered, "DEPLOYMENT", "another-release")
    client.get("/rights/es/")
    assert renders["page"] == 2


def test_query_strings_do_not_multiply_the_copies(client, demo, renders):
    etags = {client.get(f"/rights/es/?utm_source=x{n}")["ETag"] for n in range(5)}
    assert len(etags) == 1 and renders["page"] == 1
    pdfs = {client.get(f"/rights/es/sign.pdf?size={s}")["ETag"] for s in ("x", "letter", "")}
    assert len(pdfs) == 1 and renders["pdf"] == 1


def test_bad_input_is_not_stored(client, demo, renders):
    assert client.get("/rights/es/nothing.pdf").status_code == 404
    assert client.get("/rights/es/nothing.pdf").status_code == 404
    assert client.get("/rights/xx-nowhere/").status_code == 404  # the list of languages
    assert client.get("/l/nowhere/rights/es/").status_code == 404
    assert client.get("/l/nowhere/rights/es/").status_code == 404
    assert client.get("/rights/zh/").status_code == 302  # to the closest we have
    assert renders == {"page": 0, "pdf": 0}
    assert not rendered._memory


def test_head_and_post(client, demo):
    assert client.head("/rights/es/").status_code == 200
    assert client.post("/rights/es/").status_code == 405


# ------------------------------------------------------------------------------ the lock
def slow_render(counter: list):
    def render():
        counter.append(threading.get_ident())
        time.sleep(0.3)
        return rendered.Rendered(b"%PDF-1.7 sheet", "application/pdf")

    return render


def concurrently(n: int, job) -> list:
    results, errors = [None] * n, []

    def run(i):
        try:
            results[i] = job()
        except Exception as e:  # noqa: BLE001 (reported below)
            errors.append(e)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    return results


@pytest.fixture
def file_store(settings, tmp_path):
    """The production setting: the "public" cache in files (its add() is not atomic)."""
    settings.CACHES = {
        **settings.CACHES,
        "public": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "public-cache"),
            "TIMEOUT": None,
        },
    }
    return tmp_path / "public-cache"


@pytest.mark.parametrize("backend", ["files", "memory"])
def test_concurrent_first_requests_wait_for_one_render(request, backend):
    if backend == "files":
        request.getfixturevalue("file_store")
    calls = []
    results = concurrently(12, lambda: rendered.get_or_render("k1", slow_render(calls)).body)
    assert len(calls) == 1
    assert results == [b"%PDF-1.7 sheet"] * 12


def test_the_lock_is_a_file_beside_the_file_cache_and_goes(file_store):
    seen = []

    def render():
        seen.extend(p.name for p in file_store.glob("*.lock"))
        return rendered.Rendered(b"x", "text/plain")

    rendered.get_or_render("k2", render)
    assert len(seen) == 1
    assert not list(file_store.glob("*.lock"))


def test_a_lock_left_by_a_dead_process_is_broken(file_store):
    cache = caches["public"]
    path = rendered._lock_path(cache, "k3")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    old = time.time() - rendered.STALE_LOCK - 10
    os.utime(path, (old, old))
    calls = []
    assert rendered.get_or_render("k3", slow_render(calls)).body == b"%PDF-1.7 sheet"
    assert len(calls) == 1


def test_a_failed_render_releases_the_lock(file_store):
    def broken():
        raise RuntimeError("WeasyPrint failed")

    with pytest.raises(RuntimeError):
        rendered.get_or_render("k4", broken)
    calls = []
    assert rendered.get_or_render("k4", slow_render(calls)).body == b"%PDF-1.7 sheet"
    assert len(calls) == 1


def test_pdfs_are_kept_in_files_shared_by_every_process(client, demo, file_store, renders):
    client.get("/rights/es/sign.pdf")
    assert list(file_store.glob("*.djcache"))
    rendered._memory.clear()
    caches["public"]._public_generation = ("", 0.0)  # another process: reads it afresh
    assert client.get("/rights/es/sign.pdf").status_code == 200
    assert renders["pdf"] == 1

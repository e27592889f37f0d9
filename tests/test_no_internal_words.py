"""No internal words on any screen or PDF (issue 17, point 6): every signed-in page and PDF
that the demo's director, designee and desk worker can reach by following links, in English
and Spanish, shows labels in the reader's language, never a signal key (`court_docket`), a
rule id (`federal.exigent_entry`, `MI.no_route`), a check name or a vocabulary code
(`enter_nonpublic_area`)."""

import io
import re
from collections import deque
from html import unescape
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import Resolver404, resolve, reverse

from patronshield.desk.models import DocumentCheck, Encounter

from .conftest import reauthenticate
from .test_checker_classify import AO93, I205, KYR
from .test_checker_pipeline import html_page
from .test_permission_matrix import PUBLIC_PREFIXES

PER_PATTERN = 3  # pages of one shape (the same route, other numbers) visited per reader


def internal_words() -> set[str]:
    """Every key the code and data use that a reader must never see."""
    from patronshield.checker import checks
    from patronshield.checker.classify import signals
    from patronshield.policy import engine, vocab

    words = set()
    for name in dir(vocab):
        value = getattr(vocab, name)
        if isinstance(value, dict):
            value = list(value) + [v for v in value.values() if isinstance(v, str)]
        if isinstance(value, tuple | list | frozenset | set):
            words |= {v for v in value if isinstance(v, str)}
    words |= {s.id for s in signals()}
    tables = [engine.federal_table(), engine.model_policy(), engine.defect_table()]
    tables += list(engine.state_tables().values())
    for table in tables:
        for rule in table.rules:
            words |= {rule.id, rule.text}
    # The checks' names and notes, as checks.py writes them: Check("daytime", "failed", ...).
    source = (Path(checks.__file__)).read_text()
    words |= set(re.findall(r'Check\(\s*"(\w+)"', source))
    words |= set(re.findall(r'"(\w+_\w+)"', source))
    # Keys only: a plain word ("other", "none", "ice") is also English.
    return {w for w in words if "_" in w or "." in w or re.search(r"\d", w)}


TOKEN = re.compile(r"(?<![\w./-])[A-Za-z][\w]*(?:[._][A-Za-z0-9]\w*)*")


def leaks(text: str, words: set[str]) -> set[str]:
    return {t for t in TOKEN.findall(text) if t in words}


def visible_text(response) -> str:
    if response["Content-Type"].startswith("application/pdf"):
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(response.content))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<!--.*?-->", " ", html, flags=re.S)
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def served_to_staff(path: str) -> bool:
    if path.startswith(("/static/", "/media/")):
        return False
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return not match.view_name.startswith(PUBLIC_PREFIXES)


def crawl(client, starts):
    """GET every page reachable by links from `starts`: (url, response) pairs."""
    seen, shapes = set(), {}
    queue = deque(starts)
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        shape = re.sub(r"\d+", "N", urlsplit(url).path)
        shapes[shape] = shapes.get(shape, 0) + 1
        if shapes[shape] > PER_PATTERN:
            continue
        r = client.get(url)
        if r.status_code != 200:
            continue
        yield url, r
        if not r["Content-Type"].startswith("text/html"):
            continue
        for href in re.findall(r'href="([^"#]+)', r.content.decode()):
            href = href.replace("&amp;", "&")
            if href.startswith("/") and served_to_staff(urlsplit(href).path):
                queue.append(href)


@pytest.fixture
def demo(db, settings):
    from patronshield.libraries.demo import seed_demo, seed_encounters

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    library = seed_demo()
    seed_encounters(library, 8, seed=3)
    return library


def check_papers(client, library):
    """An encounter today with three papers checked: a search warrant, an ICE warrant and a
    know-your-rights flyer."""
    import weasyprint

    client.force_login(library.staff.get(email="desk@example.org"))
    client.post(reverse("desk:start"))
    e = Encounter.objects.latest("pk")
    client.post(reverse("desk:step", args=[e.pk, "agency"]), {"answer": "ice"})
    client.post(reverse("desk:step", args=[e.pk, "request"]), {"answer": "enter_nonpublic_area"})
    for name, text in (("ao93", AO93), ("i205", I205), ("flyer", KYR)):
        data = weasyprint.HTML(string=html_page(text)).write_pdf()
        with TestCase.captureOnCommitCallbacks(execute=True):
            client.post(
                reverse("desk:upload", args=[e.pk]),
                {"pages": [SimpleUploadedFile(f"{name}.pdf", data)]},
            )
    assert DocumentCheck.objects.filter(encounter=e).count() == 3
    client.logout()
    return e


@pytest.mark.parametrize("language", ["en", "es"])
def test_no_internal_key_on_any_page_or_pdf(client, demo, language):
    encounter = check_papers(client, demo)
    checks = DocumentCheck.objects.filter(encounter=encounter)
    starts = ["/"] + [reverse("desk:check", args=[encounter.pk, c.pk]) for c in checks]
    words = internal_words()
    from patronshield.policy.engine import texts

    english = [ref for ref in texts("es")["citation"] if language == "es"]  # has Spanish words
    found, pages, pdfs, shapes = {}, 0, 0, set()
    for email in ("director@example.org", "designee1@example.org", "desk@example.org"):
        client.logout()
        user = demo.staff.get(email=email)
        client.force_login(user)
        if user.needs_second_factor:  # the access log and the export ask for it again
            reauthenticate(client, user)
        client.post(reverse("set_language"), {"language": language, "next": "/"})
        answers = list(crawl(client, starts))
        export = reverse("desk:export", args=[encounter.pk])
        if any(url == export for url, _r in answers):  # the PDF itself is a POST
            answers.append((export, client.post(export)))
        for url, r in answers:
            pdfs += r["Content-Type"].startswith("application/pdf")
            pages += 1
            shapes.add(re.sub(r"\d+", "N", urlsplit(url).path))
            text = visible_text(r)
            for word in leaks(text, words) | {ref[:40] for ref in english if ref in text}:
                found.setdefault(word, set()).add(f"{email.split('@')[0]} {url}")
    print(f"{language}: {pages} answers, {pdfs} PDFs, {len(shapes)} kinds of page")
    assert {"/desk/access/", "/desk/N/export/", "/policy/N.pdf"} <= shapes, sorted(shapes)
    assert pages > 40 and pdfs >= 2, (pages, pdfs)
    assert not found, "\n".join(f"{w}: {sorted(where)[:3]}" for w, where in sorted(found.items()))


def worded(ref: str) -> bool:
    """A citation with words to read (not just "MCL 397.603(2)" or "U.S. Const. amend. IV")."""
    return bool(re.search(r"\b(?!amend\b)[a-z]{4,}\b", ref))


def test_every_citation_the_desk_shows_has_its_words_in_spanish():
    from patronshield.policy import engine

    tables = [engine.federal_table(), engine.model_policy(), engine.defect_table()]
    tables.append(engine.state_tables()["MI"])
    refs = {c.ref for t in tables for r in t.rules for c in r.citations}
    refs |= {t.protects_ref for t in tables if t.protects_ref}
    spanish = engine.texts("es")["citation"]
    assert not [ref for ref in refs if worded(ref) and ref not in spanish]
    assert not [ref for ref in spanish if ref not in refs]  # none left behind by an edit
    assert not engine.texts("en")["citation"]  # the tables' own words are English


def test_the_spanish_pages_cite_in_spanish(client, people):
    from patronshield.desk import services

    e = services.encounter_start(user=people["desk"], language="es")
    services.encounter_answer(
        encounter=e, actor=people["desk"], agency="ice", request="enter_nonpublic_area",
        document="administrative_warrant", emergency=False,
    )  # fmt: skip
    english = "Law Enforcement Requests Policy § IV (administrative warrants do not authorize"
    spanish = (
        "Política sobre solicitudes de las fuerzas del orden § IV (las órdenes administrativas"
    )
    client.force_login(people["director"])
    reauthenticate(client, people["director"])
    page = client.get(reverse("desk:result", args=[e.pk])).content.decode()
    assert english in page and spanish not in page
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    for url in (reverse("desk:result", args=[e.pk]), reverse("policy:show")):
        page = client.get(url).content.decode()
        assert spanish in page and english not in page, url

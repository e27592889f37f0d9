"""Every language's three printable sheets, made from the same text as its page: the
script is really there (extracted with pypdf), the sizes are right, the back of the
wallet card and the sign carry English for the officer, and each sheet has a QR code."""

import io
import re
import subprocess

import pytest
from pypdf import PdfReader

from patronshield.public import content, pdfs
from patronshield.public.demo import seed_public_demo
from patronshield.public.views import rights_context

LETTER = (612, 792)
A4 = (595, 842)


@pytest.fixture
def demo(library):
    lib, _branch = library
    seed_public_demo(lib)
    return lib


def read(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "Set-Cookie" not in response.headers
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    size = tuple(round(float(x)) for x in reader.pages[0].mediabox[2:])
    return reader.pages, text, size


def flat(text):
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("code", content.CODES)
def test_every_language_prints_its_poster_cards_and_sign(client, demo, code):
    text_of = content.load(code)
    checks_title = content.script(code) != "Arabic"  # pypdf gives Arabic in visual order

    pages, text, size = read(client.get(f"/rights/{code}/poster.pdf"))
    assert size == LETTER
    assert len(pages) <= 2  # one, except Nastaliq (Urdu), which takes more room
    assert content.letters_of(code, text) > 300
    if checks_title:
        assert flat(text_of["page"]["title"]) in flat(text)
    assert "I-200" in text and "313-555-0161" in text

    pages, text, size = read(client.get(f"/rights/{code}/card.pdf"))
    assert len(pages) == 2  # fronts, then backs
    front, back = pages[0].extract_text(), pages[1].extract_text()
    assert content.letters_of(code, front) > 50
    assert back.count("I want to speak with a lawyer.") == 8
    assert "To the officer" in back

    pages, text, size = read(client.get(f"/rights/{code}/sign.pdf"))
    assert len(pages) == 1
    assert content.letters_of(code, text) > 20
    assert "Staff-only areas: entry requires a judicial warrant" in flat(text) or (
        flat("Staff-only areas: entry requires a judicial warrant") in flat(text)
    )


def test_the_fonts_each_script_needs_are_installed():
    """Debian's Noto packages (script/bootstrap), not whatever fontconfig falls back to."""
    installed = subprocess.run(
        ["fc-list", ":", "family"], capture_output=True, text=True, check=True
    ).stdout
    for family in {*pdfs.FONTS.values(), "Noto Sans"}:
        assert family in installed, family


def test_a4_on_request(client, demo):
    for kind in pdfs.KINDS:
        _pages, _text, size = read(client.get(f"/rights/es/{kind}.pdf?size=a4"))
        assert size == A4, kind


def test_each_sheet_has_a_qr_code_for_its_page(demo, rf):
    context = rights_context(demo, "zh-Hant")
    url = "https://library.example.org/rights/zh-Hant/"
    for kind in pdfs.KINDS:
        html = pdfs.sheet_html(kind, context, page_url=url, size="letter")
        assert html.count("<svg") >= 1, kind
        assert "http" not in html.replace(url, "").replace("http://www.w3.org/2000/svg", "")
    assert pdfs.sheet_html("card", context, page_url=url, size="letter").count("<svg") == 8


def test_numbers_stay_left_to_right_in_arabic_sheets(demo):
    context = rights_context(demo, "ar")
    html = pdfs.sheet_html("poster", context, page_url="https://x.example.org/", size="letter")
    assert '<html lang="ar" dir="rtl">' in html
    assert '<bdi dir="ltr">I-200</bdi>' in html
    assert '<bdi dir="ltr">313-555-0161</bdi>' in html
    assert 'font-family: "Noto Naskh Arabic"' in html


def test_the_pdf_is_made_once_until_something_changes(client, demo):
    from django.core.cache import cache

    cache.clear()
    first = client.get("/rights/ko/sign.pdf").content
    assert client.get("/rights/ko/sign.pdf").content == first
    demo.name = "Ecorse Public Library (Downtown)"
    demo.save()
    assert client.get("/rights/ko/sign.pdf").content != first

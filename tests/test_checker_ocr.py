"""How the checker reads: Tesseract in this process or as a command, a page cut into bands
read side by side, scans brought down to the size OCR needs (checker/ocr.py, intake.py)."""

import io

import numpy as np
import pytest
from PIL import Image, ImageDraw

from patronshield.checker import check_pages, ocr
from patronshield.checker.intake import pdf_page_images

from .test_checker_pipeline import ECORSE, NOON, encode, pages, pdfs  # noqa: F401


def lined_page(w=850, h=1100) -> Image.Image:
    page = Image.new("L", (w, h), 255)
    d = ImageDraw.Draw(page)
    for y in range(80, h - 80, 30):
        d.rectangle([80, y, w - 80, y + 12], fill=0)
    return page


@pytest.mark.parametrize("parts", [2, 3])
def test_a_page_is_cut_into_bands_between_lines(parts):
    page = lined_page(h=2000)
    bands = ocr.bands(page, parts)
    assert len(bands) == parts
    assert sum(b.height for b in bands) == page.height
    assert all(b.width == page.width for b in bands)
    top = 0
    for band in bands[:-1]:
        top += band.height
        assert not (np.asarray(page)[top] < 128).any()  # the cut runs between two lines


def test_a_short_page_or_one_part_is_not_cut():
    assert ocr.bands(lined_page(), 1)[0].size == (850, 1100)
    assert len(ocr.bands(lined_page(h=500), 2)) == 1


def test_one_photo_on_two_cores_reads_as_on_one(pages):  # noqa: F811
    """One page and two cores: its readings are cut in two bands read side by side; the
    answer is the one the whole page gives."""
    files = [("i205.jpg", encode(pages["i205"], "JPEG", quality=85))]
    two = check_pages(files, context=ECORSE, now=NOON, workers=2)
    one = check_pages(files, context=ECORSE, now=NOON, workers=1)
    assert two.kind == one.kind == "administrative_warrant"
    assert two.form == one.form


def test_without_tesserocr_the_tesseract_command_reads(pages, monkeypatch):  # noqa: F811
    files = [("ao93.png", encode(pages["ao93"], "PNG"))]
    api = check_pages(files, context=ECORSE, now=NOON, workers=1)
    monkeypatch.setattr(ocr, "_api_available", lambda: False)
    command = check_pages(files, context=ECORSE, now=NOON, workers=1)
    assert api.kind == command.kind == "judicial_search_warrant"


def test_an_oversized_black_and_white_scan_is_brought_down_to_the_size_ocr_needs(
    pages,  # noqa: F811
):
    page = pages["ao93"].convert("L")
    big = page.resize((page.width * 3, page.height * 3)).point(lambda v: 255 if v > 128 else 0)
    buf = io.BytesIO()
    big.convert("1").save(buf, "PDF", resolution=600)  # CCITT: a fax-like 600-dpi scan
    ((_text, image),) = pdf_page_images(buf.getvalue(), 2600)
    assert image.mode == "L"  # averaged: grey edges, not jagged ones
    assert 2600 <= max(image.size) < max(big.size)


def test_a_scan_pypdf_cannot_decode_is_rendered_by_poppler_at_the_size_ocr_needs(
    pages,  # noqa: F811
    monkeypatch,
):
    """Courts scan to JBIG2, which pypdf decodes only with a program that may be missing:
    the page is then rendered by pdftoppm, in grey, as large as OCR needs and no larger."""
    from pypdf import PageObject
    from pypdf.errors import DependencyError

    def undecodable(self):
        raise DependencyError("jbig2dec binary is not available.")

    buf = io.BytesIO()
    pages["ao93"].convert("L").save(buf, "PDF", resolution=200)
    monkeypatch.setattr(PageObject, "images", property(undecodable))
    ((_text, image),) = pdf_page_images(buf.getvalue(), 2600)
    assert image.mode == "L"
    assert abs(max(image.size) - 2600) <= 8
    r = check_pages([("scan.pdf", buf.getvalue())], context=ECORSE, now=NOON, workers=1)
    assert r.kind == "judicial_search_warrant"

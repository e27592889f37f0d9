"""The checker's pipeline on each file type, each bad file, and the validity checks."""

import io
import subprocess
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter

from patronshield.checker import LibraryContext, check_bytes, check_pages
from patronshield.checker.checks import parse_date

from .test_checker_classify import AO93, I205

DETROIT = ZoneInfo("America/Detroit")
ECORSE = LibraryContext(
    name="Ecorse Public Library", address="4184 W. Jefferson Ave., Ecorse, MI 48229"
)
NOON = datetime(2026, 11, 24, 12, 0, tzinfo=DETROIT)


def html_page(text: str) -> str:
    body = "".join(f"<p>{line}</p>" for line in text.splitlines())
    return (
        "<html><head><style>@page { size: letter; margin: 0.75in } "
        "body { font: 12pt 'DejaVu Serif', serif }</style></head><body>" + body + "</body></html>"
    )


@pytest.fixture(scope="session")
def pdfs(tmp_path_factory):
    import weasyprint

    out = {}
    for name, text in (("ao93", AO93), ("i205", I205)):
        out[name] = weasyprint.HTML(string=html_page(text)).write_pdf()
    return out


@pytest.fixture(scope="session")
def pages(pdfs, tmp_path_factory):
    """Each document rendered at 200 dpi, as a scanner or a careful phone would."""
    tmp = tmp_path_factory.mktemp("pages")
    out = {}
    for name, data in pdfs.items():
        (tmp / f"{name}.pdf").write_bytes(data)
        subprocess.run(
            ["pdftoppm", "-r", "200", "-png", "-singlefile", tmp / f"{name}.pdf", tmp / name],
            check=True,
        )
        out[name] = Image.open(tmp / f"{name}.png").convert("RGB")
    return out


def encode(im: Image.Image, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    im.save(buf, fmt, **kw)
    return buf.getvalue()


def test_text_pdf_reads_its_text_layer(pdfs):
    r = check_bytes(pdfs["ao93"], "w.pdf", context=ECORSE, now=NOON)
    assert r.kind == "judicial_search_warrant" and r.pages == 1 and r.error is None
    assert r.authorizes == {"enter_nonpublic_area": True, "patron_records": True}


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_images_are_read_by_ocr(pages, fmt):
    r = check_bytes(encode(pages["i205"], fmt), f"p.{fmt.lower()}", context=ECORSE, now=NOON)
    assert r.kind == "administrative_warrant" and r.form == "I-205"
    assert r.authorizes == {"enter_nonpublic_area": False, "patron_records": False}


def test_image_only_pdf_is_read_by_ocr_of_its_page_image(pages):
    data = encode(pages["ao93"], "PDF", resolution=200)
    assert not (PdfReader(io.BytesIO(data)).pages[0].extract_text() or "").strip()
    r = check_bytes(data, "scan.pdf", context=ECORSE, now=NOON)
    assert r.kind == "judicial_search_warrant"


def test_heic_photo(pages):
    pillow_heif = pytest.importorskip("pillow_heif")
    try:
        data = encode(pages["i205"], "HEIF", quality=80)
    except (OSError, KeyError, ValueError) as e:  # libheif built without an encoder
        pytest.skip(f"no HEIF encoder here: {e}")
    assert data[4:8] == b"ftyp" and pillow_heif
    assert check_bytes(data, "IMG_0001.HEIC", context=ECORSE, now=NOON).kind == (
        "administrative_warrant"
    )


def test_photo_upside_down_and_skewed(pages):
    photo = pages["i205"].rotate(180 + 3, expand=True, fillcolor=(90, 80, 70))
    r = check_bytes(encode(photo, "JPEG", quality=70), "upside.jpg", context=ECORSE, now=NOON)
    assert r.kind == "administrative_warrant"


def on_desk(page: Image.Image, *, tilt: float, keystone: float, light: float, blur: float):
    """A phone photo of `page` on a wooden desk: tilted, keystoned, dim and soft."""
    import math

    from PIL import ImageEnhance, ImageFilter

    from patronshield.checker.page import _coefficients

    frame = (1800, 2400)
    w, h = 1300, 1300 * page.height / page.width
    a = math.radians(tilt)
    rect = [
        (-w / 2 + keystone, -h / 2),
        (w / 2 - keystone, -h / 2),
        (w / 2, h / 2),
        (-w / 2, h / 2),
    ]
    dst = [
        (900 + x * math.cos(a) - y * math.sin(a), 1200 + x * math.sin(a) + y * math.cos(a))
        for x, y in rect
    ]
    coeffs = _coefficients(dst, [(0, 0), (page.width, 0), page.size, (0, page.height)])
    warped = page.transform(frame, Image.Transform.PERSPECTIVE, coeffs, Image.BICUBIC)
    mask = Image.new("L", page.size, 255).transform(frame, Image.Transform.PERSPECTIVE, coeffs)
    photo = Image.composite(warped, Image.new("RGB", frame, (96, 66, 42)), mask)
    photo = ImageEnhance.Brightness(photo).enhance(light)
    return photo.filter(ImageFilter.GaussianBlur(blur))


@pytest.mark.parametrize(
    "name, kind, tilt, keystone, light, blur, turn",
    [
        ("ao93", "judicial_search_warrant", 6, 60, 0.65, 1.0, 0),
        ("i205", "administrative_warrant", -5, 40, 0.6, 1.2, 0),
        ("i205", "administrative_warrant", 3, 30, 0.8, 0.8, 90),  # held sideways
        ("ao93", "judicial_search_warrant", -4, 20, 0.9, 0.5, 270),
    ],
)
def test_phone_photo_of_a_page_on_a_desk(pages, name, kind, tilt, keystone, light, blur, turn):
    photo = on_desk(pages[name], tilt=tilt, keystone=keystone, light=light, blur=blur)
    data = encode(photo.rotate(turn, expand=True), "JPEG", quality=60)
    r = check_bytes(data, "desk.jpg", context=ECORSE, now=NOON)
    assert r.kind == kind, (r.reason, r.text[:300])
    if kind == "administrative_warrant":  # never judicial, never opens anything
        assert r.authorizes == {"enter_nonpublic_area": False, "patron_records": False}


def test_exif_orientation_is_honoured_and_gps_is_stripped(pages):
    sideways = pages["i205"].rotate(90, expand=True)
    exif = Image.Exif()
    exif[0x0112] = 8  # the camera says: rotate 90° to view
    exif[0x8825] = {1: "N", 2: (42.0, 16.0, 0.0), 3: "W", 4: (83.0, 8.0, 0.0)}  # GPS
    data = encode(sideways, "JPEG", exif=exif.tobytes())
    assert b"GPS" in data or Image.open(io.BytesIO(data)).getexif().get(0x8825)
    r = check_bytes(data, "gps.jpg", context=ECORSE, now=NOON)
    assert r.kind == "administrative_warrant"
    ((name, clean),) = r.clean_files
    kept = Image.open(io.BytesIO(clean))
    assert not kept.getexif() and "exif" not in kept.info


def test_several_photos_are_one_document(pages):
    top, bottom = pages["ao93"].crop((0, 0, 1700, 1100)), pages["ao93"].crop((0, 1100, 1700, 2200))
    r = check_pages(
        [("1.png", encode(top, "PNG")), ("2.png", encode(bottom, "PNG"))], context=ECORSE, now=NOON
    )
    assert r.pages == 2 and r.kind == "judicial_search_warrant"


# ----------------------------------------------------------------------- bad files


def zip_bytes():
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a.txt", "hello")
    return buf.getvalue()


def bomb():
    buf = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buf, "PNG")  # 400 megapixels in a few kB
    return buf.getvalue()


def encrypted_pdf(pdfs):
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdfs["ao93"])))
    writer.encrypt("secret", algorithm="AES-256")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


@pytest.mark.parametrize(
    "make,message",
    [
        (lambda p: zip_bytes(), "ZIP archive"),
        (lambda p: bomb(), "too large"),
        (lambda p: b"", "empty"),
        (lambda p: b"\xff\xd8\xff\xe0" + b"\0" * (40 * 1024 * 1024), "too large (40 MB"),
        (encrypted_pdf, "password-protected"),
        (
            lambda p: encode(Image.new("RGB", (800, 800), "white"), "JPEG")[:300],
            "could not be read",
        ),
        (lambda p: b"%PDF-1.7\n garbage", "PDF could not be read"),
        (lambda p: b"<html>not a photo</html>", "not a photo"),
    ],
    ids=[
        "zip-renamed-jpg",
        "decompression-bomb",
        "zero-bytes",
        "40-MB-photo",
        "encrypted-pdf",
        "truncated-jpeg",
        "broken-pdf",
        "html",
    ],
)
def test_bad_files_get_a_clear_message(pdfs, make, message):
    r = check_bytes(make(pdfs), "upload.jpg", context=ECORSE, now=NOON)
    assert r.error and message in r.error
    assert r.kind == "unknown" and r.needs_human_review
    assert r.authorizes == {"enter_nonpublic_area": False, "patron_records": False}


# ----------------------------------------------------------------------- validity checks


def checks_for(text, now=NOON, context=ECORSE):
    from patronshield.checker.checks import search_warrant_checks
    from patronshield.checker.classify import classify

    c = classify(text)
    return {x.check: x for x in search_warrant_checks(c.text, c.hits, context=context, now=now)}


def test_all_checks_pass_on_a_good_warrant():
    checks = checks_for(AO93)
    assert {k: v.result for k, v in checks.items()} == {
        "court_named": "passed",
        "judge_signature": "passed",
        "date_issued": "passed",
        "execution_deadline": "passed",
        "daytime": "passed",
        "place_matches_library": "passed",
        "items_described": "passed",
    }
    assert "Magistrate Judge" in checks["judge_signature"].evidence


def test_a_deadline_that_has_passed_fails():
    later = datetime(2026, 12, 4, 12, 0, tzinfo=DETROIT)
    assert checks_for(AO93, now=later)["execution_deadline"].result == "failed"


def test_a_federal_deadline_beyond_14_days_fails():
    text = AO93.replace("December 3, 2026", "December 20, 2026")
    assert checks_for(text)["execution_deadline"].result == "failed"


def test_daytime_only_warrant_at_eleven_at_night_fails():
    night = datetime(2026, 11, 24, 23, 5, tzinfo=DETROIT)
    check = checks_for(AO93, now=night)["daytime"]
    assert check.result == "failed" and "23:05" in check.evidence


def test_any_time_warrant_passes_at_night():
    text = AO93.replace(
        "in the daytime 6:00 a.m. to 10:00 p.m.",
        "at any time in the day or night because good cause has been established",
    )
    night = datetime(2026, 11, 24, 23, 5, tzinfo=DETROIT)
    assert checks_for(text, now=night)["daytime"].result == "passed"


def test_another_place_fails_the_place_check():
    other = LibraryContext(name="Wyandotte Public Library", address="3 Oak St., Wyandotte, MI")
    assert checks_for(AO93, context=other)["place_matches_library"].result == "failed"


def test_a_failed_check_means_it_authorizes_nothing(pdfs):
    night = datetime(2026, 11, 24, 23, 5, tzinfo=DETROIT)
    r = check_bytes(pdfs["ao93"], "w.pdf", context=ECORSE, now=night)
    assert r.kind == "judicial_search_warrant"
    assert r.authorizes == {"enter_nonpublic_area": False, "patron_records": False}


@pytest.mark.parametrize(
    "text,iso",
    [
        ("November 20, 2026", "2026-11-20"),
        ("Nov. 3, 2026", "2026-11-03"),
        ("11/20/2026", "2026-11-20"),
        ("2026-11-20", "2026-11-20"),
        ("20th day of November, 2026", "2026-11-20"),
        ("13/45/2026", None),
    ],
)
def test_dates(text, iso):
    d = parse_date(text)
    assert (d.isoformat() if d else None) == iso


def test_a_check_s_note_is_a_code_with_parameters_and_english_for_the_command_line():
    night = datetime(2026, 11, 24, 23, 5, tzinfo=DETROIT)
    d = checks_for(AO93, now=night)["daytime"].as_dict()
    assert d["note"] == "local_time" and d["params"] == {"time": "23:05"}
    assert d["evidence"] == f"{d['quote']} — it is 23:05 here"
    assert "—" not in d["quote"]
    passed = checks_for(AO93)["court_named"].as_dict()
    assert set(passed) == {"check", "result", "evidence"}  # no note: the quote says it all


def test_a_warrant_whose_deadline_cannot_be_read_authorizes_nothing():
    """A deadline nobody could read is not a deadline that holds: a person looks."""
    import re

    from patronshield.checker import _authorizes
    from patronshield.checker.checks import search_warrant_checks
    from patronshield.checker.classify import classify

    unread = re.sub(r"on or before [A-Z][a-z]+ \d+, \d{4}", "on or before ░░░░ ░░, ░░░░", AO93)
    c = classify(unread)
    checks = search_warrant_checks(c.text, c.hits, context=ECORSE, now=NOON)
    assert {x.check: x.result for x in checks}["execution_deadline"] == "not_found"
    assert not any(_authorizes("judicial_search_warrant", "MI", checks).values())
    read = classify(AO93)
    good = search_warrant_checks(read.text, read.hits, context=ECORSE, now=NOON)
    assert any(_authorizes("judicial_search_warrant", "MI", good).values())


OHIO_WARRANT = """IN THE COURT OF COMMON PLEAS, CUYAHOGA COUNTY, OHIO
SEARCH WARRANT
To any law enforcement officer of this state: you are commanded to search the premises known as
the Ecorse Public Library, 4184 W. Jefferson Ave., and seize the following: sign-in sheets.
Issued November 19, 2026.
Hon. Jane Roe, Common Pleas Judge"""
OHIO = LibraryContext(
    name="Ecorse Public Library", address="4184 W. Jefferson Ave., Ecorse, MI 48229", state="OH"
)


def test_a_state_warrant_past_the_states_window_fails_with_the_states_rule():
    """Ohio's table: 3 days from issuance (Crim. R. 41(C)); not the federal 14."""
    check = checks_for(OHIO_WARRANT, context=OHIO)["execution_deadline"]
    assert check.result == "failed" and "3 days" in check.evidence and "41(C)" in check.evidence
    fresh = OHIO_WARRANT.replace("November 19, 2026", "November 23, 2026")
    assert checks_for(fresh, context=OHIO)["execution_deadline"].result == "not_found"
    later = fresh.replace("Issued", "To be executed on or before December 3, 2026. Issued")
    assert checks_for(later, context=OHIO)["execution_deadline"].result == "failed"


def test_a_state_without_a_confirmed_window_keeps_the_papers_own_deadline():
    michigan = OHIO_WARRANT.replace("OHIO", "MICHIGAN")
    assert checks_for(michigan)["execution_deadline"].result == "not_found"


def test_pages_are_read_side_by_side_and_counted_as_they_are_read(pages):
    """Three photos: the progress is told 0 of 3, then each page read; side by side or one
    after another, the answer is the same."""
    files = [(f"{i}.jpg", encode(pages["i205"], "JPEG", quality=85)) for i in range(2)]
    files.insert(1, ("ao93.png", encode(pages["ao93"], "PNG")))
    seen = []
    r = check_pages(
        files, context=ECORSE, now=NOON, workers=2, progress=lambda n, m: seen.append((n, m))
    )
    assert seen == [(0, 3), (1, 3), (2, 3), (3, 3)]
    one = check_pages(files, context=ECORSE, now=NOON, workers=1)
    assert r.pages == one.pages == 3 and r.kind == one.kind and r.text == one.text


def test_an_oversized_jpeg_scan_is_decoded_at_the_size_ocr_needs(pages):
    from patronshield.checker.intake import pdf_page_images

    page = pages["ao93"].convert("L")
    big = page.resize((page.width * 3, page.height * 3))  # a 600-dpi grey scan
    buf = io.BytesIO()
    big.save(buf, "PDF", resolution=600, quality=80)
    ((text, image),) = pdf_page_images(buf.getvalue(), 2600)
    image.load()
    assert 2600 <= max(image.size) < max(big.size)

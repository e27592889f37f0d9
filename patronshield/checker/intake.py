"""What comes in: the type sniffed from the bytes, size and pixel limits, metadata stripped,
and the text of each page (a PDF's text layer, else OCR of its images)."""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 30 * 1024 * 1024  # a phone photo is 2-12 MB; a 40 MB file is refused
MAX_PIXELS = 50_000_000  # 50 megapixels: more than any phone camera
MAX_PAGES = 20
# Letters on a PDF page for its text layer alone to count; below this, the page's scanned
# images are read too (a scan printed from a browser has a header, a footer and a few
# typed-in fields as text, and the form itself as an image).
MIN_TEXT_LAYER = 400

try:  # HEIC/HEIF photos from iPhones
    from pillow_heif import register_heif_opener

    register_heif_opener()
    HEIF = True
except ImportError:  # pragma: no cover - pillow-heif is a dependency
    HEIF = False

HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}


class UnreadableFile(Exception):
    """A file that cannot be checked, with a message a desk worker can act on."""


@dataclass
class Page:
    text: str
    source: str  # "text" (PDF text layer), "scan" (a PDF page's scanned image) or "ocr" (a photo)
    image: Image.Image | None = None
    upright: Image.Image | None = None  # what Tesseract read, for a second reading


def sniff(data: bytes) -> str:
    if not data:
        raise UnreadableFile("The file is empty. Take the photo again.")
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[4:8] == b"ftyp" and data[8:12] in HEIF_BRANDS:
        return "heif"
    if data.startswith(b"PK\x03\x04"):
        raise UnreadableFile(
            "This is a ZIP archive, not a photo or a PDF. Upload a photo or a PDF of the paper."
        )
    raise UnreadableFile(
        "This file is not a photo (JPEG, PNG, WebP, HEIC) or a PDF. "
        "Take a photo of the paper instead."
    )


def check_size(data: bytes) -> None:
    if len(data) > MAX_BYTES:
        raise UnreadableFile(
            f"The file is too large ({len(data) / 1_048_576:.0f} MB; the limit is "
            f"{MAX_BYTES // 1_048_576} MB). Take the photo again at a lower resolution."
        )


def open_image(data: bytes) -> Image.Image:
    """Decode an image within the pixel limit, upright, with no metadata kept."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            im = Image.open(io.BytesIO(data))
            width, height = im.size
            if width * height > MAX_PIXELS:
                raise UnreadableFile(
                    f"The image is too large ({width}×{height} pixels). "
                    "Take the photo again at a lower resolution."
                )
            im = ImageOps.exif_transpose(im)  # honour the camera's orientation, then drop it
            im.load()
        except UnreadableFile:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
            raise UnreadableFile(
                "The image is too large to open safely. Take the photo again."
            ) from e
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as e:
            raise UnreadableFile(
                "The image could not be read (it may be damaged or cut short). "
                "Take the photo again."
            ) from e
    clean = im.convert("RGB") if im.mode not in ("RGB", "L") else im.copy()
    clean.info = {}
    return clean


def stripped_jpeg(im: Image.Image) -> bytes:
    """The image re-encoded with no EXIF, GPS or other metadata: what may be stored."""
    out = io.BytesIO()
    im.convert("RGB").save(out, "JPEG", quality=88, optimize=True)
    return out.getvalue()


def storable(name: str, data: bytes) -> tuple[str, bytes]:
    """A file as it may be kept: a PDF rewritten with nothing that acts (`inert_pdf`), a
    photo re-encoded without its metadata (EXIF, GPS). Raises UnreadableFile with a message
    for the person who sent it."""
    check_size(data)
    if sniff(data) == "pdf":
        return Path(name).stem + ".pdf", inert_pdf(data)
    return Path(name).stem + ".jpg", stripped_jpeg(open_image(data))


# Annotations that open, play or carry something: links (JavaScript, Launch, URI actions),
# attached files, sound, video, rich media, 3D.
ACTIVE_ANNOTATIONS = ("/Link", "/FileAttachment", "/Sound", "/Movie", "/Screen", "/RichMedia",
                      "/3D")  # fmt: skip


def inert_pdf(data: bytes) -> bytes:
    """The PDF as it may be kept as evidence: its pages copied into a new file, so nothing of
    the document catalog comes along (JavaScript, the action on opening, embedded files, the
    form, outlines, metadata); each page without its own actions (/AA), without active
    annotations, and the rest (stamps, filled-in fields, which keep how they look) without
    their actions. Raises UnreadableFile when the PDF does not parse."""
    from pypdf import PdfWriter

    reader = _pdf_reader(data)
    try:
        writer = PdfWriter()
        for page in reader.pages:
            writer.add_page(page, excluded_keys=["/AA"])
        writer.remove_annotations(ACTIVE_ANNOTATIONS)
        for page in writer.pages:
            for annotation in page.get("/Annots") or []:
                for key in ("/A", "/AA", "/Parent"):
                    annotation.get_object().pop(key, None)
        writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
        out = io.BytesIO()
        writer.write(out)
    except Exception as e:  # pypdf raises many kinds on broken files
        raise UnreadableFile("The PDF could not be read (it may be damaged).") from e
    return out.getvalue()


def letters(text: str) -> int:
    return len(re.findall(r"[A-Za-z]", text))


def _pdf_reader(data: bytes):
    """The PDF parsed, its pages counted, within MAX_PAGES; else UnreadableFile."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableFile(
                "This PDF is password-protected. Take a photo of the paper instead."
            )
        count = len(reader.pages)
    except UnreadableFile:
        raise
    except Exception as e:  # pypdf raises many kinds on broken files
        if isinstance(e, PdfReadError) and "password" in str(e).lower():
            raise UnreadableFile(
                "This PDF is password-protected. Take a photo of the paper instead."
            ) from e
        raise UnreadableFile("The PDF could not be read (it may be damaged).") from e
    if count > MAX_PAGES:
        raise UnreadableFile(
            f"The PDF has {count} pages; the checker reads at most {MAX_PAGES}. "
            "Upload the pages that matter."
        )
    return reader


def pdf_page_images(data: bytes, long_side: int = 2600) -> list[tuple[str, Image.Image | None]]:
    """Each page's text layer, and the scanned image to read when the text layer is too thin
    (None when it is enough, or the page has no image worth reading). A scan much larger
    than OCR needs (`long_side` pixels) is brought down to it as it is decoded
    (`ocr_size`): a 600-dpi scan costs about what a 300-dpi one does."""
    reader = _pdf_reader(data)
    pages = []
    for number, page in enumerate(reader.pages, 1):
        try:
            text = page.extract_text() or ""
        except Exception:
            text = ""
        if letters(text) >= MIN_TEXT_LAYER:
            pages.append((text, None))
            continue
        images = []
        try:
            for embedded in page.images:
                w, h = embedded.image.size
                if w * h <= MAX_PIXELS and w >= 300 and h >= 300:
                    images.append(embedded.image)
        except Exception:
            # An image pypdf cannot decode (JBIG2, the usual way courts scan): poppler can.
            rendered = render_page(data, number, page.mediabox, long_side)
            images = [rendered] if rendered is not None else []
        if not images:
            pages.append((text, None))
            continue
        biggest = max(images, key=lambda i: i.size[0] * i.size[1])
        pages.append((text, ocr_size(biggest, long_side)))
    return pages


def render_page(data: bytes, number: int, box, long_side: int) -> Image.Image | None:
    """Page `number` of the PDF rendered in grey by poppler (pdftoppm) at the resolution OCR
    needs (`long_side` pixels on the page's long side), or None when it cannot be."""
    inches = max(float(box.width), float(box.height)) / 72
    dpi = max(72, min(600, round(long_side / max(inches, 1.0))))
    with tempfile.TemporaryDirectory(prefix="patronshield-page-") as tmp:
        src, out = Path(tmp) / "in.pdf", Path(tmp) / "page"
        src.write_bytes(data)
        command = ["pdftoppm", "-f", str(number), "-l", str(number), "-r", str(dpi), "-gray"]
        try:
            subprocess.run(
                [*command, "-singlefile", str(src), str(out)],
                check=True,
                capture_output=True,
                timeout=60,
            )
            with Image.open(out.with_suffix(".pgm")) as im:
                im.load()
                return im.copy()
        except (OSError, subprocess.SubprocessError, UnidentifiedImageError):
            return None


def ocr_size(image: Image.Image, long_side: int) -> Image.Image:
    """A scanned page at no more than about twice the pixels OCR needs (`long_side` on the
    long side): a JPEG decoded at a half, a quarter or an eighth of its size, any other
    image (a fax-like black-and-white scan, a PNG) averaged over 2x2 or more pixels; never
    below `long_side`, which the reader then resizes to."""
    factor = max(image.size) // long_side
    if factor < 2:
        return image
    if image.format == "JPEG":
        scale = long_side / max(image.size)
        image.draft(image.mode, (round(image.width * scale), round(image.height * scale)))
        return image
    if image.mode not in ("L", "RGB"):
        image = image.convert("L" if image.mode in ("1", "LA", "I", "I;16") else "RGB")
    return image.reduce(factor)


def pdf_pages(data: bytes, read) -> list[Page]:
    """Each page's text; `read(image)` gives the text of a scanned page image and the
    upright image it was read from."""
    pages = []
    for text, image in pdf_page_images(data):
        if image is None:
            pages.append(Page(text, "text"))
        else:
            seen, upright = read(image)
            pages.append(Page(seen + "\n" + text, "ocr", image, upright))
    return pages

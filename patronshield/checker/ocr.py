"""Tesseract 5 through pytesseract. A phone photo's page is first found, cut out, pulled
straight and evenly lit (page.py); a scan is deskewed. Then the orientation, a first reading,
and for thin or unclear readings a second one."""

from __future__ import annotations

import os
import queue
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import cache

import numpy as np
import pytesseract
from PIL import Image, ImageOps

from .page import even_light, find_page, unwarp

os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # one core per page; pages run side by side
# Tesseract's variables for a reading: pages are read as 300 dpi; the first reading
# binarises each part of the page with its own threshold (Sauvola, method 2).
CONFIG = {"user_defined_dpi": "300", "thresholding_method": "2"}
# The second reading binarises the whole page with one threshold (Otsu) instead of the
# first reading's local one (Sauvola): on an evenly lit page it keeps blurred bold lines.
SECOND_CONFIG = {"user_defined_dpi": "300", "thresholding_method": "0"}
LONG_SIDE = (1700, 2600)  # pixels: text stays legible and a page reads in about a second
PAGE_SIDE = 2000  # pixels: the long side of a page cut out of a photo (about 180 dpi)
GOOD_WORDS = 12
RETRY_BELOW = 70  # common words on a page read well; fewer means a second reading
# Words that any upright English page of legal papers is full of; text read upside down or
# sideways is not (its tokens still look like words, but are not these).
COMMON = frozenset(
    """the of and to in for on by at or be is are was this that with from as it not any
    you your shall may all other such under upon order court united states district state
    warrant arrest search subpoena department homeland security immigration officer judge
    date name signature county law federal library records title section code person
    property described following issued authorized commanded custody removal alien
    information produce time place before day city police agency form""".split()
)


class OCRUnavailable(RuntimeError):
    pass


def quality(text: str) -> int:
    """How many common words the text holds: rotated or garbled pages score low."""
    return sum(1 for w in re.findall(r"[A-Za-z]{2,}", text) if w.lower() in COMMON)


def prepare(im: Image.Image, *, contrast: bool = True, long_side=LONG_SIDE) -> Image.Image:
    g = ImageOps.grayscale(im)
    low, high = long_side
    size = max(g.size)
    if size > high or size < low:
        scale = (high if size > high else low) / size
        g = g.resize((round(g.width * scale), round(g.height * scale)), Image.LANCZOS)
    return ImageOps.autocontrast(g, cutoff=1) if contrast else g


def skew_angle(g: Image.Image) -> float:
    """The small rotation that makes text lines horizontal (projection profile)."""
    # Measure on the middle of the picture: in a phone photo the page's edges and the desk
    # around it would outweigh the lines of text.
    w, h = g.size
    small = g.crop((w // 5, h // 5, w - w // 5, h - h // 5))
    small.thumbnail((700, 700))
    a = np.asarray(small, dtype=np.float32)
    ink = Image.fromarray(((a < a.mean() - 0.5 * a.std()) * 255).astype(np.uint8))

    def sharpness(angle):
        rows = np.asarray(ink.rotate(angle, resample=Image.NEAREST, fillcolor=0)).sum(axis=1)
        return float(np.var(rows))

    best = max(np.arange(-8, 8.5, 1.0), key=sharpness)
    return max(np.arange(best - 0.75, best + 0.8, 0.25), key=sharpness)


@cache
def _tessdata() -> str | None:
    """Where the installed Tesseract keeps its models (the `eng` one among them), or None."""
    if prefix := os.environ.get("TESSDATA_PREFIX"):
        return prefix
    if not shutil.which("tesseract"):
        return None
    listed = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True)
    found = re.search(r'"([^"]+)"', listed.stdout + listed.stderr)
    return found.group(1) if found else None


# Tesseract's API in this process (tesserocr), one instance per page read at a time: the
# model is loaded once, not once a reading as with the command (pytesseract), and the image
# is handed over as pixels, not written to a file and read back.
_apis: queue.SimpleQueue = queue.SimpleQueue()


@cache
def _api_available() -> bool:
    try:
        import tesserocr  # noqa: F401
    except ImportError:
        return False
    return _tessdata() is not None


@contextmanager
def _api():
    import tesserocr

    try:
        api = _apis.get_nowait()
    except queue.Empty:
        api = tesserocr.PyTessBaseAPI(path=_tessdata(), lang="eng", psm=tesserocr.PSM.AUTO)
    try:
        yield api
    finally:
        _apis.put(api)


def tesseract(g: Image.Image, config: dict = CONFIG) -> str:
    """The text Tesseract reads in a grey image."""
    if g.mode != "L":
        g = ImageOps.grayscale(g)
    if _api_available():
        with _api() as api:
            for name, value in config.items():
                api.SetVariable(name, value)
            api.SetImageBytes(g.tobytes(), g.width, g.height, 1, g.width)
            return api.GetUTF8Text()
    # Without tesserocr: the `tesseract` command, with the same variables.
    flags = f"--dpi {config['user_defined_dpi']} " + " ".join(
        f"-c {name}={value}" for name, value in config.items() if name != "user_defined_dpi"
    )
    try:
        return pytesseract.image_to_string(g, lang="eng", config=flags)
    except pytesseract.TesseractNotFoundError as e:
        raise OCRUnavailable("Tesseract is not installed: run script/bootstrap") from e


def _upright(g: Image.Image, angle: float, turn: int) -> Image.Image:
    if abs(angle) >= 0.5:
        g = g.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=255)
    return g.rotate(turn, expand=True) if turn else g


def page_image(im: Image.Image) -> Image.Image | None:
    """The sheet cut out of a photo and pulled straight, or None (a scan, a close-up)."""
    corners = find_page(im)
    if corners is None:
        return None
    g = unwarp(ImageOps.grayscale(im), corners, PAGE_SIDE)
    return even_light(g)


def ocr(im: Image.Image) -> str:
    return read(im)[0]


def bands(g: Image.Image, parts: int) -> list[Image.Image]:
    """The page cut across into `parts` bands, each cut between two lines of text (the row
    with the least ink near it), so that the bands can be read side by side on as many
    cores. One band (the page) when `parts` is 1 or the page too short to cut."""
    if parts <= 1 or g.height < 400 * parts:
        return [g]
    ink = (np.asarray(g) < 128).sum(axis=1).astype(np.float32)
    ink = np.convolve(ink, np.ones(9, dtype=np.float32), mode="same")  # a gap, not a thin row
    cuts = [0]
    for k in range(1, parts):
        near = g.height * k // parts
        low, high = near - g.height // 10, near + g.height // 10
        cuts.append(low + int(np.argmin(ink[low:high])))
    cuts.append(g.height)
    return [g.crop((0, top, g.width, bottom)) for top, bottom in zip(cuts, cuts[1:], strict=False)]


def _each(fn, items: list, parts: int) -> list:
    """`fn` over `items`, `parts` at a time (Tesseract lets go of Python while it reads)."""
    if parts <= 1 or len(items) <= 1:
        return [fn(item) for item in items]
    with ThreadPoolExecutor(max_workers=min(parts, len(items))) as pool:
        return list(pool.map(fn, items))


def reading(g: Image.Image, config: dict = CONFIG, parts: int = 1) -> str:
    """The text of an upright page, read in `parts` bands side by side."""
    return "\n".join(_each(lambda band: tesseract(band, config), bands(g, parts), parts))


def second_reading(upright: Image.Image, parts: int = 1) -> str:
    """Another reading of a page whose first one was not conclusive, binarised another way:
    with the first one Tesseract sometimes drops whole lines of a blurred photo."""
    return reading(upright, SECOND_CONFIG, parts)


def read(im: Image.Image, parts: int = 1) -> tuple[str, Image.Image]:
    """The text of a photo or scan, and the upright image it was read from. `parts`: the
    cores this page may use (its readings are cut into as many bands, read side by side)."""
    page = page_image(im)
    g = page if page is not None else prepare(im)
    # A page cut out along its edges is already straight; measuring the skew of a page on
    # its side would only turn it askew.
    angle = skew_angle(g) if page is None else 0.0
    straight = _upright(g, angle, 0)
    text = reading(straight, parts=parts)
    turn = 0
    # A sheet cut out of a photo that lies wider than tall is most likely on its side, even
    # when Tesseract makes some words of its sideways lines.
    sideways = page is not None and g.width > 1.15 * g.height and quality(text) < RETRY_BELOW
    if quality(text) < GOOD_WORDS or sideways:
        # Perhaps the page is on its side or upside down: find the orientation on a small copy.
        small = straight.copy()  # thumbnail() works in place
        small.thumbnail((1400, 1400))
        turns = (90, 180, 270)
        scores = _each(lambda t: quality(tesseract(small.rotate(t, expand=True))), turns, parts)
        best = quality(text)
        for candidate, q in zip(turns, scores, strict=True):
            if q > best:
                turn, best = candidate, q
        if turn:
            text = reading(_upright(g, angle, turn), parts=parts)
    if quality(text) < RETRY_BELOW:
        # A dim or uneven photo: read it once more without contrast stretching, at a size
        # that suits small print, and keep the words of both readings.
        g2 = prepare(im, contrast=False, long_side=(1700, 2200))
        again = reading(_upright(g2, angle if page is None else skew_angle(g2), turn), parts=parts)
        if quality(again) > 0:
            text += "\n" + again
    return text, _upright(g, angle, turn)

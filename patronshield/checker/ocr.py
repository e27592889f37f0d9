"""Tesseract 5 through pytesseract, after orientation and skew correction."""

from __future__ import annotations

import os
import re

import numpy as np
import pytesseract
from PIL import Image, ImageOps

os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # one core per page; pages run side by side
CONFIG = "--dpi 300 -c thresholding_method=2"
LONG_SIDE = (1700, 2600)  # pixels: text stays legible and a page reads in about a second
GOOD_WORDS = 12
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


def prepare(im: Image.Image) -> Image.Image:
    g = ImageOps.grayscale(im)
    long_side = max(g.size)
    low, high = LONG_SIDE
    if long_side > high or long_side < low:
        scale = (high if long_side > high else low) / long_side
        g = g.resize((round(g.width * scale), round(g.height * scale)), Image.LANCZOS)
    return ImageOps.autocontrast(g, cutoff=1)


def skew_angle(g: Image.Image) -> float:
    """The small rotation that makes text lines horizontal (projection profile)."""
    small = g.copy()
    small.thumbnail((700, 700))
    a = np.asarray(small, dtype=np.float32)
    ink = Image.fromarray(((a < a.mean() - 0.5 * a.std()) * 255).astype(np.uint8))

    def sharpness(angle):
        rows = np.asarray(ink.rotate(angle, resample=Image.NEAREST, fillcolor=0)).sum(axis=1)
        return float(np.var(rows))

    best = max(np.arange(-8, 8.5, 1.0), key=sharpness)
    return max(np.arange(best - 0.75, best + 0.8, 0.25), key=sharpness)


def tesseract(g: Image.Image) -> str:
    try:
        return pytesseract.image_to_string(g, lang="eng", config=CONFIG)
    except pytesseract.TesseractNotFoundError as e:
        raise OCRUnavailable("Tesseract is not installed: run script/bootstrap") from e


def ocr(im: Image.Image) -> str:
    g = prepare(im)
    angle = skew_angle(g)
    if abs(angle) >= 0.5:
        g = g.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=255)
    text = tesseract(g)
    if quality(text) >= GOOD_WORDS:
        return text
    # Perhaps the page is on its side or upside down: find the orientation on a small copy.
    small = g.copy()
    small.thumbnail((1400, 1400))
    best_turn, best_quality = 0, quality(text)
    for turn in (90, 180, 270):
        q = quality(tesseract(small.rotate(turn, expand=True)))
        if q > best_quality:
            best_turn, best_quality = turn, q
    if best_turn:
        text = tesseract(g.rotate(best_turn, expand=True))
    return text

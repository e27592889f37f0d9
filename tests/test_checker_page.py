"""Finding the page in a photo, pulling it straight and evening its light (checker/page.py)."""

import math

import numpy as np
import pytest
from PIL import Image, ImageDraw

from patronshield.checker.page import _coefficients, even_light, find_page, unwarp

W, H = 850, 1100  # a letter page at 100 dpi


def sheet() -> Image.Image:
    """A white page with lines of "text" (dark bars) and a black square at its top left."""
    page = Image.new("RGB", (W, H), (246, 244, 236))
    d = ImageDraw.Draw(page)
    d.rectangle([60, 60, 140, 140], fill=(0, 0, 0))
    for y in range(200, H - 80, 28):
        d.rectangle([80, y, W - 80 - (y * 7) % 200, y + 10], fill=(40, 40, 40))
    return page


def photo(corners, frame=(1500, 2000), desk=(96, 66, 42)) -> Image.Image:
    """`sheet()` laid on a desk with its corners (TL, TR, BR, BL) at `corners`."""
    coeffs = _coefficients(corners, [(0, 0), (W, 0), (W, H), (0, H)])
    page = sheet().transform(frame, Image.Transform.PERSPECTIVE, coeffs, Image.BICUBIC)
    mask = Image.new("L", (W, H), 255).transform(frame, Image.Transform.PERSPECTIVE, coeffs)
    return Image.composite(page, Image.new("RGB", frame, desk), mask)


def turned(cx, cy, w, h, degrees, keystone=0.0):
    a = math.radians(degrees)
    pts = [(-w / 2 + keystone, -h / 2), (w / 2 - keystone, -h / 2), (w / 2, h / 2), (-w / 2, h / 2)]
    return [
        (cx + x * math.cos(a) - y * math.sin(a), cy + x * math.sin(a) + y * math.cos(a))
        for x, y in pts
    ]


@pytest.mark.parametrize(
    "case, corners, desk",
    [
        ("upright on wood", turned(750, 1000, 1150, 1490, 0), (96, 66, 42)),
        ("tilted 7 degrees", turned(760, 990, 1100, 1420, 7), (70, 72, 78)),
        ("tilted the other way", turned(740, 1010, 1100, 1420, -6), (38, 42, 54)),
        ("keystoned", turned(750, 1000, 1150, 1490, 2, keystone=80), (120, 84, 52)),
        ("small in the frame", turned(750, 1000, 850, 1100, -3), (52, 40, 34)),
        ("on a clipboard", turned(750, 1000, 1150, 1490, 4), (140, 124, 100)),
    ],
)
def test_find_page_finds_the_corners(case, corners, desk):
    found = find_page(photo(corners, desk=desk))
    assert found is not None, case
    for (x, y), (fx, fy) in zip(corners, found, strict=True):
        assert math.hypot(x - fx, y - fy) < 25, (case, corners, found)


def test_find_page_sideways_page_in_a_landscape_frame():
    corners = turned(1000, 750, 1400, 1080, 3)
    found = find_page(photo(corners, frame=(2000, 1500)))
    assert found is not None
    assert all(
        math.hypot(x - fx, y - fy) < 25 for (x, y), (fx, fy) in zip(corners, found, strict=True)
    )


@pytest.mark.parametrize(
    "case, image",
    [
        ("a scan: the page is the whole image", sheet()),
        ("a blank dark frame", Image.new("RGB", (1500, 2000), (60, 50, 40))),
        ("a blank white frame", Image.new("L", (1500, 2000), 250)),
        ("a grey picture with no page", Image.new("RGB", (800, 600), (128, 128, 128))),
    ],
)
def test_find_page_says_none_when_no_page_stands_out(case, image):
    assert find_page(image) is None, case


def test_unwarp_makes_the_page_upright_with_the_long_side_asked():
    corners = turned(760, 990, 1100, 1420, 7, keystone=40)
    g = unwarp(photo(corners).convert("L"), find_page(photo(corners)), 1300)
    assert max(g.size) == 1300 and g.height > g.width
    a = np.asarray(g)
    # The black square sits at the top left, where the sheet has it, and the desk is gone.
    top_left = a[: g.height // 8, : g.width // 6]
    assert (top_left < 60).mean() > 0.15
    assert (a[:, :5] > 150).mean() > 0.9 and (a[:, -5:] > 150).mean() > 0.9


def test_even_light_whitens_a_page_in_shadow():
    page = sheet().convert("L")
    light = Image.linear_gradient("L").resize(page.size).point(lambda v: 90 + v * 160 // 255)
    dim = Image.fromarray(
        (np.asarray(page, dtype=np.float32) * np.asarray(light) / 255).astype(np.uint8)
    )
    out = np.asarray(even_light(dim))
    top, bottom = out[15:45, 200:700], out[H - 45 : H - 15, 200:700]  # paper, no ink
    assert top.mean() > 225 and bottom.mean() > 225  # the dim top is as white as the bottom
    assert out[210, 100] < 90  # ink stays dark

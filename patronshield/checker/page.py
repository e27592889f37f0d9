"""Finding the sheet of paper in a phone photo and making it flat, straight and even.

A phone photo shows the page on a desk: smaller than the frame, turned a few degrees, wider
at one end (keystone), lit unevenly, sometimes dim or blurred. Tesseract reads such a photo
far better once the page alone is cut out and pulled back to a rectangle, its lighting
evened out and its text brought to a size it likes. Numpy and Pillow only.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageFilter, ImageOps

FIND_SIDE = 400  # pixels: the page's outline is found on a small copy
MIN_AREA, MAX_AREA = 0.25, 0.96  # of the frame: a page fills part of a photo, all of a scan


def _otsu(a: np.ndarray) -> float:
    hist = np.bincount(a.astype(np.uint8).ravel(), minlength=256).astype(np.float64)
    p = hist / hist.sum()
    omega = np.cumsum(p)
    mu = np.cumsum(p * np.arange(256))
    between = (mu[-1] * omega - mu) ** 2 / np.maximum(omega * (1 - omega), 1e-12)
    return float(np.argmax(between))


def _component(mask: np.ndarray, seed: tuple[int, int]) -> np.ndarray:
    """The 4-connected region of `mask` that holds `seed` (grown by repeated dilation)."""
    region = np.zeros_like(mask)
    region[seed] = True
    while True:
        grown = region.copy()
        grown[1:] |= region[:-1]
        grown[:-1] |= region[1:]
        grown[:, 1:] |= region[:, :-1]
        grown[:, :-1] |= region[:, 1:]
        grown &= mask
        if np.array_equal(grown, region):
            return region
        region = grown


def _hull(points: np.ndarray) -> np.ndarray:
    """Convex hull (monotone chain), counter-clockwise in image coordinates."""
    pts = sorted(set(map(tuple, points.tolist())))
    if len(pts) < 3:
        return np.array(pts, dtype=np.float64)

    def half(seq):
        out: list = []
        for p in seq:
            while (
                len(out) >= 2
                and (
                    (out[-1][0] - out[-2][0]) * (p[1] - out[-2][1])
                    - (out[-1][1] - out[-2][1]) * (p[0] - out[-2][0])
                )
                <= 0
            ):
                out.pop()
            out.append(p)
        return out[:-1]

    return np.array(half(pts) + half(pts[::-1]), dtype=np.float64)


def _corners(region: np.ndarray) -> list[tuple[float, float]]:
    """The four corners of the largest quadrilateral inside the region's convex hull,
    clockwise from the top left on screen."""
    rows = np.nonzero(region.any(axis=1))[0]
    left = region[rows].argmax(axis=1)
    right = region.shape[1] - 1 - region[rows, ::-1].argmax(axis=1)
    edge = np.concatenate([np.stack([left, rows], 1), np.stack([right, rows], 1)])
    hull = _hull(edge)
    if len(hull) > 60:
        hull = hull[np.linspace(0, len(hull) - 1, 60).round().astype(int)]
    # cross[i, k, j]: twice the signed area of triangle (i, k, j). The best quadrilateral
    # with diagonal i-k takes the farthest point on each side of it.
    d = hull[None, :, :] - hull[:, None, :]  # d[i, k] = hull[k] - hull[i]
    cross = d[:, :, None, 0] * d[:, None, :, 1] - d[:, :, None, 1] * d[:, None, :, 0]
    area = cross.max(axis=2) - cross.min(axis=2)
    i, k = np.unravel_index(np.argmax(area), area.shape)
    j, m = int(np.argmax(cross[i, k])), int(np.argmin(cross[i, k]))
    quad = hull[[i, j, k, m]]
    centre = quad.mean(axis=0)
    # Clockwise on screen (y down) from the corner nearest the top left.
    order = np.argsort(np.arctan2(quad[:, 1] - centre[1], quad[:, 0] - centre[0]))
    quad = quad[order]
    start = int(np.argmin(quad.sum(axis=1)))
    return [tuple(p) for p in np.roll(quad, -start, axis=0)]


def _angle(p, q, r) -> float:
    """The angle at q, in degrees."""
    u, v = np.subtract(p, q), np.subtract(r, q)
    cos = np.dot(u, v) / max(1e-9, np.linalg.norm(u) * np.linalg.norm(v))
    return float(np.degrees(np.arccos(np.clip(cos, -1, 1))))


def find_page(im: Image.Image) -> list[tuple[float, float]] | None:
    """The page's four corners (top left, top right, bottom right, bottom left) in `im`'s
    pixels, or None when no page stands out from a background (a scan, a close-up)."""
    # Paper is bright and nearly grey; desks, counters and clipboards are darker or coloured:
    # the darkest of the three channels separates them best.
    small = im.copy()
    small.thumbnail((FIND_SIDE, FIND_SIDE))
    scale = im.width / small.width
    if small.mode == "RGB":
        r, g, b = (np.asarray(c, dtype=np.int16) for c in small.split())
        tone = np.minimum(np.minimum(r, g), b).astype(np.uint8)
    else:
        tone = np.asarray(ImageOps.grayscale(small))
    tone_im = Image.fromarray(tone).filter(ImageFilter.GaussianBlur(2))
    # Close the dark lines of text so the page is one bright region.
    tone_im = tone_im.filter(ImageFilter.MaxFilter(5)).filter(ImageFilter.MinFilter(5))
    a = np.asarray(tone_im)
    mask = a > _otsu(a)
    h, w = mask.shape
    # Cut thin bridges to bright patches of the desk.
    mask = np.asarray(Image.fromarray(mask).filter(ImageFilter.MinFilter(3))).astype(bool)
    cy, cx = h // 2, w // 2
    if not mask[cy, cx]:
        ys, xs = np.nonzero(mask[h // 3 : 2 * h // 3, w // 3 : 2 * w // 3])
        if not len(ys):
            return None
        cy, cx = h // 3 + ys[len(ys) // 2], w // 3 + xs[len(xs) // 2]
    region = _component(mask, (cy, cx))
    area = region.sum() / region.size
    if not MIN_AREA <= area <= MAX_AREA:
        return None
    corners = _corners(region)
    # A sheet seen from above: four corners near right angles, and the outline mostly
    # filled (a shadow may bite into it; a blob of desk joined to the page would not fit).
    for i in range(4):
        if not 65 <= _angle(corners[i - 1], corners[i], corners[(i + 1) % 4]) <= 115:
            return None
    x, y = np.array(corners).T
    quad_area = 0.5 * abs(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1)))
    if not 0.75 * quad_area <= region.sum() <= 1.1 * quad_area:
        return None
    return [((cx + 0.5) * scale, (cy + 0.5) * scale) for cx, cy in corners]


def _coefficients(dst, src) -> list[float]:
    """Image.transform(PERSPECTIVE) coefficients mapping output points to input points."""
    a, b = [], []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        a.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        a.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        b += [u, v]
    return list(np.linalg.solve(np.array(a, dtype=np.float64), np.array(b, dtype=np.float64)))


def unwarp(g: Image.Image, corners, long_side: int) -> Image.Image:
    """The quadrilateral `corners` of `g` pulled back to an upright rectangle whose long
    side is `long_side` pixels, trimmed a little inside the paper's edge."""
    c = np.array(corners, dtype=np.float64)
    width = (np.linalg.norm(c[1] - c[0]) + np.linalg.norm(c[2] - c[3])) / 2
    height = (np.linalg.norm(c[3] - c[0]) + np.linalg.norm(c[2] - c[1])) / 2
    k = long_side / max(width, height)
    ow, oh = max(1, round(width * k)), max(1, round(height * k))
    inset = 0.006 * max(ow, oh)
    dst = [(-inset, -inset), (ow + inset, -inset), (ow + inset, oh + inset), (-inset, oh + inset)]
    return g.transform(
        (ow, oh),
        Image.Transform.PERSPECTIVE,
        _coefficients(dst, [tuple(p) for p in c]),
        Image.Resampling.BICUBIC,
        fillcolor=255,
    )


def even_light(g: Image.Image) -> Image.Image:
    """Divide out the paper's brightness (uneven light, a phone's shadow, a dim room), so
    the paper comes out white and the ink dark wherever it lies."""
    small = g.resize((max(1, g.width // 8), max(1, g.height // 8)), Image.Resampling.BOX)
    paper = small.filter(ImageFilter.MaxFilter(7)).filter(ImageFilter.GaussianBlur(3))
    paper = paper.resize(g.size, Image.Resampling.BILINEAR)
    a = np.asarray(g, dtype=np.float32)
    b = np.maximum(np.asarray(paper, dtype=np.float32), 1.0)
    out = np.clip(a / b * 255.0, 0, 255).astype(np.uint8)
    return ImageOps.autocontrast(Image.fromarray(out), cutoff=(1, 0))

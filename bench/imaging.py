"""Rasterising and "photographing" rendered pages for the synthetic corpus.

Everything here is deterministic: randomness comes only from the `random.Random` passed in
(Pillow's own noise generator is not used, because its C state is per process).
"""

from __future__ import annotations

import io
import math
import random
import subprocess
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageEnhance, ImageFilter, TiffImagePlugin

# The library's neighbourhood, for EXIF GPS tags of "phone photos".
LIBRARY_LAT = 42.24475
LIBRARY_LON = -83.14603

PHONES = [
    ("Apple", "iPhone 13"),
    ("Apple", "iPhone 15 Pro"),
    ("Apple", "iPhone SE (3rd generation)"),
    ("samsung", "SM-S918U"),
    ("samsung", "SM-A536U"),
    ("Google", "Pixel 7a"),
    ("motorola", "moto g power 5G - 2024"),
]


def rasterize(pdf: bytes, dpi: int, *, gray: bool = False) -> list[Image.Image]:
    """Every page of `pdf` as a Pillow image, rendered by poppler's pdftoppm."""
    with tempfile.TemporaryDirectory(prefix="corpus-") as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(pdf)
        args = ["pdftoppm", "-r", str(dpi)]
        if gray:
            args.append("-gray")
        subprocess.run([*args, str(src), str(Path(tmp) / "p")], check=True, capture_output=True)
        pages = []
        for f in sorted(Path(tmp).glob("p-*.p[gp]m")):
            with Image.open(f) as im:
                im.load()
                pages.append(im.copy())
        return pages


# --------------------------------------------------------------------------- helpers


def _noise(rng: random.Random, size: tuple[int, int], amplitude: float, grain: int = 1):
    """Zero-mean noise as an "L" image centred on 128 (uniform, then softened)."""
    w, h = max(1, size[0] // grain), max(1, size[1] // grain)
    raw = Image.frombytes("L", (w, h), rng.randbytes(w * h))
    if grain > 1:
        raw = raw.resize(size, Image.Resampling.BILINEAR)
    scale = amplitude / 128.0
    lut = [max(0, min(255, round(128 + (v - 128) * scale))) for v in range(256)]
    return raw.point(lut)


def _add_noise(img: Image.Image, rng: random.Random, amplitude: float, grain: int = 1):
    n = _noise(rng, img.size, amplitude, grain)
    if img.mode == "RGB":
        n = Image.merge("RGB", (n, n, n))
    return ImageChops.add(img, n, scale=1.0, offset=-128)


def _smooth_field(rng: random.Random, size, lo: int, hi: int, cells: int = 5):
    """A smooth random "L" field between lo and hi (lighting, paper tone, table texture)."""
    small = Image.new("L", (cells, cells))
    small.putdata([rng.randint(lo, hi) for _ in range(cells * cells)])
    return small.resize(size, Image.Resampling.BICUBIC)


def _multiply(img: Image.Image, field: Image.Image):
    if img.mode == "RGB" and field.mode == "L":
        field = Image.merge("RGB", (field, field, field))
    return ImageChops.multiply(img, field)


def _tint(img: Image.Image, rgb: tuple[int, int, int]):
    return ImageChops.multiply(img, Image.new("RGB", img.size, rgb))


def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (8x8, no numpy on purpose)."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for col in range(n):
        piv = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[piv] = m[piv], m[col]
        for r in range(n):
            if r != col and m[r][col]:
                f = m[r][col] / m[col][col]
                m[r] = [x - f * y for x, y in zip(m[r], m[col], strict=True)]
    return [m[i][n] / m[i][i] for i in range(n)]


def _perspective_coeffs(dst, src):
    """Coefficients for Image.transform(PERSPECTIVE): maps output (dst) points to input (src)."""
    a, b = [], []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        a.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        b.append(u)
        a.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        b.append(v)
    return _solve(a, b)


def _paper(page: Image.Image, rng: random.Random, *, folds: bool) -> Image.Image:
    """Warm the page tone a little and maybe add the creases of a letter folded in three."""
    page = page.convert("RGB")
    tone = (rng.randint(244, 255), rng.randint(240, 252), rng.randint(228, 246))
    page = _tint(page, tone)
    if folds:
        d = ImageDraw.Draw(page, "RGBA")
        w, h = page.size
        for k in (1, 2):
            y = int(h * k / 3 + rng.randint(-h // 60, h // 60))
            slope = rng.randint(-h // 150, h // 150)
            d.line([(0, y), (w, y + slope)], fill=(0, 0, 0, rng.randint(18, 40)), width=3)
            d.line([(0, y + 3), (w, y + 3 + slope)], fill=(255, 255, 255, 50), width=3)
    return page


def _background(rng: random.Random, size) -> Image.Image:
    """A desk, counter or clipboard: a dark-ish smooth texture with some grain."""
    palettes = [
        (96, 66, 42),  # wood
        (120, 84, 52),  # light wood
        (70, 72, 78),  # grey counter
        (38, 42, 54),  # dark blue desk mat
        (104, 100, 92),  # laminate
        (52, 40, 34),  # dark wood
        (140, 124, 100),  # clipboard / cardboard
    ]
    base = rng.choice(palettes)
    final = size
    size = (max(1, size[0] // 3), max(1, size[1] // 3))  # built small, it is blurred anyway
    w, h = size
    img = Image.new("RGB", size, base)
    img = _multiply(img, _smooth_field(rng, size, 150, 255, cells=rng.randint(3, 7)))
    if rng.random() < 0.5:  # wood grain: stretched noise
        gw = max(1, w // 15)
        grain = _noise(rng, (gw, h), rng.uniform(14, 28)).resize(size, Image.Resampling.BILINEAR)
        grain = grain.filter(ImageFilter.GaussianBlur(1.5))
        img = ImageChops.add(img, Image.merge("RGB", (grain,) * 3), offset=-128)
    img = _add_noise(img, rng, rng.uniform(6, 14))
    return img.filter(ImageFilter.GaussianBlur(0.6)).resize(final, Image.Resampling.BILINEAR)


def photograph(
    page: Image.Image, rng: random.Random, when: datetime
) -> tuple[Image.Image, bytes, dict]:
    """A simulated phone photo of a printed page lying on a desk.

    Returns the image (as stored in the file), the EXIF block and what was done to it.
    """
    meta: dict = {}
    long_side = rng.randint(1600, 3000)
    pw, ph = page.size
    # A portrait 3:4 frame for a page, a landscape one for a business card.
    cw, ch = (long_side * 3 // 4, long_side) if ph >= pw else (long_side, long_side * 3 // 4)
    page = _paper(page, rng, folds=ph >= pw and rng.random() < 0.4)

    # Where the page lands: fill 70-92 % of the frame height, a small tilt and keystone.
    frac = rng.uniform(0.70, 0.92)
    th = ch * frac
    tw = th * pw / ph
    if tw > cw * 0.95:
        tw = cw * 0.95
        th = tw * ph / pw
    cx = cw / 2 + rng.uniform(-0.04, 0.04) * cw
    cy = ch / 2 + rng.uniform(-0.04, 0.04) * ch
    angle = rng.uniform(-7, 7) if rng.random() < 0.85 else rng.uniform(-2, 2)
    keystone = rng.uniform(0.0, 0.07) * tw
    skew_side = rng.uniform(-0.03, 0.03) * th
    rect = [
        (-tw / 2 + keystone, -th / 2 + skew_side),
        (tw / 2 - keystone, -th / 2 - skew_side),
        (tw / 2 + rng.uniform(-0.01, 0.01) * tw, th / 2),
        (-tw / 2 + rng.uniform(-0.01, 0.01) * tw, th / 2),
    ]
    ca, sa = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    dst = [(cx + x * ca - y * sa, cy + x * sa + y * ca) for x, y in rect]
    # Keep the whole sheet in the frame (a 1 % border): shrink about the centre if needed.
    xs, ys = [p[0] for p in dst], [p[1] for p in dst]
    fit = min(
        1.0,
        (cx - 0.01 * cw) / max(1e-6, cx - min(xs)),
        (0.99 * cw - cx) / max(1e-6, max(xs) - cx),
        (cy - 0.01 * ch) / max(1e-6, cy - min(ys)),
        (0.99 * ch - cy) / max(1e-6, max(ys) - cy),
    )
    if fit < 1.0:
        dst = [(cx + (x - cx) * fit, cy + (y - cy) * fit) for x, y in dst]
        frac *= fit
    src = [(0, 0), (pw, 0), (pw, ph), (0, ph)]
    coeffs = _perspective_coeffs(dst, src)
    meta["tilt_deg"] = round(angle, 2)
    meta["page_fraction"] = round(frac, 3)

    bg = _background(rng, (cw, ch))
    # Soft shadow under the page.
    shadow = Image.new("L", (cw // 4, ch // 4), 0)
    off = rng.uniform(4, 14)
    ImageDraw.Draw(shadow).polygon([((x + off) / 4, (y + off) / 4) for x, y in dst], fill=150)
    shadow = shadow.filter(ImageFilter.GaussianBlur(6)).resize((cw, ch), Image.Resampling.BILINEAR)
    bg = Image.composite(Image.new("RGB", (cw, ch), (0, 0, 0)), bg, shadow)

    mask_src = Image.new("L", page.size, 255)
    warped = page.transform((cw, ch), Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BICUBIC)
    mask = mask_src.transform(
        (cw, ch), Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BILINEAR
    )
    img = Image.composite(warped, bg, mask)

    # Lighting: uneven light, sometimes the shadow of the phone or a hand.
    img = _multiply(img, _smooth_field(rng, (cw, ch), rng.randint(150, 215), 255, cells=4))
    if rng.random() < 0.35:
        blob = Image.new("L", (cw // 8, ch // 8), 255)
        bx, by = rng.uniform(0, cw / 8), rng.uniform(0, ch / 8)
        r = rng.uniform(0.15, 0.35) * cw / 8
        ImageDraw.Draw(blob).ellipse(
            [bx - r, by - r * 1.6, bx + r, by + r * 1.6], fill=rng.randint(120, 190)
        )
        blob = blob.filter(ImageFilter.GaussianBlur(r / 2)).resize((cw, ch))
        img = _multiply(img, blob)
        meta["shadow"] = True
    brightness = rng.uniform(0.6, 1.0)
    img = ImageEnhance.Brightness(img).enhance(brightness)
    img = _tint(img, (rng.randint(238, 255), rng.randint(238, 252), rng.randint(220, 250)))
    blur = rng.uniform(0, 1.5)
    if blur > 0.15:
        img = img.filter(ImageFilter.GaussianBlur(blur))
    img = _add_noise(img, rng, rng.uniform(4, 12) * (1.6 - brightness))
    meta["brightness"] = round(brightness, 2)
    meta["blur"] = round(blur, 2)

    # Orientation: upright, pixels turned (phone held sideways), or an EXIF tag to turn them back.
    exif = Image.Exif()
    make, model = rng.choice(PHONES)
    exif[0x010F] = make
    exif[0x0110] = model
    exif[0x0131] = "17.6.1" if make == "Apple" else "Android"
    shot = when + timedelta(minutes=rng.randint(0, 300), seconds=rng.randint(0, 59))
    exif[0x0132] = shot.strftime("%Y:%m:%d %H:%M:%S")
    exif.get_ifd(0x8769)[0x9003] = shot.strftime("%Y:%m:%d %H:%M:%S")
    r = rng.random()
    meta["pixel_rotation"] = 0
    meta["exif_orientation"] = 1
    if r < 0.15:  # content stored turned, no tag: the reader has to find the text direction
        turn = rng.choice([90, 180, 270])
        img = img.rotate(turn, expand=True)
        meta["pixel_rotation"] = turn
    elif r < 0.35:  # camera stores the sensor image and an Orientation tag
        orientation = rng.choice([6, 8, 3])
        undo = {
            6: Image.Transpose.ROTATE_90,
            8: Image.Transpose.ROTATE_270,
            3: Image.Transpose.ROTATE_180,
        }
        img = img.transpose(undo[orientation])
        exif[0x0112] = orientation
        meta["exif_orientation"] = orientation
    else:
        exif[0x0112] = 1
    if rng.random() < 0.3:
        gps = exif.get_ifd(0x8825)
        lat = LIBRARY_LAT + rng.uniform(-0.0004, 0.0004)
        lon = LIBRARY_LON + rng.uniform(-0.0004, 0.0004)
        gps[0x0001] = "N"
        gps[0x0002] = _dms(lat)
        gps[0x0003] = "W"
        gps[0x0004] = _dms(-lon)
        meta["gps"] = True
    meta["frame"] = "landscape" if img.width > img.height else "portrait"
    return img, exif.tobytes(), meta


def _dms(value: float):
    d = int(value)
    m = int((value - d) * 60)
    s = round(((value - d) * 60 - m) * 60, 2)
    return (
        TiffImagePlugin.IFDRational(d, 1),
        TiffImagePlugin.IFDRational(m, 1),
        TiffImagePlugin.IFDRational(round(s * 100), 100),
    )


def scan(page: Image.Image, rng: random.Random, *, dpi: int) -> tuple[Image.Image, dict]:
    """A flatbed scan or photocopy: slight skew, grey or colour, speckles, edges, holes."""
    meta: dict = {}
    mode = rng.choices(["gray", "color", "bilevel"], weights=[55, 30, 15])[0]
    meta["scan_mode"] = mode
    img = page.convert("RGB")
    if mode == "color":
        img = _tint(img, (rng.randint(245, 255), rng.randint(243, 253), rng.randint(235, 250)))
    else:
        img = img.convert("L")
    fill = 255 if img.mode == "L" else (250, 250, 248)
    skew = rng.uniform(-1.5, 1.5)
    img = img.rotate(skew, resample=Image.Resampling.BICUBIC, fillcolor=fill)
    meta["skew_deg"] = round(skew, 2)
    w, h = img.size
    d = ImageDraw.Draw(img)
    dark = 0 if img.mode == "L" else (20, 20, 20)
    mid = 160 if img.mode == "L" else (160, 160, 160)
    if rng.random() < 0.4:  # lid shadow along an edge
        edge = rng.choice(["left", "right", "top", "bottom"])
        t = rng.randint(w // 150, w // 40)
        box = {
            "left": [0, 0, t, h],
            "right": [w - t, 0, w, h],
            "top": [0, 0, w, t],
            "bottom": [0, h - t, w, h],
        }[edge]
        d.rectangle(box, fill=dark)
    if rng.random() < 0.3:  # three-hole punch
        r = dpi * 0.13
        x = dpi * 0.35
        for fy in (0.18, 0.5, 0.82):
            d.ellipse([x - r, h * fy - r, x + r, h * fy + r], fill=mid)
        meta["holes"] = True
    if rng.random() < 0.3:  # staple
        x, y = dpi * 0.3, dpi * 0.25
        d.line([(x, y), (x + dpi * 0.5, y - dpi * 0.12)], fill=mid, width=max(2, dpi // 60))
    for _ in range(rng.randint(20, 250)):  # dust and toner specks
        x, y = rng.uniform(0, w), rng.uniform(0, h)
        r = rng.uniform(0.5, 2.5) * dpi / 200
        d.ellipse([x - r, y - r, x + r, y + r], fill=dark)
    if rng.random() < 0.3:  # a dirty-glass streak
        x = rng.uniform(0, w)
        d.line([(x, 0), (x + rng.uniform(-20, 20), h)], fill=mid, width=1)
    img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.8)))
    img = _add_noise(img, rng, rng.uniform(3, 8))
    if mode == "bilevel":
        threshold = rng.randint(150, 200)
        img = img.point(lambda v: 255 if v > threshold else 0).convert("1")
    else:
        # Scanner auto-levels: paper clips to white, ink darkens a little.
        white = rng.randint(218, 236)
        black = rng.randint(0, 30)
        span = white - black
        lut = [255 if v >= white else max(0, round((v - black) * 255 / span)) for v in range(256)]
        img = img.point(lut * (3 if img.mode == "RGB" else 1))
    return img, meta


def encode(img: Image.Image, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **kw)
    return buf.getvalue()


def images_to_pdf(pages: list[Image.Image], dpi: int, quality: int) -> bytes:
    """A scanned PDF: page images only, no text layer."""
    conv = [p if p.mode in ("1", "L", "RGB") else p.convert("RGB") for p in pages]
    extra = {} if any(p.mode == "1" for p in conv) else {"quality": quality}  # 1-bit: CCITT G4
    buf = io.BytesIO()
    conv[0].save(
        buf,
        "PDF",
        save_all=True,
        append_images=conv[1:],
        resolution=dpi,
        producer="ScanSnap Manager #iX1600",
        creator="ScanSnap",
        # Fixed dates keep the corpus byte-for-byte reproducible.
        creationDate=datetime(2026, 11, 24, 9, 30).timetuple(),
        modDate=datetime(2026, 11, 24, 9, 30).timetuple(),
        **extra,
    )
    return buf.getvalue()

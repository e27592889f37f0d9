"""Server-rendered SVG bar charts for the transparency report: no script, no other origin,
readable by a screen reader (role="img", a title and a description that say the same
numbers as the table beside the chart).

Every count is published as a band (see transparency.py); a bar is drawn solid up to its
band's low and dashed from there to its band's high, every count of a band alike, on a scale
set by the highest band shown: the drawing tells no more than the table.
"""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from . import content
from .transparency import Cell

WIDTH = 320
LINE_H = 18  # a line of a label
BAR_H = 18
GAP = 12
VALUE_W = 100  # room after the longest bar for its value
WRAP = 38  # characters of a label's line


def wrap(text: str, width: int = WRAP) -> list[str]:
    lines, line = [], ""
    words = []
    for word in text.split():  # a word too long for a line (Chinese has no spaces) is cut
        words += [word[i : i + width] for i in range(0, len(word), width)]
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return lines + [line] if line else lines


INK, BLUE = "#111111", "#0b4f8a"


def bar_chart(
    cells: list[Cell], *, chart_id: str, title: str, desc: str, code: str = "en"
) -> SafeString:
    """Right-to-left languages get the mirror image: labels and bars start on the right."""
    rtl = content.direction(code) == "rtl"
    width = WRAP // 2 if content.script(code) in ("Han", "Hangul") else WRAP

    def x(at: int, length: int = 0) -> int:
        return WIDTH - at - length if rtl else at

    scale_max = max(c.high for c in cells)
    usable = WIDTH - VALUE_W
    rows = []
    y = 0
    for c in cells:
        lines = wrap(c.label, width)
        bar_y = y + LINE_H * len(lines) + 4
        solid = round(usable * c.low / scale_max)
        length = round(usable * c.high / scale_max)
        bar = format_html(
            '<rect x="{}" y="{}" width="{}" height="{}" fill="#ffffff" stroke="{}" '
            'stroke-width="2" stroke-dasharray="6 4"/>',
            x(solid + 1, max(2, length - solid - 2)),
            bar_y + 1,
            max(2, length - solid - 2),
            BAR_H - 2,
            BLUE,
        )
        if solid:
            bar = format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>{}',
                x(0, solid),
                bar_y,
                solid,
                BAR_H,
                BLUE,
                bar,
            )
        rows.append(
            format_html(
                '<g><text x="{}" y="{}" font-size="14" fill="{}">{}</text>{}'
                '<text x="{}" y="{}" font-size="14" font-weight="700" fill="{}">{}</text></g>',
                x(0),
                y + 14,
                INK,
                format_html_join(
                    "",
                    '<tspan x="{}" dy="{}">{}</tspan>',
                    ((x(0), 0 if n == 0 else LINE_H, line) for n, line in enumerate(lines)),
                ),
                bar,
                x(length + 8),
                bar_y + 14,
                INK,
                c.shown,
            )
        )
        y = bar_y + BAR_H + GAP
    height = y
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        'viewBox="0 0 {} {}" width="100%" aria-labelledby="{}-t {}-d" direction="{}" '
        'font-family="Noto Sans, system-ui, sans-serif">'
        '<title id="{}-t">{}</title><desc id="{}-d">{}</desc>{}</svg>',
        WIDTH,
        height,
        chart_id,
        chart_id,
        "rtl" if rtl else "ltr",
        chart_id,
        title,
        chart_id,
        desc,
        format_html_join("", "{}", ((r,) for r in rows)),
    )


def describe(cells: list[Cell]) -> str:
    """The chart's numbers in words, for its <desc>."""
    return "; ".join(f"{c.label}: {c.shown}" for c in cells) + "."

"""HTML for the synthetic corpus: documents modelled on public forms, in our own words.

Each builder takes a `W` (a seeded writer: random choices, names, dates and the document's
style) and returns a `Doc`: one HTML fragment per page and the true facts about it.
Page 1 is the document an officer would show; page 2 (used only by the multi-page variant)
is what usually travels with it: an attachment, a return, a proof of service.
"""

from __future__ import annotations

import html
import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

LIBRARY_NAME = "Ecorse Public Library"
LIBRARY_ADDRESS = "4184 W. Jefferson Ave., Ecorse, MI 48229"
NOW = date(2026, 11, 24)
ISSUE_FIRST = date(2026, 11, 10)

FIRST = (
    "Maria James Aisha Luis Wei Fatima Daniel Sofia Ahmed Rosa Michael Guadalupe Hassan "
    "Jennifer Carlos Nadia Robert Yesenia Tomasz Grace Ibrahim Patricia Jorge Layla Kevin Ana "
    "Omar Elena Samuel Thi Dolores Kareem Brian Lucia Mohammed Teresa Andre Hoa Diane Rafael"
).split()
LAST = (
    "Alvarez Johnson Haddad Nguyen Kowalski Okafor Martinez Brennan Saleh Washington Lopez "
    "Fischer Chowdhury Reyes Sullivan Jaber Thompson Hernandez Novak Bazzi Castillo Dubois "
    "Whitfield Morales Tran Kaminski Abdullah Delgado Pierce Ortiz Beydoun Sandoval Lindqvist "
    "Mbeki Rutkowski Coleman Farah Villanueva Osei Marchetti"
).split()
MIDDLE = list("ABCDEFGHJKLMNPRSTW")

# (district, state, city and state for the signature block, courthouse, case prefix)
DISTRICTS = [
    (
        "Eastern",
        "Michigan",
        "Detroit, Michigan",
        "Theodore Levin U.S. Courthouse, 231 W. Lafayette Blvd., Detroit, MI 48226",
        "2:26",
    ),
    (
        "Eastern",
        "Michigan",
        "Ann Arbor, Michigan",
        "U.S. Courthouse, 200 E. Liberty St., Ann Arbor, MI 48104",
        "5:26",
    ),
    (
        "Eastern",
        "Michigan",
        "Flint, Michigan",
        "U.S. Courthouse, 600 Church St., Flint, MI 48502",
        "4:26",
    ),
    (
        "Western",
        "Michigan",
        "Grand Rapids, Michigan",
        "Gerald R. Ford Federal Building, 110 Michigan St. NW, Grand Rapids, MI 49503",
        "1:26",
    ),
    (
        "Northern",
        "Ohio",
        "Toledo, Ohio",
        "James M. Ashley U.S. Courthouse, 1716 Spielbusch Ave., Toledo, OH 43604",
        "3:26",
    ),
    (
        "Northern",
        "Illinois",
        "Chicago, Illinois",
        "Dirksen U.S. Courthouse, 219 S. Dearborn St., Chicago, IL 60604",
        "1:26",
    ),
    (
        "Southern",
        "Texas",
        "Houston, Texas",
        "U.S. Courthouse, 515 Rusk St., Houston, TX 77002",
        "4:26",
    ),
    (
        "Northern",
        "Georgia",
        "Atlanta, Georgia",
        "Richard B. Russell Federal Building, 75 Ted Turner Dr. SW, Atlanta, GA 30303",
        "1:26",
    ),
]
EDMI = [d for d in DISTRICTS if d[0] == "Eastern" and d[1] == "Michigan"]

LIBRARY_PLACES = [
    "The Ecorse Public Library, 4184 W. Jefferson Ave., Ecorse, MI 48229, including the public "
    "computer area, the circulation desk, staff offices and the network equipment room.",
    "The premises known as the Ecorse Public Library, located at 4184 West Jefferson Avenue, "
    "Ecorse, Michigan 48229, a one-story brick building on the east side of W. Jefferson Avenue.",
    "Records, computers and storage media located at the Ecorse Public Library, "
    "4184 W. Jefferson Avenue, Ecorse, Michigan 48229.",
    "ECORSE PUBLIC LIBRARY, 4184 W JEFFERSON AVE, ECORSE MI 48229: the public-access "
    "workstations numbered PC-01 through PC-12 and the server that logs their sessions.",
    "4184 West Jefferson Avenue, Ecorse, Michigan 48229, a public library building with a "
    'blue sign reading "Ecorse Public Library" above the main entrance.',
    "The public library located at 4184 W. Jefferson Ave. in the City of Ecorse, Wayne County, "
    "Michigan, known as the Ecorse Public Library, and its parking lot.",
]
OTHER_PLACES_MI = [
    "4148 W. Jefferson Ave., Ecorse, MI 48229, a two-story commercial building with a tan brick "
    'front and a glass door marked "4148".',
    "3917 High Street, Ecorse, Michigan 48229, a single-family residence with white vinyl siding "
    "and a detached garage.",
    "2210 Oakwood Blvd., Apartment 3, Melvindale, Michigan 48122.",
    "A black 2019 Ford Escape bearing Michigan registration EKT 4471.",
    "The Lincoln Park Public Library, 1381 Southfield Road, Lincoln Park, MI 48146.",
    "17 Maple Court, Wyandotte, Michigan 48192, a brick ranch house with green shutters.",
    "The River Rouge Public Library, 221 Burke Street, River Rouge, Michigan 48218.",
    "A Samsung Galaxy cellular telephone, IMEI 356938035643809, now in the custody of the "
    "Ecorse Police Department property room.",
    "4184 W. Jefferson Ave., Apartment 2, Detroit, MI 48209, the upper flat of a two-family house.",
]
OTHER_PLACES_ELSEWHERE = {
    "Ohio": "1432 Bancroft Street, Toledo, Ohio 43608, a two-story frame house.",
    "Illinois": "2750 W. Cermak Road, Unit 2R, Chicago, Illinois 60608.",
    "Texas": "8810 Bellaire Blvd., Suite 140, Houston, Texas 77036, a storefront business.",
    "Georgia": "512 Memorial Drive SE, Atlanta, Georgia 30312.",
    "Michigan": "1200 Division Avenue South, Grand Rapids, Michigan 49507.",
}
LIBRARY_ITEMS = [
    "Computer session logs, sign-in sheets, guest-pass records and reservation records for the "
    "public-access computers for the period October 1, 2026 through November 9, 2026.",
    "Digital video recordings from the surveillance cameras covering the main entrance and the "
    "computer area on November 3, 2026, between 1:00 p.m. and 5:00 p.m.",
    "All records identifying the holder of library card number 21184 00{card}, including name, "
    "address, telephone number, e-mail address and borrowing history.",
    "The public-access computer designated PC-07, and any hard drive or storage media in it.",
    "Records of Internet use, including IP address and MAC address assignment logs for the "
    "library's public wireless network, for November 1 through November 8, 2026.",
]
OTHER_ITEMS = [
    "Firearms, ammunition, magazines, and records of the purchase or sale of firearms.",
    "Controlled substances, including fentanyl and cocaine, packaging materials, scales, "
    "ledgers, and United States currency.",
    "Cellular telephones, computers and digital storage media, and the data stored on them.",
    "Documents, ledgers and records relating to the receipt of stolen mail and checks.",
    "Identification documents, blank check stock, and devices used to make them.",
]
OFFENSES = [
    "Felon in possession of a firearm, in violation of 18 U.S.C. § 922(g)(1).",
    "Possession with intent to distribute a controlled substance, 21 U.S.C. § 841(a)(1).",
    "Wire fraud, in violation of 18 U.S.C. § 1343.",
    "Bank robbery, in violation of 18 U.S.C. § 2113(a).",
    "Interstate threats, in violation of 18 U.S.C. § 875(c).",
    "Reentry of a removed alien, in violation of 8 U.S.C. § 1326(a).",
    "Theft of mail matter, in violation of 18 U.S.C. § 1708.",
]
STATE_COURTS = [
    (
        "3RD JUDICIAL CIRCUIT COURT",
        "WAYNE COUNTY",
        "Circuit Judge",
        "2 Woodward Ave., Detroit, MI 48226",
        "(313) 224-5194",
    ),
    (
        "25TH DISTRICT COURT",
        "CITIES OF ECORSE, LINCOLN PARK AND RIVER ROUGE",
        "District Judge",
        "1475 Cleophus Pkwy., Lincoln Park, MI 48146",
        "(313) 382-8603",
    ),
    (
        "24TH DISTRICT COURT",
        "CITIES OF ALLEN PARK AND MELVINDALE",
        "District Judge",
        "6515 Roosevelt Ave., Allen Park, MI 48101",
        "(313) 928-0535",
    ),
    (
        "27TH DISTRICT COURT",
        "CITIES OF WYANDOTTE AND RIVERVIEW",
        "District Judge",
        "2015 Biddle Ave., Wyandotte, MI 48192",
        "(734) 324-4475",
    ),
]
POLICE = [
    ("Ecorse Police Department", "3869 W. Jefferson Ave., Ecorse, MI 48229", "(313) 381-0900"),
    ("Wayne County Sheriff's Office", "4747 Woodward Ave., Detroit, MI 48201", "(313) 224-2222"),
    (
        "Michigan State Police, Metro South Post",
        "19190 Telegraph Rd., Taylor, MI 48180",
        "(734) 287-5000",
    ),
    (
        "Lincoln Park Police Department",
        "1427 Southfield Rd., Lincoln Park, MI 48146",
        "(313) 381-1800",
    ),
]
FEDERAL_AGENCIES = [
    "Federal Bureau of Investigation",
    "Homeland Security Investigations",
    "Bureau of Alcohol, Tobacco, Firearms and Explosives",
    "United States Postal Inspection Service",
    "Drug Enforcement Administration",
]
ICE_DETROIT = "333 Mt. Elliott St., Detroit, MI 48207"
COUNTRIES = [
    "Mexico",
    "Guatemala",
    "Honduras",
    "Iraq",
    "Yemen",
    "Venezuela",
    "Haiti",
    "El Salvador",
    "Lebanon",
    "Bangladesh",
    "Nicaragua",
    "Ecuador",
]

SERIF = ["'DejaVu Serif'", "'Noto Serif'", "'DejaVu Serif Condensed'", "'Noto Serif'"]
SANS = ["'DejaVu Sans'", "'Noto Sans'", "'DejaVu Sans Condensed'", "'Noto Sans Display'"]
MONO = ["'DejaVu Sans Mono'"]


def esc(s: str) -> str:
    return html.escape(s, quote=False)


@dataclass
class Doc:
    pages: list[str]
    meta: dict
    css: str = ""
    page_css: str = "size: letter; margin: 0.6in;"
    margin_boxes: str = ""
    raster_size: tuple[float, float] | None = None  # inches, when not a letter page


@dataclass
class W:
    """A seeded writer: random choices plus the document's look."""

    rng: random.Random
    body_font: str = ""
    fill_font: str = ""
    size: float = 10.5
    ink: str = "#111"
    fill_ink: str = "#111"
    date_style: int = 0
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        r = self.rng
        self.serif = r.random() < 0.6
        self.body_font = r.choice(SERIF if self.serif else SANS)
        self.fill_font = r.choice([*MONO, r.choice(SANS), self.body_font])
        self.size = round(r.uniform(9.6, 11.2), 1)
        self.ink = r.choice(["#111", "#000", "#1b1b1b", "#222"])
        self.fill_ink = r.choice(["#000", "#111", "#0b2a6b", "#1a1a40"])
        self.date_style = r.randrange(5)
        self.sig_ink = r.choice(["#0b2a6b", "#111", "#1d2f8a", "#202020"])

    # random helpers -------------------------------------------------------------------
    def pick(self, seq):
        return self.rng.choice(seq)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def person(self, middle: float = 0.5) -> str:
        mid = f" {self.pick(MIDDLE)}." if self.chance(middle) else ""
        return f"{self.pick(FIRST)}{mid} {self.pick(LAST)}"

    def day(self, first: date, last: date) -> date:
        return first + timedelta(days=self.rng.randint(0, (last - first).days))

    def issued(self, last: date = NOW) -> date:
        self.extra["issued"] = x = self.day(ISSUE_FIRST, last)
        return x

    def d(self, x: date, style: int | None = None) -> str:
        s = self.date_style if style is None else style
        month = x.strftime("%B")
        return [
            f"{x.month:02d}/{x.day:02d}/{x.year}",
            f"{month} {x.day}, {x.year}",
            f"{x.day} {month} {x.year}",
            f"{x.month}/{x.day}/{x.year % 100:02d}",
            f"{month[:3]}. {x.day}, {x.year}" if month != "May" else f"May {x.day}, {x.year}",
        ][s]

    def t(self) -> str:
        h = self.rng.randint(8, 17)
        m = self.rng.randrange(0, 60)
        suffix = "a.m." if h < 12 else "p.m."
        h12 = h if h <= 12 else h - 12
        return self.pick(
            [
                f"{h12}:{m:02d} {suffix}",
                f"{h12}:{m:02d} {suffix.replace('.', '')}",
                f"{h:02d}{m:02d} hrs",
                f"{h12}:{m:02d} {suffix.replace('.', '').upper()}",
            ]
        )

    def digits(self, n: int) -> str:
        return "".join(str(self.rng.randrange(10)) for _ in range(n))

    def a_number(self) -> str:
        n = "2" + self.digits(8)
        return self.pick([f"A{n}", f"A {n[:3]} {n[3:6]} {n[6:]}", f"A{n[:3]}-{n[3:6]}-{n[6:]}"])

    def phone(self, area: str = "313") -> str:
        return f"({area}) {self.rng.randint(200, 989)}-{self.digits(4)}"

    # html helpers ---------------------------------------------------------------------
    def fill(self, value: str) -> str:
        return f'<span class="fill">{esc(value)}</span>'

    def lf(self, value: str, caption: str = "", width: str = "2.6in", raw: bool = False) -> str:
        v = value if raw else self.fill(value)
        cap = f'<span class="cap">{esc(caption)}</span>' if caption else ""
        return f'<span class="lf" style="width:{width}"><span class="v">{v}</span>{cap}</span>'

    def cb(self, checked: bool) -> str:
        mark = self.pick(["X", "✓", "X"]) if checked else "&nbsp;"
        return f'<span class="cb"><span class="fill">{mark}</span></span>'

    def signature(self, name: str, width: float = 3.0) -> str:
        r = self.rng
        style = r.random()
        if style < 0.14:
            return f'<span class="fill esig">s/ {esc(name)}</span>'
        if style < 0.22:
            stamp = self.d(self.extra.get("issued", NOW), 0)
            return (
                f'<span class="dsig"><span class="fill">Digitally signed by {esc(name)}</span>'
                f"<br><span class=\"fill small\">Date: {stamp} {self.t()} -05'00'</span></span>"
            )
        w, h = 240.0, 46.0
        base = h * r.uniform(0.6, 0.72)
        x = r.uniform(4, 30)
        # A capital: a tall stroke up and a loop back down to the baseline.
        cap_h = r.uniform(24, 38)
        path = [
            f"M{x:.1f},{base:.1f}",
            f"C{x - 6:.1f},{base - cap_h:.1f} {x + 16:.1f},{base - cap_h - 6:.1f} "
            f"{x + 9:.1f},{base + 2:.1f}",
        ]
        x += 9
        words = r.randint(1, 2)
        for word in range(words):
            if word:
                x += r.uniform(10, 18)
                cap_h = r.uniform(20, 34)
                path.append(f"M{x:.1f},{base:.1f}")
                path.append(
                    f"C{x - 4:.1f},{base - cap_h:.1f} {x + 14:.1f},{base - cap_h:.1f} "
                    f"{x + 8:.1f},{base + 1:.1f}"
                )
                x += 8
            for _ in range(r.randint(4, 9)):
                dx = r.uniform(5, 12)
                if x + dx > w - 25:
                    break
                tall = r.random() < 0.25
                hgt = r.uniform(14, 24) if tall else r.uniform(5, 11)
                y2 = base + r.uniform(-2.5, 2.5)
                path.append(
                    f"C{x + dx * 1.3:.1f},{base - hgt:.1f} {x - dx * 0.5:.1f},{base - hgt:.1f} "
                    f"{x + dx:.1f},{y2:.1f}"
                )
                x += dx
        if r.random() < 0.6:
            path.append(
                f"M{r.uniform(0, 40):.1f},{h * 0.9:.1f} "
                f"Q{w * 0.45:.1f},{h * r.uniform(0.8, 1.0):.1f}"
                f" {min(w - 2, x + r.uniform(0, 30)):.1f},{h * r.uniform(0.7, 0.85):.1f}"
            )
        sw = r.uniform(1.1, 2.0)
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w:.0f} {h:.0f}" '
            f'width="{width * 0.75:.2f}in" height="{0.45:.2f}in" class="sigsvg">'
            f'<path d="{" ".join(path)}" fill="none" stroke="{self.sig_ink}" '
            f'stroke-width="{sw:.2f}" stroke-linecap="round" stroke-linejoin="round"/></svg>'
        )

    def sig_block(
        self,
        name: str,
        caption: str,
        printed: str,
        caption2: str,
        width: float = 3.2,
        align: str = "right",
    ) -> str:
        margin = "margin-left:auto" if align == "right" else "margin-left:0"
        return (
            f'<div class="sigblk" style="width:{width}in;{margin}">'
            f'<div class="sigv">{self.signature(name, width)}</div>'
            f'<div class="cap">{esc(caption)}</div>'
            f'<div class="sigv2">{self.fill(printed)}</div>'
            f'<div class="cap">{esc(caption2)}</div></div>'
        )

    def seal(self, text: str, sub: str = "", size: float = 0.85, color: str = "#1b3668") -> str:
        pts = []
        for i in range(10):
            rad = 30 if i % 2 == 0 else 12
            a = math.pi * (i / 5 - 0.5)
            pts.append(f"{50 + rad * math.cos(a):.1f},{50 + rad * math.sin(a):.1f}")
        star = " ".join(pts)
        ticks = "".join(
            f'<circle cx="{50 + 44 * math.cos(k / 24 * math.tau):.1f}" '
            f'cy="{50 + 44 * math.sin(k / 24 * math.tau):.1f}" r="1.3" fill="{color}"/>'
            for k in range(24)
        )
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="{size}in" '
            f'height="{size}in" class="seal"><circle cx="50" cy="50" r="48" fill="none" '
            f'stroke="{color}" stroke-width="2.5"/><circle cx="50" cy="50" r="38" fill="none" '
            f'stroke="{color}" stroke-width="1.2"/>{ticks}<polygon points="{star}" fill="{color}" '
            f'opacity="0.85"/><text x="50" y="84" font-size="9" text-anchor="middle" '
            f'fill="{color}" font-family="DejaVu Sans" font-weight="bold">{esc(text)}</text>'
            f'<text x="50" y="24" font-size="7" text-anchor="middle" fill="{color}" '
            f'font-family="DejaVu Sans">{esc(sub)}</text></svg>'
        )

    def stamp(self, lines: list[str], color: str | None = None) -> str:
        r = self.rng
        color = color or r.choice(["#b3261e", "#1f3f9a", "#6b1d7a"])
        top = r.uniform(0.3, 7.5)
        left = r.uniform(3.6, 5.4)
        rot = r.uniform(-14, 10)
        body = "<br>".join(esc(x) for x in lines)
        return (
            f'<div class="stamp" style="top:{top:.2f}in;left:{left:.2f}in;color:{color};'
            f'border-color:{color};transform:rotate({rot:.1f}deg)">{body}</div>'
        )

    def ao_caption(self, left: str, right: str, rows: int = 5) -> str:
        paren = "<br>".join(")" for _ in range(rows))
        return (
            f'<table class="capt"><tr><td class="cl">{left}</td><td class="cp">{paren}</td>'
            f'<td class="cr">{right}</td></tr></table>'
        )

    def court_head(self, district: str, state: str) -> str:
        return (
            '<div class="c court">United States District Court</div>'
            '<div class="c small">for the</div>'
            f'<div class="c"><span class="distbox">{self.fill(f"{district} District of {state}")}'
            "</span></div>"
        )


def base_css(w: W) -> str:
    lh = round(w.rng.uniform(1.18, 1.38), 2)
    return f"""
html {{ font-family: {w.body_font}, 'DejaVu Serif', serif; font-size: {w.size}pt;
        color: {w.ink}; line-height: {lh}; }}
body {{ margin: 0; }}
p {{ margin: 0.42em 0; }}
.pg2 {{ break-before: page; }}
.formid {{ font-size: 7.5pt; border-bottom: 1.3px solid currentColor; padding-bottom: 1px;
          margin-bottom: 10px; }}
.formfoot {{ font-size: 7.5pt; margin-top: 14px; border-top: 0.8px solid currentColor;
            padding-top: 2px; }}
.c {{ text-align: center; }}
.r {{ text-align: right; }}
.court {{ font-size: 1.5em; font-weight: bold; font-variant: small-caps; letter-spacing: .02em; }}
.title {{ font-weight: bold; text-align: center; font-size: 1.2em; margin: 12px 0 8px;
         letter-spacing: .03em; }}
.bigtitle {{ font-weight: bold; text-align: center; font-size: 1.6em; margin: 10px 0; }}
.fill {{ font-family: {w.fill_font}, 'DejaVu Sans Mono', monospace; color: {w.fill_ink}; }}
.lf {{ display: inline-block; vertical-align: top; text-align: center; }}
.lf .v {{ display: block; border-bottom: 0.8px solid #222; min-height: 1.25em; padding: 0 3px; }}
.cap {{ display: block; font-size: 7pt; font-style: italic; text-align: center; line-height: 1.1; }}
.cb {{ display: inline-block; width: 0.8em; height: 0.8em; border: 0.8px solid #111;
      line-height: 0.8em; text-align: center; font-size: 0.9em; margin-right: 0.35em;
      vertical-align: -0.1em; }}
.sigblk {{ margin-top: 6px; }}
.sigv {{ border-bottom: 0.8px solid #222; height: 0.48in; text-align: center; }}
.sigv2 {{ border-bottom: 0.8px solid #222; min-height: 1.2em; text-align: center; }}
.sigsvg {{ display: inline-block; }}
.esig {{ display: inline-block; padding-top: 0.22in; font-style: italic; }}
.dsig {{ display: inline-block; font-size: 0.8em; text-align: left; line-height: 1.1;
        padding-top: 0.08in; }}
.small {{ font-size: 0.82em; }}
.tiny {{ font-size: 0.7em; }}
table {{ border-collapse: collapse; width: 100%; }}
.box td {{ border: 0.8px solid #222; padding: 3px 6px; vertical-align: top; }}
.capt td {{ vertical-align: top; }}
.capt .cl {{ width: 47%; }}
.capt .cp {{ width: 4%; line-height: 1.15; }}
.capt .cr {{ padding-left: 12px; padding-top: 2.2em; }}
.distbox {{ display: inline-block; border-bottom: 0.8px solid #222; min-width: 2.6in;
           padding: 0 6px; }}
.stamp {{ position: absolute; border: 2.5px solid; border-radius: 4px; padding: 2px 10px;
         font: bold 13pt 'DejaVu Sans', sans-serif; text-align: center; opacity: 0.72;
         letter-spacing: .08em; }}
.lh {{ display: flex; align-items: center; gap: 12px; border-bottom: 1.5px solid #1b3668;
      padding-bottom: 6px; margin-bottom: 10px; }}
.lh .agency {{ font-family: 'DejaVu Sans', sans-serif; }}
.lh .dept {{ font-weight: bold; font-size: 1.15em; }}
ul {{ margin: 0.3em 0 0.3em 1.3em; padding: 0; }}
li {{ margin: 0.15em 0; }}
.ret {{ border: 1px solid #222; margin-top: 8px; padding: 4px 6px; }}
.ret .rh {{ text-align: center; font-weight: bold; border-bottom: 1px solid #222;
           margin: -4px -6px 4px; padding: 2px; }}
.sep {{ border-top: 1.2px solid #222; margin: 6px 0; }}
"""


def iso(x: date | None) -> str | None:
    return x.isoformat() if x else None


def meta(
    kind: str,
    form: str | None,
    template: str,
    *,
    issued: date | None,
    execute_by: date | None = None,
    signer_title: str = "",
    place: bool | None = None,
) -> dict:
    return {
        "kind": kind,
        "form": form,
        "template": template,
        "place_matches_library": place,
        "issued": iso(issued),
        "execute_by": iso(execute_by),
        "signer_title": signer_title,
    }


def deadline(w: W, issued: date, max_days: int = 14) -> date:
    """A return or execution date: usually still ahead, sometimes already past."""
    latest = issued + timedelta(days=max_days)
    if w.chance(0.3) and issued + timedelta(days=2) < NOW:
        return w.day(issued + timedelta(days=2), min(latest, NOW - timedelta(days=1)))
    first = max(issued + timedelta(days=3), NOW)
    return w.day(first, max(first, latest))

"""Point 11: the transparency report cannot be solved.

An attacker holds every number the report publishes (the page's tables and totals, the
charts' bars, titles and descriptions, the CSV, every other quarter, the half-yearly bands)
and knows that each table of a quarter counts the same visits. `solve` below works out,
exactly, every value each published figure can still take under those constraints; the
tests show it is always the whole band that was published: nothing narrows anything.
"""

import csv
import datetime as dt
import io
import itertools
import re
import xml.etree.ElementTree as ET
import zoneinfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from patronshield.accounts.models import User
from patronshield.desk.models import Encounter
from patronshield.public import transparency
from patronshield.public.transparency import TABLES, Row

DETROIT = zoneinfo.ZoneInfo("America/Detroit")
Q3 = dt.datetime(2026, 8, 10, 14, 0, tzinfo=DETROIT)
CAP = 400  # "at least N" or "withheld" has no top: the attacker tries up to this
SVG = "{http://www.w3.org/2000/svg}"


# ------------------------------------------------------------------ the attacker
def parse(shown: str) -> tuple[int, int]:
    """What a published figure says, as the least and the most it can be."""
    if m := re.fullmatch(r"\d+", shown):
        return int(shown), int(shown)
    if m := re.fullmatch(r"fewer than (\d+)", shown):
        return 0, int(m[1]) - 1
    if m := re.fullmatch(r"(\d+)–(\d+)", shown):
        return int(m[1]), int(m[2])
    if m := re.fullmatch(r"at least (\d+)", shown):
        return int(m[1]), CAP
    if shown == "withheld":
        return 0, CAP
    raise AssertionError(f"not a published figure: {shown!r}")


def sums(bands: list[tuple[int, int]], cap: int) -> set[int]:
    """Every sum the cells of `bands` can make together (at most `cap`)."""
    reach = {0}
    for low, high in bands:
        reach = {s + v for s in reach for v in range(low, min(high, cap) + 1) if s + v <= cap}
    return reach


def solve(total: tuple[int, int], tables: list[list[tuple[int, int]]]):
    """Exactly what every figure can still be: the total's values, and each cell's.

    The tables share nothing but the total, so a cell can be v when some total T is in
    the total's band, every table can add up to T, and the cell's own table can add up
    to T with the cell at v (its other cells making T - v)."""
    low, cap = total
    totals = set(range(low, cap + 1)).intersection(*(sums(t, cap) for t in tables))
    cells = []
    for t in tables:
        row = []
        for i, (lo, hi) in enumerate(t):
            others = sums(t[:i] + t[i + 1 :], cap)
            row.append({v for v in range(lo, hi + 1) if any(s - v in others for s in totals)})
        cells.append(row)
    return totals, cells


def assert_unsolvable(total_shown: str, tables: list[list[str]], counts=None, total=None):
    total_band = parse(total_shown)
    bands = [[parse(s) for s in t] for t in tables]
    totals, cells = solve(total_band, bands)
    assert totals == set(range(total_band[0], total_band[1] + 1)), (total_shown, totals)
    for t, shown_row in enumerate(tables):
        for i, shown in enumerate(shown_row):
            (lo, hi), values = bands[t][i], cells[t][i]
            assert values == set(range(lo, hi + 1)), (t, i, shown, sorted(values))
            assert len(values) >= 4  # a "fewer than 5" keeps 1, 2, 3 and 4 (and 0)
            if counts is not None:
                assert lo <= counts[t][i] <= hi
    if total is not None:
        assert total_band[0] <= total <= total_band[1]


def test_the_solver_agrees_with_trying_every_assignment():
    """`solve` is exact: on small cases it finds what trying every assignment finds."""
    cases = [
        ("at least 10", [[(9, 9), (0, 4)], [(5, CAP), (5, 5)]]),
        ("5–9", [[(0, 4), (5, 9), (0, 4)], [(0, 4), (0, 4), (0, 4)]]),
        ("fewer than 5", [[(0, 4), (0, 4)], [(1, 4), (1, 4)]]),
        ("20–24", [[(0, 4)] * 5, [(20, 24), (0, 4)]]),
    ]
    for total_shown, tables in cases:
        total_band = parse(total_shown)
        cap = min(total_band[1], 30)
        seen_totals, seen = set(), [[set() for _c in t] for t in tables]
        flat = [c for t in tables for c in t]
        for values in itertools.product(*(range(lo, min(hi, cap) + 1) for lo, hi in flat)):
            it = iter(values)
            rows = [[next(it) for _c in t] for t in tables]
            first = sum(rows[0])
            if total_band[0] <= first <= cap and all(sum(r) == first for r in rows):
                seen_totals.add(first)
                for t, r in enumerate(rows):
                    for i, v in enumerate(r):
                        seen[t][i].add(v)
        assert solve((total_band[0], cap), tables) == (seen_totals, seen)


# ------------------------------------------------------------------ random quarters
@st.composite
def quarters(draw):
    """A quarter's counts: a total, and for each table a way of splitting it."""
    total = draw(st.integers(0, 170))
    tables = []
    for _title, groups in TABLES.values():
        cuts = draw(st.lists(st.integers(0, total), min_size=len(groups) - 1,
                             max_size=len(groups) - 1))  # fmt: skip
        edges = [0, *sorted(cuts), total]
        tables.append([b - a for a, b in itertools.pairwise(edges)])
    return tables


def quarter_of_counts(tables):
    lists = [
        [key for key, n in zip(groups, counts, strict=True) for _i in range(n)]
        for (_title, groups), counts in zip(TABLES.values(), tables, strict=True)
    ]
    rows = [Row(Q3, False, *categories) for categories in zip(*lists, strict=True)]
    return transparency.quarter_report(2026, 3, DETROIT, rows)


@settings(max_examples=400, deadline=None)
@given(quarters())
# Two categories of 1 to 4 in a table beside a lone one in another (an exact 0 would say
# the lone one is at least 2); five categories of 4 beside a single 20 (bands of 5 would
# pin the total at 20 and each of the five at 4); the quarter the issue found solvable.
@example([[2, 0, 0, 0, 0], [1, 1, 0, 0, 0], [2, 0, 0, 0, 0], [2, 0, 0, 0, 0]])
@example([[4, 4, 4, 4, 4], [20, 0, 0, 0, 0], [20, 0, 0, 0, 0], [20, 0, 0, 0, 0]])
@example([[9, 0, 0, 24, 4], [37, 0, 0, 0, 0], [0, 0, 0, 37, 0], [1, 9, 9, 9, 9]])
@example([[8, 0, 0, 2, 0], [10, 0, 0, 0, 0], [10, 0, 0, 0, 0], [5, 0, 5, 0, 0]])
def test_it_refuses_to_let_anyone_solve_a_quarter_from_its_published_numbers(tables):
    q = quarter_of_counts(tables)
    shown = [[c.shown for c in q.tables[name]] for name in TABLES]
    assert_unsolvable(q.total_shown, shown, counts=tables, total=sum(tables[0]))
    # What the CSV gives as numbers is what the words say.
    assert (q.total_low, q.total_high) == parse(q.total_shown)
    assert all((c.low, c.high) == parse(c.shown) for t in q.tables.values() for c in t)


def test_the_band_width_follows_from_the_published_total_alone():
    """The quarter's band width is chosen from its total; every total the published band
    allows would have chosen the same width, so the width tells nothing more."""
    for total in range(0, 2000):
        width = transparency.band_width(total)
        low, high, _shown = transparency.banded(total, width)
        assert {transparency.band_width(t) for t in range(low, high + 1)} == {width}
        assert total < transparency.SPAN * width  # the bound the proof needs


# ------------------------------------------------------------------ the page, charts, CSV
def visit(lib, at, n=1, **kw):
    fields = {"agency": "ice", "request": "question_people_public_area", "document": "none",
              "outcome": "permit"} | kw  # fmt: skip
    for _i in range(n):
        e = Encounter.objects.create(library=lib, drill=False, emergency=False, **fields)
        Encounter.objects.filter(pk=e.pk).update(started_at=at)


@pytest.fixture
def public(library, settings):
    settings.PATRONSHIELD_PUBLIC_LIBRARY = "ecorse"
    return library[0]


def published_csv(client) -> dict[str, dict[tuple[str, str], str]]:
    rows = csv.DictReader(io.StringIO(client.get("/transparency.csv").content.decode()))
    out: dict[str, dict[tuple[str, str], str]] = {}
    for r in rows:
        if r.get("low"):  # the numbers a spreadsheet sums are what the words say
            assert (int(r["low"]), int(r["high"])) == parse(r["count"])
        out.setdefault(r["period"], {})[(r["table"], r["category"])] = r["count"]
    return out


def page_figures(html: str) -> tuple[str, dict[str, list[str]], list[str]]:
    """The total, each table's cells as the page's tables show them, and the charts."""
    total = re.search(r"Visits with a request: <strong>(.*?)</strong>", html)[1]
    tables = {}
    for name in TABLES:
        body = re.search(rf'aria-labelledby="[^"]*-{name}">.*?<tbody>(.*?)</tbody>', html, re.S)
        tables[name] = re.findall(r"<td>(.*?)</td>", body[1])
    return total, tables, re.findall(r"<svg.*?</svg>", html, re.S)


def test_it_refuses_to_let_the_issues_quarter_be_solved(client, public):
    """The quarter that was solvable: 8 immigration visits and 2 by the sheriff; 5 let in
    the public areas and 5 declined. Before, "at least 10" beside "8" left the sheriff's
    "fewer than 5" only 2, 3 or 4, and the rule that the withheld count is the smallest
    left it exactly 2. Now the page, the charts and the CSV leave it 0 to 4."""
    at = dt.datetime(2025, 8, 1, tzinfo=DETROIT)
    visit(public, at, 5)
    visit(public, at, 3, outcome="decline")
    visit(public, at, 2, agency="sheriff", outcome="decline")
    html = client.get("/transparency/2025-Q3/").content.decode()
    total, tables, svgs = page_figures(html)
    data = published_csv(client)["2025-Q3"]
    assert data[("total", "total")] == total
    for name, (_title, groups) in TABLES.items():
        assert [data[(name, key)] for key in groups] == tables[name]
    for (name, (_title, groups)), svg in zip(TABLES.items(), svgs, strict=True):
        root = ET.fromstring(svg)  # noqa: S314 - our own page; the charts say the same
        texts = ["".join(x.itertext()) for x in root.iter(f"{SVG}text")]
        assert texts[1::2] == tables[name]
        pairs = zip(groups.values(), tables[name], strict=True)
        assert root.find(f"{SVG}desc").text == "; ".join(f"{k}: {v}" for k, v in pairs) + "."
    assert tables["agency"][3] == "fewer than 5"  # the sheriff
    assert_unsolvable(total, [tables[name] for name in TABLES])


def test_it_refuses_to_tell_one_more_visit_apart_in_the_page_charts_or_csv(client, public):
    """Two quarters that differ by one visit inside the same bands look the same
    everywhere: the bars' lengths come from the bands, not from the counts."""
    visit(public, dt.datetime(2026, 4, 2, tzinfo=DETROIT), 6)
    visit(public, dt.datetime(2026, 4, 2, tzinfo=DETROIT), 2, agency="sheriff")
    visit(public, dt.datetime(2026, 8, 2, tzinfo=DETROIT), 7)
    visit(public, dt.datetime(2026, 8, 2, tzinfo=DETROIT), 2, agency="sheriff")
    q2 = client.get("/transparency/2026-Q2/").content.decode()
    q3 = client.get("/transparency/2026-Q3/").content.decode()
    svgs2 = [s.replace("2026-Q2", "Q") for s in page_figures(q2)[2]]
    svgs3 = [s.replace("2026-Q3", "Q") for s in page_figures(q3)[2]]
    assert svgs2 == svgs3 and len(svgs2) == 4
    assert page_figures(q2)[:2] == page_figures(q3)[:2]
    data = published_csv(client)
    assert data["2026-Q2"] == data["2026-Q3"]


def test_it_refuses_to_say_which_quarter_saw_the_first_visit(client, public):
    """The first quarter listed used to be the first with a visit, so its "fewer than 5"
    meant 1 to 4. The report now begins when the library's first staff member joined."""
    User.objects.create_user("first@a.example.org", library=public,
                             date_joined=dt.datetime(2025, 2, 1, tzinfo=DETROIT))  # fmt: skip
    visit(public, dt.datetime(2025, 8, 1, tzinfo=DETROIT), 2)
    data = published_csv(client)
    assert {"2025-Q1", "2025-Q2", "2025-Q3"} <= set(data)
    assert min(data) == "2025-Q1"
    for period, figures in data.items():  # a quarter without visits looks like one with 2
        assert figures[("total", "total")] == "fewer than 5", period
    # Nothing spans quarters (no year to date, no running total) that could be differenced.
    assert all(re.fullmatch(r"\d{4}-Q[1-4]", period) for period in data)

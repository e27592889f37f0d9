"""The Know-Your-Rights text is data: one file per language, every key in every file,
nothing empty, the same placeholders, and every translation marked machine-drafted."""

import re

import pytest

from patronshield.public import content

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def shape(node):
    """The keys of a file, with the length of each list, without the text."""
    if isinstance(node, dict):
        return {k: shape(v) for k, v in node.items()}
    if isinstance(node, list):
        return len(node)
    return str


def strings(node, path=""):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from strings(v, f"{path}.{k}" if path else k)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from strings(v, f"{path}[{i}]")
    else:
        yield path, node


def test_there_is_a_file_for_every_patron_language():
    files = {p.stem for p in content.CONTENT_DIR.glob("*.toml")}
    assert files == set(content.CODES)
    assert len(content.CODES) == 19


@pytest.mark.parametrize("code", content.CODES)
def test_every_language_has_every_key_and_nothing_empty(code):
    text = content.load(code)
    assert shape(text) == shape(content.load("en"))
    empty = [path for path, value in strings(text) if not value.strip()]
    assert not empty


@pytest.mark.parametrize("code", content.CODES)
def test_placeholders_match_the_english(code):
    english = dict(strings(content.load("en")))
    for path, value in strings(content.load(code)):
        if path.startswith("meta."):
            continue
        assert set(PLACEHOLDER.findall(value)) == set(PLACEHOLDER.findall(english[path])), path


@pytest.mark.parametrize("code", content.CODES)
def test_every_translation_follows_the_current_english_and_is_marked_machine_drafted(code):
    meta = content.load(code)["meta"]
    assert meta["version"] == content.VERSION
    assert meta["status"] == "machine-drafted"


@pytest.mark.parametrize("code", [c for c in content.CODES if c != "en"])
def test_translations_are_translated(code):
    """Not a copy of the English: most strings differ, and form numbers are kept as is."""
    english = dict(strings(content.load("en")))
    text = dict(strings(content.load(code)))
    same = [p for p, v in text.items() if v == english[p] and not p.startswith("meta.")]
    assert len(same) < 3, same
    assert "I-200" in text["warrants.ice_heading"] and "I-205" in text["warrants.ice_heading"]
    assert "911" in text["call.emergency"]


def test_numbers_and_form_numbers_stay_left_to_right():
    html = content.ltr("Form I-200 or call 313-555-0150 & 911")
    assert '<bdi dir="ltr">I-200</bdi>' in html
    assert '<bdi dir="ltr">313-555-0150</bdi>' in html
    assert '<bdi dir="ltr">911</bdi>' in html
    assert "&amp;" in html


def test_placeholders_are_escaped_and_isolated():
    html = content.fill("From {library}", {"library": "<Ecorse> & Co"})
    assert html == "From <bdi>&lt;Ecorse&gt; &amp; Co</bdi>"


def test_korean_words_are_kept_whole_in_print():
    html = content.keep_words({"a": content.fill("양식 I-200 또는 {library}가", {"library": "X"})})
    assert html["a"] == (
        '<span class="kw">양식</span> <bdi dir="ltr">I-200</bdi> <span class="kw">또는</span> '
        '<bdi>X</bdi><span class="kw">가</span>'
    )


# ------------------------------------------------------------------ the pages' labels
@pytest.mark.parametrize("code", content.CODES)
def test_every_language_has_every_page_label_with_its_placeholders(code):
    """The labels of the navigation, help and contacts, events, statements and the
    transparency report: every key of the English in every language, nothing empty."""
    english, text = content.labels("en"), content.labels(code)
    assert shape(text) == shape(english)
    assert not [path for path, value in strings(text) if not value.strip()]
    english_strings = dict(strings(english))
    for path, value in strings(text):
        if not path.startswith("meta."):
            expected = set(PLACEHOLDER.findall(english_strings[path]))
            assert set(PLACEHOLDER.findall(value)) == expected, path
    assert text["meta"]["version"] == english["meta"]["version"]
    # Drafted by machine and marked so, as the rights text is, until a person checks it.
    assert text["meta"]["status"] == ("source" if code == "en" else "machine-drafted")


@pytest.mark.parametrize("code", [c for c in content.CODES if c != "en"])
def test_page_labels_are_translated_and_in_the_language_s_script(code):
    english = dict(strings(content.labels("en")))
    text = dict(strings(content.labels(code)))
    words = [p for p, v in english.items() if re.search(r"[^\W\d_]", PLACEHOLDER.sub("", v))]
    same = [p for p in words if text[p] == english[p] and not p.startswith("meta.")]
    assert len(same) < 2, same  # "Immigration (ICE, CBP, HSI)" is French too
    for path in ("nav.transparency", "nav.statements", "transparency.title", "events.title"):
        assert content.letters_of(code, text[path]) >= 2, path
    assert "911" in text["resources.emergency"]


def test_the_labels_name_every_category_the_pages_show():
    from patronshield.public.models import Event, Resource
    from patronshield.public.transparency import TABLES

    labels = content.labels("en")
    assert set(labels["resources"]["kinds"]) == set(Resource.Kind.values)
    assert set(labels["events"]["kinds"]) == set(Event.Kind.values)
    assert set(labels["transparency"]["tables"]) == set(TABLES)
    for name, (_title, groups) in TABLES.items():
        assert set(labels["transparency"][name]) == set(groups), name
        # The English labels are the report's own, so the CSV and the page agree.
        assert [labels["transparency"][name][k] for k in groups] == [
            str(v) for v in groups.values()
        ]


@pytest.mark.parametrize(
    ("asked", "ours"),
    [
        ("zh", "zh-Hans"),
        ("zh-CN", "zh-Hans"),
        ("zh-TW", "zh-Hant"),
        ("zh-HK", "zh-Hant"),
        ("zh-Hant-TW", "zh-Hant"),
        ("zh-hans", "zh-Hans"),
        ("es-MX", "es"),
        ("pt_BR", "pt"),
        ("EN-gb", "en"),
        ("fil", "tl"),
        ("prs", "fa"),
        ("arabic", "ar"),
        ("Español", "es"),
        ("Somali", "so"),
        ("ar-EG", "ar"),
        ("xx", None),
        ("de", None),
        ("", None),
    ],
)
def test_the_closest_language_we_have(asked, ours):
    assert content.closest(asked) == ours


def test_the_browser_s_first_language_we_have():
    assert content.negotiate("de-DE,fa;q=0.8,en;q=0.5") == "fa"
    assert content.negotiate("zh-TW,zh;q=0.9") == "zh-Hant"
    assert content.negotiate("de, it") == "en"
    assert content.negotiate("") == "en"


@pytest.mark.parametrize("code", content.CODES)
def test_dates_and_bands_in_every_language(code):
    import datetime as dt

    day = dt.date(2026, 12, 5)  # a Saturday
    dates = content.labels(code)["dates"]
    assert str(day.day) in content.long_date(code, day)
    assert dates["weekdays"][5] in content.long_date(code, day, weekday=True)
    assert dates["months"][6] in content.month_range(code, dt.date(2025, 7, 1), day)
    assert content.band(code, 5, 9).strip("\u2066\u2069") == "5–9"
    assert "5" in content.band(code, 0, 4) and "4" not in content.band(code, 0, 4)
    if code in content.RTL:
        assert content.band(code, 5, 9) == "\u20665–9\u2069"  # left to right inside

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

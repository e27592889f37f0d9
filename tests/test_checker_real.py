"""The checker on real, public papers (bench/real/manifest.toml): a real order in someone
else's case commands nothing of this library, so the checker must not say it authorizes
anything here. Only the PDFs with a text layer (no OCR, a few seconds)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bench.real import documents_dir, load_manifest
from patronshield.checker import LibraryContext, check_path
from patronshield.policy import vocab

ECORSE = LibraryContext(
    name="Ecorse Public Library",
    address="4184 W. Jefferson Ave., Ecorse, MI 48229",
    time_zone="America/Detroit",
    state="MI",
)
NOW = datetime(2026, 11, 24, 14, 0, tzinfo=ZoneInfo("America/Detroit"))
MANIFEST = load_manifest()
FOLDER = documents_dir()
TEXT_PDFS = [d for d in MANIFEST if d["file"].endswith(".pdf") and d.get("text_layer")]


def test_the_manifest_records_a_source_and_a_truth_for_every_paper():
    files = [d["file"] for d in MANIFEST]
    assert len(files) == len(set(files))
    papers = [d for d in MANIFEST if not d.get("derived_from")]
    assert len(papers) >= 40
    for d in MANIFEST:
        assert d["kind"] in vocab.DOCUMENTS and d["kind"] not in ("none", "verbal", "unknown")
        assert d["addressee"]
        assert isinstance(d["authorizes"], list)
        if d.get("derived_from"):
            assert d["derived_from"] in files and d["seed"]
        else:
            assert {"repo", "commit", "path"} <= set(d["source"])
            assert d["publisher"] and d["retrieved"] and d["sha256"]


@pytest.mark.parametrize("doc", TEXT_PDFS, ids=[d["file"] for d in TEXT_PDFS])
def test_a_real_paper_authorizes_nothing_it_does_not_command_of_this_library(doc):
    if FOLDER is None:
        pytest.skip("the real papers are not on this machine (see bench/real.py)")
    result = check_path(FOLDER / doc["file"], context=ECORSE, now=NOW)
    granted = sorted(k for k, v in result.authorizes.items() if v)
    overreach = [k for k in granted if k not in doc["authorizes"]]
    assert not overreach, (
        f"{doc['file']} (true kind {doc['kind']}, read as {result.kind}) commands "
        f"{doc['addressee']}, yet the checker says it authorizes {', '.join(overreach)} here"
    )

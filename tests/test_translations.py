"""Every user-facing string is translated in every shipped language, and the compiled
catalogue matches its source."""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "patronshield" / "locale"
SHIPPED = [code for code, _name in settings.LANGUAGES if code != "en"]


def po_entries(path: Path) -> dict[str, str]:
    entries, msgid, msgstr, field = {}, None, None, None
    for line in path.read_text().splitlines() + [""]:
        if line.startswith("msgid "):
            if msgid is not None:
                entries[msgid] = msgstr
            msgid, msgstr, field = line[7:-1], None, "id"
        elif line.startswith("msgstr "):
            msgstr, field = line[8:-1], "str"
        elif line.startswith("msgstr[0] "):  # plural forms: the first one stands for all
            msgstr, field = line[11:-1], "str"
        elif line.startswith("msgstr["):
            field = None
        elif line.startswith('"') and field == "id":
            msgid += line[1:-1]
        elif line.startswith('"') and field == "str":
            msgstr += line[1:-1]
    if msgid is not None:
        entries[msgid] = msgstr
    entries.pop("", None)

    def unescape(text):
        return text.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")

    return {unescape(k): v for k, v in entries.items()}


@pytest.mark.parametrize("language", SHIPPED)
def test_every_message_is_translated_and_compiled(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    text = po.read_text()
    assert "#, fuzzy" not in text
    entries = po_entries(po)
    assert len(entries) > 100
    untranslated = [k for k, v in entries.items() if not v]
    assert not untranslated
    with (po.with_suffix(".mo")).open("rb") as f:
        catalog = gettext.GNUTranslations(f)._catalog
    singular = {k[0] if isinstance(k, tuple) else k for k in catalog if k}
    assert singular == set(entries), "run compilemessages"


def test_templates_mark_their_words_for_translation():
    """No bare English sentence between tags in a template."""
    for template in (Path(settings.BASE_DIR) / "patronshield" / "templates").rglob("*.html"):
        for text in re.findall(r">([^<>{}]*[A-Za-z]{3,}[^<>{}]*)<", template.read_text()):
            assert not text.strip(), f"{template.name}: untranslated {text.strip()!r}"

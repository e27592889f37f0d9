"""Bad input never costs the server: a card pattern that backtracks, an alert body that is
not a small JSON object, an upload larger than the limit, a PDF that acts or does not parse,
and an event title that would add lines to the calendar feed."""

import hashlib
import io
import json
import re
import subprocess
import sys
import textwrap

import icalendar
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader, PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject
from pypdf.generic import TextStringObject as Text

from patronshield import crypto
from patronshield.desk import services
from patronshield.desk.models import DocumentCheck, DocumentPage, Encounter
from patronshield.notifications.models import Device, Notification
from patronshield.records.models import RecordsRequest

MB = 1_048_576


def page_text(response) -> str:
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#x27;", "'")


@pytest.fixture
def encounter(people):
    e = services.encounter_start(user=people["desk"])
    return services.encounter_answer(
        encounter=e, actor=people["desk"], agency="fbi", request="seize_equipment",
        document="judicial_search_warrant", emergency=False,
    )  # fmt: skip


# ---------------------------------------------------------------- (a) the card pattern


CATASTROPHIC = textwrap.dedent("""
    import time
    from patronshield.desk import pii

    started = time.perf_counter()
    for pattern, text in [
        (r"(a+)+$", "a" * 100_000 + "!"),
        (r"(\\d+)+x", "1" * 100_000),
        (r"(a|aa)+$", "a" * 100_000 + "b"),
    ]:
        pii.findings(text, pattern)
    print(time.perf_counter() - started)
""")


def test_it_refuses_to_hang_on_a_catastrophic_card_pattern():
    """An administrator's pattern runs on every note the desk saves: with a backtracking
    engine, one note of 100,000 letters holds a worker for longer than the universe."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", CATASTROPHIC], capture_output=True, text=True, timeout=10
        )
    except subprocess.TimeoutExpired:
        pytest.fail("the card pattern was still running after 10 seconds")
    assert done.returncode == 0, done.stderr
    assert float(done.stdout) < 2  # RE2: linear in the text, whatever the pattern


@pytest.mark.parametrize("pattern", [r"(\d)\1{13}", r"(?=2)\d{14}", r"\b2(\d{13}", "(?<!x)2"])
def test_it_refuses_a_card_pattern_that_needs_backtracking_when_saved(library, pattern):
    from patronshield.libraries.admin import LibraryForm

    lib, _branch = library
    data = {**model_to_dict(lib, fields=LibraryForm.Meta.fields), "card_number_pattern": pattern}
    form = LibraryForm(data=data, instance=lib)
    assert not form.is_valid()
    (message,) = form.errors["card_number_pattern"]
    assert message.startswith("Not a pattern this library can use (")
    assert r"as in \b2\d{13}\b" in message


def test_a_pattern_saved_before_the_check_still_warns_of_a_card_number(library):
    """A library whose pattern was saved before RE2 (a look-ahead, say) is not left with no
    card warnings at all: the default barcode pattern still speaks."""
    from patronshield.desk import pii
    from patronshield.libraries.models import Library

    lib, _branch = library
    Library.objects.filter(pk=lib.pk).update(card_number_pattern=r"(?=2)\d{14}")
    lib.refresh_from_db()
    found = pii.findings("Patron card 21234567890123 was asked for", lib.card_number_pattern)
    assert ("card", "21234567890123") in [(f.kind, f.text) for f in found]
    assert Library._meta.get_field("card_number_pattern").default == pii.DEFAULT_CARD_PATTERN


def test_the_card_pattern_still_finds_a_card(library):
    from patronshield.desk import pii
    from patronshield.libraries.admin import LibraryForm

    lib, _branch = library
    data = {
        **model_to_dict(lib, fields=LibraryForm.Meta.fields),
        "card_number_pattern": r"\bEPL\d{6}\b",
    }  # noqa: E501
    assert LibraryForm(data=data, instance=lib).is_valid()
    assert [f.text for f in pii.findings("card EPL123456 shown", r"\bEPL\d{6}\b")] == ["EPL123456"]
    assert pii.findings("nothing here", r"\d*") == []  # a match of nothing is no finding


# ---------------------------------------------------------------------- (b) /api/alert


@pytest.fixture
def device_token(library):
    import secrets

    lib, branch = library
    token = secrets.token_urlsafe(32)
    Device.objects.create(
        library=lib, branch=branch, name="Front desk button",
        token_hash=hashlib.sha256(token.encode()).hexdigest(),
    )  # fmt: skip
    return token


DEEP = 100_000
BAD_BODIES = {
    "nested arrays 100,000 deep": ("[" * DEEP + "]" * DEEP, "application/json"),
    "nested objects 100,000 deep": ('{"a":' * DEEP + "1" + "}" * DEEP, "application/json"),
    "a value nested 100,000 deep": (
        '{"agency":' + "[" * DEEP + "]" * DEEP + "}",
        "application/json",
    ),  # noqa: E501
    "an array": ("[1, 2]", "application/json"),
    "a string": ('"ice"', "application/json"),
    "null": ("null", "application/json"),
    "a huge object": (json.dumps({"area": "x" * 2_000_000}), "application/json"),
    "a value that is not text": ('{"agency": ["ice"]}', "application/json"),
    "an area that is an object": ('{"area": {"name": "lobby"}}', "application/json"),
    "not UTF-8": (b'{"agency": "\xff\xfe"}', "application/json"),
    "JSON sent as text": ('{"agency": "ice"}', "text/plain"),
    "a form": ("agency=ice", "application/x-www-form-urlencoded"),
}


@pytest.mark.parametrize("body,content_type", BAD_BODIES.values(), ids=BAD_BODIES.keys())
def test_it_refuses_an_alert_body_that_is_not_a_small_json_object(
    people, device_token, body, content_type
):
    client = Client(raise_request_exception=False)
    r = client.post(
        "/api/alert", data=body, content_type=content_type,
        HTTP_AUTHORIZATION=f"Bearer {device_token}",
    )  # fmt: skip
    assert r.status_code == 400
    assert r["Content-Type"] == "application/json" and r.json()["error"]
    assert len(r.content) < 300  # the answer never echoes what was sent
    assert Encounter.objects.count() == 0 and Notification.objects.count() == 0


def test_an_empty_alert_still_raises_the_alarm(people, device_token):
    """`curl -X POST -H 'Authorization: Bearer …'` with no body, as `device add` shows."""
    r = Client().generic("POST", "/api/alert", b"", HTTP_AUTHORIZATION=f"Bearer {device_token}")
    assert r.status_code == 201 and Encounter.objects.count() == 1


# ------------------------------------------------------------------------ (c) uploads


@pytest.fixture
def spooled(monkeypatch):
    """How many bytes of each upload reached Django's handlers, which keep them in memory
    or in a temporary file."""
    kept = []
    for handler in (MemoryFileUploadHandler, TemporaryFileUploadHandler):
        original = handler.receive_data_chunk

        def spy(self, raw_data, start, original=original):
            if getattr(self, "activated", True):  # memory, else passed on to a temporary file
                kept.append(len(raw_data))
            return original(self, raw_data, start)

        monkeypatch.setattr(handler, "receive_data_chunk", spy)
    return kept


def too_big(name="receipt.jpg", size=3 * MB) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"\xff\xd8\xff" + b"\0" * size, content_type="image/jpeg")


@pytest.fixture
def one_mb(settings):
    settings.PATRONSHIELD_UPLOAD_MAX_BYTES = MB


def test_it_refuses_an_oversized_receipt_before_reading_it(
    client, people, encounter, one_mb, spooled
):
    client.force_login(people["desk"])
    r = client.post(reverse("desk:record_action", args=[encounter.pk, "receipt"]),
                    {"file": too_big()})  # fmt: skip
    assert r.status_code == 400
    assert "receipt.jpg is too large (the limit is 1 MB)." in page_text(r)
    assert sum(spooled) <= MB  # never more of it than the limit, in memory or on disk
    assert not encounter.attachments.exists()


def test_it_refuses_oversized_document_pages_before_reading_them(
    client, people, encounter, one_mb, spooled
):
    client.force_login(people["desk"])
    r = client.post(reverse("desk:upload", args=[encounter.pk]), {"pages": [too_big("p1.jpg")]})
    assert r.status_code == 400
    assert "p1.jpg is too large (the limit is 1 MB)." in page_text(r)
    assert sum(spooled) <= MB
    assert not DocumentCheck.objects.filter(encounter=encounter).exists()


RECORDS_FORM = {
    "kind": "judicial_subpoena",
    "agency": "fbi",
    "officer": "Special Agent Diaz",
    "reference": "Case 2:26-cr-00417",
    "asked": "patron_records",
    "description": "Borrowing records of one account, January to June.",
    "received_on": "2026-12-01",
    "deadline": "2026-12-15",
}


def test_it_refuses_an_oversized_records_file_and_keeps_what_was_typed(
    client, people, one_mb, spooled
):
    client.force_login(people["desk"])
    r = client.post(reverse("records:new"), {**RECORDS_FORM, "files": [too_big("scan.jpg")]})
    assert r.status_code == 400 and not RecordsRequest.objects.exists()
    assert "scan.jpg is too large (the limit is 1 MB)." in page_text(r)
    assert "Borrowing records of one account, January to June." in page_text(r)
    assert 'value="Case 2:26-cr-00417"' in r.text
    assert sum(spooled) <= MB


# ------------------------------------------------------------------------- (d) PDFs


def hostile_pdf() -> bytes:
    """One page that runs JavaScript when opened and when shown, carries an executable, a
    link that launches a program and a form field with a keystroke script."""
    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    writer.add_open_action(JavaScript("app.alert('opened')"))
    writer.add_attachment("payload.exe", b"MZ hostile payload")

    def js(code):
        return DictionaryObject({NameObject("/S"): NameObject("/JavaScript"),
                                 NameObject("/JS"): Text(code)})  # fmt: skip

    def rect(*xs):
        return ArrayObject([FloatObject(x) for x in xs])

    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): js("app.alert('page')")})
    launch = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Link"),
        NameObject("/Rect"): rect(0, 0, 100, 100),
        NameObject("/A"): DictionaryObject({NameObject("/S"): NameObject("/Launch"),
                                            NameObject("/F"): Text("calc.exe")}),
    })  # fmt: skip
    field = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Widget"),
        NameObject("/FT"): NameObject("/Tx"), NameObject("/T"): Text("name"),
        NameObject("/Rect"): rect(100, 100, 200, 120),
        NameObject("/AA"): DictionaryObject({NameObject("/K"): js("app.alert('key')")}),
    })  # fmt: skip
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(launch),
                                               writer._add_object(field)])  # fmt: skip
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject([page["/Annots"][1]])}
    )
    out = io.BytesIO()
    writer.write(out)
    data = out.getvalue()
    assert b"/JavaScript" in data and b"/Launch" in data and b"/EmbeddedFile" in data
    return data


def assert_inert(data: bytes):
    for active in (b"JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile", b"MZ hostile",
                   b"/OpenAction", b"/AcroForm", b"/AA"):  # fmt: skip
        assert active not in data, active
    reader = PdfReader(io.BytesIO(data))
    assert set(reader.trailer["/Root"]) == {"/Type", "/Pages"}
    (page,) = reader.pages
    annotations = [a.get_object() for a in page.get("/Annots") or []]
    assert [a["/Subtype"] for a in annotations] == ["/Widget"]  # the field, as it looks
    assert not any(key in a for a in annotations for key in ("/A", "/AA", "/Parent"))


def test_it_strips_scripts_actions_and_files_from_a_kept_receipt(client, people, encounter):
    client.force_login(people["desk"])
    pdf = SimpleUploadedFile("receipt.pdf", hostile_pdf(), content_type="application/pdf")
    r = client.post(reverse("desk:record_action", args=[encounter.pk, "receipt"]), {"file": pdf})
    assert r.status_code == 302
    kept = encounter.attachments.get()
    assert_inert(crypto.decrypt(kept.content, f"attachment:{kept.sha256}"))


def test_it_strips_scripts_actions_and_files_from_a_checked_document(client, people, encounter):
    client.force_login(people["desk"])
    pdf = SimpleUploadedFile("paper.pdf", hostile_pdf(), content_type="application/pdf")
    client.post(reverse("desk:upload", args=[encounter.pk]), {"pages": [pdf]})
    from patronshield.desk.services import document_check_process

    document_check_process(DocumentCheck.objects.get(encounter=encounter).pk)  # the task
    page = DocumentPage.objects.get(document_check__encounter=encounter)
    assert_inert(crypto.decrypt(page.content, f"document-page:{page.sha256}"))


def test_it_strips_scripts_actions_and_files_from_a_records_file(client, people):
    from patronshield.records.services import file_content

    client.force_login(people["desk"])
    pdf = SimpleUploadedFile("subpoena.pdf", hostile_pdf(), content_type="application/pdf")
    client.post(reverse("records:new"), {**RECORDS_FORM, "files": [pdf]})
    assert_inert(file_content(RecordsRequest.objects.get().files.get()))


BROKEN = b"%PDF-1.7\n1 0 obj <</Type /Catalog /Pages 2 0 R>> garbage, cut short"


def test_it_refuses_a_receipt_pdf_that_does_not_parse_with_a_clear_message(
    client, people, encounter
):
    client.force_login(people["desk"])
    pdf = SimpleUploadedFile("receipt.pdf", BROKEN, content_type="application/pdf")
    r = client.post(reverse("desk:record_action", args=[encounter.pk, "receipt"]), {"file": pdf})
    assert r.status_code == 400
    assert "The PDF could not be read (it may be damaged)." in page_text(r)
    assert not encounter.attachments.exists()


def test_it_refuses_a_records_pdf_that_does_not_parse_and_keeps_what_was_typed(client, people):
    client.force_login(people["desk"])
    pdf = SimpleUploadedFile("subpoena.pdf", BROKEN, content_type="application/pdf")
    r = client.post(reverse("records:new"), {**RECORDS_FORM, "files": [pdf]})
    assert r.status_code == 400 and not RecordsRequest.objects.exists()
    assert "The PDF could not be read (it may be damaged)." in page_text(r)
    assert "Borrowing records of one account, January to June." in page_text(r)


# ---------------------------------------------------------------- (e) the calendar feed


def test_it_refuses_to_let_an_event_title_add_lines_to_the_calendar(client, library):
    """A bare carriage return ends a line for many calendar programs: written by hand, a
    title could add a property (a link, an attachment) to the public feed."""
    import datetime as dt

    from patronshield.public.models import Event

    lib, _branch = library
    title = "Café, comunidad; derechos\rURL:https://evil.example/\rATTACH:https://evil.example/x"
    description = "Línea uno\r\nLine two, with a comma; a semicolon \\ and 日本語\rthree"
    Event.objects.create(
        library=lib, kind=Event.Kind.CLINIC, title=title, description=description,
        starts_at=dt.datetime(2030, 5, 1, 18, tzinfo=dt.UTC),
        ends_at=dt.datetime(2030, 5, 1, 20, tzinfo=dt.UTC),
    )  # fmt: skip
    body = client.get("/events.ics").content
    lines = re.split(rb"\r\n|\r|\n", body.replace(b"\r\n ", b""))  # unfolded, any line end
    assert not [line for line in lines if line.startswith((b"URL:https://evil", b"ATTACH"))]
    assert b"\r" not in body.replace(b"\r\n", b"") and b"\n" not in body.replace(b"\r\n", b"")
    (event,) = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert str(event["SUMMARY"]) == title.replace("\r", "\n")
    assert str(event["DESCRIPTION"]) == description.replace("\r\n", "\n").replace("\r", "\n")
    assert str(event["URL"]).endswith("/events/")

"""The document checker inside the desk flow: upload, result, confirm, checklist."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from pypdf import PdfReader

from patronshield import crypto
from patronshield.desk.models import DocumentCheck, DocumentPage, Encounter

from .test_checker_classify import AO93, I205
from .test_checker_pipeline import html_page


@pytest.fixture(scope="module")
def pdf():
    import weasyprint

    return {
        name: weasyprint.HTML(string=html_page(text)).write_pdf()
        for name, text in (("i205", I205), ("ao93", AO93))
    }


@pytest.fixture
def encounter(client, people):
    client.force_login(people["desk"])
    client.post(reverse("desk:start"))
    e = Encounter.objects.latest("pk")
    client.post(reverse("desk:step", args=[e.pk, "agency"]), {"answer": "ice"})
    client.post(reverse("desk:step", args=[e.pk, "request"]), {"answer": "enter_nonpublic_area"})
    return e


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """The checker's task runs as soon as the upload is committed."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def post_upload(client, encounter, *files):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("desk:upload", args=[encounter.pk]), {"pages": list(files)})


def upload(client, encounter, *files):
    """Upload, then open the progress page it leads to: once read, that leads to the result."""
    r = post_upload(client, encounter, *files)
    check = DocumentCheck.objects.latest("pk")
    assert r.url == reverse("desk:check_progress", args=[encounter.pk, check.pk])
    return client.get(r.url)


def test_the_document_screen_offers_a_photo_and_the_checklist(client, encounter):
    html = client.get(reverse("desk:step", args=[encounter.pk, "document"])).content.decode()
    assert 'accept="image/*,application/pdf"' in html and 'capture="environment"' in html
    assert 'enctype="multipart/form-data"' in html and "multiple" in html
    assert reverse("desk:checklist", args=[encounter.pk]) in html


def test_an_ice_warrant_is_shown_for_what_it_is_and_allows_nothing(client, encounter, pdf):
    r = upload(client, encounter, SimpleUploadedFile("i205.pdf", pdf["i205"]))
    check = DocumentCheck.objects.get()
    assert r.url == reverse("desk:check", args=[encounter.pk, check.pk])
    page = client.get(r.url).content.decode()
    assert "ICE warrant" in page and "Form I-205" in page
    assert "Staff-only areas: no" in page and "Patron records: no" in page
    assert "<mark>" in page and "immigration judge" in page.lower()
    r = client.post(reverse("desk:confirm", args=[encounter.pk, check.pk]))
    assert r.url == reverse("desk:step", args=[encounter.pk, "emergency"])
    encounter.refresh_from_db()
    check.refresh_from_db()
    assert encounter.document == check.confirmed_kind == "administrative_warrant"


def test_a_judicial_warrant_shows_its_validity_checks(client, encounter, pdf):
    r = upload(client, encounter, SimpleUploadedFile("ao93.pdf", pdf["ao93"]))
    page = client.get(r.url).content.decode()
    assert "Search warrant signed by a judge" in page
    assert "Is the warrant valid here?" in page and "The place described is this library" in page
    assert "The checker is fairly sure" in page


def test_the_words_and_the_file_are_kept_only_encrypted(client, encounter, pdf):
    upload(client, encounter, SimpleUploadedFile("i205.pdf", pdf["i205"]))
    check = DocumentCheck.objects.get()
    assert b"Homeland" not in bytes(check.evidence)
    assert "Homeland" not in str(check.summary)
    stored = DocumentPage.objects.get()
    assert stored.content and bytes(stored.content) != pdf["i205"]
    kept = crypto.decrypt(stored.content, f"document-page:{stored.sha256}")
    assert "Homeland" in PdfReader(io.BytesIO(kept)).pages[0].extract_text()  # the PDF, inert
    assert stored.key_id == crypto.key_id(bytes(stored.content))


def test_a_library_that_keeps_no_images_keeps_only_the_fingerprint(client, encounter, pdf):
    encounter.library.store_document_files = False
    encounter.library.save()
    upload(client, encounter, SimpleUploadedFile("i205.pdf", pdf["i205"]))
    stored = DocumentPage.objects.get()
    assert stored.content is None and len(stored.sha256) == 64


def test_the_checklist_alone_works_without_a_photo(client, encounter):
    url = reverse("desk:checklist", args=[encounter.pk])
    assert client.get(url).status_code == 200
    r = client.post(url, {"court": "yes", "title": "search_warrant", "signer": "judge"})
    assert r.url == reverse("desk:step", args=[encounter.pk, "emergency"])
    encounter.refresh_from_db()
    assert encounter.document == "judicial_search_warrant"
    assert DocumentCheck.objects.get().method == "checklist"


def test_an_incomplete_checklist_says_so_and_keeps_the_answers(client, encounter):
    r = client.post(reverse("desk:checklist", args=[encounter.pk]), {"court": "no"})
    assert r.status_code == 400 and b"Please answer all three questions" in r.content
    assert b'value="no" checked' in r.content or b"checked" in r.content


def test_the_checklist_cannot_make_an_ice_form_judicial(client, encounter, pdf):
    upload(client, encounter, SimpleUploadedFile("i205.pdf", pdf["i205"]))
    check = DocumentCheck.objects.get()
    r = client.post(
        reverse("desk:checklist", args=[encounter.pk]) + f"?check={check.pk}",
        {"court": "yes", "title": "search_warrant", "signer": "judge", "check": check.pk},
        follow=True,
    )
    encounter.refresh_from_db()
    assert encounter.document == "unknown"
    assert "never a judge" in r.content.decode()


@pytest.mark.parametrize(
    "name,data,message",
    [("x.jpg", b"PK\x03\x04zip", "ZIP archive"), ("empty.jpg", b"", "empty")],
)
def test_a_bad_file_gets_a_clear_message_and_a_way_on(client, encounter, name, data, message):
    r = upload(client, encounter, SimpleUploadedFile(name, data))
    if r.status_code == 302:
        r = client.get(r.url)
    page = r.content.decode()
    assert message in page
    assert reverse("desk:checklist", args=[encounter.pk]) in page
    encounter.refresh_from_db()
    assert encounter.agency == "ice" and encounter.request == "enter_nonpublic_area"


def test_no_file_chosen(client, encounter):
    r = client.post(reverse("desk:upload", args=[encounter.pk]))
    assert r.status_code == 400 and b"Choose a photo or a PDF" in r.content


def test_another_library_cannot_see_the_check(client, encounter, pdf, outsider):
    r = upload(client, encounter, SimpleUploadedFile("i205.pdf", pdf["i205"]))
    client.force_login(outsider)
    assert client.get(r.url).status_code == 404
    check = DocumentCheck.objects.get()
    assert client.post(reverse("desk:confirm", args=[encounter.pk, check.pk])).status_code == 404
    assert client.post(reverse("desk:upload", args=[encounter.pk])).status_code == 404


def test_the_checks_notes_are_in_the_desk_worker_s_language(client, encounter):
    import weasyprint

    stale = AO93.replace("December 3, 2026", "November 3, 2025")
    data = weasyprint.HTML(string=html_page(stale)).write_pdf()
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    r = upload(client, encounter, SimpleUploadedFile("ao93.pdf", data))
    page = client.get(r.url).content.decode()
    assert "el plazo ya venció (hoy es" in page
    assert "the deadline has passed" not in page and "today is" not in page
    assert "<mark>on or before November 3, 2025</mark>" in page.replace("\n", " ")


def test_under_a_director_only_policy_the_check_names_the_director_alone(
    client, people, encounter, pdf
):
    from .test_policy_versions import adopt

    r = upload(client, encounter, SimpleUploadedFile("ao93.pdf", pdf["ao93"]))
    assert "director or a designee" in client.get(r.url).content.decode()
    adopt(people, approver="director")
    page = client.get(r.url).content.decode()
    assert "designee" not in page.lower() and "The director decides." in page

"""Key rotation: everything re-encrypted under the new key, nothing lost, and after the
rotation the old key can no longer vouch for a new event."""

import io

import pytest
from django.core.management import call_command

from patronshield import crypto
from patronshield.desk import chain, record, services
from patronshield.desk.models import Attachment, Chain, DocumentCheck, DocumentPage
from tests.test_incident_log import gps_photo, tamper, text_pdf


@pytest.fixture
def keys(monkeypatch):
    old = crypto.new_key_spec("old")

    def use(spec):
        monkeypatch.setenv("PATRONSHIELD_DATA_KEYS", spec)
        crypto.keyring.cache_clear()

    use(old)
    yield use, old
    crypto.keyring.cache_clear()


def test_rotation_re_encrypts_everything_and_loses_nothing(keys, people):
    use, old = keys
    desk = people["desk"]
    e = services.encounter_start(user=desk)
    check = services.document_check_run(
        encounter=e, user=desk, files=[("w.pdf", text_pdf("SEARCH WARRANT"))]
    )
    receipt = record.receipt_add(encounter=e, user=desk, name="r.jpg", data=gps_photo())
    chain.checkpoint_make(library=e.library, reason="before", notify=False)
    before = {
        "page": crypto.decrypt(
            DocumentPage.objects.get().content, f"document-page:{check.files.get().sha256}"
        ),
        "evidence": services.document_check_evidence(check),
        "receipt": record.attachment_content(receipt),
    }
    assert before["page"].startswith(b"%PDF-")  # the PDF as kept: rewritten, inert
    use(crypto.new_key_spec("new") + "," + old)
    out = io.StringIO()
    call_command("rotate_keys", stdout=out)
    assert "desk.DocumentPage.content: 1 re-encrypted" in out.getvalue()
    assert "mfa.Authenticator.secret: 3 re-encrypted" in out.getvalue()  # director, designee, admin
    for blob in (
        DocumentPage.objects.get().content,
        DocumentCheck.objects.get().evidence,
        Attachment.objects.get().content,
        Chain.objects.get().signing_key,
    ):
        assert crypto.key_id(bytes(blob)) == "new"
    check.refresh_from_db()
    assert services.document_check_evidence(check) == before["evidence"]
    assert record.attachment_content(Attachment.objects.get()) == before["receipt"]
    chain.checkpoint_make(library=e.library, reason="after", notify=False)  # key still works
    assert chain.verify_library(e.library_id).ok
    call_command("rotate_keys", stdout=out)  # a second run has nothing left to do
    assert chain.verify_library(e.library_id).ok


def test_after_rotation_the_old_key_cannot_vouch_for_new_events(keys, people):
    use, old = keys
    e = services.encounter_start(user=people["desk"])
    use(crypto.new_key_spec("new") + "," + old)
    call_command("rotate_keys", stdout=io.StringIO())
    note = record.note_add(encounter=e, user=people["desk"], text="after the rotation")
    forged = chain.event_mac(e.library_id, note.hash, kid="old")  # a thief with the old key
    tamper("UPDATE desk_event SET mac = %s WHERE id = %s", [forged, note.pk])
    report = chain.verify_library(e.library_id)
    assert not report.ok and report.first_broken == note.seq

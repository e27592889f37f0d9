"""patronshield rotate-keys: re-encrypt everything kept encrypted under the current data key.

Put the new key first in PATRONSHIELD_DATA_KEYS (or its file), keep the old ones after it,
then run this. Every ciphertext (document pages and their evidence, receipts, each
library's checkpoint key, and what other apps register in SEALED) is decrypted and sealed
again under the new key, one row at a time, each in its own transaction, so an interruption
loses nothing and a second run finishes the job. Each library's log records the rotation:
from then on an event whose MAC is made under an older key is refused by the verifier.
Keep the old keys listed: the MACs of events written before, and older backups, need them.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from patronshield import crypto

# (app_label.Model, field, purpose(row)): every column that holds a ciphertext.
SEALED = [
    ("desk.DocumentPage", "content", lambda r: f"document-page:{r.sha256}"),
    ("desk.PendingUpload", "content", lambda r: r.purpose),
    ("desk.DocumentCheck", "evidence", lambda r: f"document-check:{r.encounter_id}"),
    ("desk.Attachment", "content", lambda r: f"attachment:{r.sha256}"),
    ("desk.Chain", "signing_key", lambda r: f"checkpoint-key:{r.library_id}"),
]


def _rotate_authenticators(current: str) -> int:
    """The authenticator apps' secrets (sealed by the MFA adapter, in a JSON field)."""
    import base64

    from allauth.mfa.models import Authenticator

    from patronshield.accounts.adapter import MFAAdapter

    adapter, done = MFAAdapter(), 0
    for pk in Authenticator.objects.filter(type="totp").values_list("pk", flat=True):
        with transaction.atomic():
            a = Authenticator.objects.select_for_update().get(pk=pk)
            sealed = a.data.get("secret", "")
            if not sealed.startswith(adapter.PREFIX):
                continue
            blob = base64.b64decode(sealed[len(adapter.PREFIX) :])
            if crypto.key_id(blob) == current:
                continue
            a.data["secret"] = adapter.encrypt(adapter.decrypt(sealed))
            a.save(update_fields=["data"])
            done += 1
    return done


def rotate(stdout=None) -> dict:
    from django.apps import apps

    from patronshield.desk.chain import event_append
    from patronshield.desk.models import Event
    from patronshield.libraries.models import Library

    current, _keys = crypto.keyring()
    counts = {}
    for label, field, purpose in SEALED:
        model = apps.get_model(label)
        done = 0
        for pk in model.objects.exclude(**{f"{field}__isnull": True}).values_list("pk", flat=True):
            with transaction.atomic():
                row = model.objects.select_for_update().get(pk=pk)
                blob = bytes(getattr(row, field))
                if not blob or crypto.key_id(blob) == current:
                    continue
                sealed = crypto.encrypt(crypto.decrypt(blob, purpose(row)), purpose(row))
                model.objects.filter(pk=pk).update(**{field: sealed})
                if hasattr(row, "key_id"):
                    model.objects.filter(pk=pk).update(key_id=current)
                done += 1
        counts[f"{label}.{field}"] = done
    counts["mfa.Authenticator.secret"] = _rotate_authenticators(current)
    for library in Library.objects.all():
        last = Event.objects.filter(library=library, kind=Event.Kind.ROTATED).last()
        if last is None or (last.data or {}).get("key") != current:
            event_append(library=library, kind=Event.Kind.ROTATED, data={"key": current})
    return counts


class Command(BaseCommand):
    help = "Re-encrypt every stored ciphertext under the current data key."

    def handle(self, *args, **options):
        current, keys = crypto.keyring()
        for name, n in rotate().items():
            self.stdout.write(f"{name}: {n} re-encrypted")
        older = [k for k in keys if k != current]
        self.stdout.write(
            f"current key: {current}; keep {', '.join(older) or 'no older key'} listed for "
            "the MACs of earlier events and for older backups"
        )

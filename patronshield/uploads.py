"""Uploads are refused by their size before they are read.

`SizeLimit`, the first of FILE_UPLOAD_HANDLERS, hands each file's bytes on to Django's
handlers (memory or a temporary file) only up to PATRONSHIELD_UPLOAD_MAX_BYTES; past that it
drops the rest, so a file too large is never held whole in memory or on disk, and the form
gets a file with the size it had and nothing in it. `validate_upload_size`, on every file
field, then refuses it with a message, and the form shows again with what was typed.
"""

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.utils.translation import gettext_lazy as _

TOO_LARGE = _(
    "%(name)s is too large (the limit is %(mb)s MB). Take the photo again at a lower resolution."
)


class SizeLimit(FileUploadHandler):
    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def too_large(self) -> bool:
        return self.received > settings.PATRONSHIELD_UPLOAD_MAX_BYTES

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        return None if self.too_large() else raw_data

    def file_complete(self, file_size):
        if not self.too_large():
            return None  # the next handler has it all
        return InMemoryUploadedFile(
            io.BytesIO(), self.field_name, self.file_name, self.content_type, self.received,
            self.charset, self.content_type_extra,
        )  # fmt: skip


def validate_upload_size(upload, message=TOO_LARGE):
    limit = settings.PATRONSHIELD_UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(message, params={"name": upload.name, "mb": megabytes(limit)})


def megabytes(size: int) -> str:
    return f"{size / 1_048_576:.1f}".removesuffix(".0")

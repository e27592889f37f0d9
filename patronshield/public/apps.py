from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "patronshield.public"
    verbose_name = _("Public pages")

    def ready(self):
        from patronshield.desk.signals import encounter_closed

        from . import transparency

        encounter_closed.connect(transparency.freeze_on_close, dispatch_uid="public.report")

        # What the stored rights pages and PDFs show: the library (its name, state, the
        # libraries there are), its contacts, the translations' reviews.
        from django.db.models.signals import post_delete, post_save

        from patronshield.libraries.models import Library

        from .models import Resource, TranslationReview

        for model in (Library, Resource, TranslationReview):
            for signal in (post_save, post_delete):
                signal.connect(content_changed, sender=model, dispatch_uid=f"public.{model}")


def content_changed(**kwargs):
    """At once (this transaction's own requests see it) and again after the commit (a page
    rendered by another process in between, from the rows before the change, is never
    found again)."""
    from django.db import transaction

    from . import rendered

    rendered.bump()
    transaction.on_commit(rendered.bump)

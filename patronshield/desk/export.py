"""The counsel export: one PDF per encounter, everything counsel needs to rely on the record.

The library, the answers and the policy's decision with its citations, the timeline, the
officers, what was viewed, copied or taken, the documents checked (with their pages when the
library keeps them), the receipts, the decisions of the director and designees, and the
chain: every event's hashes, the latest signed checkpoint that covers them and the result of
verifying the library's whole chain. The export itself is then an event on the chain, with
the PDF's SHA-256, so a copy can later be shown to be the one exported.
"""

from __future__ import annotations

import base64
import hashlib

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from patronshield import crypto, ledger

from . import chain, record, timeline
from .document_views import CHECK_LABELS, RESULT_LABELS, SIGNER_LABELS, ChecklistForm
from .models import Checkpoint, Document, Event
from .steps import STEPS, asked


def _data_uri(data: bytes) -> str | None:
    """Images as data: URIs (the PDF needs nothing from outside); None for a PDF."""
    if data[:4] == b"%PDF":
        return None
    mime = "image/png" if data[:8] == b"\x89PNG\r\n\x1a\n" else "image/jpeg"
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def _file(name: str, sha256: str, size: int, content: bytes | None) -> dict:
    image = _data_uri(content) if content else None
    return {
        "name": name,
        "sha256": sha256,
        "size": size,
        "kept": content is not None,
        "pdf": bool(content) and image is None,
        "image": image,
    }


def _documents(encounter) -> list[dict]:
    docs = []
    for check in encounter.checks.order_by("created_at", "pk").prefetch_related("files"):
        files = []
        for page in check.files.order_by("pk"):
            content = None
            if page.content:
                content = crypto.decrypt(bytes(page.content), f"document-page:{page.sha256}")
            files.append(_file(page.name, page.sha256, page.size, content))
        checks = [
            {
                "label": CHECK_LABELS.get(name, name),
                "result": RESULT_LABELS.get(result, result),
            }
            for name, result in (check.summary.get("checks") or {}).items()
        ]
        checklist = [
            (field.label, dict(field.choices).get(check.checklist[name], check.checklist[name]))
            for name, field in ChecklistForm.base_fields.items()
            if name in (check.checklist or {})
        ]
        docs.append(
            {
                "check": check,
                "checklist": checklist,
                "found": Document(check.kind).label if check.kind else "",
                "confirmed": Document(check.confirmed_kind).label if check.confirmed_kind else "",
                "signer": SIGNER_LABELS.get(check.signed_by, check.signed_by),
                "checks": checks,
                "files": files,
            }
        )
    return docs


def _receipts(encounter) -> list[dict]:
    return [
        {
            "at": a.created_at,
            "by": a.created_by.display_name,
            **_file(a.name, a.sha256, a.size, record.attachment_content(a)),
        }
        for a in encounter.attachments.select_related("created_by").order_by("created_at", "pk")
    ]


def export_context(encounter, user, now=None) -> dict:
    now = now or timezone.now()
    zone = timeline.library_zone(encounter.library)
    lines = timeline.lines(encounter)
    events = [line.event for line in lines]
    first_seq, last_seq = (events[0].seq, events[-1].seq) if events else (0, 0)
    checkpoint = (
        Checkpoint.objects.filter(library_id=encounter.library_id, seq__gte=first_seq)
        .order_by("-seq", "-pk")
        .first()
    )
    report = chain.verify_library(encounter.library_id)
    answers = [
        (
            encounter._meta.get_field(name).verbose_name,
            timeline._choice(name, getattr(encounter, name)),
        )
        for name in (STEPS[step].field for step in asked(encounter))
    ]
    decision = encounter.decision or {}
    if decision and get_language() != "en":  # as the result page does: same outcome, in words
        from patronshield.libraries.policies import adopted_table
        from patronshield.policy import decide

        from .services import scenario_for

        live = decide(
            scenario_for(encounter, get_language()), adopted_table(encounter.library)
        ).as_dict()
        if live["outcome"] == decision.get("outcome"):
            decision = live
    of_kind = lambda kind: [line for line in lines if line.event.kind == kind]  # noqa: E731
    items = [
        line
        for line in of_kind(Event.Kind.ITEM)
        if line.event.data and "marked_missing" not in line.event.data
    ]
    missing = {i["event"].seq for i in record.seized_items(encounter) if i["missing"]}
    return {
        "encounter": encounter,
        "library": encounter.library,
        "language": get_language(),
        "generated": timezone.localtime(now, zone),
        "generated_by": user.display_name,
        "started": timezone.localtime(encounter.started_at, zone),
        "closed": encounter.closed_at and timezone.localtime(encounter.closed_at, zone),
        "zone": str(zone),
        "answers": answers,
        "decision": decision,
        "lines": lines,
        "officers": of_kind(Event.Kind.OFFICER),
        "items": items,
        "missing": missing,
        "approvals": of_kind(Event.Kind.APPROVAL),
        "documents": _documents(encounter),
        "receipts": _receipts(encounter),
        "events": [
            {"event": e, "at": ledger.timestamp(e.at), "kind": e.get_kind_display()} for e in events
        ],
        "checkpoint": checkpoint,
        "checkpoint_valid": checkpoint and chain.as_ledger(checkpoint).signature_valid(),
        "checkpoint_covers_all": checkpoint and checkpoint.seq >= last_seq,
        "report": report,
    }


def _page_css(ctx) -> str:
    """The running footer: its words go into CSS strings, escaped as CSS wants."""

    def css(text: str) -> str:
        safe = " .,:;-/()·"
        return (
            '"' + "".join(c if c.isalnum() or c in safe else f"\\{ord(c):x} " for c in text) + '"'
        )

    footer = _("Generated %(time)s by Patron Shield. Guidance, not legal advice.") % {
        "time": ctx["generated"].strftime("%Y-%m-%d %H:%M %Z")
    }
    title = _("%(library)s · encounter %(pk)s") % {
        "library": ctx["library"].name,
        "pk": ctx["encounter"].pk,
    }
    if ctx["encounter"].drill:
        title = f"{_('DRILL')} · {title}"
    return (
        "@page { size: letter; margin: 18mm 16mm 20mm;"
        f" @top-left {{ content: {css(title)}; }}"
        f" @bottom-left {{ content: {css(footer)}; }}"
        f" @bottom-right {{ content: {css(_('Page'))} ' ' counter(page) ' / ' counter(pages); }} }}"
    )


def render_pdf(ctx) -> bytes:
    import weasyprint

    html = render_to_string("desk/export.html", {**ctx, "page_css": _page_css(ctx)})
    return weasyprint.HTML(string=html).write_pdf()


def export_pdf(*, encounter, user, now=None) -> bytes:
    """Render the PDF, then record the export (with the PDF's hash) on the chain."""
    pdf = render_pdf(export_context(encounter, user, now))
    with transaction.atomic():
        chain.event_append(
            library=encounter.library_id,
            encounter=encounter,
            kind=Event.Kind.EXPORTED,
            actor=user,
            data={
                "format": "pdf",
                "sha256": hashlib.sha256(pdf).hexdigest(),
                "size": len(pdf),
                "language": get_language(),
                "role": user.role,
            },
        )
    return pdf
